"""Summaries laid out: a department's summary (summary.Summary) or the cross-year table
through their templates, with their charts, into pages like the forms'."""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import KIND_NAMES
from .grid import Chart
from .numbers import format_date
from .templates import render_template

if TYPE_CHECKING:  # summary.py runs the checks; layout needs its types only
    from ..summary import CrossYear, Summary

SUMMARY_TITLES = {"selfeval": "{year}年度项目支出绩效自评汇总表",
                  "tracking": "{year}年项目支出绩效跟踪汇总表",
                  "target": "{year}年度项目绩效目标汇总表"}


def summary_html(summary: Summary, generated: _dt.date, template_dir: str | None = None) -> str:
    """Given a summary and the day it is made, return its HTML section."""
    count = len(summary.projects) or 1
    return render_template(
        template_dir, "summary.html.j2", s=summary, title=SUMMARY_TITLES[summary.kind].format(year=summary.year),
        subtitle=f"{summary.group}（金额单位：万元）", generated=format_date(generated),
        share=lambda n: (Decimal(n) / count * 100).quantize(Decimal("0.01")))


def cross_year_html(items: list[CrossYear], generated: _dt.date, template_dir: str | None = None) -> str:
    return render_template(
        template_dir, "crossyear.html.j2", items=items, kind_names=KIND_NAMES, generated=format_date(generated))


def summary_charts(summary: Summary) -> dict[str, Chart]:
    """The charts a summary's template places, by name: each draws a column of one of
    its tables (values) against another (labels), as the XLSX's native charts do."""
    from . import charts  # matplotlib: loaded only for summaries

    if summary.kind == "selfeval":
        title = "评分等级分布"
        drawn = charts.column_chart(list(summary.grades), list(summary.grades.values()), title, "项目数")
        grades = Chart(*drawn, "column", title, table="grades", labels=0, values=1, width=100)
        lowest = {id(line) for line in summary.lowest}
        scored = [(line.project, line.total_score, id(line) in lowest) for line in summary.projects
                  if line.total_score is not None]
        return {"grades": grades,
                "ranking": _ranking(scored, "项目总分排名", "分", "得分最低的项目")}
    if summary.kind == "tracking":
        rated = [(line.project, line.rate, line.at_risk) for line in summary.projects
                 if line.rate is not None]
        return {"rates": _ranking(rated, "预算执行率与时间进度", "%", "风险项目",
                                  line_at=summary.elapsed, line_label="时间进度")}
    return {}


def _ranking(rows: list[tuple[str, Decimal, bool]], title: str, unit: str, legend: str,
             line_at: Decimal | None = None, line_label: str = "") -> Chart:
    """Horizontal bars of a ranking table's rows (project, value, highlighted), drawn
    from its project name (column 1) and its fifth column."""
    from . import charts

    highlighted = frozenset(i for i, (_, _, high) in enumerate(rows) if high)
    drawn = charts.ranking_chart([name for name, _, _ in rows], [value for _, value, _ in rows],
                                 title, unit, highlighted, legend, line_at, line_label)
    return Chart(*drawn, "bar", title, table="ranking", labels=1, values=4, width=100,
                 line_at=line_at, line_label=line_label, legend=legend, highlighted=highlighted)
