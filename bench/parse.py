"""Dump reading speed: megabytes of dump text read per second, on one core.

Builds a large dump by repeating the five seed dumps (tests/data/seeds/, 155 KB, 72
forms) until it passes --mb megabytes, then reads it with the dump reader --repeat times
in this process and prints each run and the median against the goal (≥ 5 MB/s). Text
decoding is included; file reading is not.

    make bench-parse                 # .venv/bin/python bench/parse.py
    .venv/bin/python bench/parse.py --mb 20 --repeat 9
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from reportgen.readers.dump import decode, read_dump_text

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "data" / "seeds"
GOAL_MB_S = 5


def large_dump(megabytes: float) -> bytes:
    """The seeds, one after another, repeated until the whole passes the size."""
    seeds = b"\n".join(path.read_bytes() for path in sorted(SEEDS.glob("*.txt")))
    copies = int(megabytes * 1e6 // len(seeds)) + 1
    return b"\n".join([seeds] * copies)


def timed_read(data: bytes) -> tuple[float, int]:
    """Seconds to decode and read the dump, and the number of documents read."""
    start = time.perf_counter()
    text, note = decode(data, "bench.txt")
    result = read_dump_text("bench.txt", text, note)
    return time.perf_counter() - start, len(result.documents)


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the dump reader's MB/s on one core.")
    parser.add_argument("--mb", type=float, default=5, help="size of the dump read (default 5 MB)")
    parser.add_argument("--repeat", type=int, default=5, help="runs; the median is reported (default 5)")
    args = parser.parse_args()
    data = large_dump(args.mb)
    megabytes = len(data) / 1e6
    timed_read(data[: len(data) // 10])  # warm-up: imports, regex compilation
    runs = [timed_read(data) for _ in range(max(1, args.repeat))]
    rates = [megabytes / seconds for seconds, _ in runs]
    median = statistics.median(rates)
    print(f"reportgen dump reader: {megabytes:.1f} MB ({runs[0][1]} forms), "
          f"one process, median of {len(runs)} runs")
    print(f"runs (MB/s): {' '.join(f'{r:.2f}' for r in rates)}")
    verdict = "met" if median >= GOAL_MB_S else "NOT MET"
    print(f"median: {median:.2f} MB/s   goal: ≥ {GOAL_MB_S} MB/s   {verdict}")


if __name__ == "__main__":
    main()
