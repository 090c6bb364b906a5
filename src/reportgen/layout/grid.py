"""The laid-out page: what a template's restricted HTML says, as plain data.

A template renders one form, or one summary, as a `<section>`: an `h1` title, a
`p.subtitle`, then `h2` headings, `table`s, `figure`s (charts) and `p.note` /
`p.signoff` paragraphs in page order. `parse_page` reads that HTML into a `Page` of
blocks; the writers build their files from the page, never from the HTML.

Row classes in the tables carry the print rules: `heads` rows (column heads) repeat at
the top of every page a table continues on; `closing` rows (总分, 评分等级, 总体判断 …)
never start a page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lxml import etree

from .measure import BODY_PT

if TYPE_CHECKING:  # matplotlib, which vector.py needs, is loaded only for summaries
    from .vector import Vector


@dataclass
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    classes: frozenset[str]
    value: Decimal | None = None  # numeric cells: the number behind the printed text
    field: str = ""  # the document field the cell shows ("indicators[3].score"), where the template names it


@dataclass
class Table:
    widths: list[float]  # column widths, percent of the table width
    cells: list[Cell] = field(default_factory=list)
    n_rows: int = 0
    name: str = ""  # the table's id, by which a chart names the table it draws
    heads: frozenset[int] = frozenset()  # rows of column heads, repeated on a new page
    closing: frozenset[int] = frozenset()  # rows that never start a page
    heights: list[float] = field(default_factory=list)  # row heights, pt (set by layout)
    repeated: int = 0  # leading rows that repeat the heads of the page before

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def leading_heads(self) -> int:
        """How many rows of column heads open the table, repeated on each page it
        continues on; 0 where a cell spans from them into the body (HTML cannot span
        two row groups, and a page break cannot cut such a cell)."""
        count = 0
        while count in self.heads:
            count += 1
        if any(cell.row < count < cell.row + cell.rowspan for cell in self.cells):
            return 0
        return count

    def rows(self) -> list[list[Cell]]:
        """The cells that start in each row, in column order."""
        rows: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row].append(cell)
        for row in rows:
            row.sort(key=lambda cell: cell.col)
        return rows


@dataclass
class Heading:
    text: str


@dataclass
class Note:
    """A paragraph: an explanation under a table ("note"), a paragraph of a report's
    text ("para"), or the sign-off line ("signoff") finance offices print under a
    summary."""

    text: str
    kind: str = "note"


# The colours of the charts, in all formats: bars, and what a chart highlights.
BAR_COLOUR = "4472C4"
HIGHLIGHT_COLOUR = "C0504D"


@dataclass
class Chart:
    """A chart as vector shapes (the builtin PDF), SVG (WeasyPrint's PDF) and PNG
    (DOCX), and what it draws for a native chart (XLSX): the values of one column of a
    table against the labels of another, with a reference line (the time elapsed) and
    the rows drawn in the highlight colour."""

    svg: bytes
    png: bytes
    vector: Vector
    kind: str  # "column" (vertical bars) or "bar" (horizontal)
    title: str
    table: str
    labels: int
    values: int
    width: float  # percent of the page width
    line_at: Decimal | None = None
    line_label: str = ""
    legend: str = ""  # what the highlight colour means
    highlighted: frozenset[int] = frozenset()  # table rows drawn in the highlight colour


@dataclass
class PageBreak:
    """Where a form continues on a new page."""


Block = Heading | Table | Chart | Note | PageBreak


@dataclass
class Page:
    """What one form, or one summary, lays out: title lines and blocks in page order
    (a form has one table, split by page breaks where it runs over a page; a summary
    headings, tables, charts and notes)."""

    kind: str
    orientation: str  # "portrait" or "landscape"
    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)
    is_form: bool = True
    font_size: float = BODY_PT  # the table text, pt: smaller where a form is shrunk to fit
    header: tuple[str, str] | None = None  # running header, left and right (summaries)

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    @property
    def page_count(self) -> int:
        """The pages a form prints on, as laid out."""
        return 1 + sum(isinstance(block, PageBreak) for block in self.blocks)


_WIDTH = re.compile(r"width:\s*([\d.]+)%")
# Plain etree elements: lxml.html's element classes cost a Python lookup per element.
_PARSER = etree.HTMLParser(remove_comments=True)


def parse_page(html: str, charts: dict[str, Chart] | None = None) -> Page:
    """Given one section of restricted HTML, return it as a page of blocks; a
    `<figure data-chart="name">` places the chart of that name, as wide as the figure."""
    section = _section(html)
    for br in section.iter("br"):
        br.tail = "\n" + (br.tail or "")
    classes = section.get("class", "").split()
    header = section.get("data-header-left"), section.get("data-header-right")
    page = Page(kind=next(c for c in classes if c not in ("form", "summary")),
                orientation=section.get("data-orientation", "portrait"),
                title=_text_of(section.find("h1")),
                subtitle=_text_of(section.find("p[@class='subtitle']")),
                is_form="form" in classes,
                header=(header[0] or "", header[1] or "") if any(header) else None)
    for element in section.iterchildren("h2", "table", "figure", "p"):
        if element.tag == "h2":
            page.blocks.append(Heading(_text_of(element)))
        elif element.tag == "table":
            page.blocks.append(parse_table(element))
        elif element.tag == "figure":
            chart = (charts or {})[element.get("data-chart", "")]
            page.blocks.append(replace(chart, width=_width(element.get("style", "")) or 100.0))
        elif element.get("class") in ("note", "para", "signoff"):
            page.blocks.append(Note(_text_of(element), element.get("class")))
    return page


def _section(html: str) -> Any:
    """The one element a template renders."""
    root = etree.fromstring(html, _PARSER) if html.strip() else None
    body = root.find("body") if root is not None else None
    elements = list(body) if body is not None else []
    if len(elements) != 1 or (body is not None and (body.text or "").strip()):
        raise ValueError("a template must render one <section> element and nothing "
                         f"around it; this one rendered {len(elements)} element(s)")
    return elements[0]


def parse_table(table: Any) -> Table:
    """Given a <table> element, return its grid: each cell at its row and column, the
    slots covered by row and column spans skipped."""
    grid = Table([_width(col.get("style", "")) for col in table.iter("col")], name=table.get("id", ""))
    taken: set[tuple[int, int]] = set()  # grid slots covered by earlier spans
    heads, closing = set(), set()
    for row, tr in enumerate(table.iter("tr")):
        row_classes = tr.get("class", "").split()
        if "heads" in row_classes:
            heads.add(row)
        if "closing" in row_classes:
            closing.add(row)
        col = 0
        for td in tr.iterchildren("td", "th"):
            while (row, col) in taken:
                col += 1
            cell = _cell(td, row, col)
            grid.cells.append(cell)
            if cell.rowspan > 1:  # (a column span only moves this row's column on)
                taken.update((r, c) for r in range(row + 1, row + cell.rowspan)
                             for c in range(col, col + cell.colspan))
            col += cell.colspan
            if row + cell.rowspan > grid.n_rows:
                grid.n_rows = row + cell.rowspan
    grid.heads, grid.closing = frozenset(heads), frozenset(closing)
    return grid


def _cell(td: Any, row: int, col: int) -> Cell:
    get = td.get
    value = get("data-value")
    rowspan, colspan = get("rowspan"), get("colspan")
    return Cell(row, col, int(rowspan) if rowspan else 1, int(colspan) if colspan else 1,
                _text_of(td), _classes(get("class", "")),
                Decimal(value) if value is not None else None, get("data-field", ""))


@lru_cache(maxsize=64)
def _classes(attribute: str) -> frozenset[str]:
    return frozenset(attribute.split())


def _text_of(element: Any) -> str:
    if element is None:
        return ""
    if not len(element):  # most cells: no child elements, the text is the element's own
        return (element.text or "").strip()
    return "".join(element.itertext()).strip()


def _width(style: str) -> float:
    match = _WIDTH.search(style)
    return float(match.group(1)) if match else 0.0
