"""Rendering throughput of reportgen: documents per second for each output format.

Two sets of forms: N synthetic 自评表 (selfeval) built straight from the reportgen.model
dataclasses (15 indicators each, Decimal values, seeded so every run renders the same
documents), and the real ones: the 72 seed forms and the 7 samples (10 indicators on
average, all three kinds). For each format every document is laid out and written to
its own file in a temporary folder (--dir): the time covers layout and writing
together. One document is rendered in every format first, untimed (WeasyPrint's first
call loads the fonts). Each format is measured --repeat times and the median is
reported next to the project's goals, with the process's peak memory at the end.

What creating a file costs differs from one file system to the next (a sandbox's /tmp
was seen to take 1.1 ms of kernel time a file, /dev/shm 45 µs): the bench measures it
in --dir and prints it, so that the figures can be read for another disk.

Each format is measured in one process (per-core figures) and with one worker process
per core, as `reportgen render` runs a batch. `pdf` is the default engine; `pdf-weasyprint`
the WeasyPrint engine (`--pdf-engine weasyprint`).

    make bench                       # this, bench/compare.py and bench/memory.py
    .venv/bin/python bench/render.py -n 50 --formats docx,xlsx --repeat 5
    .venv/bin/python bench/render.py --forms real --dir /dev/shm
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
from reportgen.writers import WRITERS, write_bytes_atomic
from synthetic import synthetic_documents

ROOT = Path(__file__).resolve().parent.parent
REAL = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt")) + sorted((ROOT / "samples").glob("*.yaml"))

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


def timed_render(docs: list[Document], fmt: str, workers: int, folder: str | None) -> float:
    """Seconds to render every document in fmt into a fresh temporary folder (its
    removal not counted)."""
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-", dir=folder) as tmp:
        start = time.perf_counter()
        render_all(docs, fmt, Path(tmp), workers)
        return time.perf_counter() - start


def warm_up(doc: Document, formats: list[str], folder: str | None) -> None:
    """Render one document in each format, untimed: first calls load fonts and caches
    (worker processes, forked from this one, inherit them)."""
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-", dir=folder) as tmp:
        for fmt in formats:
            render_all([doc], fmt, Path(tmp), 1)


def measure(docs: list[Document], formats: list[str], repeat: int,
            workers: int, folder: str | None) -> dict[str, list[float]]:
    """Per format, the documents/second of each of `repeat` runs."""
    return {fmt: [len(docs) / timed_render(docs, fmt, workers, folder) for _ in range(repeat)]
            for fmt in formats}


def file_cost_us(folder: str | None, count: int = 300, size: int = 12_000) -> float:
    """Microseconds to create one file of `size` bytes in the folder, as the writers do
    (a temporary file renamed into place): the file system's share of each figure."""
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-", dir=folder) as tmp:
        data = bytes(size)
        start = time.perf_counter()
        for i in range(count):
            write_bytes_atomic(Path(tmp) / f"{i}.bin", data)
        return (time.perf_counter() - start) / count * 1e6


def real_documents() -> list[Document]:
    """The seed forms and the samples, as reportgen reads them."""
    from reportgen.readers import read_file

    return [doc for path in REAL for doc in read_file(path).documents]


# ---------------------------------------------------------------- report

def goal_cells(fmt: str, one: float, all_cores: float) -> tuple[str, str]:
    """The goal of a format as text, and whether it is met (per core: one process)."""
    if fmt == "pdf":
        return "≥ 15× LibreOffice: bench/compare.py", ""
    if fmt not in GOALS:
        return "-", ""
    return f"≥ {GOALS[fmt]} docs/s per core", "met" if one >= GOALS[fmt] else "NOT MET"


def report(title: str, workers: int, single: dict[str, list[float]],
           parallel: dict[str, list[float]]) -> None:
    """Print the table of median rates against the goals."""
    repeat = len(next(iter(single.values())))
    print(f"{title}: layout + write, median of {repeat} runs; "
          f"1 process, and {workers} worker processes (reportgen render --jobs {workers})")
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


def report_memory() -> None:
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


def parse_sets(text: str) -> list[str]:
    """--forms: synthetic, real or both, comma-separated."""
    sets = list(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    if not sets or any(f not in ("synthetic", "real") for f in sets):
        raise argparse.ArgumentTypeError("choose from synthetic, real")
    return sets


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
    parser.add_argument("--forms", type=parse_sets, default="synthetic,real",
                        help="which forms: synthetic, real, or both (default synthetic,real)")
    parser.add_argument("--dir", default=None,
                        help="the folder the files are written in (default: the system's temporary folder)")
    parser.add_argument("--workers", type=positive, default=None,
                        help="worker processes for the parallel runs (default: one per core)")
    args = parser.parse_args()
    from reportgen.writers import pdf_setup_problems

    for fmt in args.formats:
        if fmt in ENGINES:
            for problem in pdf_setup_problems(ENGINES[fmt][1]):
                print(f"warning: {problem}", file=sys.stderr)
    workers = args.workers or default_workers()
    sets = {"synthetic": (f"{args.n} synthetic selfeval forms (15 indicators)",
                          lambda: synthetic_documents(args.n)),
            "real": ("the forms of the seed and sample files (10 indicators on average)",
                     real_documents)}
    print(f"reportgen render benchmark, files written in {args.dir or tempfile.gettempdir()}: "
          f"creating one there costs {file_cost_us(args.dir):.0f} µs")
    print()
    for name in args.forms:
        title, make = sets[name]
        docs = make()
        warm_up(docs[0], args.formats, args.dir)
        report(f"{title}, {len(docs)} forms", workers, measure(docs, args.formats, args.repeat, 1, args.dir),
               measure(docs, args.formats, args.repeat, workers, args.dir))
    report_memory()


if __name__ == "__main__":
    main()
