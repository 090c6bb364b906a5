"""Summary speed: the department summary of N synthetic 自评表 (default 10,000), without
rendering: grouping, checks of every form (for the findings count), ranking, grade
distribution, score statistics and the lowest projects' lost points.

    .venv/bin/python bench/summary.py            # goal: 10,000 forms in under 10 s
    .venv/bin/python bench/summary.py -n 2000 --repeat 5
"""
from __future__ import annotations

import argparse
import statistics
import time

from reportgen.summary import summarize
from synthetic import synthetic_documents

GOAL_SECONDS = 10


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure reportgen's summary of N forms.")
    parser.add_argument("-n", type=int, default=10_000, help="forms (default 10,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported")
    args = parser.parse_args()
    docs = synthetic_documents(args.n)
    runs = []
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        summaries = summarize(docs)
        runs.append(time.perf_counter() - start)
    median = statistics.median(runs)
    groups = len(summaries)
    print(f"reportgen summary: {args.n} selfeval forms in {groups} groups "
          f"(department × year), one process, median of {len(runs)} runs")
    print(f"runs (s): {' '.join(f'{r:.2f}' for r in runs)}")
    verdict = "met" if median < GOAL_SECONDS * args.n / 10_000 else "NOT MET"
    print(f"median: {median:.2f} s ({args.n / median:.0f} forms/s)   "
          f"goal: 10,000 forms in < {GOAL_SECONDS} s   {verdict}")


if __name__ == "__main__":
    main()
