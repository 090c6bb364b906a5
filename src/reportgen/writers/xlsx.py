"""XLSX: a form on a sheet of its own, a summary on a sheet per section (总体情况,
等级分布, 排名 …), built from the layout with merged ranges, borders, wrapping, the
layout's column widths and row heights, and print setup: A4, the column heads as print
titles, the layout's page breaks, 第N页 共M页 in the footer. A summary's charts are
native Excel charts of its tables (xlsx_chart.py).

Each sheet is written as SpreadsheetML in one piece, straight from the grid, into the
package of xlsx_package.py: with XlsxWriter's per-cell calls and its fixed set of parts a
form took 5 ms, this way 0.7 (the seeds' forms, one core). (openpyxl still reads
workbooks: readers/excel.py.) Text cells are always stored as text, in the shared string
table, never taken for a formula (`=100.00(%)` is a target); numeric cells hold the
layout's exact number, shown with the decimals the page prints.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO

from ..layout import Cell, Chart, Heading, LaidOut, Note, Page, PageBreak, Table, strip_illegal_xml
from ..layout.measure import (HEADING_PT, LINE_HEIGHT, MARGIN_MM, NOTE_PT, SUBTITLE_PT, TITLE_PT,
                              lines_of, printable)
from . import file_properties, register
from .cellstyle import style_of
from .xlsx_chart import Series, chart_xml
from .xlsx_package import MAX_STRING, Package, quote_sheet

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+、")
# Excel's column width unit: the default font's digit (Calibri 11: 7 px at 96 dpi) plus
# 5 px of padding per column.
_PX_PER_MM = 96 / 25.4
_DIGIT_PX, _COLUMN_PAD_PX = 7, 5
_MAX_ROW_PT = 409  # Excel's tallest row
_FOOTER_XML = "&amp;C&amp;8第 &amp;P 页 共 &amp;N 页"  # &C&8第 &P 页 共 &N 页
_A4 = 9  # Excel's paper size code
_MM_PER_INCH = 25.4
_DEFAULT_ROW_PX, _DEFAULT_COLUMN_PX = 20, 64  # 15 pt; 8.43 characters
_MAX_BREAKS = 1023  # manual page breaks Excel keeps on a sheet
_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


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
    package = Package(file_properties(forms))
    names: set[str] = set()
    for form in forms:
        for sheet in _sheets(form):
            name = sheet_name(sheet.name, names)
            names.add(name.lower())  # Excel compares sheet names case-insensitively
            _SheetWriter(package, name, sheet).write()
    package.write(out)


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


@lru_cache(maxsize=64)
def column_letter(index: int) -> str:
    """A column's letters, counting from 0 (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_pixels(points: float) -> int:
    """A row's height as Excel keeps it, in whole pixels at 96 dpi (¾ pt each)."""
    return int(min(points, _MAX_ROW_PT) * 4 / 3 + 0.5)


def _column_pixels(width: float) -> int:
    """A column's width in pixels, padding included, given in characters of the
    default font (as Excel converts it)."""
    if width <= 0:
        return 0
    return int(width * _DIGIT_PX + 0.5) + _COLUMN_PAD_PX if width >= 1 else \
        int(width * (_DIGIT_PX + _COLUMN_PAD_PX) + 0.5)


def _column_width(width: float) -> str:
    """A column width as the file holds it: whole pixels, the padding included, in
    characters of the default font to 1/256."""
    return f"{_column_pixels(width) * 256 // _DIGIT_PX / 256:.16g}"


