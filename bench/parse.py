"""Dump reading speed and memory: megabytes of dump text read per second on one core,
and the peak memory of `reportgen check` and `reportgen parse` on a very large dump.

Builds a large dump by repeating the five seed dumps (tests/data/seeds/, 155 KB, 72
forms) until it passes --mb megabytes, then reads it with the dump reader --repeat times
in this process and prints each run and the median against the goal (≥ 5 MB/s). Text
decoding is included; file reading is not.

Then writes a dump of --memory-mb megabytes (200 by default; 0 skips this) to a
temporary file and runs `reportgen check` and `reportgen parse` on it, each in a
process of its own, printing their peak resident memory (goal < 300 MB: dumps are read
form by form, whatever their size).

    make bench-parse                 # .venv/bin/python bench/parse.py
    .venv/bin/python bench/parse.py --mb 20 --repeat 9 --memory-mb 0
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportgen.readers.decoding import decode
from reportgen.readers.text import read_text as read_dump_text

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "data" / "seeds"
GOAL_MB_S = 5
GOAL_PEAK_MB = 300


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


# Runs reportgen and prints its peak resident memory (VmHWM: the process's own, not what
# a forked parent had, which ru_maxrss would count) when it ends.
_MEASURED = ("import sys, reportgen.cli as cli\n"
             "try:\n    code = cli.main(sys.argv[1:])\n"
             "finally:\n"
             "    hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
             "    print(int(hwm.split()[1]), file=sys.stderr)\n"
             "sys.exit(code)\n")


def peak_memory(arguments: list[str]) -> tuple[float, float]:
    """Run reportgen with the arguments (its output discarded); return its peak resident
    memory in MB and its seconds."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURED, *arguments], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    return int(done.stderr.split()[-1]) / 1024, time.perf_counter() - start


def memory_report(megabytes: float) -> None:
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp:
        dump = Path(tmp) / "large.txt"
        dump.write_bytes(large_dump(megabytes))
        size = dump.stat().st_size / 1e6
        print(f"\npeak memory on a {size:.0f} MB dump (goal < {GOAL_PEAK_MB} MB):")
        for name, arguments in (("check", ["check", str(dump), "--format", "json"]),
                                ("parse", ["parse", str(dump)])):
            peak, seconds = peak_memory(arguments)
            verdict = "met" if peak < GOAL_PEAK_MB else "NOT MET"
            print(f"  reportgen {name:<6} {peak:7.1f} MB   ({seconds:.0f} s, {size / seconds:.1f} MB/s)   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the dump reader's MB/s on one core, and its memory.")
    parser.add_argument("--mb", type=float, default=5, help="size of the dump read (default 5 MB)")
    parser.add_argument("--repeat", type=int, default=5, help="runs; the median is reported (default 5)")
    parser.add_argument("--memory-mb", type=float, default=200,
                        help="size of the dump for the memory runs (default 200 MB; 0: none)")
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
    if args.memory_mb > 0:
        memory_report(args.memory_mb)


if __name__ == "__main__":
    main()
