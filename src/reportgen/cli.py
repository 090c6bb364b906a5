"""The `reportgen` command: render, parse, check and summary over the library's stages.

Bad input is reported as one `Error: FILE: PLACE: PROBLEM` line on stderr and the batch
goes on; nothing of the data reaches the terminal as a control sequence. Exit status: 2
when any input or file failed; for `check`, 1 when it found errors; 130 after Ctrl-C and
143 after SIGTERM (the files finished are kept, no temporary file is left); 0 otherwise.
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TextIO

import yaml

from . import __version__
from .checks import SEVERITIES, Finding
from .console import safe
from .errors import ReportgenError
from .findings import findings_by_document, findings_of, warnings_of
from .layout import LaidOut, generation_date, layout_cross_year, layout_summary
from .model import KIND_NAMES, Document, ParseWarning, Period, document_to_dict
from .naming import NameBook, document_stem, safe_stem, summary_stem
from .progress import Progress
from .readers import READERS, ReadResult, iter_file, read_file
from .readers.forms import FormsResult
from .render import RenderJob, default_workers, run_jobs
from .rules import Rules, load_rules, with_grade
from .cluster import map_ordered
from .summary import Collection, Entry, collect, cross_year_of, entry_of, summaries_of
from .writers import (PDF_ENGINES, WRITERS, is_url, pdf_setup_problems, remove_partial_files, remove_stale_parts,
                      write_atomic, write_bytes_atomic, write_output)

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + the signal, as shells report them


@dataclass
class Batch:
    """What one command run has done, for the closing summary and the exit status."""

    documents: int = 0
    files: int = 0
    failures: int = 0
    started: float = field(default_factory=time.monotonic)

    def fail(self, message: str, stderr: TextIO) -> None:
        self.failures += 1
        print(f"Error: {safe(message)}", file=stderr)

    def exit_status(self) -> int:
        return EXIT_FAILED if self.failures else EXIT_OK


@dataclass(frozen=True)
class PartReport:
    """What reading one part of an input gave, less its documents: what a cluster's
    worker sends back with what it made of them."""

    path: Path
    errors: tuple[str, ...]
    warnings: tuple[ParseWarning, ...]
    documents: int


def _report_of(path: Path, part: ReadResult) -> PartReport:
    return PartReport(path, tuple(map(str, part.errors)), tuple(warnings_of(part)), len(part.documents))


def _show(report: PartReport, batch: Batch, stderr: TextIO) -> None:
    """Report a part's errors and warnings, and count its documents."""
    for error in report.errors:
        batch.fail(error, stderr)
    for warning in report.warnings:
        _print_warning(report.path, warning, stderr)
    batch.documents += report.documents


def _parts(paths: Sequence[Path], batch: Batch, stderr: TextIO) -> Iterator[tuple[Path, ReadResult]]:
    """Every input, part by part as it is read (a dump form by form, so that no input
    is ever held whole): the errors and warnings of each part reported as it comes."""
    for path in paths:
        for part in iter_file(path):
            _show(_report_of(path, part), batch, stderr)
            yield path, part


def _on_cluster(function: Callable[[tuple], list[tuple[PartReport, list]]], paths: Sequence[Path],
                options: tuple, address: str, batch: Batch, stderr: TextIO) -> Iterator:
    """Run function((path, *options)) for each input on the cluster's workers (reading
    and checking there), and yield what each part gave, its report shown as it comes;
    an input whose worker failed is an error, and the batch goes on."""
    for path, future in zip(paths, map_ordered(function, [(path, *options) for path in paths], address)):
        if future.exception() is not None:
            batch.fail(f"{path}: not read: the worker reading it failed ({future.exception()})", stderr)
            continue
        for report, made in future.result():
            _show(report, batch, stderr)
            yield from made


def _documents(parts: Iterable[tuple[Path, ReadResult]]) -> Iterator[Document]:
    return (doc for _, part in parts for doc in part.documents)


