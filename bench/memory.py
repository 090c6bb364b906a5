"""Peak memory of `reportgen render` against the size of the batch.

Writes N synthetic 自评表 as JSON files of 1,000 documents each, then runs
`reportgen render` on them (one worker per core, PDF by default) and samples the
memory of the whole process tree (the command and its workers: proportional set
sizes, so the pages forked workers share are counted once) every 50 ms. A batch
read, laid out and written as it goes holds a few documents per worker, whatever N
is: the peak should not grow with N.

    make bench                                   # part of it: 1,000 and 10,000 forms
    .venv/bin/python bench/memory.py -n 1000,10000,100000 --to pdf
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from reportgen.model import document_to_dict
from synthetic import synthetic_documents

PER_FILE = 1000
GOAL_MB = 400
FLAT = 1.2  # "flat in N": the largest batch's peak at most this many times the smallest's


def write_inputs(n: int, folder: Path) -> list[Path]:
    """n documents as JSON lists, PER_FILE a file (a district's year, say)."""
    template = [document_to_dict(doc) for doc in synthetic_documents(min(n, PER_FILE))]
    paths = []
    for start in range(0, n, PER_FILE):
        batch = template[:min(PER_FILE, n - start)]
        for offset, data in enumerate(batch):  # each document its own project name
            data["project"] = f"{template[offset]['project']}-{start + offset:06d}"
        path = folder / f"batch-{start // PER_FILE:04d}.json"
        path.write_text(json.dumps({"documents": batch}, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def tree_memory_mb(root: int) -> tuple[float, float]:
    """The memory of a process and its descendants, in MiB: the total of their
    proportional set sizes (a page the forked workers share with their parent counted
    once, not in each), and the resident size of the largest single process."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    pending, total, largest = [root], 0.0, 0.0
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        sizes = _rollup(pid)
        total += sizes.get("Pss", 0) / 1024
        largest = max(largest, sizes.get("Rss", 0) / 1024)
    return total, largest


def _rollup(pid: int) -> dict[str, int]:
    """A process's memory totals (kB) from /proc/PID/smaps_rollup."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            lines = rollup.read().splitlines()[1:]
    except OSError:  # ended meanwhile
        return {}
    return {key.rstrip(":"): int(value) for key, value, *_ in (line.split() for line in lines)}


def measure(n: int, formats: str, workers: int) -> tuple[float, float, float, int]:
    """Render n forms; return the seconds, the peak total and single-process memory
    (MiB) and the number of files written."""
    with tempfile.TemporaryDirectory(prefix="reportgen-memory-") as tmp:
        folder = Path(tmp)
        inputs = write_inputs(n, folder)
        out = folder / "out"
        command = [sys.executable, "-m", "reportgen", "render", *map(str, inputs), "-o", str(out),
                   "--to", formats, "--jobs", str(workers)]
        peak = [0.0, 0.0]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        def sample() -> None:
            while process.poll() is None:
                total, largest = tree_memory_mb(process.pid)
                peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        _, err = process.communicate()
        sampler.join()
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"reportgen render failed: {err.decode()[-2000:]}")
        return seconds, peak[0], peak[1], sum(1 for _ in out.iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", default="1000,10000", help="batch sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--to", default="pdf", help="formats to render (default pdf)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    sizes = [int(n) for n in args.n.split(",")]
    print(f"reportgen render, {args.to}, {args.workers} workers: peak memory against the batch size")
    print(f"{'forms':>8} {'seconds':>8} {'forms/s':>8} {'peak MiB (PSS, all)':>20} {'largest RSS':>12} {'files':>7}")
    peaks = []
    for n in sizes:
        seconds, total, largest, files = measure(n, args.to, args.workers)
        peaks.append(total)
        print(f"{n:8d} {seconds:8.1f} {n / seconds:8.1f} {total:20.1f} {largest:12.1f} {files:7d}")
    growth = peaks[-1] / peaks[0] if peaks[0] else 0
    bounded = "met" if max(peaks) < GOAL_MB else "NOT MET"
    flat = "met" if growth <= FLAT else "NOT MET"
    print(f"goal: < {GOAL_MB} MiB for the whole tree: peak {max(peaks):.0f} MiB — {bounded}; "
          f"flat in N (≤ {FLAT}×): {growth:.2f}× from {sizes[0]:,} to {sizes[-1]:,} forms — {flat}")


if __name__ == "__main__":
    main()
