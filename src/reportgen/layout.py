"""Layout: documents → the form as a restricted HTML table → a grid of cells.

One Jinja template per kind (`templates/<kind>.html.j2`) lays a form out once. The PDF
writer prints that HTML; `parse_page` turns the same HTML into a `Page` (title lines, then
tables of cells with their spans, text and classes, headings and charts) from which the
DOCX and XLSX writers build theirs. So the three formats share one layout: same cells,
spans and text. Summaries go the same way (templates/summary.html.j2).
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import jinja2
from lxml import html as lxml_html
from babel import Locale
from babel.numbers import NumberPattern, parse_pattern
from markupsafe import Markup

from .model import KIND_NAMES, Document, Indicator, decimal_places, format_decimal
from .rules import total_weight

if TYPE_CHECKING:  # summary.py runs the checks; layout needs its types only
    from .summary import CrossYear, Summary

FUNDING_LABELS = (
    ("total", "年度资金总额"),
    ("fiscal", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)

# Characters XML 1.0 forbids: Word and Excel refuse a file that holds one.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def strip_illegal_xml(text: str) -> str:
    """Given text, return it without the control characters XML cannot carry."""
    return _XML_ILLEGAL.sub("", text)


# ---------------------------------------------------------------- values as printed

_LOCALE = Locale.parse("zh_CN")  # parsed once: Babel re-reads its data for a locale name


@lru_cache(maxsize=64)
def _pattern(places: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * places if places else ""))


def format_number(value: Decimal | None) -> str:
    """Given a number, return it as the forms print it for zh_CN: thousands separated,
    with the decimals it was written with ("13303150.1" → "13,303,150.1")."""
    if value is None:
        return ""
    return _pattern(decimal_places(value)).apply(value, _LOCALE, decimal_quantization=False)


def _two_places(value: Decimal | None) -> Decimal | None:
    """An amount as summaries print it: 2 decimals (万元 from 元 have up to 6)."""
    return None if value is None else value.quantize(Decimal("0.01"))


def format_month(value: str) -> str:
    """"2024-08" → "2024年8月", as the 跟踪时段 line writes it."""
    year, month = value.split("-")
    return f"{year}年{int(month)}月"


@dataclass
class IndicatorRow:
    """An indicator with the row spans of its 一级/二级 cells (0: merged into the row above)."""

    indicator: Indicator
    level1_span: int
    level2_span: int


def indicator_rows(indicators: list[Indicator]) -> list[IndicatorRow]:
    """Given indicators in form order, return them with the spans that merge runs of the
    same 一级 name, and runs of the same 二级 name within one 一级 run."""
    rows = [IndicatorRow(item, 0, 0) for item in indicators]
    start1 = start2 = 0
    for i in range(1, len(indicators) + 1):
        new1 = i == len(indicators) or indicators[i].level1 != indicators[i - 1].level1
        if new1 or indicators[i].level2 != indicators[i - 1].level2:
            rows[start2].level2_span = i - start2
            start2 = i
        if new1:
            rows[start1].level1_span = i - start1
            start1 = i
    return rows


# ---------------------------------------------------------------- templates

def package_dir(name: str) -> Path:
    """The folder of a data package shipped with reportgen (templates, styles)."""
    return Path(str(resources.files(f"reportgen.{name}")))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return strip_illegal_xml(value)


@lru_cache(maxsize=8)
def environment(template_dir: str | None = None) -> jinja2.Environment:
    """The Jinja environment: templates from `template_dir` first, then the shipped ones.
    Autoescaping makes any `<script>` in the data plain text."""
    dirs = ([template_dir] if template_dir else []) + [str(package_dir("templates"))]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs), autoescape=True, finalize=_finalize,
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.filters.update(number=format_number, plain=format_decimal, month=format_month,
                       dec=Decimal, wan=_two_places)
    env.globals.update(indicator_rows=indicator_rows, total_weight=total_weight,
                       funding_labels=FUNDING_LABELS)
    return env


def render_form_html(doc: Document, template_dir: str | None = None) -> str:
    """Given a document, return its form as an HTML <section>."""
    template = environment(template_dir).get_template(f"{doc.kind}.html.j2")
    return template.render(doc=doc)


SUMMARY_TITLES = {"selfeval": "{year}年度项目支出绩效自评汇总表",
                  "tracking": "{year}年项目支出绩效跟踪汇总表",
                  "target": "{year}年度项目绩效目标汇总表"}


def layout_summary(summary: Summary, template_dir: str | None = None) -> LaidOut:
    """Given a summary (summary.Summary), return it laid out, with its charts."""
    template = environment(template_dir).get_template("summary.html.j2")
    count = len(summary.projects) or 1
    html = template.render(
        s=summary, charts=_summary_charts(summary),
        title=SUMMARY_TITLES[summary.kind].format(year=summary.year),
        subtitle=f"{summary.group}（金额单位：万元）",
        share=lambda n: (Decimal(n) / count * 100).quantize(Decimal("0.01")))
    return LaidOut(html, parse_page(html), summary.group)


def layout_cross_year(items: list[CrossYear], template_dir: str | None = None) -> LaidOut:
    """Given projects seen in several years (summary.CrossYear), return their table."""
    template = environment(template_dir).get_template("crossyear.html.j2")
    html = template.render(items=items, kind_names=KIND_NAMES)
    return LaidOut(html, parse_page(html), "跨年度项目对照")


def _summary_charts(summary: Summary) -> dict[str, str]:
    """The summary's charts as data: URIs of PNG images."""
    from . import charts  # matplotlib: loaded only for summaries

    def uri(png: bytes) -> str:
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii")

    if summary.kind == "selfeval":
        scored = [(line.project, line.total_score) for line in summary.projects
                  if line.total_score is not None]
        return {"grades": uri(charts.column_chart(list(summary.grades), list(summary.grades.values()),
                                                  "评分等级分布")),
                "ranking": uri(charts.ranking_chart([name for name, _ in scored], [score for _, score in scored],
                                                    "项目总分排名", "分",
                                                    low={line.project for line in summary.lowest}))}
    if summary.kind == "tracking":
        rated = [(line.project, line.rate) for line in summary.projects if line.rate is not None]
        return {"rates": uri(charts.ranking_chart([name for name, _ in rated], [rate for _, rate in rated],
                                                  "预算执行率与时间进度", "%", line_at=summary.elapsed,
                                                  line_label="时间进度",
                                                  low={line.project for line in summary.risks}))}
    return {}


