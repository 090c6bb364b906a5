"""XLSX: a form on a sheet of its own, a summary on a sheet per section (总体情况,
等级分布, 排名 …), built from the layout with merged ranges, borders, wrapping, the
layout's column widths and row heights, and print setup: A4, the column heads as print
titles, the layout's page breaks, 第N页 共M页 in the footer. A summary's charts are
native Excel charts of its tables.

Written with XlsxWriter, which streams each sheet's XML from plain tuples: openpyxl's
cell objects and style tables took 14 ms a form, this 2. (openpyxl still reads
workbooks: readers/excel.py.) Text cells are always stored as text, never taken for a
formula (`=100.00(%)` is a target); numeric cells hold the exact number, shown with the
decimals the page prints.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO


from ..layout import Cell, Chart, Heading, LaidOut, Note, Page, PageBreak, Table, strip_illegal_xml
from ..layout.grid import HIGHLIGHT_COLOUR
from ..layout.measure import (HEADING_PT, LINE_HEIGHT, MARGIN_MM, NOTE_PT, SUBTITLE_PT, TITLE_PT,
                              lines_of, printable)
from . import file_properties, register
from .cellstyle import BODY_FONT, VALIGN, CellStyle, style_of

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+、")
# Excel's column width unit: the default font's digit (Calibri 11: 7 px at 96 dpi) plus
# 5 px of padding per column.
_PX_PER_MM = 96 / 25.4
_DIGIT_PX, _COLUMN_PAD_PX = 7, 5
_MAX_ROW_PT = 409  # Excel's tallest row
_FOOTER = "&C&8第 &P 页 共 &N 页"
_A4 = 9  # Excel's paper size code
_MM_PER_INCH = 25.4
_VALIGN = {"center": "vcenter", "top": "top", "bottom": "bottom"}[VALIGN]


class _Formats:
    """The workbook's cell formats, one per look, made on first use."""

    def __init__(self, workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple, object] = {}

    def cell(self, style: CellStyle, size: float, number_format: str = "General"):
        key = ("cell", style, size, number_format)
        made = self._made.get(key)
        if made is None:
            properties = {"font_name": BODY_FONT, "font_size": size, "align": style.align,
                          "valign": _VALIGN, "text_wrap": True, "border": 1,
                          "num_format": number_format}
            if style.fill:
                properties.update(pattern=1, bg_color=f"#{style.fill}")
            made = self._made[key] = self._workbook.add_format(properties)
        return made

    def line(self, size: float, align: str = "center", wrap: bool = False):
        """Titles, headings and notes: no border."""
        key = ("line", size, align, wrap)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._workbook.add_format(
                {"font_name": BODY_FONT, "font_size": size, "align": align, "valign": "vcenter",
                 "text_wrap": wrap})
        return made


@lru_cache(maxsize=16)
def number_format(places: int, signed: bool = False) -> str:
    """The format of a number printed with `places` decimals (a sign always shown)."""
    plain = "#,##0" + ("." + "0" * places if places else "")
    return f"+{plain};-{plain};{plain}" if signed else plain


@dataclass
class _Sheet:
    """What goes on one sheet: a form, or one section of a summary."""

    name: str
    page: Page
    blocks: list = field(default_factory=list)


@register("xlsx")
def write_xlsx(forms: list[LaidOut], out: BinaryIO) -> None:
    import xlsxwriter  # loaded where XLSX is written

    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    names: set[str] = set()
    formats = _Formats(workbook)
    for form in forms:
        for sheet in _sheets(form):
            name = sheet_name(sheet.name, names)
            names.add(name.lower())  # Excel compares sheet names case-insensitively
            _fill_sheet(workbook, workbook.add_worksheet(name), sheet, formats)
    info = file_properties(forms)
    workbook.set_properties({"title": info.title, "subject": info.subject, "author": info.author,
                             "created": info.created})
    workbook.close()


def _sheets(form: LaidOut) -> list[_Sheet]:
    """A form's one sheet, or a summary's sheets, one per section (a heading and the
    blocks after it)."""
    page = form.grid
    if page.is_form:
        return [_Sheet(form.name, page, list(page.blocks))]
    sheets: list[_Sheet] = []
    for block in page.blocks:
        if isinstance(block, Heading):
            sheets.append(_Sheet(_SECTION_NUMBER.sub("", block.text), page, [block]))
        elif sheets:
            sheets[-1].blocks.append(block)
        else:
            sheets.append(_Sheet(form.name, page, [block]))
    return sheets


