"""PDF, the default engine: the laid-out pages printed straight into PDF drawing
operators, with a subset of the CJK face embedded.

Layout has already decided everything a page shows: the column widths, each row's
height, where a form continues on a new page with its column heads repeated, the size
its text is shrunk to, and (through layout/measure.break_lines) the line each word
goes on. What is left is to place it: borders, fills, each line of text at its place
in its cell, a page number under each page. A form is about a millisecond of Python
and its font subset (pdf_font.py) another, against WeasyPrint's quarter of a second
for the same page from HTML and CSS; `--pdf-engine weasyprint` (pdf_weasyprint.py)
prints the HTML templates with their stylesheet instead, for users who restyle them.

Summaries are not broken into pages by the layout; here their tables continue on a
new page where the page ends, their column heads repeated, and a heading never ends a
page.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO

from .. import __version__
from ..layout import Chart, Heading, LaidOut, Note, Page, PageBreak, Table
from ..layout.columns import WRAP_SLACK
from ..layout.measure import (BORDER_PT, CELL_PAD_X_MM, HEADING_PT, LINE_HEIGHT,
                              MARGIN_MM, MM_PER_PT, PAGE_MM, SUBTITLE_GAP_MM, SUBTITLE_PT,
                              TITLE_GAP_MM, TITLE_PT, break_lines, cell_extra_mm)
from . import file_properties, register
from .cellstyle import style_of
from .pdf_font import face, subset_tag

PT_PER_MM = 1 / MM_PER_PT
FOOTER_PT = 8.0
NOTE_PT = 8.0  # p.note in styles/form.css
HEAD_GREY = 0.933  # #eeeeee, the column heads' fill
# Space around blocks, mm (styles/form.css)
HEADING_ABOVE_MM, HEADING_BELOW_MM = 4.0, 2.0
TABLE_BELOW_MM = 1.0  # a summary's tables
NOTE_BELOW_MM = 2.0
SIGNOFF_ABOVE_MM = 8.0
CHART_ABOVE_MM, CHART_BELOW_MM = 2.0, 4.0
HEADER_GAP_MM = 3.0  # between the running header and the page's content
COMPRESSION = 6  # zlib level of the page contents (text operators shrink to a fifth)


def _font_size_to_baseline(size: float) -> float:
    """From the top of a line (1.25 em) to its baseline, the CJK em box centred in it."""
    font = face()
    ascent = font.ascent / 1000
    return size * ((LINE_HEIGHT - (ascent - font.descent / 1000)) / 2 + ascent)


class _Text:
    """The file's text in the subset's glyph numbers (CIDs), handed out as characters
    are first printed, and the characters the face has no glyph for."""

    def __init__(self) -> None:
        self.face = face()
        self.glyphs: list[int] = []  # CID - 1 → glyph
        self.unicode: dict[int, str] = {}  # CID → the character it prints
        self.missing: set[str] = set()
        self._codes: dict[str, tuple[str, int]] = {}  # character → its CID in hex, its advance
        self._cids: dict[int, int] = {}  # glyph → CID

    def _code(self, char: str) -> tuple[str, int]:
        glyph = self.face.glyph_of.get(ord(char))
        if glyph is None:
            self.missing.add(char)
            code = self._codes[char] = ("0000", self.face.advance(0))
            return code
        cid = self._cids.get(glyph)
        if cid is None:
            self.glyphs.append(glyph)
            cid = self._cids[glyph] = len(self.glyphs)
            self.unicode[cid] = char
        code = self._codes[char] = (f"{cid:04X}", self.face.advance(glyph))
        return code

    def encode(self, text: str) -> tuple[str, int]:
        """The text as a hex string of CIDs, and its width in thousandths of an em."""
        codes = self._codes
        pairs = [codes.get(char) or self._code(char) for char in text]
        return "".join(hex_code for hex_code, _ in pairs), sum(width for _, width in pairs)

    def width(self, text: str) -> int:
        """A text's width in thousandths of an em."""
        return self.encode(text)[1]


@dataclass
class _Sheet:
    """One PDF page being drawn: its size (pt) and its content operators."""

    width: float
    height: float
    ops: list[str] = field(default_factory=list)


