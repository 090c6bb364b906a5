"""Legacy text dumps (.txt, .md): forms copied out of PDFs, Word files and OCR.

In: the bytes of a dump. Out: its documents, in file order. The file is decoded (UTF-8,
a BOM, or GB18030 as Windows tools write it), split into lines of tab-separated cells,
and split into forms at their 项目名称 rows, each with the title, year and period lines
before it (readers/dumpform.py reads one form). Nothing is lost: every non-empty line
ends up in a field or in a warning with its line number; lines before the first form
are the collection's (its title, or warnings).
"""
from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..model import Document, ParseWarning
from ..normalize import clean, clean_marks, label_key
from . import ReadResult, register
from .decoding import decode

TITLE = re.compile(r"财政项目支出绩效(目标申报|跟踪|自评)表")
YEAR = re.compile(r"\(?(\d{4})年度?\)?")
PERIOD_LABEL = "跟踪时段"


@dataclass(slots=True)
class DumpLine:
    """One line of a dump: its number (1-based), text, and non-empty cells as
    (tab position, cleaned text)."""

    no: int
    raw: str
    cells: list[tuple[int, str]]
    keys: list[str]  # each cell's label key
    first_key: str = ""
    has_partial_label: bool = False  # a label known by its start or a part (PARTIAL_LABELS)

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.cells]


def dump_lines(text: str) -> list[DumpLine]:
    """Given a dump's text, return its lines that hold anything, as cells (with their
    line numbers). The clean-up runs over the whole text at once (line by line, it was
    the reader's main cost); none of it crosses a line break or a tab."""
    if "\r" in text:  # CR LF or CR: one line break each
        text = _LINE_BREAK.sub("\n", text)
    raws = text.split("\n")  # only line breaks: str.splitlines also splits at \f
    body = _SPACES.sub(" ", clean_marks(_HEADINGS.sub("", text) if "#" in text else text))
    # no space at the edge of a cell (runs are single spaces by now)
    body = body.replace(" \t", "\t").replace("\t ", "\t").replace(" \n", "\n").replace("\n ", "\n").strip(" ")
    keys = _KEY_NOISE.sub("", body)
    return [dump_line
            for no, (raw, line, key_line) in enumerate(zip(raws, body.split("\n"), keys.split("\n")), start=1)
            if line and not line.isspace() and (dump_line := _line(no, raw, line, key_line)).cells]


def _line(no: int, raw: str, line: str, key_line: str) -> DumpLine:
    key_parts: list[str] | None
    if "&" in line:  # entities may stand for spaces or marks: clean those cells anew
        parts = [clean(cell) if "&" in cell else cell for cell in line.split("\t")]
        key_parts = [label_key(cell) for cell in parts]
    else:
        parts, key_parts = line.split("\t"), None if key_line == line else key_line.split("\t")
    cells = [(pos, cell) for pos, cell in enumerate(parts) if cell]
    # a line without spaces, colons or commas is its own key line
    keys = [cell for _, cell in cells] if key_parts is None else [key_parts[pos] for pos, _ in cells]
    return DumpLine(no, raw, cells, keys, keys[0] if keys else "",
                    PARTIAL_LABELS.search(key_line) is not None)


# Labels known by their start or a part: 预算执行情况(万元), 项目资金(元), 年度项目预算完成可能性.
PARTIAL_LABELS = re.compile(r"预算执行情况|项目资金(?:\(|\t|$)|完成可能性")
_HEADINGS = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_SPACES = re.compile(r"[^\S\t\n]+")  # runs of white space other than the separators
_KEY_NOISE = re.compile(r"[ :：,，]")  # what label_key drops, the rest being done


def is_title(line: DumpLine) -> bool:
    return len(line.cells) == 1 and bool(TITLE.fullmatch(line.first_key))


def is_year(line: DumpLine) -> bool:
    return len(line.cells) == 1 and bool(YEAR.fullmatch(line.first_key))


def is_period(line: DumpLine) -> bool:
    return line.first_key.startswith(PERIOD_LABEL)


def _is_header(line: DumpLine) -> bool:
    return is_title(line) or is_year(line) or is_period(line)


_LINE_BREAK = re.compile(r"\r\n?")


# ---------------------------------------------------------------- splitting into forms

@dataclass
class DumpFile:
    """A dump split up: the lines before the first form, and each form's lines."""

    name: str
    preamble: list[DumpLine] = field(default_factory=list)
    forms: list[list[DumpLine]] = field(default_factory=list)


def split_forms(name: str, text: str) -> DumpFile:
    """Given a dump's text, split it at each 项目名称 row, giving a form the title, year
    and period lines right before it; the lines in between belong to the form above."""
    lines = dump_lines(text)
    anchors = [i for i, line in enumerate(lines) if line.first_key == "项目名称"]
    starts = []
    floor = 0
    for anchor in anchors:
        start = anchor
        for j in range(anchor - 1, floor - 1, -1):
            if not _is_header(lines[j]):
                break
            start = j
        starts.append(start)
        floor = anchor + 1
    dump = DumpFile(name, preamble=lines[:starts[0]] if starts else lines)
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        dump.forms.append(lines[start:end])
    return dump


# ---------------------------------------------------------------- reading

@dataclass
class DumpResult(ReadResult):
    """Documents of a dump, plus the collection's title and the warnings of lines that
    belong to no form."""

    title: str | None = None
    warnings: list[ParseWarning] = field(default_factory=list)
    # how each line was read: (line, what it went to, its text), before the first form
    # and per form
    preamble: list[tuple[int, str, str]] = field(default_factory=list)
    explanations: list[list[tuple[int, str, str]]] = field(default_factory=list)


def read_dump_text(name: str, text: str, note: str | None = None) -> DumpResult:
    """Given a dump's name and text, return its documents (pure: no file access)."""
    with _no_cycle_collection():
        return _read_dump_text(name, text, note)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: reading builds many small objects and no cycles,
    and the collector's passes over them took a sixth of the reading time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_dump_text(name: str, text: str, note: str | None) -> DumpResult:
    from .dumpform import read_form

    dump = split_forms(name, text)
    result = DumpResult()
    if note:
        result.warnings.append(ParseWarning(None, "", note))
    for line in dump.preamble:
        if result.title is None and len(line.cells) == 1 and line.first_key.endswith("表") \
                and not _is_header(line):
            result.title = line.texts[0]
            result.preamble.append((line.no, "collection title", line.raw.strip()))
        else:
            reason = "before the first form: belongs to no form"
            result.warnings.append(ParseWarning(line.no, line.raw.strip(), reason))
            result.preamble.append((line.no, f"warning: {reason}", line.raw.strip()))
    previous: Document | None = None
    for lines in dump.forms:
        try:
            doc, explanation = read_form(name, lines, previous)
        except InputError as exc:
            result.errors.append(exc)
            continue
        result.documents.append(doc)
        result.explanations.append(explanation)
        previous = doc
    if not dump.forms:
        result.errors.append(InputError(name, None, "no form found (no 项目名称 row)"))
    return result


@register(".txt", ".md")
def read_dump(path: Path) -> DumpResult:
    try:
        text, note = decode(path.read_bytes(), str(path))
    except InputError as exc:
        return DumpResult(errors=[exc])
    return read_dump_text(str(path), text, note)
