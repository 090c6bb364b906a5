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
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from itertools import chain, islice
from pathlib import Path
from typing import Iterable, Iterator

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
    pdf_engine: str = "auto"  # writers.PDF_ENGINES


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
            outcomes.append(Outcome(path, warnings=tuple(write_atomic(path, fmt, forms, job.pdf_engine))))
        except Exception as exc:
            outcomes.append(Outcome(path, f"could not write {fmt.upper()}: {exc}"))
    return outcomes


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_jobs(jobs: Iterable[RenderJob], workers: int) -> Iterator[tuple[RenderJob, list[Outcome]]]:
    """Run jobs with up to `workers` processes, yielding each job with its outcomes as it
    finishes (in order when run in this process). Jobs are taken as they come, a few
    per worker ahead, so a batch read as it goes is never held whole. Stopped (Ctrl-C,
    SIGTERM), it ends its workers before passing the interruption on; what was written
    stays."""
    queue = iter(jobs)
    first = list(islice(queue, 2))
    if workers <= 1 or len(first) <= 1:  # one job: not worth starting a worker
        for job in chain(first, queue):
            yield job, render_job(job)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_started, initargs=(os.getpid(),))
    try:
        pending: dict[Future, RenderJob] = {}
        for job in chain(first, queue):
            pending[pool.submit(render_job, job)] = job
            while len(pending) >= AHEAD_PER_WORKER * workers:
                yield from _finished(pending)
        while pending:
            yield from _finished(pending)
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()  # SIGTERM: the worker removes its temporary file and ends
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


AHEAD_PER_WORKER = 4


def _finished(pending: dict[Future, RenderJob]) -> Iterator[tuple[RenderJob, list[Outcome]]]:
    """Wait for at least one job to finish; yield those finished, and forget them."""
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in done:
        yield pending.pop(future), future.result()


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