def _completed(doc: Document, path: Path, rules: Rules, stderr: TextIO) -> Document:
    """The document with what the rules determine and the form leaves out filled in
    (a missing 评分等级), each addition reported as a warning."""
    filled = with_grade(doc, rules)
    for warning in filled.warnings[len(doc.warnings):]:
        _print_warning(path, warning, stderr)
    return filled


def _where(file: str, line: int | None, place: str | None) -> str:
    """`file:12` for a line, `file: Sheet1!B4` for a place, else the file."""
    if line:
        return f"{file}:{line}"
    return f"{file}: {place}" if place and file else file


def _print_warning(path: Path, warning: ParseWarning, stderr: TextIO) -> None:
    where = _where(str(path), warning.line, warning.place)
    text = f" [{warning.text}]" if warning.text else ""
    print(safe(f"{where}: warning: {warning.reason}{text}".replace("\t", " ⇥ ")), file=stderr)


# ---------------------------------------------------------------- render

def _groups(paths: Sequence[Path], combine: bool, batch: Batch, rules: Rules,
            stderr: TextIO) -> Iterator[tuple[str, list[Document]]]:
    """Documents grouped into output files as they are read: one per document, or
    (--combine) one per input file."""
    if not combine:
        for path, part in _parts(paths, batch, stderr):
            for doc in part.documents:
                doc = _completed(doc, path, rules, stderr)
                yield document_stem(doc), [doc]
        return
    for path in paths:
        docs = [_completed(doc, path, rules, stderr) for doc in _documents(_parts([path], batch, stderr))]
        if docs:
            yield safe_stem(path.stem), docs


def _warn_pdf_setup(formats: list[str], pdf_engine: str, templates: str | None, stderr: TextIO) -> None:
    if "pdf" in formats:
        for problem in pdf_setup_problems(pdf_engine, templates):
            print(f"reportgen: warning: {problem}", file=stderr)


def render(args: argparse.Namespace, stderr: TextIO) -> int:
    formats, templates = _formats(args.to), _template_dir(args.templates)
    batch = Batch()
    _warn_pdf_setup(formats, args.pdf_engine, templates, stderr)
    rules = load_rules(Path(args.rules) if args.rules else None)
    outdir = _output_dir(args.output)
    names = NameBook()
    groups = _groups([Path(p) for p in args.inputs], args.combine, batch, rules, stderr)
    jobs = (RenderJob(stem, docs, {fmt: _inside(outdir, names.claim(stem, fmt)) for fmt in formats},
                      templates, args.author, args.pdf_engine)
            for stem, docs in groups)
    progress = Progress(None, stderr)
    running = run_jobs(jobs, args.jobs or default_workers(), args.cluster)
    try:
        for job, outcomes in running:
            for outcome in outcomes:
                for warning in outcome.warnings:
                    print(safe(f"{outcome.path}: warning: {warning}"), file=stderr)
                if outcome.error:
                    batch.fail(f"{outcome.path}: {outcome.error}", stderr)
                else:
                    batch.files += 1
            progress.step(job.stem, len(outcomes))
    except BaseException:  # stopped: the workers are ended first, then what they left is removed
        running.close()
        if isinstance(outdir, Path):
            remove_stale_parts(outdir)
        raise
    progress.close()
    _summary(batch, stderr, f"{batch.files} files written to {outdir}")
    return batch.exit_status()


def _output_dir(name: str) -> Path | str:
    """The output folder, made if need be, or a URL (s3://bucket/forms/); a path that
    cannot be a folder is a ReportgenError."""
    if is_url(name):
        return name.rstrip("/") + "/"
    outdir = Path(name.removeprefix("file://"))
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ReportgenError(f"{outdir}: -o must name a folder, and this is a file") from None
    except OSError as exc:
        raise ReportgenError(f"{outdir}: cannot make the output folder: {exc.strerror or exc}") from None
    remove_stale_parts(outdir)  # what an earlier run, killed, left behind
    return outdir


def _inside(outdir: Path | str, name: str) -> Path | str:
    """A file's place in the output folder or under the output URL."""
    return outdir / name if isinstance(outdir, Path) else outdir + name


def _template_dir(name: str | None) -> str | None:
    """The user's template folder, which must exist (a mistyped one would silently
    print the shipped templates instead)."""
    if name is not None and not Path(name).is_dir():
        raise ReportgenError(f"--templates {name}: no such folder")
    return name


