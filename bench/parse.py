"""Reading speed and memory, on one core: megabytes of dump text read per second in each
text layout, forms read per second from HTML, DOCX, XLSX and PDF files, and the peak
memory of `reportgen check` and `reportgen parse` on a very large dump.

Text: builds a large dump by repeating the five seed dumps (tests/data/seeds/, 155 KB,
72 forms) until it passes --mb megabytes. The dump is then converted into each layout of
--layouts, line by line and cell by cell, the way such dumps come:

- `tabs`: the seeds as they are, a row per line and cells separated by tabs;
- `pipes`: `a | b | |`, an empty cell as an empty space between pipes;
- `spaces`: cells separated by runs of two or more spaces, an empty cell widening the run;
- `cells`: one cell per line, a blank line after each (empty cells left out, as the
  slots of merged cells are when a table is copied cell by cell).

Each layout's dump is read with the dump reader --repeat times in this process, and each
run and the median are printed against the goal (≥ 5 MB/s). Each layout's line also
shows the layout the reader detected and the number of forms it read (72 per copy of the
seeds in tabs). Text decoding is included; file reading is not.

Sources: the 72 seed forms and the samples are rendered once with `reportgen render
--to html,docx,xlsx,pdf` into a temporary folder, or into --rendered DIR to keep them for
the next run (a folder that already holds files is reused as it is; rendering takes
about half a minute). Then `read_file` reads every file of each format of --sources
--source-repeat times in this process, and the median is printed in forms per second and
milliseconds per form. File reading is included; the files are in the page cache.

Memory: writes a dump of --memory-mb megabytes (200 by default; 0 skips this) to a
temporary file and runs `reportgen check` and `reportgen parse` on it, each in a
process of its own, printing their peak resident memory (goal < 300 MB: dumps are read
form by form, whatever their size).

    make bench-parse                 # .venv/bin/python bench/parse.py
    .venv/bin/python bench/parse.py --mb 20 --repeat 9 --memory-mb 0
    .venv/bin/python bench/parse.py --layouts tabs --sources none --memory-mb 0
    .venv/bin/python bench/parse.py --mb 1 --sources html,pdf --rendered /tmp/rendered --memory-mb 0
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from reportgen.readers import read_file
from reportgen.readers.decoding import decode
from reportgen.readers.text import detect_layout
from reportgen.readers.text import read_text as read_dump_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
SAMPLES = ROOT / "samples"
GOAL_MB_S = 5
GOAL_PEAK_MB = 300
LAYOUTS = ("tabs", "pipes", "spaces", "cells")
SOURCES = ("html", "docx", "xlsx", "pdf")


def large_dump(megabytes: float) -> bytes:
    """The seeds, one after another, repeated until the whole passes the size."""
    seeds = b"\n".join(path.read_bytes() for path in sorted(SEEDS.glob("*.txt")))
    copies = int(megabytes * 1e6 // len(seeds)) + 1
    return b"\n".join([seeds] * copies)


# ---------------------------------------------------------------- the text layouts

_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+")


def _pipes(line: str) -> list[str]:
    return [" | ".join(line.split("\t")) + " |"] if line.strip() else [line]


def _spaces(line: str) -> list[str]:
    """Cells separated by two spaces, an empty cell widening the run by two more."""
    if not line.strip():
        return [line]
    out = ""
    for cell in line.split("\t"):
        out += f"{cell}  " if cell else "  "
    return [out.rstrip()]


def _cells(line: str) -> list[str]:
    """A cell per line, a blank line after each. The empty cells are left out: in the
    seeds they are mostly the slots of merged cells, which a table copied cell by cell
    gives once (with them, as lines of one space, the rows cannot be rebuilt)."""
    return [piece for cell in line.split("\t") if cell.strip() for piece in (cell, "")]


CONVERTERS = {"pipes": _pipes, "spaces": _spaces, "cells": _cells}


def in_layout(dump: bytes, layout: str) -> bytes:
    """The tab-separated dump in another layout (see the module docstring); `tabs` is
    the dump as it is."""
    if layout == "tabs":
        return dump
    convert = CONVERTERS[layout]
    text = dump.decode("utf-8")
    lines = (piece for line in text.split("\n") for piece in convert(line))
    return "\n".join(lines).encode("utf-8")


def timed_read(data: bytes) -> tuple[float, int]:
    """Seconds to decode and read the dump, and the number of documents read."""
    start = time.perf_counter()
    text, note = decode(data, "bench.txt")
    result = read_dump_text("bench.txt", text, note)
    return time.perf_counter() - start, len(result.documents)


def text_report(megabytes: float, layouts: list[str], repeat: int) -> None:
    dump = large_dump(megabytes)
    timed_read(dump[: len(dump) // 10])  # warm-up: imports, regex compilation
    print(f"reportgen dump reader: one process, median of {repeat} runs, goal ≥ {GOAL_MB_S} MB/s in each layout")
    for layout in layouts:
        data = in_layout(dump, layout)
        size = len(data) / 1e6
        detected = detect_layout(data[:100_000].decode("utf-8", "ignore"))
        runs = [timed_read(data) for _ in range(repeat)]
        rates = [size / seconds for seconds, _ in runs]
        median = statistics.median(rates)
        verdict = "met" if median >= GOAL_MB_S else "NOT MET"
        seen = "" if detected == layout else f" (read as {detected})"
        print(f"  {layout:<7}{seen} {size:6.1f} MB, {runs[0][1]:5d} forms   runs (MB/s): "
              f"{' '.join(f'{r:.2f}' for r in rates)}   median {median:6.2f} MB/s   {verdict}")


# ---------------------------------------------------------------- the other sources

def render_sources(folder: Path, sources: list[str]) -> None:
    """The seed forms and the samples rendered in each format, unless the folder holds
    files already."""
    if any(folder.iterdir()):
        print(f"  reusing the files in {folder}")
        return
    inputs = sorted(SEEDS.glob("*.txt")) + sorted(SAMPLES.glob("*.yaml"))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reportgen", "render", *map(str, inputs), "-o", str(folder),
                           "--to", ",".join(sources)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"reportgen render failed ({done.returncode}):\n{done.stderr[-2000:]}")
    print(f"  rendered {len(inputs)} inputs to {', '.join(sources)} in {time.perf_counter() - start:.0f} s")


def timed_files(files: list[Path]) -> tuple[float, int, int]:
    """Seconds to read every file, the documents read and the errors."""
    documents = errors = 0
    start = time.perf_counter()
    for path in files:
        result = read_file(path)
        documents += len(result.documents)
        errors += len(result.errors)
    return time.perf_counter() - start, documents, errors


def sources_report(sources: list[str], repeat: int, rendered: Path | None) -> None:
    print(f"\nreading rendered forms: read_file, one process, median of {repeat} runs")
    context = nullcontext(str(rendered)) if rendered else tempfile.TemporaryDirectory(prefix="reportgen-bench-")
    with context as tmp:
        folder = Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        render_sources(folder, sources)
        for fmt in sources:
            files = sorted(folder.glob(f"*.{fmt}"))
            if not files:
                print(f"  {fmt:<5} no .{fmt} files in {folder}")
                continue
            timed_files(files[:1])  # warm-up: the reader's imports
            runs = [timed_files(files) for _ in range(repeat)]
            seconds = statistics.median(run[0] for run in runs)
            _, documents, errors = runs[0]
            per_second = documents / seconds if seconds else float("inf")
            note = f", {errors} errors" if errors else ""
            print(f"  {fmt:<5} {len(files):3d} files, {documents:3d} forms{note}   runs (forms/s): "
                  f"{' '.join(f'{documents / run[0]:.1f}' for run in runs)}   median {per_second:7.1f} forms/s "
                  f"({1000 * seconds / max(documents, 1):6.1f} ms a form)")


# ---------------------------------------------------------------- memory

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


def names(value: str, known: tuple[str, ...], flag: str) -> list[str]:
    """A comma-separated list of known names; `none` (or nothing) for none."""
    chosen = [name.strip() for name in value.split(",") if name.strip() and name.strip() != "none"]
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise SystemExit(f"{flag}: unknown {', '.join(unknown)} (known: {', '.join(known)}, none)")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the readers' speed on one core, and the dump reader's memory.")
    parser.add_argument("--mb", type=float, default=5, help="size of the dump read in each layout (default 5 MB)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each layout; the median is reported (default 5)")
    parser.add_argument("--layouts", default=",".join(LAYOUTS),
                        help=f"text layouts measured, comma-separated (default {','.join(LAYOUTS)}; none: no text)")
    parser.add_argument("--sources", default=",".join(SOURCES),
                        help=f"rendered formats read, comma-separated (default {','.join(SOURCES)}; none: none)")
    parser.add_argument("--source-repeat", type=int, default=3,
                        help="runs over the rendered files of each format; the median is reported (default 3)")
    parser.add_argument("--rendered", type=Path, default=None,
                        help="folder for the rendered files, reused when it holds files (default: a temporary one)")
    parser.add_argument("--memory-mb", type=float, default=200,
                        help="size of the dump for the memory runs (default 200 MB; 0: none)")
    args = parser.parse_args()
    layouts = names(args.layouts, LAYOUTS, "--layouts")
    sources = names(args.sources, SOURCES, "--sources")
    if layouts:
        text_report(args.mb, layouts, max(1, args.repeat))
    if sources:
        sources_report(sources, max(1, args.source_repeat), args.rendered)
    if args.memory_mb > 0:
        memory_report(args.memory_mb)


if __name__ == "__main__":
    main()
