"""XLSX: each page (a form, a summary) on its own sheet, built from the layout with
merged ranges, borders, wrapping, column widths, row heights and print setup; a
summary's charts as native Excel charts of its tables.

Text cells are always stored as text: openpyxl would otherwise take `=100.00(%)`, a
target, for a formula. Numeric cells are stored as numbers with the decimals written.
"""
from __future__ import annotations

import math
import re
from copy import copy
from functools import lru_cache
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from ..layout import Cell, Chart, Heading, LaidOut, Page, Table
from ..model import decimal_places
from . import register
from .cellstyle import (BODY_FONT, BODY_SIZE_PT, HEADING_SIZE_PT, PAGE_WIDTH_MM,
                        SUBTITLE_SIZE_PT, TITLE_SIZE_PT, CellStyle, style_of)

# Excel's column width unit is about one Latin digit, ~1.9 mm of printed width at 100 %.
_MM_PER_WIDTH_UNIT = 1.9
_LINE_HEIGHT_PT = BODY_SIZE_PT * 1.45
_FIRST_TABLE_ROW = 3  # rows 1 and 2 hold the title and subtitle

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class _Styles:
    """The workbook's named styles, one per cell look, made on first use.

    Cells get a style as openpyxl's docs copy one (`cell._style = copy(style)`): setting
    font, border and alignment one by one hashes each against the workbook's tables, and
    took 60 % of the writing time. Excel users get named styles they can change for all
    cells of a kind at once."""

    def __init__(self, workbook: Workbook):
        self._workbook = workbook
        self._made: dict[str, StyleArray] = {}

    def cell(self, style: CellStyle, number_format: str = "General") -> StyleArray:
        name = f"表格 {style.align} {style.valign} {style.fill or ''} {number_format}"
        if name not in self._made:
            fill = PatternFill("solid", fgColor=style.fill) if style.fill else PatternFill()
            self._add(name, Font(name=BODY_FONT, size=BODY_SIZE_PT),
                      Alignment(horizontal=style.align, vertical=style.valign, wrap_text=True),
                      _BORDER, number_format, fill)
        return self._made[name]

    def title(self, size: float, align: str = "center") -> StyleArray:
        name = f"标题 {size} {align}"
        if name not in self._made:
            font = Font(name=BODY_FONT, size=size)
            self._add(name, font, Alignment(horizontal=align, vertical="center"), Border(), "General")
        return self._made[name]

    def _add(self, name: str, font: Font, alignment: Alignment, border: Border, number_format: str,
             fill: PatternFill | None = None) -> None:
        style = NamedStyle(name=name, font=font, alignment=alignment, border=border,
                           number_format=number_format, fill=fill or PatternFill())
        self._workbook.add_named_style(style)
        self._made[name] = style.as_tuple()


def _apply(cell, style: StyleArray) -> None:
    cell._style = copy(style)


@lru_cache(maxsize=64)
def _number_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


@register("xlsx")
def write_xlsx(forms: list[LaidOut], out: BinaryIO) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    names: set[str] = set()
    styles = _Styles(workbook)
    for form in forms:
        name = sheet_name(form.name, names)
        names.add(name.lower())  # Excel compares sheet names case-insensitively
        _fill_sheet(workbook.create_sheet(name), form.grid, styles)
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


def _fill_sheet(ws: Worksheet, page: Page, styles: _Styles) -> None:
    """A page on one sheet: the title rows, then its blocks one below the other."""
    widths = _column_widths(page)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    _title_row(ws, 1, page.title, styles.title(TITLE_SIZE_PT), len(widths))
    _title_row(ws, 2, page.subtitle, styles.title(SUBTITLE_SIZE_PT), len(widths))
    row, placed = _FIRST_TABLE_ROW, {}
    for block in page.blocks:
        if isinstance(block, Table):
            _write_table(ws, block, row, widths, styles)
            placed[block.name] = (row, block)
            row += block.n_rows + 1  # a blank row before the next block
        elif isinstance(block, Heading):
            cell = ws.cell(row=row, column=1)
            _set_text(cell, block.text)
            _apply(cell, styles.title(HEADING_SIZE_PT, align="left"))
            row += 1
        elif block.table in placed:
            row += _add_chart(ws, block, *placed[block.table], row)
    _print_setup(ws, page, len(widths), row - 1)


