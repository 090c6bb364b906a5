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

from openpyxl.utils import column_index_from_string

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


def check_merges(path: Path) -> None:
    """Refuse a workbook with a merged range of more than _MAX_MERGED cells before
    openpyxl opens it: openpyxl makes an object for every cell a range covers, and one
    range over a whole sheet would never finish."""
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                for first_col, first_row, last_col, last_row in _MERGE.findall(package.read(name)):
                    size = ((column_index_from_string(last_col.decode()) - column_index_from_string(first_col.decode()) + 1)
                            * (int(last_row) - int(first_row) + 1))
                    if size > _MAX_MERGED:
                        raise InputError(str(path), name, f"a merged range of {size:,} cells: not a form")


def _damaged() -> tuple[type[BaseException], ...]:
    """What openpyxl and its zip and XML layers raise for a damaged file."""
    from xml.etree.ElementTree import ParseError

    from lxml.etree import LxmlError
    return (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, IndexError,
            AttributeError, NotImplementedError, ParseError, LxmlError)


@register(".xlsx", ".xlsm")
def iter_excel_file(path: Path) -> Iterator[FormsResult]:
    from openpyxl import load_workbook

    def read() -> Iterator[FormsResult]:
        check_merges(path)
        workbook = load_workbook(path, data_only=True)
        if is_entry_workbook(workbook):  # sheets 项目 and 指标: `reportgen template entry`
            yield read_entry_workbook(path, workbook)
            return
        yield from iter_documents(str(path), workbook_rows(workbook), "an Excel workbook's cells")
    yield from guarded(path, "Excel workbook (.xlsx)", _damaged(), read)
