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

from io import BytesIO
from typing import BinaryIO
from xml.sax.saxutils import escape

from docx import Document as open_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm

from ..layout import Block, Cell, Chart, Heading, LaidOut, Note, Page, PageBreak, Table
from ..layout.measure import (BORDER_PT, CELL_PAD_X_MM, CELL_PAD_Y_MM, HEADING_PT, LINE_HEIGHT,
                              MARGIN_MM, NOTE_PT, PAGE_MM, SUBTITLE_GAP_MM, SUBTITLE_PT,
                              TITLE_GAP_MM, TITLE_PT, printable)
from . import file_properties, register
from .cellstyle import VALIGN, style_of
from .docx_package import blank_package

_TWIPS_PER_MM = 1440 / 25.4
_TWIPS_PER_PT = 20
FOOTER_PT = 8.0


@register("docx")
def write_docx(forms: list[LaidOut], out: BinaryIO) -> None:
    doc = open_document(BytesIO(blank_package()))
    body = doc.element.body
    previous: Page | None = None
    for index, form in enumerate(forms):
        page = form.grid
        section = doc.sections[0] if index == 0 else doc.add_section(WD_SECTION.NEW_PAGE)
        _set_page(section, page.orientation)
        _set_header_and_footer(section, page, previous)
        _append(body, _paragraph(page.title, TITLE_PT, "center", after_mm=TITLE_GAP_MM))
        if page.subtitle:
            _append(body, _paragraph(page.subtitle, SUBTITLE_PT, "center", after_mm=SUBTITLE_GAP_MM))
        for block in page.blocks:
            _add_block(doc, block, page)
        previous = page
    _append(body, _spacer())  # Word wants a paragraph after a table at the end
    _set_properties(doc, forms)
    doc.save(out)


def _append(body, xml: str) -> None:
    """Put a block before the body's last child, the final section's properties."""
    body.sectPr.addprevious(parse_xml(xml))


def _add_block(doc, block: Block, page: Page) -> None:
    body = doc.element.body
    if isinstance(block, Table):
        _append(body, table_xml(block, page))
    elif isinstance(block, Heading):
        _append(body, _paragraph(block.text, HEADING_PT, "left", before_mm=4, after_mm=2, keep_next=True))
    elif isinstance(block, Note):
        if block.kind == "signoff":
            _append(body, _paragraph(block.text, page.font_size, "left", before_mm=8))
        else:
            _append(body, _paragraph(block.text, NOTE_PT, "left", after_mm=2))
    elif isinstance(block, Chart):
        width = Mm(printable(page.orientation).width * block.width / 100)
        doc.add_picture(BytesIO(block.png), width=width)
        doc.paragraphs[-1].alignment = 1  # centre
    elif isinstance(block, PageBreak):
        _append(body, _spacer(page_break=True))


def _paragraph(text: str, size: float, align: str, before_mm: float = 0, after_mm: float = 0,
               keep_next: bool = False) -> str:
    spacing = (f'<w:spacing w:before="{round(before_mm * _TWIPS_PER_MM)}" '
               f'w:after="{round(after_mm * _TWIPS_PER_MM)}" '
               f'w:line="{round(size * LINE_HEIGHT * _TWIPS_PER_PT)}" w:lineRule="exact"/>')
    keep = "<w:keepNext/>" if keep_next else ""
    return (f"<w:p {nsdecls('w')}><w:pPr>{keep}{spacing}<w:jc w:val=\"{align}\"/></w:pPr>"
            f"{_runs(text, size)}</w:p>")


def _spacer(page_break: bool = False) -> str:
    """A paragraph of 1 pt: between two tables (Word would join them), or at the end."""
    pagebreak = "<w:pageBreakBefore/>" if page_break else ""
    return (f"<w:p {nsdecls('w')}><w:pPr>{pagebreak}<w:spacing w:after=\"0\" w:line=\"20\" "
            'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')


def _runs(text: str, size: float) -> str:
    props = f'<w:rPr><w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/></w:rPr>'
    return "".join(f'<w:r>{props}{"<w:br/>" if i else ""}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
                   for i, line in enumerate(text.split("\n")) if line or i)


def _set_page(section, orientation: str) -> None:
    landscape = orientation == "landscape"
    width, height = PAGE_MM[orientation]
    side, top = MARGIN_MM[orientation]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.left_margin = section.right_margin = Mm(side)
    section.top_margin = section.bottom_margin = Mm(top)
    section.header_distance, section.footer_distance = Mm(top / 2), Mm(top / 3)


def _set_header_and_footer(section, page: Page, previous: Page | None) -> None:
    """第N页 共M页 under every page; the running header (a summary's department and
    date) above. A section like the one before it keeps that one's."""
    if previous is not None and previous.header == page.header and previous.orientation == page.orientation:
        return
    footer = section.footer
    footer.is_linked_to_previous = False
    _replace_content(footer._element, _page_numbers())
    header = section.header
    header.is_linked_to_previous = False
    width = round(printable(page.orientation).width * _TWIPS_PER_MM)
    left, right = page.header or ("", "")
    _replace_content(header._element, _header_line(left, right, width))


def _replace_content(part_element, xml: str) -> None:
    for child in list(part_element):
        part_element.remove(child)
    part_element.append(parse_xml(xml))


def _small_run(text: str) -> str:
    size = round(FOOTER_PT * 2)
    return f'<w:r><w:rPr><w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _field(instruction: str) -> str:
    return f'<w:fldSimple w:instr=" {instruction} ">{_small_run("1")}</w:fldSimple>'


def _page_numbers() -> str:
    return (f"<w:p {nsdecls('w')}><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
            f"{_small_run('第 ')}{_field('PAGE')}{_small_run(' 页 共 ')}{_field('NUMPAGES')}"
            f"{_small_run(' 页')}</w:p>")


def _header_line(left: str, right: str, width_twips: int) -> str:
    tabs = f'<w:tabs><w:tab w:val="right" w:pos="{width_twips}"/></w:tabs>'
    tab = "<w:r><w:tab/></w:r>" if right else ""
    return (f"<w:p {nsdecls('w')}><w:pPr>{tabs}</w:pPr>{_small_run(left) if left else ''}"
            f"{tab}{_small_run(right) if right else ''}</w:p>")


def _set_properties(doc, forms: list[LaidOut]) -> None:
    """Title, subject, author and dates of the file (File › Properties in Word)."""
    info, props = file_properties(forms), doc.core_properties
    props.title, props.subject = info.title, info.subject
    props.author = props.last_modified_by = info.author
    props.created = props.modified = info.created
    props.language = "zh-CN"
    props.revision = 1


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
    parts = [f"<w:tbl {nsdecls('w')}>", _TABLE_PROPERTIES, "<w:tblGrid>"]
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
    width = sum(widths[cell.col:cell.col + cell.colspan])
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.colspan > 1:
        props.append(f'<w:gridSpan w:val="{cell.colspan}"/>')
    if cell.rowspan > 1:
        props.append("<w:vMerge/>" if continued else '<w:vMerge w:val="restart"/>')
    style = style_of(cell.classes)
    if style.fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{style.fill}"/>')
    props.append(f'<w:vAlign w:val="{VALIGN}"/>')
    paragraph = (f'<w:pPr><w:spacing w:after="0" w:line="{round(size * LINE_HEIGHT * _TWIPS_PER_PT)}" '
                 f'w:lineRule="exact"/><w:jc w:val="{style.align}"/></w:pPr>')
    if not continued and cell.text:
        paragraph += _runs(cell.text, size)
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr><w:p>{paragraph}</w:p></w:tc>"
