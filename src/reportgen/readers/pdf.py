"""PDF (.pdf): the text layer with positions, reportgen's own PDFs included.

pdfplumber finds each page's tables by their ruling lines and gives their cells on a
grid (a merged cell once, at its first row and column); the text outside the tables
(the title, the year line, page numbers) comes as lines, each a row of one cell, in the
order they stand on the page. A page whose table has no ruling lines is read as lines
too, its cells cut where the words stand apart. Places read `page 2, table 1, row 5` or
`page 2, y 312`. A PDF without a text layer (a scan) is an error saying that OCR must
come first: reportgen never guesses text from pixels.
"""
from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError
from . import register
from .forms import FormsResult, guarded, iter_documents
from .rows import Numbering, Row, join_lines, row_of

_CELL_GAP = 6.0  # points between words that make them two cells, on a page without rules
_SAME_LINE = 3.0  # points of vertical offset within one line


def pdf_rows(pdf: Any, name: str) -> Iterator[Row]:
    """Given an open pdfplumber PDF, return its pages' rows in reading order."""
    numbers = Numbering()
    chars = 0
    for page_no, page in enumerate(pdf.pages, start=1):
        chars += len(page.chars)
        tables = page.find_tables()
        blocks: list[tuple[float, int, Any]] = [(t.bbox[1], i, t) for i, t in enumerate(tables)]
        boxes = [table.bbox for table in tables]
        # filter, not outside_bbox: a table drawn beyond the page's box is common
        outside = page.filter(lambda obj: not any(_within(obj, box) for box in boxes)) if boxes else page
        blocks += [(line[0]["top"], len(tables) + i, line) for i, line in enumerate(_lines(outside))]
        for _, index, block in sorted(blocks, key=lambda b: (b[0], b[1])):
            if isinstance(block, list):
                row = _line_row(block, page_no, numbers)
                if row is not None:
                    yield row
            else:
                yield from _table_rows(block, page_no, index + 1, numbers)
    if chars == 0:
        raise InputError(name, None, "the PDF has no text layer (a scan?): run OCR on it first "
                         "(e.g. ocrmypdf), then read the PDF it makes")


def _within(obj: dict, box: tuple[float, float, float, float]) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _table_rows(table: Any, page_no: int, number: int, numbers: Numbering) -> Iterator[Row]:
    for r, cells in enumerate(table.extract(), start=1):
        texts = [(c, join_lines(text.split("\n"))) for c, text in enumerate(cells) if text]
        places = [f"page {page_no}, table {number}, row {r}, column {c + 1}" for c, _ in texts]
        row = row_of(numbers.next(), texts, place=f"page {page_no}, table {number}, row {r}", places=places)
        if row is not None:
            yield row


def _lines(page: Any) -> list[list[dict]]:
    """The page's words grouped into lines, top to bottom, each left to right."""
    lines: list[list[dict]] = []
    for word in sorted(page.extract_words(keep_blank_chars=False, use_text_flow=False),
                       key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= _SAME_LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _line_row(words: list[dict], page_no: int, numbers: Numbering) -> Row | None:
    """A line of words as a row: a new cell where the words stand apart."""
    cells: list[list[str]] = []
    last_x1 = None
    for word in words:
        if last_x1 is None or word["x0"] - last_x1 > _CELL_GAP:
            cells.append([])
        cells[-1].append(word["text"])
        last_x1 = word["x1"]
    texts = [(i, " ".join(parts)) for i, parts in enumerate(cells)]
    return row_of(numbers.next(), texts, place=f"page {page_no}, y {round(words[0]['top'])}")


def _damaged() -> tuple[type[BaseException], ...]:
    """What pdfplumber and pdfminer raise for a damaged file."""
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
    return (PDFException, PSException, PdfminerException, MalformedPDFException, ValueError, TypeError,
            KeyError, IndexError, AttributeError, ZeroDivisionError, OverflowError, AssertionError,
            NotImplementedError, RecursionError, zlib.error, EOFError)


@register(".pdf")
def iter_pdf_file(path: Path) -> Iterator[FormsResult]:
    import pdfplumber

    def read() -> Iterator[FormsResult]:
        pdf = pdfplumber.open(str(path))
        try:
            yield from iter_documents(str(path), pdf_rows(pdf, str(path)), "a PDF's text layer")
        finally:
            try:
                pdf.close()
            except _damaged():
                pass  # closing goes through the pages again; their damage is reported
    yield from guarded(path, "PDF", _damaged(), read)
