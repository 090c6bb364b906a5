"""reportgen's PDF against LibreOffice's, on the same forms, one core each.

The forms: the 72 seed forms and the 7 samples. reportgen lays each out and writes its
PDF, once with each engine (builtin, weasyprint); LibreOffice converts reportgen's DOCX
of the same forms to PDF in one batch call (`soffice --headless --convert-to pdf`), what
a user without reportgen would run. Every process is pinned to one core. reportgen is
timed twice: in this process, after one untimed form (fonts loaded, as in a batch), and
as the command a user types (`reportgen render --jobs 1`, Python's start and the
reading of the inputs included), which is the fairer match for LibreOffice's call.
Each figure is the median of --repeat runs.

    make bench-compare                # .venv/bin/python bench/compare.py
    .venv/bin/python bench/compare.py --repeat 5
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

from reportgen.layout import layout_document
from reportgen.readers import read_file
from reportgen.writers import write_atomic, writer_for

ROOT = Path(__file__).resolve().parent.parent
INPUTS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt")) + sorted((ROOT / "samples").glob("*.yaml"))
GOAL = 15  # times faster than LibreOffice, per core


def one_core() -> int:
    """Pin this process (and what it starts) to one core; return it."""
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def documents():
    docs = []
    for path in INPUTS:
        docs += read_file(path).documents
    return docs


def in_process_seconds(docs, engine: str) -> float:
    """Lay out every document and write its PDF into memory, one after the other."""
    write = writer_for("pdf", engine)
    write([layout_document(docs[0])], BytesIO())  # untimed: fonts, caches
    start = time.perf_counter()
    for doc in docs:
        write([layout_document(doc)], BytesIO())
    return time.perf_counter() - start


def command_seconds(engine: str, out: Path) -> float:
    """`reportgen render` of the inputs to PDF, as a user runs it, on one core."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "reportgen", "render", *map(str, INPUTS), "-o", str(out),
               "--to", "pdf", "--jobs", "1", "--pdf-engine", engine]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def libreoffice_seconds(docx_dir: Path, out: Path) -> float:
    """LibreOffice converting every DOCX to PDF in one call, on one core."""
    shutil.rmtree(out, ignore_errors=True)
    profile = out.parent / "lo-profile"  # its own profile: no other LibreOffice in the way
    command = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--convert-to", "pdf", "--outdir", str(out), *map(str, sorted(docx_dir.glob("*.docx")))]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    made = len(list(out.glob("*.pdf")))
    if made != len(list(docx_dir.glob("*.docx"))):
        raise SystemExit(f"LibreOffice wrote {made} PDFs of {len(list(docx_dir.glob('*.docx')))}")
    return seconds


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise SystemExit("LibreOffice is not installed: `make bench` installs it "
                         "(apt-get install libreoffice-writer-nogui)")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; medians reported (default 3)")
    args = parser.parse_args()
    core = one_core()
    docs = documents()
    n = len(docs)
    with tempfile.TemporaryDirectory(prefix="reportgen-compare-") as tmp:
        folder = Path(tmp)
        docx_dir = folder / "docx"
        docx_dir.mkdir()
        for index, doc in enumerate(docs):
            write_atomic(docx_dir / f"{index:03d}.docx", "docx", [layout_document(doc)])
        libreoffice = [libreoffice_seconds(docx_dir, folder / "lo") for _ in range(args.repeat)]
        results = {}
        for engine in ("builtin", "weasyprint"):
            results[engine] = ([in_process_seconds(docs, engine) for _ in range(args.repeat)],
                               [command_seconds(engine, folder / engine) for _ in range(args.repeat)])
    lo = statistics.median(libreoffice)
    print(f"PDF of the same {n} forms (72 seed forms, 7 samples), one core (core {core}), "
          f"median of {args.repeat} runs")
    print()
    print(f"{'':34} {'seconds':>8} {'ms/form':>8} {'× LibreOffice':>14}")
    print(f"{'LibreOffice (DOCX → PDF, 1 call)':34} {lo:8.2f} {lo / n * 1000:8.1f} {1:14.1f}")
    for engine, (inside, command) in results.items():
        for label, runs in ((f"reportgen {engine}, in process", inside),
                            (f"reportgen {engine}, command", command)):
            seconds = statistics.median(runs)
            print(f"{label:34} {seconds:8.2f} {seconds / n * 1000:8.1f} {lo / seconds:14.1f}")
    ratio = lo / statistics.median(results["builtin"][1])
    verdict = "met" if ratio >= GOAL else "NOT MET"
    print()
    print(f"goal: the default engine ≥ {GOAL}× LibreOffice per core, as a command: "
          f"{ratio:.1f}× — {verdict}")


if __name__ == "__main__":
    main()