DEFAULT_FORMATS = "pdf,docx,xlsx"  # the files a form is filed as; html on request


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in WRITERS]
    if unknown or not formats:
        raise ReportgenError(f"--to {text}: choose from {', '.join(WRITERS)} (comma-separated)")
    return list(dict.fromkeys(formats))


def _summary(batch: Batch, stderr: TextIO, what: str) -> None:
    seconds = time.monotonic() - batch.started
    failed = f", {batch.failures} failed" if batch.failures else ""
    print(f"{batch.documents} documents, {what} in {seconds:.1f} s{failed}", file=stderr)


# ---------------------------------------------------------------- parse

def parse(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    batch = Batch()
    parts = _parts([Path(p) for p in args.inputs], batch, stderr)
    if args.explain:
        for path, part in parts:
            explain(path, part, stdout)
        return batch.exit_status()
    documents = (document_to_dict(doc) for doc in _documents(parts))
    if args.format == "yaml":
        wrote = False
        for data in documents:  # a YAML list, an item at a time
            yaml.safe_dump([data], stdout, allow_unicode=True, sort_keys=False, width=1000)
            wrote = True
        if not wrote:
            stdout.write("[]\n")
    else:
        write_json_list(documents, stdout)
    return batch.exit_status()


def write_json_list(items: Iterable[object], out: TextIO) -> None:
    """Items as a JSON list (indented as json.dumps(indent=2) would), written one at a
    time: the list is never held whole."""
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + text)
        first = False
    out.write("[]\n" if first else "\n]\n")


def explain(path: Path, result: ReadResult, out: TextIO) -> None:
    """Print, per form of a dump, each line with the field it was read into (or the
    warning it gave), so a user can see why a value landed where it did."""
    if not isinstance(result, FormsResult):
        print(safe(f"{path}: --explain shows how text dumps are read; this is structured input"), file=out)
        return
    if result.preamble:
        print(safe(f"{path}: before the first form"), file=out)
        _explain_lines(result.preamble, result.places, out)
    for doc, lines in zip(result.documents, result.explanations):
        source = doc.source
        span = f"{'rows' if result.places else 'lines'} {source.first_line}–{source.last_line}" if source else ""
        print("\n" + safe(f"{path}: {KIND_NAMES[doc.kind]} {doc.project} ({span})"), file=out)
        _explain_lines(lines, result.places, out)


def _explain_lines(lines: list[tuple[int, str, str]], places: dict[int, str], out: TextIO) -> None:
    for no, what, text in lines:
        shown = text.strip().replace("\t", " ⇥ ")
        where = places.get(no, str(no))
        print(safe(f"{where:>6}  {what:<28} {shown[:80]}"), file=out)


# ---------------------------------------------------------------- summary

def summary(args: argparse.Namespace, stderr: TextIO) -> int:
    formats, templates = _formats(args.to), _template_dir(args.templates)
    _warn_pdf_setup(formats, args.pdf_engine, templates, stderr)
    rules = load_rules(Path(args.rules) if args.rules else None)
    batch = Batch()
    outdir = _output_dir(args.output)
    paths = [Path(p) for p in args.inputs]
    gathered = Collection()
    if args.cluster:
        for entry in _on_cluster(_summary_entries, paths, (args.by, rules), args.cluster, batch, stderr):
            gathered.add(entry)
    else:
        gathered = collect(_documents(_parts(paths, batch, stderr)), args.by, rules)
    pages = [(summary_stem(s), s)
             for s in summaries_of(gathered, rules)]
    several_years = cross_year_of(gathered)
    today = generation_date()
    laid_out = [(stem, replace(layout_summary(s, templates, today), author=args.author))
                for stem, s in pages]
    if several_years:
        laid_out.append(("跨年度项目对照", replace(layout_cross_year(several_years, templates, today),
                                              author=args.author)))
    _write_pages(laid_out, formats, outdir, args.pdf_engine, batch, stderr)
    _summary(batch, stderr, f"{len(laid_out)} summaries, {batch.files} files written to {outdir}")
    return batch.exit_status()