class _Printer:
    """Draws laid-out pages onto PDF pages, top to bottom."""

    def __init__(self) -> None:
        self.text = _Text()
        self.sheets: list[_Sheet] = []
        self.page: Page | None = None
        self.y = 0.0  # from the top of the sheet, pt
        self.bottom = 0.0

    # -------------------------------------------------------------- pages

    def new_sheet(self) -> None:
        assert self.page is not None
        (width, height), (side, top) = PAGE_MM[self.page.orientation], MARGIN_MM[self.page.orientation]
        sheet = _Sheet(width * PT_PER_MM, height * PT_PER_MM)
        self.sheets.append(sheet)
        self.left = side * PT_PER_MM
        self.content_width = sheet.width - 2 * self.left
        self.top = top * PT_PER_MM
        self.y, self.bottom = self.top, sheet.height - self.top
        if self.page.header:
            self.header(*self.page.header)

    def room(self) -> float:
        return self.bottom - self.y

    @property
    def ops(self) -> list[str]:
        return self.sheets[-1].ops

    def print_form(self, form: LaidOut) -> None:
        page = self.page = form.grid
        self.new_sheet()
        self.line(page.title, TITLE_PT, "center")
        self.y += TITLE_GAP_MM * PT_PER_MM
        if page.subtitle:
            self.line(page.subtitle, SUBTITLE_PT, "center")
            self.y += SUBTITLE_GAP_MM * PT_PER_MM
        blocks = page.blocks
        for index, block in enumerate(blocks):
            if isinstance(block, Table):
                self.table(block, page.font_size, last=index == len(blocks) - 1)
            elif isinstance(block, Heading):
                self.heading(block, blocks[index + 1] if index + 1 < len(blocks) else None)
            elif isinstance(block, Chart):
                self.chart(block)
            elif isinstance(block, Note):
                self.note(block)
            elif isinstance(block, PageBreak):
                self.new_sheet()

    # -------------------------------------------------------------- text

    def show(self, text: str, size: float, x: float, baseline: float) -> None:
        """One line of text, its baseline `baseline` pt from the top of the sheet."""
        if not text:
            return
        hex_text, _ = self.text.encode(text)
        y = self.sheets[-1].height - baseline
        self.ops.append(f"BT /F1 {size:g} Tf {x:.2f} {y:.2f} Td <{hex_text}> Tj ET")

    def aligned(self, text: str, size: float, left: float, width: float, align: str,
                top: float) -> None:
        """A line in a box `width` wide from `left`, aligned left, centre or right."""
        if align == "left":
            x = left
        else:
            line_width = self.text.width(text) * size / 1000
            x = left + (width - line_width) / (2 if align == "center" else 1)
        self.show(text, size, x, top + _font_size_to_baseline(size))

    def line(self, text: str, size: float, align: str) -> None:
        """A line across the page (a title), wrapped should it be wider."""
        for part in break_lines(text, self.content_width / size):
            self.aligned(part, size, self.left, self.content_width, align, self.y)
            self.y += size * LINE_HEIGHT

    def header(self, left: str, right: str) -> None:
        baseline = self.top - HEADER_GAP_MM * PT_PER_MM - FOOTER_PT * 0.3
        self.show(left, FOOTER_PT, self.left, baseline)
        width = self.text.width(right) * FOOTER_PT / 1000
        self.show(right, FOOTER_PT, self.left + self.content_width - width, baseline)

    # -------------------------------------------------------------- blocks

    def heading(self, block: Heading, following) -> None:
        height = (HEADING_ABOVE_MM + HEADING_BELOW_MM) * PT_PER_MM + HEADING_PT * LINE_HEIGHT
        if self.room() < height + self._first_height(following):
            self.new_sheet()  # a heading goes on the page of what it heads
        else:
            self.y += HEADING_ABOVE_MM * PT_PER_MM
        self.line(block.text, HEADING_PT, "left")
        self.y += HEADING_BELOW_MM * PT_PER_MM

    def _first_height(self, block) -> float:
        if isinstance(block, Table):
            return sum(block.heights[:block.leading_heads() + 1])
        if isinstance(block, Chart):
            return self._chart_size(block)[1]
        return 0.0

    def note(self, block: Note) -> None:
        size = NOTE_PT if block.kind == "note" else 9.0
        if block.kind == "signoff":
            self.y += SIGNOFF_ABOVE_MM * PT_PER_MM
        lines = break_lines(block.text, self.content_width / size)
        if self.room() < len(lines) * size * LINE_HEIGHT:
            self.new_sheet()
        for part in lines:
            self.aligned(part, size, self.left, self.content_width, "left", self.y)
            self.y += size * LINE_HEIGHT
        if block.kind in ("note", "para"):
            self.y += NOTE_BELOW_MM * PT_PER_MM

    def _chart_size(self, chart: Chart) -> tuple[float, float]:
        width = self.content_width * chart.width / 100
        return width, width * chart.vector.height / chart.vector.width

    def chart(self, chart: Chart) -> None:
        """The chart's shapes and text, scaled to its width and centred."""
        from ..layout.vector import Label  # matplotlib's: loaded where there are charts

        width, height = self._chart_size(chart)
        if self.room() < (CHART_ABOVE_MM + CHART_BELOW_MM) * PT_PER_MM + height:
            self.new_sheet()
        self.y += CHART_ABOVE_MM * PT_PER_MM
        scale = width / chart.vector.width
        x = self.left + (self.content_width - width) / 2
        y = self.sheets[-1].height - self.y - height
        ops = self.ops
        ops.append(f"q {scale:.5f} 0 0 {scale:.5f} {x:.2f} {y:.2f} cm")
        for item in chart.vector.items:
            if isinstance(item, Label):
                self._label(item)
            else:
                ops.append(_shape_ops(item))
        ops.append("Q")
        self.y += height + CHART_BELOW_MM * PT_PER_MM

    def _label(self, label) -> None:
        hex_text, _ = self.text.encode(label.text)
        turn = math.radians(label.angle)
        cos, sin = math.cos(turn), math.sin(turn)
        r, g, b = label.colour
        self.ops.append(f"{r:g} {g:g} {b:g} rg BT /F1 {label.size:g} Tf {cos:.4f} {sin:.4f} {-sin:.4f} "
                        f"{cos:.4f} {label.x:.2f} {label.y:.2f} Tm <{hex_text}> Tj ET 0 g")

    # -------------------------------------------------------------- tables

    def table(self, table: Table, size: float, last: bool) -> None:
        """Draw a table from the current height down, continued on new pages where the
        page ends (at rows no cell spans across, and not before a closing row), the
        column heads repeated."""
        widths = [self.content_width * w / 100 for w in table.widths]
        heights = table.heights
        rows = table.rows()
        heads = table.leading_heads()
        groups = _row_groups(table)
        placed: dict[int, float] = {}  # row → its top on the current sheet
        for group in groups:
            need = sum(heights[r] for r in group)
            if self.room() < need and group[0] > heads and placed:
                self._draw_rows(table, rows, placed, widths, size)
                self.new_sheet()
                placed = {}
                for row in range(heads):
                    placed[row] = self.y
                    self.y += heights[row]
            for row in group:
                placed[row] = self.y
                self.y += heights[row]
        self._draw_rows(table, rows, placed, widths, size)
        self.y += BORDER_PT
        if self.page is not None and not self.page.is_form and not last:
            self.y += TABLE_BELOW_MM * PT_PER_MM

    def _draw_rows(self, table: Table, rows, placed: dict[int, float], widths: list[float],
                   size: float) -> None:
        """Draw the cells of the rows placed on this sheet; a cell spanning rows is cut
        to those on the sheet."""
        if not placed:
            return
        sheet_height = self.sheets[-1].height
        lefts = [self.left]
        for width in widths:
            lefts.append(lefts[-1] + width)
        fills, borders, texts = [], [], []
        pad_x = CELL_PAD_X_MM * PT_PER_MM
        em = size * MM_PER_PT
        for row in placed:
            for cell in rows[row]:
                spanned = [r for r in range(cell.row, cell.row + cell.rowspan) if r in placed]
                top = placed[row]
                height = sum(table.heights[r] for r in spanned)
                left, width = lefts[cell.col], lefts[cell.col + cell.colspan] - lefts[cell.col]
                box = f"{left:.2f} {sheet_height - top - height:.2f} {width:.2f} {height:.2f} re"
                borders.append(box)
                style = style_of(cell.classes)
                if style.fill:
                    fills.append(box)
                texts.append((cell, top, height, left, width, style.align))
        ops = self.ops
        if fills:
            ops.append(f"{HEAD_GREY} g " + " ".join(fills) + " f 0 g")
        ops.append(f"{BORDER_PT} w " + " ".join(borders) + " S")
        inner_extra = cell_extra_mm()
        for cell, top, height, left, width, align in texts:
            if not cell.text:
                continue
            if "num" in cell.classes:
                lines: tuple[str, ...] = (cell.text,)
            else:
                inner = (width * MM_PER_PT - inner_extra) / em
                lines = break_lines(cell.text, max(inner * WRAP_SLACK, 1.0))
            line_top = top + (height - len(lines) * size * LINE_HEIGHT) / 2
            box_left = left + pad_x + BORDER_PT / 2
            box_width = width - 2 * pad_x - BORDER_PT
            for part in lines:
                self.aligned(part, size, box_left, box_width, align, line_top)
                line_top += size * LINE_HEIGHT

    # -------------------------------------------------------------- the file

    def footers(self) -> None:
        total = len(self.sheets)
        for number, sheet in enumerate(self.sheets, 1):
            text = f"第 {number} 页 共 {total} 页"
            hex_text, width = self.text.encode(text)
            x = (sheet.width - width * FOOTER_PT / 1000) / 2
            orientation = "portrait" if sheet.height > sheet.width else "landscape"
            margin = MARGIN_MM[orientation][1] * PT_PER_MM  # the number centred in the bottom margin
            baseline = margin / 2 - FOOTER_PT * 0.35
            sheet.ops.append(f"BT /F1 {FOOTER_PT:g} Tf {x:.2f} {baseline:.2f} Td <{hex_text}> Tj ET")


