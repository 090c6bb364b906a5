"""Layout: documents and summaries → pages of blocks that the writers print.

One Jinja template per kind (`templates/<kind>.html.j2`, `summary.html.j2`,
`crossyear.html.j2`) lays a page out once, as restricted HTML (templates.py).
`parse_page` reads it into a `Page` of headings, tables of cells with their spans,
charts and notes (grid.py). `lay_out_page` then sizes it for A4: column widths from the
content, row heights, and for a form its pages (columns.py, paginate.py). The PDF,
DOCX and XLSX writers all print that one page: same cells, spans, text and page breaks.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass

from ..model import Document
from .grid import Block, Cell, Chart, Heading, Note, Page, PageBreak, Table, parse_page
from .numbers import format_count, format_date, format_month, format_number
from .paginate import lay_out_page
from .summaries import cross_year_html, summary_charts, summary_html
from .templates import indicator_rows, package_dir, render_template, strip_illegal_xml

__all__ = ["Block", "Cell", "Chart", "Heading", "LaidOut", "Note", "Page", "PageBreak", "Table",
           "format_count", "format_date", "format_month", "format_number", "generation_date",
           "indicator_rows", "layout_cross_year", "layout_department_report", "layout_document",
           "layout_rectify", "layout_report", "layout_summary",
           "package_dir", "strip_illegal_xml"]


@dataclass
class LaidOut:
    """One page ready for the writers, with a short name (the project, the group) for
    file titles and sheet names, the author the files' properties name, and the user's
    template folder it was laid out with (whose page.html.j2 the PDF prints through)."""

    grid: Page
    name: str
    author: str = "reportgen"
    template_dir: str | None = None


def generation_date() -> _dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date()
    return _dt.date.today()


def layout_document(doc: Document, template_dir: str | None = None) -> LaidOut:
    """Given a document, return its form laid out."""
    html = render_template(template_dir, f"{doc.kind}.html.j2", doc=doc)
    return LaidOut(lay_out_page(parse_page(html)), doc.project, template_dir=template_dir)


def layout_summary(summary, template_dir: str | None = None,
                   generated: _dt.date | None = None) -> LaidOut:
    """Given a summary (summary.Summary), return it laid out, with its charts."""
    html = summary_html(summary, generated or generation_date(), template_dir)
    return LaidOut(lay_out_page(parse_page(html, summary_charts(summary))), summary.group,
                   template_dir=template_dir)


def layout_report(facts, template_dir: str | None = None) -> LaidOut:
    """Given a report's facts (report.ReportFacts), return the report laid out: its
    headings and paragraphs, from templates/report/."""
    html = render_template(template_dir, f"report/{facts.doc.kind}.html.j2", f=facts)
    return LaidOut(lay_out_page(parse_page(html)), facts.doc.project, template_dir=template_dir)


def layout_department_report(summary, reports: list, template_dir: str | None = None) -> LaidOut:
    """Given a department's summary (summary.Summary, 自评表) and the facts of its
    projects' reports in ranking order, return its report, with the ranking and charts."""
    html = render_template(template_dir, "report/department.html.j2", s=summary, reports=reports)
    return LaidOut(lay_out_page(parse_page(html, summary_charts(summary))), summary.group,
                   template_dir=template_dir)


def layout_rectify(group: str, year: int, rows: list, template_dir: str | None = None) -> LaidOut:
    """Given a department's year and its 整改清单 lines (report.RectifyRow), return the list."""
    html = render_template(template_dir, "report/rectify.html.j2", group=group, year=year, rows=rows)
    return LaidOut(lay_out_page(parse_page(html)), f"{group}整改清单", template_dir=template_dir)


def layout_cross_year(items, template_dir: str | None = None,
                      generated: _dt.date | None = None) -> LaidOut:
    """Given projects seen in several years (summary.CrossYear), return their table."""
    html = cross_year_html(items, generated or generation_date(), template_dir)
    return LaidOut(lay_out_page(parse_page(html)), "跨年度项目对照", template_dir=template_dir)