def sheet_name(wanted: str, taken: set[str]) -> str:
    """Given a wished-for sheet name and the (lower-cased) names taken, return a name
    Excel accepts: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_NAME_FORBIDDEN.sub("_", strip_illegal_xml(wanted)).strip("' ") or "表"
    name, n = base[:31], 1
    while name.lower() in taken:
        n += 1
        suffix = f"({n})"
        name = base[:31 - len(suffix)] + suffix
    return name


def _fill_sheet(workbook, ws, sheet: _Sheet, formats: _Formats) -> None:
    """A sheet: the page's title rows, then its blocks one below the other. Rows and
    columns count from 0, as XlsxWriter does."""
    page = sheet.page
    widths = _column_widths(sheet)
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)
    _line_row(ws, 0, page.title, formats.line(TITLE_PT), len(widths), TITLE_PT)
    row = 1
    if page.subtitle:
        _line_row(ws, 1, page.subtitle, formats.line(SUBTITLE_PT), len(widths), SUBTITLE_PT)
        row = 2
    placed: dict[str, tuple[int, Table]] = {}
    heads_row: int | None = None
    breaks: list[int] = []
    for block in sheet.blocks:
        if isinstance(block, Table):
            top = row - block.repeated  # the repeated heads are the sheet's print titles
            _write_table(ws, block, top, page.font_size, formats)
            if heads_row is None and block.heads:
                heads_row = top + min(block.heads)
            placed[block.name] = (top, block)
            row = top + block.n_rows
            if not page.is_form:
                row += 1  # a blank row before the next block
        elif isinstance(block, Heading):
            _line_row(ws, row, block.text, formats.line(HEADING_PT, "left"), len(widths), HEADING_PT)
            row += 1
        elif isinstance(block, Note):
            _note_row(ws, row, block, formats, widths, page)
            row += 2 if block.kind == "signoff" else 1
        elif isinstance(block, PageBreak):
            breaks.append(row)
        elif block.table in placed:
            row += _add_chart(workbook, ws, block, *placed[block.table], row, _printed_width_cm(widths))
    _print_setup(ws, page, len(widths), row - 1, heads_row, breaks)


def _write_table(ws, table: Table, top: int, size: float, formats: _Formats) -> None:
    """The table with its first row at sheet row `top`, leaving out the rows it repeats
    from the page before (a cell starting there begins below them)."""
    for cell in table.cells:
        if cell.row < table.repeated:
            if cell.row + cell.rowspan <= table.repeated:
                continue
            cell = Cell(table.repeated, cell.col, cell.row + cell.rowspan - table.repeated,
                        cell.colspan, cell.text, cell.classes, cell.value)
        _write_cell(ws, cell, top, size, formats)
    for index, height in enumerate(table.heights):
        if index >= table.repeated:
            ws.set_row(top + index, round(min(height, _MAX_ROW_PT), 1))


def _write_cell(ws, cell: Cell, top: int, size: float, formats: _Formats) -> None:
    row, col = top + cell.row, cell.col
    look = style_of(cell.classes)
    if cell.value is not None:
        style = formats.cell(look, size, number_format(_places_shown(cell.text), "signed" in cell.classes))
    else:
        style = formats.cell(look, size)
    if cell.rowspan > 1 or cell.colspan > 1:
        # the covered cells get the style too: Excel draws a merged range's edges from
        # the cells along them
        ws.merge_range(row, col, row + cell.rowspan - 1, col + cell.colspan - 1, "", style)
    if cell.value is not None:
        ws.write_number(row, col, cell.value, style)
    elif cell.text:
        ws.write_string(row, col, strip_illegal_xml(cell.text), style)
    else:
        ws.write_blank(row, col, None, style)


def _places_shown(text: str) -> int:
    """The decimals a printed number shows ("1,234.50" → 2)."""
    _, dot, decimals = text.rpartition(".")
    return len(decimals) if dot and decimals.isdigit() else 0


def _line_row(ws, row: int, text: str, style, n_cols: int, size: float) -> None:
    ws.merge_range(row, 0, row, n_cols - 1, "", style)
    ws.write_string(row, 0, strip_illegal_xml(text), style)
    ws.set_row(row, round(size * 1.6, 1))


def _note_row(ws, row: int, note: Note, formats: _Formats, widths: list[float], page: Page) -> None:
    """A note or the sign-off line across the sheet, as tall as its wrapped text."""
    size = NOTE_PT if note.kind == "note" else page.font_size
    if note.kind == "signoff":
        row += 1  # a blank row above, as the page leaves space
    style = formats.line(size, "left", wrap=True)
    ws.merge_range(row, 0, row, len(widths) - 1, "", style)
    ws.write_string(row, 0, strip_illegal_xml(note.text), style)
    width_em = printable(page.orientation).width * 72 / 25.4 / size * 0.97
    lines = lines_of(note.text, width_em)
    ws.set_row(row, round(min(lines * size * LINE_HEIGHT + 4, _MAX_ROW_PT), 1))


def _column_widths(sheet: _Sheet) -> list[float]:
    """Each column as wide as the widest any table of the sheet gives it, in Excel's
    units (so that the columns fill the printable width at 100 %)."""
    printable_mm = printable(sheet.page.orientation).width
    widths: list[float] = []
    for table in (block for block in sheet.blocks if isinstance(block, Table)):
        total = sum(table.widths) or 1
        for index, percent in enumerate(table.widths):
            px = printable_mm * percent / total * _PX_PER_MM
            width = round(max(px - _COLUMN_PAD_PX, 0) / _DIGIT_PX, 2)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    return widths or [10.0]


def _printed_width_cm(widths: list[float]) -> float:
    """How wide the columns print, cm (Excel's width units back to pixels at 96 dpi)."""
    return sum(w * _DIGIT_PX + _COLUMN_PAD_PX for w in widths) / _PX_PER_MM / 10


# ---------------------------------------------------------------- charts

def _add_chart(workbook, ws, chart: Chart, top: int, table: Table, row: int, width_cm: float) -> int:
    """A native Excel chart of a table written at `top` (its first row is the head),
    anchored at `row` and as wide as the printed columns; returns the rows it covers.
    Bars run across as in the PDF, but where the chart has a reference line (the time
    elapsed), which Excel draws only over columns."""
    first, last = top + 1, top + table.n_rows - 1
    kind = "column" if chart.kind == "column" or chart.line_at is not None else "bar"
    native = workbook.add_chart({"type": kind})
    highlighted = [{"fill": {"color": f"#{HIGHLIGHT_COLOUR}"}} if i in chart.highlighted else None
                   for i in range(table.n_rows - 1)]
    rows = table.n_rows - 1
    upright = kind == "column" and rows > 8  # names and values upright would run into each other
    labels: dict = {"value": True}
    if upright:
        labels["font"] = {"rotation": -90, "size": 6}
    native.add_series({"name": [ws.name, top, chart.values],
                       "categories": [ws.name, first, chart.labels, last, chart.labels],
                       "values": [ws.name, first, chart.values, last, chart.values],
                       "data_labels": labels, "points": highlighted if chart.highlighted else None})
    native.set_title({"name": chart.title + (f"（红色：{chart.legend}）" if chart.highlighted else "")})
    native.set_legend({"none": True})
    category: dict = {"interval_unit": 1}  # every project's name
    if kind == "bar":
        category.update(reverse=True, crossing="max")  # the first row on top, as in the table
        height_cm = max(7.5, 0.6 * rows + 2.5)
    else:
        height_cm = 9.0 if rows <= 8 else 14.0
        if upright:
            category["num_font"] = {"rotation": -90, "size": 7}
    # XlsxWriter names a bar chart's axes as drawn: its x axis holds the values
    value_axis, category_axis = (native.set_x_axis, native.set_y_axis) if kind == "bar" else \
        (native.set_y_axis, native.set_x_axis)
    category_axis(category)
    value_axis({"min": 0})
    if chart.line_at is not None:
        _add_reference_line(workbook, ws, native, chart, top, table)
    px_per_cm = 96 / 2.54
    native.set_size({"width": round(width_cm * px_per_cm), "height": round(height_cm * px_per_cm)})
    ws.insert_chart(row, 0, native)
    return math.ceil(height_cm / 0.53) + 1  # rows of ~15 pt


def _add_reference_line(workbook, ws, native, chart: Chart, top: int, table: Table) -> None:
    """The time elapsed as a dashed line across the columns: a line series over a
    hidden column beside the table, holding the value for every row."""
    column = table.n_cols
    ws.write_string(top, column, f"{chart.line_label}(%)")
    for r in range(top + 1, top + table.n_rows):
        ws.write_number(r, column, chart.line_at)
    ws.set_column(column, column, None, None, {"hidden": True})
    native.show_hidden_data()  # the hidden column is charted all the same
    line = workbook.add_chart({"type": "line"})
    line.add_series({"name": f"{chart.line_label} {chart.line_at}%",
                     "values": [ws.name, top + 1, column, top + table.n_rows - 1, column],
                     "line": {"color": f"#{HIGHLIGHT_COLOUR}", "dash_type": "dash", "width": 1.5},
                     "marker": {"type": "none"}, "smooth": False})
    native.combine(line)
    native.set_legend({"position": "bottom"})


# ---------------------------------------------------------------- printing

def _print_setup(ws, page: Page, n_cols: int, last_row: int, heads_row: int | None,
                 breaks: list[int]) -> None:
    """A4 in the page's orientation; one page wide, and a form as many pages tall as it
    is laid out on, broken where the layout breaks it (LibreOffice and WPS keep these
    breaks; Excel, fitting to the pages, places its own near them); the column heads
    repeated on every page and, on a summary, frozen on screen."""
    ws.set_paper(_A4)
    if page.orientation == "landscape":
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, len(breaks) + 1 if page.is_form else 0)
    if breaks:
        ws.set_h_pagebreaks(breaks)
    ws.center_horizontally()
    side, top = MARGIN_MM[page.orientation]
    ws.set_margins(left=side / _MM_PER_INCH, right=side / _MM_PER_INCH,
                   top=top / _MM_PER_INCH, bottom=top / _MM_PER_INCH)
    if heads_row is not None:
        ws.repeat_rows(heads_row)
        if not page.is_form:
            ws.freeze_panes(heads_row + 1, 0)
    ws.print_area(0, 0, last_row, n_cols - 1)
    ws.set_footer(_FOOTER, {"margin": top / 3 / _MM_PER_INCH})
    header = ""
    if page.header:
        left, right = page.header
        header = f"&L&8{_header_text(left)}&R&8{_header_text(right)}"
    ws.set_header(header, {"margin": top / 2 / _MM_PER_INCH})


def _header_text(text: str) -> str:
    return strip_illegal_xml(text).replace("&", "&&")  # & starts a code in Excel's header and footer
