"""The year's chain: a 申报表's project prefilled as its 跟踪表 or 自评表, and a 跟踪表's as its
自评表 (`reportgen derive`). Pure functions of documents.

What the earlier form says is carried over as written: the project, department, unit,
amounts budgeted, the goals planned, every indicator with its 年度指标值. What the later
form asks for is left empty to fill in (执行数, 实际完成值, 得分 …); a 自评表 gets the
weights the rules suggest (rules.suggested_weights).
"""
from __future__ import annotations

from dataclasses import replace

from .model import Document, Funding, FundingRow, Goals, Indicator, Outlook, Period, Source
from .rules import DEFAULT_RULES, Rules, suggested_weights

FUNDING_ROWS = ("total", "fiscal", "carryover", "other")


def tracking_of(target: Document, period: Period) -> Document:
    """A 申报表's project as its 跟踪表 for the period, to fill in."""
    return _derived(target, "tracking", int(period.end[:4]), period,
                    [replace(_carried(i), planned="", actual="", deviation="") for i in target.indicators])


def selfeval_of(doc: Document, rules: Rules = DEFAULT_RULES) -> Document:
    """A 申报表's or 跟踪表's project as its 自评表, the weights the rules suggest."""
    funding_weight, weights = suggested_weights(doc, rules)
    indicators = [replace(_carried(i), planned=None, actual="", weight=w, score=None, deviation="")
                  for i, w in zip(doc.indicators, weights)]
    derived = _derived(doc, "selfeval", doc.year, None, indicators)
    derived.funding.total.weight = funding_weight
    return derived


def _carried(indicator: Indicator) -> Indicator:
    return Indicator(indicator.level1, indicator.level2, indicator.name, indicator.target)


def _derived(doc: Document, kind: str, year: int, period: Period | None,
             indicators: list[Indicator]) -> Document:
    # 年初预算数 is the budget the earlier form planned (a 申报表's only amount)
    funding = Funding(**{row: FundingRow(initial=_initial(getattr(doc.funding, row)),
                                         budget=getattr(doc.funding, row).budget)
                         for row in FUNDING_ROWS})
    return Document(
        kind=kind, year=year, project=doc.project, period=period, title=None,
        department=doc.department, unit=doc.unit, manager=doc.manager,
        amount_unit=doc.amount_unit, funding=funding,
        goals=Goals(doc.goals.planned, ""), indicators=indicators,
        outlook=Outlook() if kind == "tracking" else None,
        corrective="" if kind == "tracking" else None,
        source=Source(doc.source.file if doc.source else None),
    )


def _initial(row: FundingRow):
    return row.initial if row.initial is not None else row.budget
