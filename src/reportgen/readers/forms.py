"""Rows of cells → forms → documents, for every source.

A file's rows (readers/rows.py, from any source) are split into forms at their 项目名称
rows, each with the title, year and period rows right before it; each form is read by
the recogniser (readers/recogniser.py). Rows before the first form are the collection's
(its title, or warnings). Forms are read one at a time, so a file of any size is read in
the memory of one form.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InputError
from ..model import Document, ParseWarning, shown
from . import ReadResult
from .labels import PERIOD_LABEL, PROJECT_LABELS, SIGN_OFF, YEAR, title_of
from .rows import Row


@dataclass
class FormsResult(ReadResult):
    """Documents of a file, plus the collection's title and the warnings of rows that
    belong to no form."""

    title: str | None = None
    warnings: list[ParseWarning] = field(default_factory=list)
    # how each row was read: (row number, what it went to, its text), before the first
    # form and per form
    preamble: list[tuple[int, str, str]] = field(default_factory=list)
    explanations: list[list[tuple[int, str, str]]] = field(default_factory=list)
    # where each row number is, for sources without lines (row number → Sheet1!A4)
    places: dict[int, str] = field(default_factory=dict)
    # the lines of each row rebuilt from cells on several lines (row number → lines)
    spans: dict[int, list[int]] = field(default_factory=dict)

    def extend(self, part: ReadResult) -> None:
        super().extend(part)
        if isinstance(part, FormsResult):
            self.title = self.title or part.title
            self.warnings += part.warnings
            self.preamble += part.preamble
            self.explanations += part.explanations
            self.places.update(part.places)
            self.spans.update(part.spans)


def is_title(row: Row) -> bool:
    return len(row.cells) == 1 and title_of(row.first_key) is not None


def is_year(row: Row) -> bool:
    return len(row.cells) == 1 and bool(YEAR.fullmatch(row.first_key))


def is_period(row: Row) -> bool:
    return row.first_key.startswith(PERIOD_LABEL)


def _is_header(row: Row) -> bool:
    return is_title(row) or is_year(row) or is_period(row)


def iter_forms(rows: Iterable[Row]) -> Iterator[list[Row]]:
    """Given a file's rows, return the rows before the first form, then each form's: a
    form starts at its 项目名称 row, with the title, year and period rows right before
    it; the rows in between belong to the form above."""
    pending: list[Row] = []  # the preamble, then the form being gathered
    searched_from = 0  # header rows of the next form come after the last 项目名称 row
    for row in rows:
        if row.first_key in PROJECT_LABELS:
            start = len(pending)
            while start > searched_from and _is_header(pending[start - 1]):
                start -= 1
            yield pending[:start]
            pending = pending[start:]
            searched_from = len(pending) + 1
        pending.append(row)
    yield pending


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: reading builds many small objects and no cycles,
    and the collector's passes over them took a sixth of the reading time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def iter_documents(name: str, rows: Iterable[Row], layout: str,
                   note: str | None = None) -> Iterator[FormsResult]:
    """Given a file's name, rows and a description of its layout (for messages), return
    it read as it goes: first what comes before the first form (the collection's title,
    warnings), then a result per form."""
    from .recogniser import read_form

    forms = iter_forms(rows)
    with no_cycle_collection():
        preamble = next(forms)
        yield _preamble(preamble, note)
    previous: Document | None = None
    found = False
    for form_rows in forms:
        found = True
        part = FormsResult()
        with no_cycle_collection():
            part.places = {row.no: row.place for row in form_rows if row.place}
            part.spans = {row.no: row.lines for row in form_rows if row.lines}
            try:
                doc, explanation = read_form(name, form_rows, previous)
            except InputError as exc:
                part.errors.append(exc)
            else:
                part.documents.append(doc)
                part.explanations.append(explanation)
                previous = doc
        yield part
    if not found:
        yield FormsResult(errors=[InputError(name, None, _no_form(preamble, layout))])


def _no_form(rows: list[Row], layout: str) -> str:
    """What a file without a form was searched for, and what was seen instead."""
    titles = [row.texts[0] for row in rows if is_title(row)]
    seen = f"; it has the title {titles[0]!r} but no 项目名称 row after it" if titles else ""
    return (f"no form found: looked for a 项目名称 (or 转移支付(项目)名称) row and titles such as "
            f"财政项目支出绩效自评表, 项目支出绩效自评表, 绩效目标申报表, 绩效运行监控表{seen} "
            f"({len(rows)} rows read; layout: {layout})")


def _preamble(rows: list[Row], note: str | None) -> FormsResult:
    """The rows before the first form: the collection's title, or warnings."""
    result = FormsResult(places={row.no: row.place for row in rows if row.place},
                         spans={row.no: row.lines for row in rows if row.lines})
    if note:
        result.warnings.append(ParseWarning(None, "", note))
    for row in rows:
        if result.title is None and len(row.cells) == 1 and row.first_key.endswith("表") \
                and not _is_header(row):
            result.title = row.texts[0]
            result.preamble.append((row.no, "collection title", row.raw.strip()))
        else:
            reason = "before the first form: belongs to no form"
            if SIGN_OFF.search(row.first_key):
                reason = "sign-off row before the first form: belongs to no form"
            result.warnings.append(ParseWarning(row.no if row.place is None else None,
                                                row.raw.strip(), reason, row.place))
            result.preamble.append((row.no, f"warning: {reason}", row.raw.strip()))
    return result


def guarded(path: Path, what: str, damaged: tuple[type[BaseException], ...],
            read: Callable[[], Iterable[FormsResult]]) -> Iterator[FormsResult]:
    """A file read by `read`, where a damaged file raises whatever its library raises
    (`damaged`: zip, XML, PDF syntax errors …): the parts read so far, then one error
    saying the file is not a readable `what`. What was read before stays read."""
    try:
        yield from read()
    except InputError as exc:
        yield FormsResult(errors=[exc])
    except damaged as exc:
        reason = shown(str(exc), 80) if str(exc) else ""
        yield FormsResult(errors=[InputError(str(path), None, f"not a readable {what}, damaged or of "
                                             f"another kind ({type(exc).__name__}{': ' + reason if reason else ''})")])
