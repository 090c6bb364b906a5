"""Rendering jobs: documents → laid-out forms → files.

A job is one output file per format for a group of documents (one document, or all the
documents of an input with --combine). `render_job` chains the stages for one job;
`run_jobs` runs a batch, in a pool of worker processes when there is more than one core
and more than one job, since layout and writing are CPU-bound Python.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from .layout import layout_document
from .model import Document
from .writers import write_atomic


@dataclass(frozen=True)
class RenderJob:
    stem: str
    documents: list[Document]
    outputs: dict[str, Path]  # format → the file to write
    template_dir: str | None = None
    author: str = "reportgen"  # named in the files' properties


@dataclass(frozen=True)
class Outcome:
    path: Path
    error: str | None = None  # None: written


def render_job(job: RenderJob) -> list[Outcome]:
    """Given a job, lay its documents out and write each of its files; return what
    became of each file. A failure is reported, never raised: the batch goes on."""
    try:
        forms = [replace(layout_document(doc, job.template_dir), author=job.author)
                 for doc in job.documents]
    except Exception as exc:  # a broken user template, say
        return [Outcome(path, f"could not lay out {job.stem}: {exc}") for path in job.outputs.values()]
    outcomes = []
    for fmt, path in job.outputs.items():
        try:
            write_atomic(path, fmt, forms)
            outcomes.append(Outcome(path))
        except Exception as exc:
            outcomes.append(Outcome(path, f"could not write {fmt.upper()}: {exc}"))
    return outcomes


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_jobs(jobs: list[RenderJob], workers: int) -> Iterator[tuple[RenderJob, list[Outcome]]]:
    """Run jobs with up to `workers` processes, yielding each job with its outcomes as it
    finishes (in order when run in this process)."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job, render_job(job)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        futures = {pool.submit(render_job, job): job for job in jobs}
        for future in as_completed(futures):
            yield futures[future], future.result()
