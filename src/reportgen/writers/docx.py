"""DOCX: each laid-out page as a section of a Word document: its title lines, then its
blocks (tables, headings, charts, notes), the pages of a long form each a table of its
own, whose repeated column heads are marked as heading rows (w:tblHeader).

Tables and paragraphs are written as WordprocessingML in one piece (gridSpan for column
spans, vMerge for row spans), because python-docx's cell-by-cell API rescans the table
on every call. Lines have exactly the height the layout measured them with (1.25 × the
font size), so Word breaks pages where the PDF does. Every file starts from the blank
package of docx_package.py: nothing of another file can be in it.
"""
from __future__ import annotations

from functools import lru_cache
from typing import BinaryIO

from ..layout import Block, Cell, Chart, Heading, LaidOut, Note, Page, PageBreak, Table
from ..layout.measure import (BORDER_PT, CELL_PAD_X_MM, CELL_PAD_Y_MM, HEADING_PT, LINE_HEIGHT,
                              MARGIN_MM, NOTE_PT, PAGE_MM, SUBTITLE_GAP_MM, SUBTITLE_PT,
                              TITLE_GAP_MM, TITLE_PT, printable)
from . import file_properties, register
from .cellstyle import VALIGN, style_of
from .docx_package import Package, png_size
from .ooxml import escape

_TWIPS_PER_MM = 1440 / 25.4
_TWIPS_PER_PT = 20
_EMU_PER_MM = 36000
FOOTER_PT = 8.0


@register("docx")
def write_docx(forms: list[LaidOut], out: BinaryIO) -> None:
    package = Package(file_properties(forms))
    pages = [form.grid for form in forms]
    body: list[str] = []
    for index, page in enumerate(pages):
        if index:  # the section before ends here: its properties close its last paragraph
            body.append(f"<w:p><w:pPr>{_section(package, pages, index - 1)}</w:pPr></w:p>")
        body.append(_paragraph(page.title, TITLE_PT, "center", after_mm=TITLE_GAP_MM))
        if page.subtitle:
            body.append(_paragraph(page.subtitle, SUBTITLE_PT, "center", after_mm=SUBTITLE_GAP_MM))
        body.extend(_block(package, block, page) for block in page.blocks)
    body.append(_spacer())  # Word wants a paragraph after a table at the end
    body.append(_section(package, pages, len(pages) - 1))
    package.write(out, "".join(body))


def _section(package: Package, pages: list[Page], index: int) -> str:
    """The properties of the section of pages[index]: its page, and its header and
    footer unless the section before has the same (a section without them keeps those
    before it)."""
    page, before = pages[index], pages[index - 1] if index else None
    width, height = PAGE_MM[page.orientation]
    side, top = MARGIN_MM[page.orientation]
    refs = ""
    if before is None or before.header != page.header or before.orientation != page.orientation:
        left, right = page.header or ("", "")
        line_width = round(printable(page.orientation).width * _TWIPS_PER_MM)
        header = package.add_header(_header_line(left, right, line_width))
        footer = package.add_footer(_page_numbers())
        refs = (f'<w:headerReference w:type="default" r:id="{header}"/>'
                f'<w:footerReference w:type="default" r:id="{footer}"/>')
    orient = ' w:orient="landscape"' if page.orientation == "landscape" else ""
    return (f'<w:sectPr>{refs}<w:pgSz w:w="{_twips(width)}" w:h="{_twips(height)}"{orient}/>'
            f'<w:pgMar w:top="{_twips(top)}" w:right="{_twips(side)}" w:bottom="{_twips(top)}" '
            f'w:left="{_twips(side)}" w:header="{_twips(top / 2)}" w:footer="{_twips(top / 3)}" '
            'w:gutter="0"/></w:sectPr>')


