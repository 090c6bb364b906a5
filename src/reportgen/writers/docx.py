"""DOCX: each page as a title, a subtitle and its blocks: Word tables built from the layout

The table is written as WordprocessingML in one piece (gridSpan for column spans, vMerge
for row spans) because python-docx's cell-by-cell API rescans the table on every call.
Each page (a form, a summary) gets its own section, so a combined file can mix portrait
and landscape pages; a summary's headings and charts go between its tables.
"""
from __future__ import annotations

import threading
from copy import deepcopy
from io import BytesIO
from typing import BinaryIO
from xml.sax.saxutils import escape

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from ..layout import Block, Cell, Heading, LaidOut, Table
from . import register
from .cellstyle import (BODY_FONT, BODY_SIZE_PT, HEADING_SIZE_PT, LATIN_FONT, PAGE_WIDTH_MM,
                        SUBTITLE_SIZE_PT, TITLE_SIZE_PT, style_of)

_TWIPS_PER_MM = 1440 / 25.4
_JC = {"left": "left", "center": "center", "right": "right"}


class _BlankDocument(threading.local):
    """python-docx's blank document with our default fonts, made once per thread and
    emptied for each file: opening a .docx package took half the writing time."""

    def __init__(self) -> None:
        self.doc = new_document()
        normal = self.doc.styles["Normal"]
        normal.font.name = LATIN_FONT
        normal.font.size = Pt(BODY_SIZE_PT)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
        normal.paragraph_format.space_after = Pt(0)
        self.blank_section = deepcopy(self.doc.element.body.sectPr)

    def empty(self):
        """Return the document with an empty body and the original page set-up."""
        body = self.doc.element.body
        for child in list(body):
            body.remove(child)
        body.append(deepcopy(self.blank_section))
        return self.doc


_BLANK = _BlankDocument()


@register("docx")
def write_docx(forms: list[LaidOut], out: BinaryIO) -> None:
    doc = _BLANK.empty()
    for index, form in enumerate(forms):
        page = form.grid
        section = doc.sections[0] if index == 0 else doc.add_section(WD_SECTION.NEW_PAGE)
        _set_page(section, page.orientation)
        _add_title(doc, page.title, TITLE_SIZE_PT)
        _add_title(doc, page.subtitle, SUBTITLE_SIZE_PT)
        for block in page.blocks:
            _add_block(doc, block, page.orientation)
    doc.core_properties.title = forms[0].name
    doc.save(out)


def _add_block(doc, block: Block, orientation: str) -> None:
    if isinstance(block, Table):
        # the body's last child is the final sectPr: tables go before it
        doc.element.body.sectPr.addprevious(parse_xml(table_xml(block, orientation)))
    elif isinstance(block, Heading):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.paragraph_format.space_after = Pt(4)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run(block.text).font.size = Pt(HEADING_SIZE_PT)
    else:
        width = Mm(PAGE_WIDTH_MM[orientation] * block.width / 100)
        doc.add_picture(BytesIO(block.png), width=width)
        doc.paragraphs[-1].alignment = 1  # centre


def _set_page(section, orientation: str) -> None:
    landscape = orientation == "landscape"
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(10 if landscape else 15)


def _add_title(doc, text: str, size: float) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = 1  # centre
    paragraph.paragraph_format.space_after = Pt(4)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.name = BODY_FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)


def table_xml(table: Table, orientation: str) -> str:
    """Given a table grid, return a <w:tbl> with its spans, widths and borders."""
    widths = _column_twips(table, orientation)
    parts = [f"<w:tbl {nsdecls('w')}>", _TABLE_PROPERTIES, "<w:tblGrid>"]
    parts += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    parts.append("</w:tblGrid>")
    for row in _rows(table):
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for cell, continued in row:
            parts.append(_cell_xml(cell, continued, widths))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
_TABLE_PROPERTIES = (
    '<w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblBorders>'
    + "".join(f"<w:{side} {_BORDER}/>" for side in
              ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
    '<w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
    "</w:tblPr>"
)


def _column_twips(table: Table, orientation: str) -> list[int]:
    page = PAGE_WIDTH_MM[orientation] * _TWIPS_PER_MM
    total = sum(table.widths) or 1
    return [round(page * w / total) for w in table.widths]


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


def _cell_xml(cell: Cell, continued: bool, widths: list[int]) -> str:
    width = sum(widths[cell.col:cell.col + cell.colspan])
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.colspan > 1:
        props.append(f'<w:gridSpan w:val="{cell.colspan}"/>')
    if cell.rowspan > 1:
        props.append("<w:vMerge/>" if continued else '<w:vMerge w:val="restart"/>')
    style = style_of(cell.classes)
    if style.fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{style.fill}"/>')
    props.append(f'<w:vAlign w:val="{style.valign}"/>')
    paragraph = f'<w:pPr><w:jc w:val="{_JC[style.align]}"/></w:pPr>'
    if not continued and cell.text:
        lines = cell.text.split("\n")
        paragraph += "".join(
            f'<w:r>{"<w:br/>" if i else ""}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
            for i, line in enumerate(lines))
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr><w:p>{paragraph}</w:p></w:tc>"