def _row_groups(table: Table) -> list[list[int]]:
    """The table's rows in the runs a page may not break inside: rows joined by a cell
    spanning them, and a closing row with the row before it."""
    joined = [False] * table.n_rows  # row r stays with row r - 1
    for cell in table.cells:
        for row in range(cell.row + 1, cell.row + cell.rowspan):
            joined[row] = True
    for row in table.closing:
        if row:
            joined[row] = True
    groups: list[list[int]] = []
    for row in range(table.n_rows):
        if joined[row] and groups:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _shape_ops(shape) -> str:
    """A chart's path: clipped, filled and stroked as matplotlib drew it."""
    ops = ["q"]
    if shape.clip:
        x, y, width, height = shape.clip
        ops.append(f"{x:.2f} {y:.2f} {width:.2f} {height:.2f} re W n")
    for segment in shape.segments:
        ops.append(" ".join(f"{v:.2f}" for v in segment[1:]) + f" {segment[0]}" if len(segment) > 1
                   else segment[0])
    if shape.fill:
        r, g, b = shape.fill
        ops.insert(1 + bool(shape.clip), f"{r:g} {g:g} {b:g} rg")
    if shape.stroke:
        r, g, b = shape.stroke
        dashes = " ".join(f"{d:.2f}" for d in shape.dashes)
        ops.insert(1 + bool(shape.clip), f"{r:g} {g:g} {b:g} RG {shape.line_width:.2f} w [{dashes}] 0 d")
    ops.append("B" if shape.fill and shape.stroke else "f" if shape.fill else "S")
    ops.append("Q")
    return " ".join(ops)


