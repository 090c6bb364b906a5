"""Work on a Dask distributed cluster (`--cluster tcp://HOST:8786`) instead of local
processes: the same functions, submitted to the cluster's workers.

`distributed.Client.get_executor()` is a `concurrent.futures` executor, which is what
render.run_jobs runs its jobs on locally, so rendering needs nothing else: each job (its
documents, the file names the client gave them) travels to a worker, which lays out and
writes the files, to a folder every worker reaches or to a URL (writers.write_output),
and sends back only the names written and the errors. A worker that dies has its jobs
run again by the scheduler (three times), and failed after that. `map_ordered` runs a
function over inputs on the workers, in order and a bounded number ahead (summary and
check: the reading and checking of each input file).
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import Executor, Future
from functools import lru_cache
from typing import Callable, Iterable, Iterator, TypeVar

from .errors import ReportgenError

T = TypeVar("T")
R = TypeVar("R")
AHEAD_PER_WORKER = 4


@lru_cache(maxsize=4)
def _client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise ReportgenError("--cluster needs Dask's distributed package: "
                             "pip install 'reportgen[cluster]'") from None
    try:
        return Client(address, timeout="10s", set_as_default=False)
    except OSError as exc:
        raise ReportgenError(f"--cluster {address}: no Dask scheduler answers there ({exc})") from None


def cluster_executor(address: str) -> tuple[Executor, int]:
    """An executor over the cluster's workers, and how many tasks they run at once."""
    client = _client(address)
    threads = sum(client.nthreads().values())
    if not threads:
        raise ReportgenError(f"--cluster {address}: the scheduler has no workers")
    return client.get_executor(pure=False), threads


def map_ordered(function: Callable[[T], R], items: Iterable[T], address: str) -> Iterator[Future]:
    """Submit function(item) for each item to the cluster, a few per worker thread
    ahead; yield the futures in the items' order, each once it is done (its result
    or its exception is the caller's)."""
    executor, slots = cluster_executor(address)
    window: deque[Future] = deque()
    for item in items:
        window.append(executor.submit(function, item))
        if len(window) >= AHEAD_PER_WORKER * slots:
            yield _done(window.popleft())
    while window:
        yield _done(window.popleft())


def _done(future: Future) -> Future:
    future.exception()  # waits
    return future