def render_page_html(forms: Iterable[str], title: str, template_dir: str | None = None) -> str:
    """Given form sections, return one HTML page holding them (page breaks between)."""
    template = environment(template_dir).get_template("page.html.j2")
    return template.render(forms=list(forms), title=title)


# ---------------------------------------------------------------- HTML → grid

@dataclass
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    classes: frozenset[str]
    value: Decimal | None = None  # numeric cells: the number behind the printed text


@dataclass
class Table:
    widths: list[float]  # column widths, percent of the table width
    cells: list[Cell] = field(default_factory=list)
    n_rows: int = 0
    name: str = ""  # the table's id, by which a chart names the table it draws

    @property
    def n_cols(self) -> int:
        return len(self.widths)


@dataclass
class Heading:
    text: str


@dataclass
class Chart:
    """A chart as a PNG (PDF, DOCX), and what it draws, for a native chart (XLSX): the
    values of one column of a table against the labels of another."""

    png: bytes
    kind: str  # "column" (vertical bars) or "bar" (horizontal)
    table: str
    labels: int
    values: int
    width: float  # percent of the page width


Block = Heading | Table | Chart


@dataclass
class Page:
    """What one form, or one summary, lays out: title lines and blocks in page order
    (a form has one table; a summary headings, tables and charts)."""

    kind: str
    orientation: str  # "portrait" or "landscape"
    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    # a form's one table, as the form's own grid
    @property
    def widths(self) -> list[float]:
        return self.tables[0].widths

    @property
    def cells(self) -> list[Cell]:
        return self.tables[0].cells

    @property
    def n_rows(self) -> int:
        return self.tables[0].n_rows

    @property
    def n_cols(self) -> int:
        return self.tables[0].n_cols


_WIDTH = re.compile(r"width:\s*([\d.]+)%")


def parse_page(html: str) -> Page:
    """Given one section of restricted HTML (h1, p.subtitle, then h2, table and figure
    elements in page order), return it as a page of blocks."""
    section = lxml_html.fragment_fromstring(html)
    for br in section.iter("br"):
        br.tail = "\n" + (br.tail or "")
    page = Page(kind=next(c for c in section.get("class", "").split() if c not in ("form", "summary")),
                orientation=section.get("data-orientation", "portrait"),
                title=_text_of(section.find("h1")),
                subtitle=_text_of(section.find("p[@class='subtitle']")))
    for element in section.iterchildren("h2", "table", "figure"):
        if element.tag == "h2":
            page.blocks.append(Heading(_text_of(element)))
        elif element.tag == "table":
            page.blocks.append(parse_table(element))
        else:
            page.blocks.append(_chart(element))
    return page


def parse_table(table: Any) -> Table:
    """Given a <table> element, return its grid: each cell at its row and column, the
    slots covered by row and column spans skipped."""
    grid = Table([_width(col.get("style", "")) for col in table.iter("col")], name=table.get("id", ""))
    taken: set[tuple[int, int]] = set()  # grid slots covered by earlier spans
    for row, tr in enumerate(table.iter("tr")):
        col = 0
        for td in tr.iterchildren("td", "th"):
            while (row, col) in taken:
                col += 1
            cell = _cell(td, row, col)
            grid.cells.append(cell)
            taken.update((r, c) for r in range(row, row + cell.rowspan)
                         for c in range(col, col + cell.colspan))
            col += cell.colspan
            grid.n_rows = max(grid.n_rows, row + cell.rowspan)
    return grid


def _chart(figure: Any) -> Chart:
    src = figure.find("img").get("src", "")
    return Chart(base64.b64decode(src.split(",", 1)[1]), figure.get("data-chart", "column"),
                 figure.get("data-table", ""), int(figure.get("data-labels", 0)),
                 int(figure.get("data-values", 1)), _width(figure.get("style", "")) or 100.0)


def _cell(td: Any, row: int, col: int) -> Cell:
    value = td.get("data-value")
    return Cell(row, col, int(td.get("rowspan", 1)), int(td.get("colspan", 1)),
                _text_of(td), frozenset(td.get("class", "").split()),
                Decimal(value) if value is not None else None)


def _text_of(element: Any) -> str:
    return "" if element is None else "".join(element.itertext()).strip()


def _width(style: str) -> float:
    match = _WIDTH.search(style)
    return float(match.group(1)) if match else 0.0


@dataclass
class LaidOut:
    """One page ready for the writers: its HTML (for PDF), its blocks (for DOCX and
    XLSX) and a short name (the project, the group) for sheet names and titles."""

    html: str
    grid: Page
    name: str


def layout_document(doc: Document, template_dir: str | None = None) -> LaidOut:
    """Given a document, return its form laid out."""
    html = render_form_html(doc, template_dir)
    return LaidOut(html, parse_page(html), doc.project)