def _text_string(text: str) -> str:
    """A PDF text string in UTF-16 (any character), as hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _to_unicode(unicode: dict[int, str]) -> bytes:
    """The CMap by which a reader maps the printed CIDs back to text (copying, search,
    pdftotext)."""
    entries = [f"<{cid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for cid, char in sorted(unicode.items())]
    chunks = [entries[i:i + 100] for i in range(0, len(entries), 100)]
    body = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n" for chunk in chunks)
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{body}endcmap CMapName currentdict /CMap defineresource pop end end\n").encode("ascii")


class _Objects:
    """A PDF file's numbered objects, written out with their cross-reference table."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def reserve(self) -> int:
        self.bodies.append(b"")
        return len(self.bodies)

    def put(self, number: int, body: bytes | str) -> int:
        self.bodies[number - 1] = body.encode("ascii") if isinstance(body, str) else body
        return number

    def add(self, body: bytes | str) -> int:
        return self.put(self.reserve(), body)

    def stream(self, data: bytes, extra: str = "", compress: bool = True) -> int:
        """A stream object, deflated unless `compress` is false: a font's outlines
        shrink by a tenth at the cost of half the time a form takes."""
        if compress:
            data, extra = zlib.compress(data, COMPRESSION), extra + "/Filter /FlateDecode "
        return self.add(f"<< {extra}/Length {len(data)} >>\nstream\n".encode("ascii") + data + b"\nendstream")

    def write(self, out: BinaryIO, root: int, info: int) -> None:
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets, position = [], 15
        for number, body in enumerate(self.bodies, 1):
            offsets.append(position)
            chunk = f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
            out.write(chunk)
            position += len(chunk)
        xref = [f"xref\n0 {len(self.bodies) + 1}\n0000000000 65535 f \n"]
        xref += [f"{offset:010d} 00000 n \n" for offset in offsets]
        out.write("".join(xref).encode("ascii"))
        out.write(f"trailer\n<< /Size {len(self.bodies) + 1} /Root {root} 0 R /Info {info} 0 R >>\n"
                  f"startxref\n{position}\n%%EOF\n".encode("ascii"))


