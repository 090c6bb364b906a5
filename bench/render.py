"""Rendering throughput of reportgen: documents per second for each output format.

Builds N synthetic 自评表 (selfeval) documents straight from the reportgen.model
dataclasses (about 15 indicators each, Decimal values, seeded so every run renders the
same documents), then for each format lays every document out and writes it to its own
file in a temporary folder. The time of a format covers layout and writing together.
One document is rendered in every format first, untimed (WeasyPrint's first call loads
the fonts). Each format is measured --repeat times and the median is reported next to
the project's goals, with the process's peak memory at the end.

Each format is measured in one process (per-core figures) and with one worker process
per core, as `reportgen render` runs a batch. `pdf` is the default engine; `pdf-weasyprint`
the WeasyPrint engine (`--pdf-engine weasyprint`).

    make bench                       # this, bench/compare.py and bench/memory.py
    .venv/bin/python bench/render.py -n 50 --formats docx,xlsx --repeat 5
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reportgen.model import Document
from reportgen.render import RenderJob, default_workers, run_jobs
from reportgen.writers import WRITERS
from synthetic import synthetic_documents

# Goals in documents/second per core (PDF's is a ratio to LibreOffice: bench/compare.py).
GOALS = {"docx": 200, "xlsx": 250}
ENGINES = {"pdf": ("pdf", "builtin"), "pdf-weasyprint": ("pdf", "weasyprint")}

# ---------------------------------------------------------------- measurement

def render_all(docs: list[Document], fmt: str, outdir: Path, workers: int) -> None:
    """Lay out and write every document to its own file in outdir, the way
    `reportgen render --jobs N` does."""
    suffix, engine = ENGINES.get(fmt, (fmt, "auto"))
    jobs = [RenderJob(f"{i:04d}", [doc], {suffix: outdir / f"{i:04d}.{suffix}"}, pdf_engine=engine)
            for i, doc in enumerate(docs)]
    for _, outcomes in run_jobs(jobs, workers):
        if any(o.error for o in outcomes):
            raise SystemExit(f"render failed: {outcomes}")


def timed_render(docs: list[Document], fmt: str, workers: int) -> float:
    """Seconds to render every document in fmt into a fresh temporary folder (its
    removal not counted)."""
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp:
        start = time.perf_counter()
        render_all(docs, fmt, Path(tmp), workers)
        return time.perf_counter() - start


def warm_up(doc: Document, formats: list[str]) -> None:
    """Render one document in each format, untimed: first calls load fonts and caches
    (worker processes, forked from this one, inherit them)."""
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp:
        for fmt in formats:
            render_all([doc], fmt, Path(tmp), 1)


def measure(docs: list[Document], formats: list[str], repeat: int,
            workers: int) -> dict[str, list[float]]:
    """Per format, the documents/second of each of `repeat` runs."""
    return {fmt: [len(docs) / timed_render(docs, fmt, workers) for _ in range(repeat)]
            for fmt in formats}


# ---------------------------------------------------------------- report

def goal_cells(fmt: str, one: float, all_cores: float) -> tuple[str, str]:
    """The goal of a format as text, and whether it is met (per core: one process)."""
    if fmt == "pdf":
        return "≥ 15× LibreOffice: bench/compare.py", ""
    if fmt not in GOALS:
        return "-", ""
    return f"≥ {GOALS[fmt]} docs/s per core", "met" if one >= GOALS[fmt] else "NOT MET"


def report(n: int, workers: int, single: dict[str, list[float]],
           parallel: dict[str, list[float]]) -> None:
    """Print the table of median rates against the goals, then peak memory."""
    repeat = len(next(iter(single.values())))
    print(f"reportgen render benchmark: {n} selfeval documents, layout + write, "
          f"median of {repeat} runs")
    print(f"1 process, and {workers} worker processes (reportgen render --jobs {workers})")
    print()
    rows = [("format", "1 proc docs/s", "ms/doc", f"{workers} procs docs/s", "runs (1 proc | all)", "goal", "")]
    for fmt in single:
        one, many = statistics.median(single[fmt]), statistics.median(parallel[fmt])
        runs = " ".join(f"{r:.1f}" for r in single[fmt]) + " | " + " ".join(f"{r:.1f}" for r in parallel[fmt])
        rows.append((fmt, f"{one:.1f}", f"{1000 / one:.1f}", f"{many:.1f}", runs,
                     *goal_cells(fmt, one, many)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.rjust(w) if 0 < i < 4 else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())
    print()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss): {peak:.1f} MiB this process, {children:.1f} MiB largest worker")


# ---------------------------------------------------------------- entry point

def parse_formats(text: str) -> list[str]:
    """--formats: comma-separated names of registered writers."""
    formats = list(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    known = [*WRITERS, *ENGINES]
    unknown = [f for f in formats if f not in known]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(dict.fromkeys(known))}")
    return formats


def positive(text: str) -> int:
    """A whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("must be a whole number of at least 1")
    return int(text)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Measure reportgen's documents/second per format.")
    parser.add_argument("-n", type=positive, default=200, help="documents per run (default 200)")
    parser.add_argument("--formats", type=parse_formats, default="pdf,pdf-weasyprint,docx,xlsx",
                        help="comma-separated formats (default pdf,pdf-weasyprint,docx,xlsx)")
    parser.add_argument("--repeat", type=positive, default=3,
                        help="runs per format; the median is reported (default 3)")
    parser.add_argument("--workers", type=positive, default=None,
                        help="worker processes for the parallel runs (default: one per core)")
    args = parser.parse_args()
    from reportgen.writers import pdf_setup_problems

    for fmt in args.formats:
        if fmt in ENGINES:
            for problem in pdf_setup_problems(ENGINES[fmt][1]):
                print(f"warning: {problem}", file=sys.stderr)
    docs = synthetic_documents(args.n)
    warm_up(docs[0], args.formats)
    workers = args.workers or default_workers()
    single = measure(docs, args.formats, args.repeat, 1)
    parallel = measure(docs, args.formats, args.repeat, workers)
    report(args.n, workers, single, parallel)


if __name__ == "__main__":
    main()