class _SheetWriter:
    """One sheet's XML: the page's title rows, then its blocks one below the other.
    Rows and columns count from 0 here, as the layout's do; the XML's from 1."""

    def __init__(self, package: Package, name: str, sheet: _Sheet) -> None:
        self.package, self.name, self.sheet = package, name, sheet
        self.rows: dict[int, list[str | None]] = {}  # row → its <c> by column (None: no cell)
        self.heights: dict[int, int] = {}  # row → pixels
        self.merges: list[str] = []
        self.charts: list[tuple[int, int, int, str]] = []
        self.hidden: int | None = None  # the column the reference line's values are in
        self.styles: dict[tuple, int] = {}  # (classes, decimals or -1) → cell format
        self.widths = _column_widths(sheet)
        self.n_cols = len(self.widths) + 1  # and the reference line's hidden column
        self.letters = [column_letter(i) for i in range(self.n_cols)]

    def write(self) -> None:
        sheet, page, widths = self.sheet, self.sheet.page, self.widths
        self._line_row(0, page.title, TITLE_PT, "center", False, len(widths))
        row = 1
        if page.subtitle:
            self._line_row(1, page.subtitle, SUBTITLE_PT, "center", False, len(widths))
            row = 2
        placed: dict[str, tuple[int, Table]] = {}
        heads_row: int | None = None
        breaks: list[int] = []
        for block in sheet.blocks:
            if isinstance(block, Table):
                top = row - block.repeated  # the repeated heads are the sheet's print titles
                self._table(block, top, page.font_size)
                if heads_row is None and block.heads:
                    heads_row = top + min(block.heads)
                placed[block.name] = (top, block)
                row = top + block.n_rows
                if not page.is_form:
                    row += 1  # a blank row before the next block
            elif isinstance(block, Heading):
                self._line_row(row, block.text, HEADING_PT, "left", False, len(widths))
                row += 1
            elif isinstance(block, Note):
                self._note_row(row, block, widths, page)
                row += 2 if block.kind == "signoff" else 1
            elif isinstance(block, PageBreak):
                breaks.append(row)
            elif block.table in placed:
                row += self._chart(block, *placed[block.table], row, widths)
        self._finish(widths, row - 1, heads_row, breaks)

    # ------------------------------------------------------------ cells

    def _row(self, row: int) -> list[str | None]:
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = [None] * self.n_cols
        return cells

    def _cell(self, row: int, col: int, style: int | None, text: str = "", number: str = "") -> None:
        """A cell (a later one in its place replaces it): text, a number or blank, in a
        format (None: the default)."""
        s = f' s="{style}"' if style is not None else ""
        ref = f"{self.letters[col]}{row + 1}"
        index = self.package.string(text) if text and not number else -1
        if number:
            xml = f'<c r="{ref}"{s}><v>{number}</v></c>'
        elif index >= 0:
            xml = f'<c r="{ref}"{s} t="s"><v>{index}</v></c>'
        else:
            xml = f'<c r="{ref}"{s}/>'
        self._row(row)[col] = xml

    def _table(self, table: Table, top: int, size: float) -> None:
        """The table with its first row at sheet row `top`, leaving out the rows it repeats
        from the page before (a cell starting there begins below them)."""
        repeated, letters, string, styles = table.repeated, self.letters, self.package.string, self.styles
        rows = {r: self._row(top + r) for r in range(repeated, table.n_rows)}
        for cell in table.cells:
            if cell.row < repeated:
                if cell.row + cell.rowspan <= repeated:
                    continue
                cell = Cell(repeated, cell.col, cell.row + cell.rowspan - repeated,
                            cell.colspan, cell.text, cell.classes, cell.value)
            value = cell.value
            number = ""
            if value is not None and value.is_finite():  # no infinite number in a cell: its text then
                number = str(value)
                key = (cell.classes, _places_shown(cell.text))
            else:
                key = (cell.classes, -1)
            style = styles.get(key)
            if style is None:
                look = style_of(cell.classes)
                code = number_format(key[1], "signed" in cell.classes) if number else "General"
                style = styles[key] = self.package.xf(size, look.align, True, True, look.fill, code)
            r, col, xml_row = cell.row, cell.col, top + cell.row + 1
            if cell.rowspan > 1 or cell.colspan > 1:
                # the covered cells get the style too: Excel draws a merged range's edges from
                # the cells along them
                last_col = col + cell.colspan - 1
                self.merges.append(f"{letters[col]}{xml_row}:{letters[last_col]}{xml_row + cell.rowspan - 1}")
                for covered in range(r, r + cell.rowspan):
                    cells = rows[covered]
                    for c in range(col, last_col + 1):
                        cells[c] = f'<c r="{letters[c]}{top + covered + 1}" s="{style}"/>'
            if number:
                xml = f'<c r="{letters[col]}{xml_row}" s="{style}"><v>{number}</v></c>'
            elif cell.text and (index := string(cell.text)) >= 0:
                xml = f'<c r="{letters[col]}{xml_row}" s="{style}" t="s"><v>{index}</v></c>'
            else:
                xml = f'<c r="{letters[col]}{xml_row}" s="{style}"/>'
            rows[r][col] = xml
        for index, height in enumerate(table.heights):
            if index >= repeated:
                self.heights[top + index] = _row_pixels(height)

    def _line_row(self, row: int, text: str, size: float, align: str, wrap: bool, n_cols: int) -> None:
        """Titles, headings and notes: one cell across the sheet, no border."""
        style = self.package.xf(size, align, wrap, False)
        self._cell(row, 0, style, text)
        for col in range(1, n_cols):
            self._cell(row, col, style)
        if n_cols > 1:
            self.merges.append(f"A{row + 1}:{self.letters[n_cols - 1]}{row + 1}")
        self.heights[row] = _row_pixels(round(size * 1.6, 1))

    def _note_row(self, row: int, note: Note, widths: list[float], page: Page) -> None:
        """A note or the sign-off line across the sheet, as tall as its wrapped text."""
        size = NOTE_PT if note.kind == "note" else page.font_size
        if note.kind == "signoff":
            row += 1  # a blank row above, as the page leaves space
        self._line_row(row, note.text, size, "left", True, len(widths))
        width_em = printable(page.orientation).width * 72 / 25.4 / size * 0.97
        lines = lines_of(note.text, width_em)
        self.heights[row] = _row_pixels(round(min(lines * size * LINE_HEIGHT + 4, _MAX_ROW_PT), 1))

    # ------------------------------------------------------------ charts

    def _chart(self, chart: Chart, top: int, table: Table, row: int, widths: list[float]) -> int:
        """A native Excel chart of a table written at `top` (its first row is the head),
        anchored at `row` and as wide as the printed columns; returns the rows it covers.
        Bars run across as in the PDF, but where the chart has a reference line (the time
        elapsed), which Excel draws only over columns."""
        first, last = top + 2, top + table.n_rows  # the data rows, counting from 1
        kind = "column" if chart.kind == "column" or chart.line_at is not None else "bar"
        rows = table.n_rows - 1
        upright = kind == "column" and rows > 8  # names and values upright would run into each other
        sheet = quote_sheet(self.name)
        at = {(cell.row, cell.col): cell for cell in table.cells}

        def column(col: int) -> str:
            letter = column_letter(col)
            return f"{sheet}!${letter}${first}:${letter}${last}"

        def text(r: int, col: int) -> str:
            cell = at.get((r, col))
            return strip_illegal_xml(cell.text)[:MAX_STRING] if cell is not None else ""

        def value(r: int, col: int) -> str:
            cell = at.get((r, col))
            return str(cell.value) if cell is not None and cell.value is not None and cell.value.is_finite() else ""

        bars = Series(f"{sheet}!${column_letter(chart.values)}${top + 1}", text(0, chart.values),
                      column(chart.values), [value(r, chart.values) for r in range(1, table.n_rows)])
        line = None
        if chart.line_at is not None:
            line = self._reference_line(chart, top, table, widths, column)
        title = chart.title + (f"（红色：{chart.legend}）" if chart.highlighted else "")
        xml = chart_xml(kind, strip_illegal_xml(title), bars, column(chart.labels),
                        [text(r, chart.labels) for r in range(1, table.n_rows)],
                        chart.highlighted, upright, line)
        if kind == "bar":
            height_cm = max(7.5, 0.6 * rows + 2.5)
        else:
            height_cm = 9.0 if rows <= 8 else 14.0
        px_per_cm = 96 / 2.54
        self.charts.append((row, round(_printed_width_cm(widths) * px_per_cm), round(height_cm * px_per_cm), xml))
        return math.ceil(height_cm / 0.53) + 1  # rows of ~15 pt

    def _reference_line(self, chart: Chart, top: int, table: Table, widths: list[float],
                        column: Callable[[int], str]) -> Series:
        """The time elapsed as a dashed line across the columns: a line series over a
        hidden column beside the sheet's columns, holding the value for every row."""
        col = self.hidden = len(widths)
        name = f"{chart.line_label}(%)"
        self._cell(top, col, None, name)
        value = str(chart.line_at)
        for r in range(top + 1, top + table.n_rows):
            self._cell(r, col, None, number=value)
        return Series("", strip_illegal_xml(f"{chart.line_label} {chart.line_at}%"), column(col),
                      [value] * (table.n_rows - 1))

    # ------------------------------------------------------------ the sheet

    def _finish(self, widths: list[float], last_row: int, heads_row: int | None, breaks: list[int]) -> None:
        """The sheet's XML, with its print setup: A4 in the page's orientation; one page
        wide, and a form as many pages tall as it is laid out on, broken where the layout
        breaks it (LibreOffice and WPS keep these breaks; Excel, fitting to the pages,
        places its own near them); the column heads repeated on every page and, on a
        summary, frozen on screen."""
        page = self.sheet.page
        n_cols = len(widths)
        first_sheet = not self.package.sheets
        view = ' tabSelected="1"' if first_sheet else ""
        if heads_row is not None and not page.is_form:
            below = heads_row + 1
            view = (f'<sheetView{view} workbookViewId="0"><pane ySplit="{below}" topLeftCell="A{below + 1}" '
                    'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>')
        else:
            view = f'<sheetView{view} workbookViewId="0"/>'
        cols = "".join(f'<col min="{i}" max="{i}" width="{_column_width(w)}" customWidth="1"/>'
                       for i, w in enumerate(widths, 1))
        if self.hidden is not None:
            cols += f'<col min="{self.hidden + 1}" max="{self.hidden + 1}" width="0" hidden="1" customWidth="1"/>'
        data = []
        heights = self.heights
        for r in sorted(self.rows.keys() | heights.keys()):
            cells = self.rows.get(r)
            height = heights.get(r)
            attributes = f' ht="{height * 0.75:g}" customHeight="1"' if height is not None else ""
            if cells:
                data.append(f'<row r="{r + 1}"{attributes}>{"".join(filter(None, cells))}</row>')
            else:
                data.append(f'<row r="{r + 1}"{attributes}/>')
        last_col = max(n_cols - 1, self.hidden or 0)
        last_data = max(self.rows.keys() | heights.keys(), default=0)
        side, top = MARGIN_MM[page.orientation]
        inch = _MM_PER_INCH
        header = ""
        if page.header:
            left, right = page.header
            header = f"<oddHeader>{_xml(f'&L&8{_header_text(left)}&R&8{_header_text(right)}')}</oddHeader>"
        pages = len(breaks) + 1
        breaks = sorted({b for b in breaks if b > 0})[:_MAX_BREAKS]
        row_breaks = (f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">'
                      + "".join(f'<brk id="{b}" max="16383" man="1"/>' for b in breaks) + "</rowBreaks>"
                      if breaks else "")
        merges = (f'<mergeCells count="{len(self.merges)}">'
                  + "".join(f'<mergeCell ref="{m}"/>' for m in self.merges) + "</mergeCells>"
                  if self.merges else "")
        xml = (f"<worksheet {_NS}><sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"
               f'<dimension ref="A1:{column_letter(last_col)}{last_data + 1}"/>'
               f"<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
               f"<cols>{cols}</cols><sheetData>{''.join(data)}</sheetData>{merges}"
               '<printOptions horizontalCentered="1"/>'
               f'<pageMargins left="{side / inch!r}" right="{side / inch!r}" top="{top / inch!r}" '
               f'bottom="{top / inch!r}" header="{top / 2 / inch!r}" footer="{top / 3 / inch!r}"/>'
               f'<pageSetup paperSize="{_A4}" fitToWidth="1" '
               f'fitToHeight="{pages if page.is_form else 0}" orientation="{page.orientation}"/>'
               f"<headerFooter>{header}<oddFooter>{_FOOTER_XML}</oddFooter></headerFooter>{row_breaks}"
               + ('<drawing r:id="rId1"/>' if self.charts else "") + "</worksheet>")
        titles = f"${heads_row + 1}:${heads_row + 1}" if heads_row is not None else None
        charts = [(self._anchor(row, width, height, widths), xml) for row, width, height, xml in self.charts]
        self.package.add_sheet(self.name, xml, charts,
                               print_area=f"$A$1:${column_letter(n_cols - 1)}${last_row + 1}",
                               print_titles=titles)

    def _anchor(self, row: int, width: int, height: int, widths: list[float]) -> tuple[int, ...]:
        """Where a chart of `width` × `height` pixels with its top left at column A of
        `row` ends: its bottom right cell and the pixels into it, as Excel counts them
        (a hidden column has none, a row without a height of its own 20)."""
        columns = [_column_pixels(w) for w in widths] + [0] * (self.hidden is not None)
        col = 0
        while width >= (columns[col] if col < len(columns) else _DEFAULT_COLUMN_PX):
            width -= columns[col] if col < len(columns) else _DEFAULT_COLUMN_PX
            col += 1
        end = row
        while height >= self.heights.get(end, _DEFAULT_ROW_PX):
            height -= self.heights.get(end, _DEFAULT_ROW_PX)
            end += 1
        return row, col, width, end, height


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _places_shown(text: str) -> int:
    """The decimals a printed number shows ("1,234.50" → 2)."""
    _, dot, decimals = text.rpartition(".")
    return len(decimals) if dot and decimals.isdigit() else 0


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


def _header_text(text: str) -> str:
    return strip_illegal_xml(text).replace("&", "&&")  # & starts a code in Excel's header and footer