def _write_table(ws: Worksheet, table: Table, top: int, widths: list[float], styles: _Styles) -> None:
    heights = [_LINE_HEIGHT_PT + 4] * table.n_rows
    for cell in table.cells:
        _write_cell(ws, cell, top, styles)
        if cell.rowspan == 1:
            lines = _lines_needed(cell.text, sum(widths[cell.col:cell.col + cell.colspan]))
            heights[cell.row] = max(heights[cell.row], lines * _LINE_HEIGHT_PT + 4)
    for row, height in enumerate(heights):
        ws.row_dimensions[top + row].height = round(height, 1)


def _add_chart(ws: Worksheet, chart: Chart, top: int, table: Table, row: int) -> int:
    """A native Excel chart of a table written at `top` (its first row is the header),
    anchored at `row`; returns the rows it covers."""
    native = BarChart()
    native.type = "col" if chart.kind == "column" else "bar"
    native.legend = None
    first, last = top + 1, top + table.n_rows - 1
    native.add_data(Reference(ws, min_col=chart.values + 1, min_row=first, max_row=last))
    native.set_categories(Reference(ws, min_col=chart.labels + 1, min_row=first, max_row=last))
    if chart.kind == "bar":
        native.y_axis.scaling.orientation = "minMax"
        native.x_axis.scaling.orientation = "maxMin"  # the first row on top, as in the table
    native.width = 16
    native.height = max(7.5, 0.5 * (table.n_rows - 1) + 2)
    ws.add_chart(native, f"A{row}")
    return math.ceil(native.height / 0.53) + 1  # rows of ~15 pt


def _title_row(ws: Worksheet, row: int, text: str, style: StyleArray, n_cols: int) -> None:
    cell = ws.cell(row=row, column=1)
    _set_text(cell, text)
    _apply(cell, style)
    _merge(ws, row, 1, row, n_cols)
    ws.row_dimensions[row].height = round(cell.font.size * 1.6, 1)


def _write_cell(ws: Worksheet, cell: Cell, top: int, styles: _Styles) -> None:
    row, col = top + cell.row, cell.col + 1
    target = ws.cell(row=row, column=col)
    look = style_of(cell.classes)
    if cell.value is not None:
        target.value = cell.value
        style = styles.cell(look, _number_format(decimal_places(cell.value)))
    else:
        if cell.text:
            _set_text(target, cell.text)
        style = styles.cell(look)
    _apply(target, style)
    if cell.rowspan > 1 or cell.colspan > 1:
        last_row, last_col = row + cell.rowspan - 1, col + cell.colspan - 1
        # the covered cells carry the border too: Excel draws a merged range's edges
        # from the cells along them
        for r in range(row, last_row + 1):
            for c in range(col, last_col + 1):
                if (r, c) != (row, col):
                    _apply(ws.cell(row=r, column=c), style)
        _merge(ws, row, col, last_row, last_col)


def _merge(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Record a merged range. (Worksheet.merge_cells, and MergedCellRange, would also
    rebuild the border of every edge cell, which the cells here already have: that
    was a fifth of the writing time.)"""
    ws.merged_cells.add(CellRange(min_row=first_row, min_col=first_col,
                                  max_row=last_row, max_col=last_col))


def _set_text(target, text: str) -> None:
    target.value = text
    target.data_type = "s"  # never a formula, whatever the text starts with


def _column_widths(page: Page) -> list[float]:
    """Each column as wide as the widest any table of the page gives it."""
    printable = PAGE_WIDTH_MM[page.orientation] / _MM_PER_WIDTH_UNIT
    widths: list[float] = []
    for table in page.tables:
        total = sum(table.widths) or 1
        for index, width in enumerate(table.widths):
            width = round(printable * width / total, 1)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    return widths


# Wide (CJK, full-width) characters: unicodedata.east_asian_width "W" or "F" ranges.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
                   "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
                   "\uffe0-\uffe6]")


def _display_width(text: str) -> int:
    """Width of a line in Excel's units: CJK and full-width characters count twice."""
    return len(text) + len(_WIDE.findall(text))


def _lines_needed(text: str, width: float) -> int:
    """How many printed lines a wrapped text needs in a column of this width. Excel does
    not size rows to wrapped text on its own, and never for merged cells."""
    usable = max(width - 1, 1)  # a CJK character at 9 pt is about two width units
    return max(1, sum(math.ceil(_display_width(line) / usable) or 1 for line in text.split("\n")))


def _print_setup(ws: Worksheet, page: Page, n_cols: int, last_row: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = page.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 15 / 25.4
    ws.page_margins.top = ws.page_margins.bottom = 15 / 25.4
    ws.print_title_rows = "1:2"
    ws.print_area = f"A1:{get_column_letter(n_cols)}{last_row}"
