"""Rendering jobs: documents → laid-out forms → files.

A job is one output file per format for a group of documents (one document, or all the
documents of an input with --combine). `render_job` chains the stages for one job;
`run_jobs` runs a batch, in a pool of worker processes when there is more than one core
and more than one job, since layout and writing are CPU-bound Python, or on the workers
of a Dask cluster (`--cluster`, cluster.py). Either way a job whose worker died is
reported as failed, file by file, never lost.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from itertools import chain, islice
from pathlib import Path
from typing import Callable, Generator, Iterable, Iterator

from .layout import layout_document
from .model import Document
from .writers import remove_partial_files, write_atomic


@dataclass(frozen=True)
class RenderJob:
    stem: str
    documents: list[Document]
    outputs: dict[str, Path | str]  # format → the file to write (a path, or a URL: writers.write_output)
    template_dir: str | None = None
    author: str = "reportgen"  # named in the files' properties
    pdf_engine: str = "auto"  # writers.PDF_ENGINES


@dataclass(frozen=True)
class Outcome:
    path: Path | str
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


def run_jobs(jobs: Iterable[RenderJob], workers: int,
             cluster: str | None = None) -> Generator[tuple[RenderJob, list[Outcome]], None, None]:
    """Run jobs with up to `workers` processes, or on the Dask cluster at the address
    `cluster`, yielding each job with its outcomes as it finishes (in order when run
    in this process). Jobs are taken as they come, a few per worker ahead, so a batch
    read as it goes is never held whole. Stopped (Ctrl-C, SIGTERM), it ends its
    workers before passing the interruption on; what was written stays."""
    queue = iter(jobs)
    if cluster is not None:
        from .cluster import cluster_executor

        executor, slots = cluster_executor(cluster)
        yield from _run_on(executor, queue, slots, lambda: executor)
        return
    first = list(islice(queue, 2))
    if workers <= 1 or len(first) <= 1:  # one job: not worth starting a worker
        for job in chain(first, queue):
            yield job, render_job(job)
        return
    pools: list[ProcessPoolExecutor] = []

    def new_pool() -> ProcessPoolExecutor:  # again after a worker was killed: the pool is broken then
        pools.append(ProcessPoolExecutor(max_workers=workers, initializer=_worker_started,
                                         initargs=(os.getpid(),)))
        return pools[-1]

    try:
        yield from _run_on(new_pool(), chain(first, queue), workers, new_pool)
    except BaseException:
        processes = [p for pool in pools for p in list((getattr(pool, "_processes", None) or {}).values())]
        managers = [t for pool in pools if (t := getattr(pool, "_executor_manager_thread", None)) is not None]
        for process in processes:
            process.terminate()  # SIGTERM: the worker removes its temporary file and ends
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=2)  # ended: what it left is seen as stale (cli.render removes it)
        # The pools' manager threads end once their workers have: joined here, or the
        # interpreter's exit would wake one while it closes its pipe ("Bad file
        # descriptor" printed at exit, Python 3.11, seen once in some 20 stops).
        for manager in managers:
            manager.join(timeout=2)
        raise
    for pool in pools:
        pool.shutdown()


AHEAD_PER_WORKER = 4


def _run_on(executor: Executor, jobs: Iterator[RenderJob], slots: int,
            replacement: Callable[[], Executor]) -> Iterator[tuple[RenderJob, list[Outcome]]]:
    """Keep `slots` × AHEAD_PER_WORKER jobs submitted to the executor, yielding each as
    it finishes. A job that cannot run (its worker killed, the pool broken by it)
    comes back with an error for each of its files; a broken pool is replaced by
    `replacement()` and the batch goes on."""
    pending: dict[Future, RenderJob] = {}
    for job in jobs:
        try:
            pending[executor.submit(render_job, job)] = job
        except BrokenExecutor:
            executor = replacement()
            pending[executor.submit(render_job, job)] = job
        while len(pending) >= AHEAD_PER_WORKER * slots:
            yield from _finished(pending)
    while pending:
        yield from _finished(pending)


def _finished(pending: dict[Future, RenderJob]) -> Iterator[tuple[RenderJob, list[Outcome]]]:
    """Wait for at least one job to finish; yield those finished, and forget them."""
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in done:
        job = pending.pop(future)
        try:
            yield job, future.result()
        except Exception as exc:  # the worker died (killed, out of memory), or the job could not travel
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            yield job, [Outcome(path, f"not written: the worker rendering {job.stem} failed ({reason})")
                        for path in job.outputs.values()]


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
