"""Summaries laid out: a department's summary (summary.Summary) or the cross-year table
through their templates, with their charts, into pages like the forms'."""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import KIND_NAMES
from .grid import Chart
from .numbers import format_date
from .templates import environment

if TYPE_CHECKING:  # summary.py runs the checks; layout needs its types only
    from ..summary import CrossYear, Summary

SUMMARY_TITLES = {"selfeval": "{year}年度项目支出绩效自评汇总表",
                  "tracking": "{year}年项目支出绩效跟踪汇总表",
                  "target": "{year}年度项目绩效目标汇总表"}


def summary_html(summary: Summary, generated: _dt.date, template_dir: str | None = None) -> str:
    """Given a summary and the day it is made, return its HTML section."""
    count = len(summary.projects) or 1
    return environment(template_dir).get_template("summary.html.j2").render(
        s=summary, title=SUMMARY_TITLES[summary.kind].format(year=summary.year),
        subtitle=f"{summary.group}（金额单位：万元）", generated=format_date(generated),
        share=lambda n: (Decimal(n) / count * 100).quantize(Decimal("0.01")))


def cross_year_html(items: list[CrossYear], generated: _dt.date, template_dir: str | None = None) -> str:
    return environment(template_dir).get_template("crossyear.html.j2").render(
        items=items, kind_names=KIND_NAMES, generated=format_date(generated))


def summary_charts(summary: Summary) -> dict[str, Chart]:
    """The charts a summary's template places, by name."""
    from . import charts  # matplotlib: loaded only for summaries

    if summary.kind == "selfeval":
        scored = [line for line in summary.projects if line.total_score is not None]
        lowest = {id(line) for line in summary.lowest}
        low_rows = {i for i, line in enumerate(scored) if id(line) in lowest}
        grades = list(summary.grades)
        return {
            "grades": Chart(*charts.column_chart(grades, list(summary.grades.values()), "评分等级分布", "项目数"),
                            kind="column", title="评分等级分布", table="grades", labels=0, values=1,
                            width=100),
            "ranking": Chart(*charts.ranking_chart([line.project for line in scored],
                                                   [line.total_score for line in scored],
                                                   "项目总分排名", "分", low_rows, "得分最低的项目"),
                             kind="bar", title="项目总分排名", table="ranking", labels=1, values=4,
                             width=100, legend="得分最低的项目", highlighted=frozenset(low_rows)),
        }
    if summary.kind == "tracking":
        rated = [line for line in summary.projects if line.rate is not None]
        risky = {i for i, line in enumerate(rated) if line.at_risk}
        return {"rates": Chart(*charts.ranking_chart(
            [line.project for line in rated], [line.rate for line in rated], "预算执行率与时间进度", "%",
            risky, "风险项目", line_at=summary.elapsed, line_label="时间进度"),
            kind="bar", title="预算执行率与时间进度", table="ranking", labels=1, values=4, width=100,
            line_at=summary.elapsed, line_label="时间进度", legend="风险项目",
            highlighted=frozenset(risky))}
    return {}
