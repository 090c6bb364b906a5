"""XLSX: each form on its own sheet, built from the layout grid with merged ranges,
borders, wrapping, column widths, row heights and print setup.

Text cells are always stored as text: openpyxl would otherwise take `=100.00(%)`, a
target, for a formula. Numeric cells are stored as numbers with the decimals written.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..layout import Cell, Form, LaidOut
from . import register
from .cellstyle import (BODY_FONT, BODY_SIZE_PT, PAGE_WIDTH_MM, SUBTITLE_SIZE_PT,
                        TITLE_FONT, TITLE_SIZE_PT, style_of)

# Excel's column width unit is about one Latin digit, ~1.9 mm of printed width at 100 %.
_MM_PER_WIDTH_UNIT = 1.9
_LINE_HEIGHT_PT = BODY_SIZE_PT * 1.45
_FIRST_TABLE_ROW = 3  # rows 1 and 2 hold the title and subtitle

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONTS = {bold: Font(name=BODY_FONT, size=BODY_SIZE_PT, bold=bold) for bold in (False, True)}
_TITLE_FONT = Font(name=TITLE_FONT, size=TITLE_SIZE_PT, bold=True)
_SUBTITLE_FONT = Font(name=BODY_FONT, size=SUBTITLE_SIZE_PT)
_CENTERED = Alignment(horizontal="center", vertical="center")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@lru_cache(maxsize=16)
def _alignment(align: str) -> Alignment:
    return Alignment(horizontal=align, vertical="center", wrap_text=True)


@lru_cache(maxsize=64)
def _number_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


@register("xlsx")
def write_xlsx(forms: list[LaidOut], out: BinaryIO) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    names: set[str] = set()
    for form in forms:
        name = sheet_name(form.name, names)
        names.add(name.lower())  # Excel compares sheet names case-insensitively
        _fill_sheet(workbook.create_sheet(name), form.grid)
    workbook.properties.title = forms[0].name
    workbook.save(out)


def sheet_name(wanted: str, taken: set[str]) -> str:
    """Given a wished-for sheet name and the (lower-cased) names taken, return a name
    Excel accepts: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_NAME_FORBIDDEN.sub("_", wanted).strip("' ") or "表"
    name, n = base[:31], 1
    while name.lower() in taken:
        n += 1
        suffix = f"({n})"
        name = base[:31 - len(suffix)] + suffix
    return name


def _fill_sheet(ws: Worksheet, form: Form) -> None:
    widths = _column_widths(form)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    _title_row(ws, 1, form.title, _TITLE_FONT, form.n_cols, TITLE_SIZE_PT * 1.6)
    _title_row(ws, 2, form.subtitle, _SUBTITLE_FONT, form.n_cols, SUBTITLE_SIZE_PT * 1.6)
    heights = [_LINE_HEIGHT_PT + 4] * form.n_rows
    for cell in form.cells:
        _write_cell(ws, cell)
        if cell.rowspan == 1:
            lines = _lines_needed(cell.text, sum(widths[cell.col:cell.col + cell.colspan]))
            heights[cell.row] = max(heights[cell.row], lines * _LINE_HEIGHT_PT + 4)
    for row, height in enumerate(heights):
        ws.row_dimensions[_FIRST_TABLE_ROW + row].height = round(height, 1)
    _print_setup(ws, form)


def _title_row(ws: Worksheet, row: int, text: str, font: Font, n_cols: int, height: float) -> None:
    cell = ws.cell(row=row, column=1)
    _set_text(cell, text)
    cell.font, cell.alignment = font, _CENTERED
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_cols)
    ws.row_dimensions[row].height = height


def _write_cell(ws: Worksheet, cell: Cell) -> None:
    row, col = _FIRST_TABLE_ROW + cell.row, cell.col + 1
    target = ws.cell(row=row, column=col)
    style = style_of(cell.classes)
    if cell.value is not None:
        target.value = cell.value
        target.number_format = _number_format(max(0, -cell.value.as_tuple().exponent))
    elif cell.text:
        _set_text(target, cell.text)
    target.font = _FONTS[style.bold]
    target.alignment = _alignment(style.align)
    target.border = _BORDER
    if cell.rowspan > 1 or cell.colspan > 1:
        # merging draws the top-left cell's border around the whole range
        ws.merge_cells(start_row=row, start_column=col,
                       end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1)


def _set_text(target, text: str) -> None:
    target.value = text
    target.data_type = "s"  # never a formula, whatever the text starts with


def _column_widths(form: Form) -> list[float]:
    page = PAGE_WIDTH_MM[form.orientation] / _MM_PER_WIDTH_UNIT
    total = sum(form.widths) or 1
    return [round(page * w / total, 1) for w in form.widths]


def _display_width(text: str) -> int:
    """Width of a line in Excel's units: CJK and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines_needed(text: str, width: float) -> int:
    """How many printed lines a wrapped text needs in a column of this width. Excel does
    not size rows to wrapped text on its own, and never for merged cells."""
    usable = max(width - 1, 1)  # a CJK character at 9 pt is about two width units
    return max(1, sum(math.ceil(_display_width(line) / usable) or 1 for line in text.split("\n")))


def _print_setup(ws: Worksheet, form: Form) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = form.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 15 / 25.4
    ws.page_margins.top = ws.page_margins.bottom = 15 / 25.4
    ws.print_title_rows = "1:2"
    ws.print_area = f"A1:{get_column_letter(form.n_cols)}{_FIRST_TABLE_ROW + form.n_rows - 1}"
