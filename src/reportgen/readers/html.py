"""HTML (.html, .htm): saved web pages, the commonest way forms are disclosed.

Tables become rows on a true grid: a cell spanning rows or columns (`rowspan`,
`colspan`) sits at its first row and column, and the slots it covers are empty, so that
every row keeps its columns. Text outside tables (titles, the year line, notices) comes
as rows of one cell, a row per block or line. Places read `table 2, row 5, column 3` or
`text 4`. lxml parses whatever a browser would (unclosed tags, old encodings declared in
the page).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from lxml import etree, html

from ..errors import InputError
from . import register
from .decoding import decode
from .forms import FormsResult, iter_documents
from .rows import Numbering, Row, join_lines, row_of

_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section",
                     "article", "header", "footer", "main", "center", "blockquote", "pre",
                     "table", "ul", "ol", "dl", "dt", "dd", "form", "body", "html", "tr"})
_SKIPPED = frozenset({"script", "style", "head", "title", "noscript", "template", "select",
                      "button", "iframe", "svg"})
_MAX_SPAN = 200  # a rowspan or colspan beyond it is a broken page, not a form


def html_rows(root: etree._Element) -> Iterator[Row]:
    """Given a parsed page, return its rows in reading order."""
    numbers = Numbering()
    tables = 0
    texts = 0
    for kind, element in _blocks(root):
        if kind == "table":
            tables += 1
            yield from _table_rows(element, tables, numbers)
        else:
            for line in element.split("\n"):
                if line.strip():
                    texts += 1
                    row = row_of(numbers.next(), [(0, line)], place=f"text {texts}")
                    if row is not None:
                        yield row


def _blocks(element: etree._Element) -> Iterator[tuple[str, Any]]:
    """Tables, and the text of the blocks around them, in document order."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED:
        return
    if tag == "table":
        yield "table", element
        return
    if not _has_blocks(element):
        text = _text(element)
        if text.strip():
            yield "text", text
        return
    if element.text and element.text.strip():
        yield "text", element.text
    for child in element:
        yield from _blocks(child)
        if child.tail and child.tail.strip():
            yield "text", child.tail


def _has_blocks(element: etree._Element) -> bool:
    return any(isinstance(child.tag, str) and (child.tag in _BLOCKS or child.tag == "br")
               for child in element.iter() if child is not element)


def _text(element: etree._Element) -> str:
    """An element's text with its line breaks (`<br>`, paragraphs) as new lines."""
    parts: list[str] = []
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in _SKIPPED:
            if node.tail:
                parts.append(node.tail)
            continue
        if node.tag == "br" or (node is not element and node.tag in _BLOCKS):
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _table_rows(table: etree._Element, number: int, numbers: Numbering) -> Iterator[Row]:
    """A table's rows on its grid (rows of nested tables are read as rows of their own,
    after the row that holds them)."""
    covered: dict[tuple[int, int], bool] = {}  # slots taken by spans from rows above
    for r, tr in enumerate(_own_rows(table)):
        cells: list[tuple[int, str]] = []
        places: list[str] = []
        column = 0
        nested: list[etree._Element] = []
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while covered.get((r, column)):
                column += 1
            rowspan, colspan = _span(td.get("rowspan")), _span(td.get("colspan"))
            inner = [t for t in td.iter("table") if next(t.iterancestors("table"), None) is table]
            nested += inner  # the tables directly inside: theirs are read in their turn
            text = _text_without_tables(td) if inner else join_lines(_text(td).split("\n"))
            cells.append((column, text))
            places.append(f"table {number}, row {r + 1}, column {column + 1}")
            for dr in range(rowspan):
                for dc in range(colspan):
                    covered[(r + dr, column + dc)] = True
            column += colspan
        row = row_of(numbers.next(), cells, place=f"table {number}, row {r + 1}", places=places)
        if row is not None:
            yield row
        for inner in nested:
            yield from _table_rows(inner, number, numbers)


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """A table's rows, in its thead, tbody and tfoot or directly, not its nested tables'."""
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows += [tr for tr in child if isinstance(tr.tag, str) and tr.tag == "tr"]
    return rows


def _text_without_tables(td: etree._Element) -> str:
    copy = html.fromstring(etree.tostring(td))
    for inner in copy.findall(".//table"):
        inner.drop_tree()
    return join_lines(_text(copy).split("\n"))


def _span(value: str | None) -> int:
    try:
        return min(max(int(str(value).strip() or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


def parse_html(data: bytes, name: str) -> etree._Element:
    """The page's tree, in the encoding the page declares (GB2312 pages too), else in
    the one readers/decoding.py finds."""
    if not data.strip():
        raise InputError(name, None, "empty file: no page to read")
    try:
        if b"charset" in data[:4096].lower():
            return html.document_fromstring(data)
        text, _ = decode(data, name)
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(name, None, f"not a readable web page ({exc})") from None


@register(".html", ".htm")
def iter_html_file(path: Path) -> Iterator[FormsResult]:
    try:
        root = parse_html(path.read_bytes(), str(path))
    except InputError as exc:
        yield FormsResult(errors=[exc])
        return
    yield from iter_documents(str(path), html_rows(root), "an HTML page's tables")