def _write_pages(pages: list[tuple[str, LaidOut]], formats: list[str], outdir: Path | str, pdf_engine: str,
                 batch: Batch, stderr: TextIO) -> None:
    """Write each laid-out page (a summary, a report) in each format, named from its
    stem; a file that fails is reported and the others are written."""
    names, progress = NameBook(), Progress(len(pages) * len(formats), stderr)
    for stem, page in pages:
        for fmt in formats:
            progress.step(f"{stem}.{fmt}")
            path = _inside(outdir, names.claim(stem, fmt))
            try:
                for warning in write_atomic(path, fmt, [page], pdf_engine):
                    print(safe(f"{path}: warning: {warning}"), file=stderr)
                batch.files += 1
            except Exception as exc:  # one failed file must not stop the others
                batch.fail(f"{path}: could not write {fmt.upper()}: {exc}", stderr)
    progress.close()


# ---------------------------------------------------------------- check

def check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    rules = load_rules(Path(args.rules) if args.rules else None)
    batch = Batch()
    counts: Counter[str] = Counter()

    def found() -> Iterator[Finding]:
        paths = [Path(p) for p in args.inputs]
        if args.cluster:
            yield from _on_cluster(_file_findings, paths, (rules,), args.cluster, batch, stderr)
        else:
            for path, part in _parts(paths, batch, stderr):
                yield from findings_of(path, part, rules)

    def counted() -> Iterator[Finding]:  # findings as the inputs are read, counted
        for finding in found():
            counts[finding.severity] += 1
            yield finding

    if args.format == "json":
        write_json_list((asdict(f) for f in counted()), stdout)
    else:
        for f in counted():
            place = _where(f.file or "", f.line, f.place)
            field = f" {f.field}:" if f.field else ""
            print(safe(f"{place}: {f.severity}: {f.document}:{field} {f.message} [{f.code}]"), file=stdout)
        print(f"{batch.documents} documents: " + ", ".join(
            f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in SEVERITIES), file=stderr)
    if batch.failures:
        return EXIT_FAILED
    return EXIT_FINDINGS if counts["error"] else EXIT_OK


def _file_findings(task: tuple[Path, Rules]) -> list[tuple[PartReport, list[Finding]]]:
    """On a cluster's worker: an input read and its documents checked, part by part."""
    path, rules = task
    return [(_report_of(path, part), findings_of(path, part, rules)) for part in iter_file(path)]


def _summary_entries(task: tuple[Path, str, Rules]) -> list[tuple[PartReport, list[Entry]]]:
    """On a cluster's worker: an input read and each document made its summary line."""
    path, by, rules = task
    return [(_report_of(path, part), [entry_of(doc, by, rules) for doc in part.documents])
            for part in iter_file(path)]


def template(args: argparse.Namespace, stderr: TextIO) -> int:
    """`reportgen template entry`: the entry workbook of one kind of form."""
    from .writers.entry_template import entry_bytes, entry_csv

    path = Path(args.output)
    if not path.parent.is_dir():
        raise ReportgenError(f"{path.parent}: no such folder")
    if args.what == "form":
        from .writers.fill_form import form_bytes
        if not 1 <= args.rows <= 200:
            raise ReportgenError(f"--rows {args.rows}: from 1 to 200")
        year = args.year or generation_year()
        write_bytes_atomic(path, form_bytes(args.kind, year, args.rows,
                                            load_rules(Path(args.rules) if args.rules else None)))
        print(safe(f"{path}: {KIND_NAMES[args.kind]} to fill in, {args.rows} indicator rows (then: reportgen render {path.name} -o OUTDIR)"),
              file=stderr)
        return EXIT_OK
    if args.to == "csv":
        for sheet, data in entry_csv(args.kind).items():
            target = path.with_name(f"{path.stem}-{sheet}.csv")
            write_bytes_atomic(target, data)
            print(safe(f"{target}: written"), file=stderr)
        return EXIT_OK
    if path.suffix.lower() != ".xlsx":
        raise ReportgenError(f"{path}: the entry workbook is an .xlsx file (or --to csv)")
    write_bytes_atomic(path, entry_bytes(args.kind, load_rules(Path(args.rules) if args.rules else None)))
    print(safe(f"{path}: entry workbook for {KIND_NAMES[args.kind]} written "
               f"(fill in 项目 and 指标, then: reportgen render {path.name} -o OUTDIR)"), file=stderr)
    return EXIT_OK


