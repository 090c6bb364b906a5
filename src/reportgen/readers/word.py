"""Word (.docx): tables as rows on their grid, and the paragraphs between them.

The table is read from its XML: a cell spanning columns (`w:gridSpan`) sits at its
first grid column, one continuing a vertical merge (`w:vMerge` without `restart`) is
empty, so a merged cell is read once (python-docx's `row.cells` gives it once per slot it
covers). Rows skipped at a row's start (`w:gridBefore`) keep the columns right. Places
read `table 2, row 5, column 3` or `paragraph 4`.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any, Iterator

from . import register
from .forms import FormsResult, guarded, iter_documents
from .rows import Numbering, Row, join_lines, row_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def document_rows(document: Any) -> Iterator[Row]:
    """Given a python-docx document, return its rows in reading order."""
    numbers = Numbering()
    tables = paragraphs = 0
    for element in document.element.body.iterchildren():
        if element.tag == W + "tbl":
            tables += 1
            yield from _table_rows(element, tables, numbers)
        elif element.tag == W + "p":
            text = join_lines(_paragraph_text(element).split("\n"))
            if text:
                paragraphs += 1
                row = row_of(numbers.next(), [(0, text)], place=f"paragraph {paragraphs}")
                if row is not None:
                    yield row


def _table_rows(table: Any, number: int, numbers: Numbering) -> Iterator[Row]:
    for r, tr in enumerate(table.iterchildren(W + "tr"), start=1):
        column = _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        cells: list[tuple[int, str]] = []
        places: list[str] = []
        nested = []
        for tc in tr.iterchildren(W + "tc", W + "sdt"):
            for cell in ([tc] if tc.tag == W + "tc" else tc.iter(W + "tc")):
                span = _int(cell.find(f"{W}tcPr/{W}gridSpan"), 1)
                merge = cell.find(f"{W}tcPr/{W}vMerge")
                continues = merge is not None and merge.get(W + "val") in (None, "continue")
                if not continues:
                    lines = (line for p in cell.iterchildren(W + "p") for line in _paragraph_text(p).split("\n"))
                    cells.append((column, join_lines(lines)))
                    places.append(f"table {number}, row {r}, column {column + 1}")
                nested += list(cell.iterchildren(W + "tbl"))
                column += span
        row = row_of(numbers.next(), cells, place=f"table {number}, row {r}", places=places)
        if row is not None:
            yield row
        for inner in nested:
            yield from _table_rows(inner, number, numbers)


def _paragraph_text(p: Any) -> str:
    """A paragraph's text: its runs, tabs as spaces, line breaks as new lines."""
    parts = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _int(element: Any, default: int) -> int:
    if element is None:
        return default
    try:
        return max(int(element.get(W + "val")), 0) or default
    except (TypeError, ValueError):
        return default


def _damaged() -> tuple[type[BaseException], ...]:
    """What python-docx and its zip and XML layers raise for a damaged file."""
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError
    return (PackageNotFoundError, LxmlError, zipfile.BadZipFile, zlib.error, EOFError, KeyError,
            ValueError, TypeError, AttributeError, IndexError, NotImplementedError)


@register(".docx", ".docm")
def iter_word_file(path: Path) -> Iterator[FormsResult]:
    import docx

    def read() -> Iterator[FormsResult]:
        document = docx.Document(str(path))
        yield from iter_documents(str(path), document_rows(document), "a Word document's tables")
    yield from guarded(path, "Word document (.docx)", _damaged(), read)
