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
from typing import Iterable, Iterator

from ..errors import InputError
from ..model import Document, ParseWarning
from ..normalize import clean, clean_marks, label_key
from . import ReadResult, register
from .decoding import decode_file

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


def dump_lines(text: str, first: int = 1) -> list[DumpLine]:
    """Given a dump's text (or a piece of it starting at line `first`), return its
    lines that hold anything, as cells (with their line numbers). The clean-up runs
    over the whole text at once (line by line, it was the reader's main cost); none of
    it crosses a line break or a tab."""
    if "\r" in text:  # CR LF or CR: one line break each
        text = _LINE_BREAK.sub("\n", text)
    raws = text.split("\n")  # only line breaks: str.splitlines also splits at \f
    body = _SPACES.sub(" ", clean_marks(_HEADINGS.sub("", text) if "#" in text else text))
    # no space at the edge of a cell (runs are single spaces by now)
    body = body.replace(" \t", "\t").replace("\t ", "\t").replace(" \n", "\n").replace("\n ", "\n").strip(" ")
    keys = _KEY_NOISE.sub("", body)
    return [dump_line
            for no, (raw, line, key_line) in enumerate(zip(raws, body.split("\n"), keys.split("\n")), start=first)
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

def iter_lines(pieces: Iterable[str]) -> Iterator[DumpLine]:
    """Given a dump's text in pieces that end at line breaks, return its lines."""
    first = 1
    for piece in pieces:
        yield from dump_lines(piece, first)
        first += piece.count("\n") + piece.count("\r") - piece.count("\r\n")


def iter_forms(lines: Iterable[DumpLine]) -> Iterator[list[DumpLine]]:
    """Given a dump's lines, return the lines before the first form, then each form's:
    a form starts at its 项目名称 row, with the title, year and period lines right
    before it; the lines in between belong to the form above."""
    pending: list[DumpLine] = []  # the preamble, then the form being gathered
    searched_from = 0  # header lines of the next form come after the last 项目名称 row
    for line in lines:
        if line.first_key == "项目名称":
            start = len(pending)
            while start > searched_from and _is_header(pending[start - 1]):
                start -= 1
            yield pending[:start]
            pending = pending[start:]
            searched_from = len(pending) + 1
        pending.append(line)
    yield pending


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

    def extend(self, part: ReadResult) -> None:
        super().extend(part)
        if isinstance(part, DumpResult):
            self.title = self.title or part.title
            self.warnings += part.warnings
            self.preamble += part.preamble
            self.explanations += part.explanations


def read_dump_text(name: str, text: str, note: str | None = None) -> DumpResult:
    """Given a dump's name and text, return its documents (pure: no file access)."""
    whole = DumpResult()
    with _no_cycle_collection():  # over the whole: the documents gathered make no cycles
        for part in iter_dump(name, [text], note):
            whole.extend(part)
    return whole


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


def iter_dump(name: str, pieces: Iterable[str], note: str | None = None) -> Iterator[DumpResult]:
    """Given a dump's name and text in pieces, return it read as it goes: first what
    comes before the first form (the collection's title, warnings), then a result per
    form, so that a dump of any size is read in the memory of one form."""
    from .dumpform import read_form

    forms = iter_forms(iter_lines(pieces))
    with _no_cycle_collection():
        yield _preamble(next(forms), note)
    previous: Document | None = None
    found = False
    for lines in forms:
        found = True
        part = DumpResult()
        with _no_cycle_collection():
            try:
                doc, explanation = read_form(name, lines, previous)
            except InputError as exc:
                part.errors.append(exc)
            else:
                part.documents.append(doc)
                part.explanations.append(explanation)
                previous = doc
        yield part
    if not found:
        yield DumpResult(errors=[InputError(name, None, "no form found (no 项目名称 row)")])


def _preamble(lines: list[DumpLine], note: str | None) -> DumpResult:
    """The lines before the first form: the collection's title, or warnings."""
    result = DumpResult()
    if note:
        result.warnings.append(ParseWarning(None, "", note))
    for line in lines:
        if result.title is None and len(line.cells) == 1 and line.first_key.endswith("表") \
                and not _is_header(line):
            result.title = line.texts[0]
            result.preamble.append((line.no, "collection title", line.raw.strip()))
        else:
            reason = "before the first form: belongs to no form"
            result.warnings.append(ParseWarning(line.no, line.raw.strip(), reason))
            result.preamble.append((line.no, f"warning: {reason}", line.raw.strip()))
    return result


@register(".txt", ".md")
def iter_dump_file(path: Path) -> Iterator[DumpResult]:
    """A dump file read form by form (see iter_dump)."""
    try:
        pieces, note = decode_file(path)
    except InputError as exc:
        yield DumpResult(errors=[exc])
        return
    yield from iter_dump(str(path), pieces, note)
