"""Rendering jobs: documents → laid-out forms → files.

A job is one output file per format for a group of documents (one document, or all the
documents of an input with --combine). `render_job` chains the stages for one job;
`run_jobs` runs a batch, in a pool of worker processes when there is more than one core
and more than one job, since layout and writing are CPU-bound Python.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from .layout import layout_document
from .model import Document
from .writers import remove_partial_files, write_atomic


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
    warnings: tuple[str, ...] = ()


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
            outcomes.append(Outcome(path, warnings=tuple(write_atomic(path, fmt, forms))))
        except Exception as exc:
            outcomes.append(Outcome(path, f"could not write {fmt.upper()}: {exc}"))
    return outcomes


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_jobs(jobs: list[RenderJob], workers: int) -> Iterator[tuple[RenderJob, list[Outcome]]]:
    """Run jobs with up to `workers` processes, yielding each job with its outcomes as it
    finishes (in order when run in this process). Stopped (Ctrl-C, SIGTERM), it ends
    its workers before passing the interruption on; what was written stays."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job, render_job(job)
        return
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_worker_started,
                               initargs=(os.getpid(),))
    try:
        futures = {pool.submit(render_job, job): job for job in jobs}
        for future in as_completed(futures):
            yield futures[future], future.result()
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()  # SIGTERM: the worker removes its temporary file and ends
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _worker_started(parent: int) -> None:
    """In each worker: Ctrl-C is the parent's to handle (the terminal sends it to all);
    SIGTERM removes the file being written and ends the worker; the worker ends when
    its parent does, however the parent died (kill -9 included)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _end_worker(signum: int, frame: object) -> None:
    remove_partial_files()
    os._exit(128 + signum)  # at once: the pool's own loop would catch SystemExit


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGTERM)
