"""XLSX: a form on a sheet of its own, a summary on a sheet per section (总体情况,
等级分布, 排名 …), built from the layout with merged ranges, borders, wrapping, the
layout's column widths and row heights, and print setup: A4, the column heads as print
titles, the layout's page breaks, 第N页 共M页 in the footer. A summary's charts are
native Excel charts of its tables.

Text cells are always stored as text: openpyxl would otherwise take `=100.00(%)`, a
target, for a formula. Numeric cells hold the exact number, shown with the decimals
the page prints.
"""
from __future__ import annotations

import math
import re
from copy import copy
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import Legend
from openpyxl.chart.marker import DataPoint, Marker
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.data_source import NumDataSource, NumRef
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RichTextProperties
from openpyxl.chart.text import RichText
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..layout import Cell, Chart, Heading, LaidOut, Note, Page, PageBreak, Table, strip_illegal_xml
from ..layout.grid import HIGHLIGHT_COLOUR
from ..layout.measure import (HEADING_PT, LINE_HEIGHT, MARGIN_MM, NOTE_PT, SUBTITLE_PT, TITLE_PT,
                              lines_of, printable)
from . import file_properties, register
from .cellstyle import BODY_FONT, VALIGN, CellStyle, style_of

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+、")
# Excel's column width unit: the default font's digit (Calibri 11: 7 px at 96 dpi) plus
# 5 px of padding per column.
_PX_PER_MM = 96 / 25.4
_DIGIT_PX, _COLUMN_PAD_PX = 7, 5
_MAX_ROW_PT = 409  # Excel's tallest row
_FOOTER = "第 &P 页 共 &N 页"


class _Styles:
    """The workbook's named styles, one per cell look, made on first use.

    Cells get a style as openpyxl's docs copy one (`cell._style = copy(style)`): setting
    font, border and alignment one by one hashes each against the workbook's tables, and
    took 60 % of the writing time. Excel users get named styles they can change for all
    cells of a kind at once."""

    def __init__(self, workbook: Workbook):
        self._workbook = workbook
        self._made: dict[str, StyleArray] = {}

    def cell(self, style: CellStyle, size: float, number_format: str = "General") -> StyleArray:
        name = f"表格 {style.align} {style.fill or ''} {size:g} {number_format}"
        if name not in self._made:
            fill = PatternFill("solid", fgColor=style.fill) if style.fill else PatternFill()
            self._add(name, Font(name=BODY_FONT, size=size),
                      Alignment(horizontal=style.align, vertical=VALIGN, wrap_text=True),
                      _BORDER, number_format, fill)
        return self._made[name]

    def line(self, size: float, align: str = "center", wrap: bool = False) -> StyleArray:
        """Titles, headings and notes: no border."""
        name = f"文字 {size:g} {align} {wrap}"
        if name not in self._made:
            self._add(name, Font(name=BODY_FONT, size=size),
                      Alignment(horizontal=align, vertical="center", wrap_text=wrap), Border(), "General")
        return self._made[name]

    def _add(self, name: str, font: Font, alignment: Alignment, border: Border, number_format: str,
             fill: PatternFill | None = None) -> None:
        style = NamedStyle(name=name, font=font, alignment=alignment, border=border,
                           number_format=number_format, fill=fill or PatternFill())
        self._workbook.add_named_style(style)
        self._made[name] = style.as_tuple()


def _apply(cell, style: StyleArray) -> None:
    cell._style = copy(style)


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
    workbook = Workbook()
    workbook.remove(workbook.active)
    names: set[str] = set()
    styles = _Styles(workbook)
    for form in forms:
        for sheet in _sheets(form):
            name = sheet_name(sheet.name, names)
            names.add(name.lower())  # Excel compares sheet names case-insensitively
            _fill_sheet(workbook.create_sheet(name), sheet, styles)
    _set_properties(workbook, forms)
    archive = ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True)
    _InMemoryExcelWriter(workbook, archive).save()