def _twips(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


def _block(package: Package, block: Block, page: Page) -> str:
    if isinstance(block, Table):
        return table_xml(block, page)
    if isinstance(block, Heading):
        return _paragraph(block.text, HEADING_PT, "left", before_mm=4, after_mm=2, keep_next=True)
    if isinstance(block, Note):
        if block.kind == "signoff":
            return _paragraph(block.text, page.font_size, "left", before_mm=8)
        return _paragraph(block.text, NOTE_PT, "left", after_mm=2)
    if isinstance(block, Chart):
        return _picture(package, block, page)
    assert isinstance(block, PageBreak)
    return _spacer(page_break=True)


def _picture(package: Package, chart: Chart, page: Page) -> str:
    """A chart as an inline picture, centred, as wide as the layout has it."""
    rel, number = package.add_image(chart.png)
    pixels_wide, pixels_high = png_size(chart.png)
    cx = round(printable(page.orientation).width * chart.width / 100 * _EMU_PER_MM)
    cy = round(cx * pixels_high / pixels_wide)
    name = escape(chart.title, quote=True)
    return ('<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing>'
            '<wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{number}" name="Picture {number}" descr="{name}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{number}" name="chart{number}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rel}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>")


def _paragraph(text: str, size: float, align: str, before_mm: float = 0, after_mm: float = 0,
               keep_next: bool = False) -> str:
    spacing = (f'<w:spacing w:before="{round(before_mm * _TWIPS_PER_MM)}" '
               f'w:after="{round(after_mm * _TWIPS_PER_MM)}" '
               f'w:line="{round(size * LINE_HEIGHT * _TWIPS_PER_PT)}" w:lineRule="exact"/>')
    keep = "<w:keepNext/>" if keep_next else ""
    return (f"<w:p><w:pPr>{keep}{spacing}<w:jc w:val=\"{align}\"/></w:pPr>"
            f"{_runs(text, size)}</w:p>")


def _spacer(page_break: bool = False) -> str:
    """A paragraph of 1 pt: between two tables (Word would join them), or at the end."""
    pagebreak = "<w:pageBreakBefore/>" if page_break else ""
    return (f"<w:p><w:pPr>{pagebreak}<w:spacing w:after=\"0\" w:line=\"20\" "
            'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')


def _runs(text: str, size: float) -> str:
    props = _run_properties(size)
    return "".join(f'<w:r>{props}{"<w:br/>" if i else ""}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
                   for i, line in enumerate(text.split("\n")) if line or i)


@lru_cache(maxsize=16)
def _run_properties(size: float) -> str:
    return f'<w:rPr><w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/></w:rPr>'


def _small_run(text: str) -> str:
    size = round(FOOTER_PT * 2)
    return f'<w:r><w:rPr><w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _field(instruction: str) -> str:
    return f'<w:fldSimple w:instr=" {instruction} ">{_small_run("1")}</w:fldSimple>'


def _page_numbers() -> str:
    return (f"<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
            f"{_small_run('第 ')}{_field('PAGE')}{_small_run(' 页 共 ')}{_field('NUMPAGES')}"
            f"{_small_run(' 页')}</w:p>")


def _header_line(left: str, right: str, width_twips: int) -> str:
    tabs = f'<w:tabs><w:tab w:val="right" w:pos="{width_twips}"/></w:tabs>'
    tab = "<w:r><w:tab/></w:r>" if right else ""
    return (f"<w:p><w:pPr>{tabs}</w:pPr>{_small_run(left) if left else ''}"
            f"{tab}{_small_run(right) if right else ''}</w:p>")


# ---------------------------------------------------------------- tables

_BORDER = f'w:val="single" w:sz="{round(BORDER_PT * 8)}" w:space="0" w:color="000000"'
_TABLE_PROPERTIES = (
    '<w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblBorders>'
    + "".join(f"<w:{side} {_BORDER}/>" for side in
              ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
    f'<w:top w:w="{round(CELL_PAD_Y_MM * _TWIPS_PER_MM)}" w:type="dxa"/>'
    f'<w:left w:w="{round(CELL_PAD_X_MM * _TWIPS_PER_MM)}" w:type="dxa"/>'
    f'<w:bottom w:w="{round(CELL_PAD_Y_MM * _TWIPS_PER_MM)}" w:type="dxa"/>'
    f'<w:right w:w="{round(CELL_PAD_X_MM * _TWIPS_PER_MM)}" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr>"
)


def table_xml(table: Table, page: Page) -> str:
    """Given a table grid and its page, return a <w:tbl> with its spans, widths,
    borders and heading rows, in the page's font size."""
    widths = _column_twips(table, page.orientation)
    parts = ["<w:tbl>", _TABLE_PROPERTIES, "<w:tblGrid>"]
    parts += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    parts.append("</w:tblGrid>")
    leading = 0
    while leading in table.heads:
        leading += 1
    for index, row in enumerate(_rows(table)):
        header = "<w:tblHeader/>" if index < leading else ""
        parts.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        for cell, continued in row:
            parts.append(_cell_xml(cell, continued, widths, page.font_size))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _column_twips(table: Table, orientation: str) -> list[int]:
    width = printable(orientation).width * _TWIPS_PER_MM
    total = sum(table.widths) or 1
    return [round(width * w / total) for w in table.widths]


def _rows(table: Table) -> list[list[tuple[Cell, bool]]]:
    """Given a grid, return per row its cells in column order, each flagged True where it
    only continues a row span from above (Word wants a vMerge cell there)."""
    rows: list[list[tuple[Cell, bool]]] = [[] for _ in range(table.n_rows)]
    for cell in table.cells:
        rows[cell.row].append((cell, False))
        for r in range(cell.row + 1, cell.row + cell.rowspan):
            rows[r].append((cell, True))
    for row in rows:
        row.sort(key=lambda item: item[0].col)
    return rows


def _cell_xml(cell: Cell, continued: bool, widths: list[int], size: float) -> str:
    merge = ("continue" if continued else "restart") if cell.rowspan > 1 else ""
    start = _cell_start(sum(widths[cell.col:cell.col + cell.colspan]), cell.colspan, merge,
                        cell.classes, size)
    text = _runs(cell.text, size) if cell.text and not continued else ""
    return f"{start}{text}</w:p></w:tc>"


@lru_cache(maxsize=1024)
def _cell_start(width: int, colspan: int, merge: str, classes: frozenset[str], size: float) -> str:
    """A cell's properties and the start of its paragraph: the same for most cells of
    a form (made once)."""
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if colspan > 1:
        props.append(f'<w:gridSpan w:val="{colspan}"/>')
    if merge:
        props.append("<w:vMerge/>" if merge == "continue" else '<w:vMerge w:val="restart"/>')
    style = style_of(classes)
    if style.fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{style.fill}"/>')
    props.append(f'<w:vAlign w:val="{VALIGN}"/>')
    paragraph = (f'<w:pPr><w:spacing w:after="0" w:line="{round(size * LINE_HEIGHT * _TWIPS_PER_PT)}" '
                 f'w:lineRule="exact"/><w:jc w:val="{style.align}"/></w:pPr>')
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr><w:p>{paragraph}"