def derive(args: argparse.Namespace, stderr: TextIO) -> int:
    """`reportgen derive`: per input, its forms' next form of the year, to fill in."""
    from .derive import selfeval_of, tracking_of
    from .writers.entry_template import entry_bytes

    rules = load_rules(Path(args.rules) if args.rules else None)
    outdir = _output_dir(args.output)
    sources = {"tracking": ("target",), "selfeval": ("target", "tracking")}[args.into]
    made = failures = 0
    for path in map(Path, args.inputs):
        result = read_file(path)
        for error in result.errors:
            print(f"Error: {safe(str(error))}", file=stderr)
        failures += bool(result.errors)
        derived = []
        for doc in result.documents:
            if doc.kind not in sources:
                print(safe(f"{path}: {doc.project}: a {KIND_NAMES[doc.kind]} gives no {KIND_NAMES[args.into]}: skipped"),
                      file=stderr)
                continue
            derived.append(tracking_of(doc, _period(args.period, doc.year)) if args.into == "tracking"
                           else selfeval_of(doc, rules))
        if not derived:
            continue
        if args.to == "form":
            from .naming import NameBook, document_stem
            from .writers.fill_form import prefilled_form_bytes
            names = NameBook()
            for doc in derived:
                target = _inside(outdir, names.claim(document_stem(doc), "xlsx"))
                write_output(target, prefilled_form_bytes(doc, rules))
            made += len(derived)
            print(safe(f"{outdir}: {len(derived)} {KIND_NAMES[args.into]} to fill in, a form each"), file=stderr)
            continue
        target = _inside(outdir, f"{path.stem}-{KIND_NAMES[args.into]}.{args.to}")
        if args.to == "xlsx":
            write_output(target, entry_bytes(args.into, rules, derived))
        else:
            data = [document_to_dict(doc) for doc in derived]
            write_output(target, yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8"))
        made += len(derived)
        print(safe(f"{target}: {len(derived)} {KIND_NAMES[args.into]} to fill in"), file=stderr)
    return EXIT_FAILED if failures else EXIT_OK


def report(args: argparse.Namespace, stderr: TextIO) -> int:
    """`reportgen report`: per 自评表 (or per department) its 绩效自评报告, or with
    --rectify the departments' 整改清单."""
    from .report import report_facts

    allowed = ("xlsx", "docx", "pdf") if args.rectify else ("docx", "pdf")
    formats = _formats(args.to or ("xlsx,docx" if args.rectify else "docx,pdf"))
    if set(formats) - set(allowed):
        raise ReportgenError(f"--to {args.to}: {'an 整改清单' if args.rectify else 'a report'} is written as "
                             f"{', '.join(allowed)}")
    templates = _template_dir(args.templates)
    _warn_pdf_setup(formats, args.pdf_engine, templates, stderr)
    rules = load_rules(Path(args.rules) if args.rules else None)
    batch = Batch()
    outdir = _output_dir(args.output)
    selfevals, trackings = [], {}
    for path, part in _parts([Path(p) for p in args.inputs], batch, stderr):
        for doc, found in zip(part.documents, findings_by_document(path, part, rules)):
            if doc.kind == "selfeval":
                selfevals.append((_completed(doc, path, rules, stderr), found))
            elif doc.kind == "tracking":
                trackings[(doc.year, doc.project)] = doc
    facts = [report_facts(doc, rules, found, trackings.get((doc.year, doc.project))) for doc, found in selfevals]
    pages = list(_report_pages(facts, args, rules, templates))
    _write_pages(pages, formats, outdir, args.pdf_engine, batch, stderr)
    if not selfevals:
        print("reportgen: no 自评表 among the inputs: reports are written from 自评表", file=stderr)
    what = "整改清单" if args.rectify else "reports"
    _summary(batch, stderr, f"{len(pages)} {what}, {batch.files} files written to {outdir}")
    return batch.exit_status()


def _report_pages(facts: list, args: argparse.Namespace, rules: Rules,
                  templates: str | None) -> Iterator[tuple[str, LaidOut]]:
    """(file stem, laid-out page) of each report or 整改清单 asked for."""
    from .layout import layout_department_report, layout_rectify, layout_report
    from .report import rectify_rows
    from .summary import group_key

    if args.by == "project" and not args.rectify:
        for f in facts:
            yield safe_stem(f"{f.doc.year}_自评报告_{f.doc.project}"), layout_report(f, templates)
        return
    groups: dict[tuple[str, int], list] = {}
    for f in facts:
        groups.setdefault((group_key(f.doc, "department"), f.doc.year), []).append(f)
    for (group, year), members in groups.items():
        if args.rectify:
            rows = [row for f in members for row in rectify_rows(f)]
            yield safe_stem(f"{year}_整改清单_{group}"), layout_rectify(group, year, rows, templates)
            continue
        (summary,) = summaries_of(collect((f.doc for f in members), "department", rules), rules)
        yield safe_stem(f"{year}_部门自评报告_{group}"), layout_department_report(summary, members, templates)


def serve(args: argparse.Namespace, stderr: TextIO) -> int:
    """`reportgen serve`: the web page, until Ctrl-C."""
    import secrets

    import uvicorn

    from .web.app import Refused, create_app, is_loopback

    token = args.token
    if token is None and not is_loopback(args.host):
        token = secrets.token_urlsafe(24)
    try:
        app = create_app(load_rules(Path(args.rules) if args.rules else None), args.host, token)
    except Refused as exc:
        raise ReportgenError(str(exc)) from None
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown_host}:{args.port}/" + (f"?token={token}" if token else "")
    print(f"reportgen serve: open {url}  (Ctrl-C stops it; uploaded files are deleted then)", file=stderr)
    if args.open:
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (url,)).start()
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    except (KeyboardInterrupt, Terminated):  # uvicorn has shut down (the workspaces deleted), then passes the signal on
        pass
    print("reportgen serve: stopped; the uploaded files are deleted", file=stderr)
    return EXIT_OK