class _InMemoryExcelWriter(ExcelWriter):
    """openpyxl's workbook writer, but each sheet's XML is made in memory: openpyxl's
    own goes through a temporary file per sheet, which a full disk leaves behind,
    half-written and complaining when collected, and which costs a file per sheet."""

    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = WorksheetWriter(ws, out=BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


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


def _fill_sheet(ws: Worksheet, sheet: _Sheet, styles: _Styles) -> None:
    """A sheet: the page's title rows, then its blocks one below the other."""
    page = sheet.page
    widths = _column_widths(sheet)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    _line_row(ws, 1, page.title, styles.line(TITLE_PT), len(widths), TITLE_PT)
    row = 2
    if page.subtitle:
        _line_row(ws, 2, page.subtitle, styles.line(SUBTITLE_PT), len(widths), SUBTITLE_PT)
        row = 3
    placed: dict[str, tuple[int, Table]] = {}
    heads_row: int | None = None
    breaks: list[int] = []
    for block in sheet.blocks:
        if isinstance(block, Table):
            top = row - block.repeated  # the repeated heads are the sheet's print titles
            _write_table(ws, block, top, page.font_size, styles)
            if heads_row is None and block.heads:
                heads_row = top + min(block.heads)
            placed[block.name] = (top, block)
            row = top + block.n_rows
            if not page.is_form:
                row += 1  # a blank row before the next block
        elif isinstance(block, Heading):
            _line_row(ws, row, block.text, styles.line(HEADING_PT, "left"), len(widths), HEADING_PT)
            row += 1
        elif isinstance(block, Note):
            _note_row(ws, row, block, styles, widths, page)
            row += 2 if block.kind == "signoff" else 1
        elif isinstance(block, PageBreak):
            breaks.append(row - 1)
        elif block.table in placed:
            row += _add_chart(ws, block, *placed[block.table], row, _printed_width_cm(widths))
    _print_setup(ws, page, len(widths), row - 1, heads_row, breaks)


def _write_table(ws: Worksheet, table: Table, top: int, size: float, styles: _Styles) -> None:
    """The table with its first row at sheet row `top`, leaving out the rows it repeats
    from the page before (a cell starting there begins below them)."""
    for cell in table.cells:
        if cell.row < table.repeated:
            if cell.row + cell.rowspan <= table.repeated:
                continue
            cell = Cell(table.repeated, cell.col, cell.row + cell.rowspan - table.repeated,
                        cell.colspan, cell.text, cell.classes, cell.value)
        _write_cell(ws, cell, top, size, styles)
    for index, height in enumerate(table.heights):
        if index >= table.repeated:
            ws.row_dimensions[top + index].height = round(min(height, _MAX_ROW_PT), 1)


def _write_cell(ws: Worksheet, cell: Cell, top: int, size: float, styles: _Styles) -> None:
    row, col = top + cell.row, cell.col + 1
    target = ws.cell(row=row, column=col)
    look = style_of(cell.classes)
    if cell.value is not None:
        target.value = cell.value
        style = styles.cell(look, size, number_format(_places_shown(cell.text), "signed" in cell.classes))
    else:
        if cell.text:
            _set_text(target, cell.text)
        style = styles.cell(look, size)
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


def _places_shown(text: str) -> int:
    """The decimals a printed number shows ("1,234.50" → 2)."""
    _, dot, decimals = text.rpartition(".")
    return len(decimals) if dot and decimals.isdigit() else 0


def _merge(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Record a merged range. (Worksheet.merge_cells, and MergedCellRange, would also
    rebuild the border of every edge cell, which the cells here already have: that
    was a fifth of the writing time.)"""
    ws.merged_cells.add(CellRange(min_row=first_row, min_col=first_col,
                                  max_row=last_row, max_col=last_col))


def _set_text(target, text: str) -> None:
    target.value = text
    target.data_type = "s"  # never a formula, whatever the text starts with


def _line_row(ws: Worksheet, row: int, text: str, style: StyleArray, n_cols: int, size: float) -> None:
    cell = ws.cell(row=row, column=1)
    _set_text(cell, text)
    _apply(cell, style)
    _merge(ws, row, 1, row, n_cols)
    ws.row_dimensions[row].height = round(size * 1.6, 1)


def _note_row(ws: Worksheet, row: int, note: Note, styles: _Styles, widths: list[float], page: Page) -> None:
    """A note or the sign-off line across the sheet, as tall as its wrapped text."""
    size = NOTE_PT if note.kind == "note" else page.font_size
    if note.kind == "signoff":
        row += 1  # a blank row above, as the page leaves space
    cell = ws.cell(row=row, column=1)
    _set_text(cell, note.text)
    _apply(cell, styles.line(size, "left", wrap=True))
    _merge(ws, row, 1, row, len(widths))
    width_em = printable(page.orientation).width * 72 / 25.4 / size * 0.97
    lines = lines_of(note.text, width_em)
    ws.row_dimensions[row].height = round(min(lines * size * LINE_HEIGHT + 4, _MAX_ROW_PT), 1)


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

def _add_chart(ws: Worksheet, chart: Chart, top: int, table: Table, row: int, width_cm: float) -> int:
    """A native Excel chart of a table written at `top` (its first row is the head),
    anchored at `row` and as wide as the printed columns; returns the rows it covers.
    Bars run across as in the PDF, but where the chart has a reference line (the time
    elapsed), which Excel draws only over columns."""
    first, last = top + 1, top + table.n_rows - 1
    native = BarChart()
    native.type = "col" if chart.kind == "column" or chart.line_at is not None else "bar"
    native.title = chart.title + (f"（红色：{chart.legend}）" if chart.highlighted else "")
    native.add_data(Reference(ws, min_col=chart.values + 1, min_row=top, max_row=last), titles_from_data=True)
    native.set_categories(Reference(ws, min_col=chart.labels + 1, min_row=first, max_row=last))
    series = native.series[0]
    series.dLbls = DataLabelList(showVal=True, showCatName=False, showSerName=False,
                                 showLegendKey=False, showPercent=False)
    for index in sorted(chart.highlighted):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = HIGHLIGHT_COLOUR
        series.dPt.append(point)
    native.y_axis.scaling.min = 0
    native.x_axis.delete = native.y_axis.delete = False
    native.x_axis.tickLblSkip = 1  # every project's name
    native.legend = None
    rows = table.n_rows - 1
    native.width = width_cm
    if native.type == "bar":
        native.x_axis.scaling.orientation = "maxMin"  # the first row on top, as in the table
        native.y_axis.crosses = "max"
        native.height = max(7.5, 0.6 * rows + 2.5)
    else:
        native.height = 9.0 if rows <= 8 else 14.0
        if rows > 8:  # names and values upright would run into each other
            native.x_axis.txPr = _text_properties(700, rotate=-5400000)
            series.dLbls.txPr = _text_properties(600, rotate=-5400000)
    if chart.line_at is not None:
        _add_reference_line(ws, native, chart, top, table)
    ws.add_chart(native, f"A{row}")
    return math.ceil(native.height / 0.53) + 1  # rows of ~15 pt


def _text_properties(size: int, rotate: int = 0) -> RichText:
    """Chart text in `size` hundredths of a point, turned by `rotate` 60000ths of a degree."""
    return RichText(bodyPr=RichTextProperties(rot=rotate, vert="horz"),
                    p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=size)),
                                 endParaRPr=CharacterProperties(sz=size))])


def _add_reference_line(ws: Worksheet, native: BarChart, chart: Chart, top: int, table: Table) -> None:
    """The time elapsed as a dashed line across the columns: a line series over a
    hidden column beside the table, holding the value for every row."""
    column = table.n_cols + 1
    letter = get_column_letter(column)
    _set_text(ws.cell(row=top, column=column), f"{chart.line_label}(%)")
    for r in range(top + 1, top + table.n_rows):
        ws.cell(row=r, column=column, value=chart.line_at)
    ws.column_dimensions[letter].hidden = True
    native.visible_cells_only = False  # the hidden column is charted all the same
    line = LineChart()
    values = NumRef(f=f"{quote_sheetname(ws.title)}!${letter}${top + 1}:${letter}${top + table.n_rows - 1}")
    series = Series(val=NumDataSource(numRef=values),
                    tx=SeriesLabel(v=f"{chart.line_label} {chart.line_at}%"))
    series.marker = Marker(symbol="none")
    series.smooth = False
    series.graphicalProperties = GraphicalProperties(
        ln=LineProperties(solidFill=HIGHLIGHT_COLOUR, prstDash="dash", w=19050))
    line.series.append(series)
    line.y_axis.axId = native.y_axis.axId  # the bars' value axis
    line.y_axis.delete = True
    native += line
    native.legend = Legend(legendPos="b")


# ---------------------------------------------------------------- printing

def _print_setup(ws: Worksheet, page: Page, n_cols: int, last_row: int, heads_row: int | None,
                 breaks: list[int]) -> None:
    """A4 in the page's orientation; one page wide, and a form as many pages tall as it
    is laid out on, broken where the layout breaks it (LibreOffice and WPS keep these
    breaks; Excel, fitting to the pages, places its own near them); the column heads
    repeated on every page and, on a summary, frozen on screen."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = page.orientation
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = len(breaks) + 1 if page.is_form else 0
    for row in breaks:
        ws.row_breaks.append(Break(id=row))
    ws.print_options.horizontalCentered = True
    side, top = MARGIN_MM[page.orientation]
    ws.page_margins.left = ws.page_margins.right = side / 25.4
    ws.page_margins.top = ws.page_margins.bottom = top / 25.4
    ws.page_margins.header, ws.page_margins.footer = top / 2 / 25.4, top / 3 / 25.4
    if heads_row is not None:
        ws.print_title_rows = f"{heads_row}:{heads_row}"
        if not page.is_form:
            ws.freeze_panes = f"A{heads_row + 1}"
    ws.print_area = f"A1:{get_column_letter(n_cols)}{last_row}"
    ws.oddFooter.center.text = _FOOTER
    ws.oddFooter.center.size = 8
    if page.header:
        left, right = page.header
        ws.oddHeader.left.text, ws.oddHeader.right.text = _header_text(left), _header_text(right)
        ws.oddHeader.left.size = ws.oddHeader.right.size = 8


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # & starts a code in Excel's header and footer


def _set_properties(workbook: Workbook, forms: list[LaidOut]) -> None:
    info, props = file_properties(forms), workbook.properties
    props.title, props.subject = info.title, info.subject
    props.creator = props.lastModifiedBy = info.author
    props.created = props.modified = info.created
    props.language = "zh-CN"
