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
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError
from . import register
from .forms import FormsResult, iter_documents
from .rows import Numbering, Row, join_lines, row_of


def workbook_rows(workbook: Any) -> Iterator[Row]:
    """Given an openpyxl workbook, return its visible sheets' rows in order."""
    numbers = Numbering()
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for cells in sheet.iter_rows():
            texts = [(cell.column - 1, _text(cell)) for cell in cells if cell.value is not None]
            if not texts:
                continue
            places = [f"{sheet.title}!{cell.coordinate}" for cell in cells if cell.value is not None]
            row = row_of(numbers.next(), texts, place=places[0], places=places)
            if row is not None:
                yield row


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


def open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook
    try:
        return load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        reason = "not an Excel workbook (no .xlsx package inside)" if isinstance(exc, zipfile.BadZipFile) \
            else f"not a readable Excel workbook ({type(exc).__name__}: {exc})"
        raise InputError(str(path), None, reason) from None


@register(".xlsx", ".xlsm")
def iter_excel_file(path: Path) -> Iterator[FormsResult]:
    try:
        workbook = open_workbook(path)
    except InputError as exc:
        yield FormsResult(errors=[exc])
        return
    yield from iter_documents(str(path), workbook_rows(workbook), "an Excel workbook's cells")
