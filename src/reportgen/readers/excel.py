"""Excel (.xlsx, .xlsm): sheets as rows of cells, reportgen's own XLSX output included,
so that a form edited in Excel, WPS or LibreOffice renders again.

A merged range's value sits in its first cell and the others are empty, as in a grid;
numbers are read as the numbers they are (`13303150.1`, not the `13,303,150.10` shown),
a percentage format as its percentage (`0.9` shown as `90%` reads `90%`), dates as
dates. A formula's last computed value is read, as the sheet shows it. Places read
`Sheet1!B4`.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator


from ..model import ParseWarning
from ..rules import execution_rates, funding_score, grade_for
from ..errors import InputError
from . import register
from .entry_workbook import is_entry_workbook, read_entry_workbook
from .forms import FormsResult, guarded, iter_documents
from .rows import Numbering, Row, join_lines, row_of


def workbook_rows(workbook: Any) -> Iterator[Row]:
    """Given an openpyxl workbook, return its visible sheets' rows in order."""
    numbers = Numbering()
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for cells in _rows_of(sheet):
            texts = [(cell.column - 1, _text(cell)) for cell in cells]
            places = [f"{sheet.title}!{cell.coordinate}" for cell in cells]
            row = row_of(numbers.next(), texts, place=places[0], places=places)
            if row is not None:
                yield row


def _rows_of(sheet: Any) -> Iterator[list[Any]]:
    """The cells that hold a value, row by row. Read from the sheet's own store, not by
    `iter_rows`, which walks (and creates) every cell of the used range: a single cell at
    XFD1048576 would be 17 billion of them."""
    by_row: dict[int, list[Any]] = {}
    for (r, _), cell in sheet._cells.items():  # openpyxl is pinned below 3.2 (pyproject)
        if cell.value is not None:
            by_row.setdefault(r, []).append(cell)
    for r in sorted(by_row):
        yield sorted(by_row[r], key=lambda cell: cell.column)


def _text(cell: Any) -> str:
    value = cell.value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (cell.number_format or ""):
            return f"{_plain(number * 100)}%"
        return _plain(number)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return join_lines(str(value).split("\n"))


def _plain(number: Decimal) -> str:
    """A number as written, without an exponent or a float's noise (0.1 + 0.2)."""
    rounded = round(number, 10)
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_MAX_MERGED = 100_000  # cells in one merged range; a form's biggest covers a few hundred


def scan_sheets(path: Path) -> bool:
    """One pass over the sheets' XML before openpyxl opens them: refuse a merged range
    of more than _MAX_MERGED cells (openpyxl makes an object for every cell a range
    covers, and one range over a whole sheet would never finish); return whether a sheet
    holds a formula (`<f>`), whose values are then not taken on trust (recompute)."""
    formulas = False
    from openpyxl.utils import column_index_from_string  # openpyxl: loaded where a workbook is read

    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            xml = package.read(name)
            formulas = formulas or _FORMULA.search(xml) is not None
            for first_col, first_row, last_col, last_row in _MERGE.findall(xml):
                size = ((column_index_from_string(last_col.decode()) - column_index_from_string(first_col.decode()) + 1)
                        * (int(last_row) - int(first_row) + 1))
                if size > _MAX_MERGED:
                    raise InputError(str(path), name, f"a merged range of {size:,} cells: not a form")
    return formulas


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >]")


def _damaged() -> tuple[type[BaseException], ...]:
    """What openpyxl and its zip and XML layers raise for a damaged file (OSError: a
    member's offset past the file's end, which zipfile seeks to)."""
    from xml.etree.ElementTree import ParseError

    from lxml.etree import LxmlError
    return (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, IndexError,
            AttributeError, NotImplementedError, ParseError, LxmlError, OSError)


@register(".xlsx", ".xlsm")
def iter_excel_file(path: Path) -> Iterator[FormsResult]:
    from openpyxl import load_workbook

    def read() -> Iterator[FormsResult]:
        with_formulas = scan_sheets(path)
        workbook = load_workbook(path, data_only=True)
        if is_entry_workbook(workbook):  # sheets 项目 and 指标: `reportgen template entry`
            yield read_entry_workbook(path, workbook)
            return
        for part in iter_documents(str(path), workbook_rows(workbook), "an Excel workbook's cells"):
            if with_formulas:
                for doc in part.documents:
                    recompute(doc)
            yield part
    yield from guarded(path, "Excel workbook (.xlsx)", _damaged(), read)


def recompute(doc: Any) -> None:
    """A form whose workbook computes its values by formulas (`template form`): the
    values are not taken on trust. 执行率, the 预算执行 得分, 总分 and 评分等级 are computed
    by the rules; a value the file lacks (saved by a program that does not calculate)
    is filled in, one that disagrees is replaced; each said in a warning."""
    if doc.kind == "target":
        return
    for key in ("total", "fiscal", "carryover", "other"):
        row = getattr(doc.funding, key)
        rates = execution_rates(row.executed, row.budget) if row.executed is not None and row.budget else None
        if rates is not None:
            truncated, rounded = rates
            if row.rate not in (truncated, rounded):
                _replace(doc, row, "rate", truncated, f"funding.{key}.rate")
    if doc.kind != "selfeval":
        return
    total = doc.funding.total
    if total.rate is not None and total.weight is not None:
        _replace(doc, total, "score", funding_score(total.rate, total.weight), "funding.total.score")
    scores = [i.score for i in doc.indicators]
    if total.score is not None and scores and None not in scores:
        _replace(doc, doc, "total_score", total.score + sum(scores), "total_score")
    if doc.total_score is not None:
        _replace(doc, doc, "grade", grade_for(doc.total_score), "grade")


def _replace(doc: Any, owner: Any, name: str, value: Any, field: str) -> None:
    was = getattr(owner, name)
    if was == value:
        return
    setattr(owner, name, value)
    reason = (f"{field}: computed by reportgen as {value} (the file holds the formula, not its value)"
              if was is None else f"{field}: the file's computed {was} is not what the rules give, {value}: "
              "reportgen's is used")
    doc.warnings.append(ParseWarning(None, "", reason))