def generation_year() -> int:
    import datetime as dt
    return dt.date.today().year


def _period(text: str | None, year: int) -> Period:
    """--period START..END (2024-01..2024-08), else January to August of the year."""
    if text is None:
        return Period(f"{year}-01", f"{year}-08")
    start, sep, end = text.partition("..")
    try:
        period = Period(_month(start), _month(end))
    except ValueError:
        raise ReportgenError(f"--period {text}: write START..END as months, e.g. 2024-01..2024-08") from None
    if not sep or period.start > period.end:
        raise ReportgenError(f"--period {text}: write START..END as months, e.g. 2024-01..2024-08")
    return period


def _month(text: str) -> str:
    year, _, month = text.strip().partition("-")
    if not (len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise ValueError(text)
    return f"{year}-{int(month):02d}"


# ---------------------------------------------------------------- entry point

def _cluster_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help=f"{what} on the workers of a Dask cluster (e.g. tcp://10.0.0.5:8786) "
                             "instead of local processes; see docs/scale.md")


def _pdf_engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pdf-engine", choices=PDF_ENGINES, default=PDF_ENGINES[0],
                        help="builtin: fast, draws the laid-out forms itself; weasyprint: prints the "
                             "page template (page.html.j2) with its CSS; auto (default): "
                             "weasyprint when --templates has its own page.html.j2, else builtin")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportgen",
        description="财政项目支出绩效 forms (目标申报表, 跟踪表, 自评表) as PDF, Word and Excel.")
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    suffixes = ", ".join(sorted(READERS))

    p = commands.add_parser(
        "render", help="write the forms as PDF, DOCX and XLSX files",
        description=f"Render every document of the inputs ({suffixes}) to files.",
        epilog="example: reportgen render samples/*.yaml -o out --to pdf,xlsx")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the files")
    p.add_argument("--to", default=DEFAULT_FORMATS, metavar="FORMATS",
                   help=f"comma-separated formats out of {', '.join(WRITERS)} (default: {DEFAULT_FORMATS})")
    p.add_argument("--combine", action="store_true",
                   help="one file per input and format (a page or sheet per form)")
    p.add_argument("--templates", metavar="DIR",
                   help="folder of your own templates, looked up before the shipped ones")
    p.add_argument("--jobs", type=int, default=0, metavar="N",
                   help="worker processes (default: one per core; 1: no workers)")
    p.add_argument("--rules", metavar="FILE",
                   help="a rules file overriding the defaults (TOML); its grade bands fill in a missing 评分等级")
    p.add_argument("--author", default="reportgen", metavar="NAME",
                   help="the author named in the files' properties (default: reportgen)")
    _pdf_engine_option(p)
    _cluster_option(p, "lay out and write the files")

    p = commands.add_parser(
        "summary", help="department summaries: rankings, grades, totals, risks, charts",
        description=f"Summarise the documents of the inputs ({suffixes}) per group, year and "
                    "kind: 自评表 scores and grades ranked, 跟踪表 execution against the time "
                    "elapsed and the projects at risk, 申报表 funds and indicators; projects seen "
                    "in several years side by side.",
        epilog="example: reportgen summary tests/data/seeds/*.txt -o out/summary --to pdf")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the files")
    p.add_argument("--to", default=DEFAULT_FORMATS, metavar="FORMATS",
                   help=f"comma-separated formats out of {', '.join(WRITERS)} (default: {DEFAULT_FORMATS})")
    p.add_argument("--by", choices=("department", "unit"), default="department",
                   help="group by 主管部门 (default) or 实施单位")
    p.add_argument("--author", default="reportgen", metavar="NAME",
                   help="the author named in the files' properties (default: reportgen)")
    _pdf_engine_option(p)
    _cluster_option(p, "read and check each input")
    p.add_argument("--rules", metavar="FILE", help="a rules file overriding the defaults (TOML)")
    p.add_argument("--templates", metavar="DIR",
                   help="folder of your own templates, looked up before the shipped ones")

    p = commands.add_parser(
        "check", help="check the forms' arithmetic and the scoring rules",
        description=f"Check every document of the inputs ({suffixes}): funding arithmetic, "
                    "weights and scores, grades, tracking outlook, texts. Exit status 1 when "
                    "there are errors.",
        epilog="example: reportgen check tests/data/seeds/*.txt --format json")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--rules", metavar="FILE", help="a rules file overriding the defaults (TOML)")
    _cluster_option(p, "read and check each input")

    p = commands.add_parser(
        "template", help="workbooks to fill in Excel: the entry workbook, or one project's form",
        description="entry: sheets 项目 (a row per project) and 指标 (a row per indicator), with the "
                    "rules' lists and limits as data validation. form: one project's form in its "
                    "official layout, only the input cells open, the rest live formulas. Fill either "
                    "in Excel, WPS or LibreOffice, then render, check or summarise it like any input.",
        epilog="example: reportgen template entry -o 2024-自评.xlsx --kind selfeval")
    p.add_argument("what", choices=("entry", "form"),
                   help="entry: the entry workbook; form: one project's form to fill in, with live formulas")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the .xlsx file to write")
    p.add_argument("--kind", choices=("selfeval", "tracking", "target"), default="selfeval",
                   help="the kind of form it collects (default: selfeval)")
    p.add_argument("--to", choices=("xlsx", "csv"), default="xlsx",
                   help="xlsx (default), or csv: FILE-项目.csv and FILE-指标.csv, the same tables")
    p.add_argument("--rows", type=int, default=20, metavar="N",
                   help="form: indicator rows to fill (default 20; empty ones are ignored when read)")
    p.add_argument("--year", type=int, metavar="YYYY", help="form: the year printed (default: this year)")
    p.add_argument("--rules", metavar="FILE", help="a rules file overriding the defaults (TOML)")

    p = commands.add_parser(
        "report", help="the 绩效自评报告 of each 自评表, written from its data",
        description="For each 自评表 of the inputs, its 绩效自评报告 in the customary outline "
                    "(基本情况, 完成情况, 偏差, 问题及措施, 结论), every number and name from the "
                    "form or the rules. A 跟踪表 of the same project and year among the inputs "
                    "gives its 纠偏措施.",
        epilog="example: reportgen report tests/data/seeds/003_4588a3eccc5d7ba5.txt -o out/reports")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the files")
    p.add_argument("--to", default=None, metavar="FORMATS",
                   help="comma-separated: docx, pdf (default both); for --rectify also xlsx (default xlsx,docx)")
    p.add_argument("--by", choices=("project", "department"), default="project",
                   help="a report per project (default), or one per department and year")
    p.add_argument("--rectify", action="store_true",
                   help="the 整改清单 of each department and year instead: a row per problem")
    p.add_argument("--templates", metavar="DIR",
                   help="your own report/*.html.j2 section templates, used before the shipped ones")
    p.add_argument("--rules", metavar="FILE", help="a rules file overriding the defaults (TOML)")
    _pdf_engine_option(p)

    p = commands.add_parser(
        "derive", help="the next form of the year prefilled: 申报表 → 跟踪表 → 自评表",
        description="From each 申报表 of the inputs, its 跟踪表; from each 申报表 or 跟踪表, its 自评表: "
                    "project, funds budgeted, goals and every indicator with its 年度指标值 carried "
                    "over, the rest left to fill in, a 自评表's weights suggested by the rules.",
        epilog="example: reportgen derive selfeval 2024-申报表.xlsx -o out  (then fill in out/*.xlsx)")
    p.add_argument("into", choices=("tracking", "selfeval"), help="the kind of form to make")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the files")
    p.add_argument("--to", choices=("xlsx", "form", "yaml"), default="xlsx",
                   help="an entry workbook per input (default), a fill-in form per form, or YAML")
    p.add_argument("--period", metavar="START..END",
                   help="the 跟踪时段 of a 跟踪表, e.g. 2024-01..2024-08 (default: January to August of its year)")
    p.add_argument("--rules", metavar="FILE", help="a rules file overriding the defaults (TOML)")

    p = commands.add_parser(
        "parse", help="print the documents of the inputs as JSON or YAML",
        description=f"Read the inputs ({suffixes}) and print their documents.",
        epilog="example: reportgen parse samples/selfeval-xinjiang-zhiqing.yaml --format yaml")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--format", choices=("json", "yaml"), default="json")
    p.add_argument("--explain", action="store_true",
                   help="show, per form of a text dump, which field each line went to")

    p = commands.add_parser(
        "serve", help="the web page: drop files, see the forms and their findings, download them",
        description="Start the web page on this machine. Listening on another address needs a "
                    "token, made up and printed in the address to open unless given.",
        epilog="example: reportgen serve --open")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="default 8000")
    p.add_argument("--open", action="store_true", help="open the page in the browser")
    p.add_argument("--token", default=None,
                   help="the token every request must carry (default: none on 127.0.0.1, a random one otherwise)")
    p.add_argument("--rules", help="scoring rules (TOML) to check with")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminated) if _main_thread() else None
    try:
        if args.command == "render":
            return render(args, stderr)
        if args.command == "check":
            return check(args, stdout, stderr)
        if args.command == "summary":
            return summary(args, stderr)
        if args.command == "template":
            return template(args, stderr)
        if args.command == "derive":
            return derive(args, stderr)
        if args.command == "serve":
            return serve(args, stderr)
        if args.command == "report":
            return report(args, stderr)
        return parse(args, stdout, stderr)
    except ReportgenError as exc:
        print(f"Error: {safe(str(exc))}", file=stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # `reportgen parse … | head` closed the pipe: not an error
        sys.stdout = None  # type: ignore[assignment]  # nothing left to flush at exit
        return EXIT_OK
    except (KeyboardInterrupt, Terminated) as exc:
        remove_partial_files()
        how = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(f"reportgen: {how}; the files finished before are kept", file=stderr)
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that it unwinds as for Ctrl-C."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