def _font_objects(objects: _Objects, text: _Text) -> int:
    """The embedded subset and the font dictionaries that name it; the Type 0 font's
    object number."""
    font = text.face
    glyphs = text.glyphs
    name = f"{subset_tag(glyphs)}+{font.name}"
    program = objects.stream(font.subset(glyphs), "/Subtype /CIDFontType0C ", compress=False)
    bbox = " ".join(str(v) for v in font.bbox)
    descriptor = objects.add(
        f"<< /Type /FontDescriptor /FontName /{name} /Flags 6 /FontBBox [{bbox}] /ItalicAngle 0 "
        f"/Ascent {font.ascent} /Descent {font.descent} /CapHeight {font.cap_height} /StemV 80 "
        f"/FontFile3 {program} 0 R >>")
    widths = " ".join(str(font.advance(glyph)) for glyph in glyphs)
    cid_font = objects.add(
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /{name} "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /DW 1000 /W [1 [{widths}]] >>")
    to_unicode = objects.stream(_to_unicode(text.unicode))
    return objects.add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
                       f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>")


@register("pdf")
def write_pdf(forms: list[LaidOut], out: BinaryIO) -> list[str]:
    printer = _Printer()
    for form in forms:
        printer.print_form(form)
    printer.footers()
    objects = _Objects()
    pages_number = objects.reserve()
    font = _font_objects(objects, printer.text)
    resources = f"<< /Font << /F1 {font} 0 R >> >>"
    kids = []
    for sheet in printer.sheets:
        content = objects.stream("\n".join(sheet.ops).encode("ascii"))
        kids.append(objects.add(
            f"<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 {sheet.width:.3f} {sheet.height:.3f}] "
            f"/Resources {resources} /Contents {content} 0 R >>"))
    objects.put(pages_number, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                              f"/Count {len(kids)} >>")
    catalog = objects.add(f"<< /Type /Catalog /Pages {pages_number} 0 R /Lang (zh-CN) >>")
    properties = file_properties(forms)
    created = properties.created.strftime("D:%Y%m%d%H%M%SZ")
    info = objects.add(f"<< /Title {_text_string(properties.title)} /Author {_text_string(properties.author)} "
                       f"/Subject {_text_string(properties.subject)} "
                       f"/Creator (reportgen {__version__}) /Producer (reportgen {__version__}) "
                       f"/CreationDate ({created}) >>")
    objects.write(out, catalog, info)
    if printer.text.missing:
        return ["not in the PDF's font, printed as a blank box: "
                + " ".join(sorted(printer.text.missing))]
    return []
