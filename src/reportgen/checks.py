"""Consistency checks: documents → findings (what, where, how bad), never corrections.

Each check is a function registered for the kinds of form it applies to; it yields
(severity, code, field, message) and `check_document` adds the document and place.
Arithmetic that does not add up is an error; departures from scoring rules whose
sources are secondary (docs/rules-sources.md) are warnings; a score on a tier's boundary is
information. Messages are in Chinese, for the people who file the forms.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterator

from .model import FUNDING_ROWS, KIND_NAMES, Document, Indicator, parse_target
from .rules import (DEFAULT_RULES, LEVEL1_NAMES, LEVEL2_NAMES, Rules, execution_rates,
                    funding_score, grade_for, suggested_band, target_missed, tier_of,
                    time_elapsed, total_weight)

SEVERITIES = ("error", "warning", "info")
ROW_NAMES = {"total": "年度资金总额", "fiscal": "当年财政拨款", "carryover": "上年结转资金",
             "other": "其他资金"}
COLUMN_NAMES = {"initial": "年初预算数", "budget": "预算数", "executed": "执行数"}


@dataclass(frozen=True)
class Finding:
    severity: str  # error, warning or info
    code: str  # what kind of finding, stable for filtering: "funding.rate"
    document: str  # "2024 自评表 新疆支青稳定专项经费"
    field: str  # the field path: "indicators[3].score"
    message: str
    file: str | None = None
    line: int | None = None
    place: str | None = None  # where in a file without lines: Sheet1!B4, page 2, y 310


Raw = tuple[str, str, str, str]  # severity, code, field, message
Check = Callable[[Document, Rules], Iterator[Raw]]
CHECKS: list[tuple[frozenset[str], Check]] = []


def check(*kinds: str) -> Callable[[Check], Check]:
    """Register a check for kinds of form (all kinds when none are named)."""
    def add(function: Check) -> Check:
        CHECKS.append((frozenset(kinds or KIND_NAMES), function))
        return function
    return add


def document_label(doc: Document) -> str:
    return f"{doc.year} {KIND_NAMES[doc.kind]} {doc.project}"


def check_document(doc: Document, rules: Rules = DEFAULT_RULES) -> list[Finding]:
    """Given a document, return its findings: the reader's warnings first, then those
    of every check that applies to its kind."""
    label, file = document_label(doc), doc.source.file if doc.source else None
    findings = [Finding("warning", "parse", label, "", f"读入时未能归入任何字段：{w.reason}" +
                        (f"（{w.text}）" if w.text else ""), file, w.line, w.place)
                for w in doc.warnings]
    for kinds, function in CHECKS:
        if doc.kind in kinds:
            findings += [Finding(severity, code, label, field, message, file)
                         for severity, code, field, message in function(doc, rules)]
    return findings


def _pct(value: Decimal) -> str:
    return f"{value}%"


def _empty(text: str | None, rules: Rules) -> bool:
    return (text or "").strip() in rules.empty_text


# ---------------------------------------------------------------- completeness (all kinds)

@check()
def completeness(doc: Document, rules: Rules) -> Iterator[Raw]:
    """A form without indicators or without its funding total is not complete, however
    it was read: an error, so that it is never filed as if it were."""
    if not doc.indicators:
        yield "error", "form.indicators", "indicators", "未读到任何绩效指标：表格不完整或未能识别"
    total = doc.funding.total
    if total.budget is None and total.initial is None:
        yield "error", "form.funding", "funding.total", "未读到年度资金总额：表格不完整或未能识别"


# ---------------------------------------------------------------- funding (all kinds)

@check("tracking", "selfeval")
def funding_rate(doc: Document, rules: Rules) -> Iterator[Raw]:
    """执行率 = 执行数 ÷ 预算数, printed truncated or rounded to 2 decimals."""
    for key in FUNDING_ROWS:
        row = getattr(doc.funding, key)
        if row.rate is None or row.executed is None or row.budget is None:
            continue
        rates = execution_rates(row.executed, row.budget)
        if rates is None:
            continue
        if all(abs(row.rate - rate) > rules.rate_tolerance for rate in rates):
            yield ("error", "funding.rate", f"funding.{key}.rate",
                   f"{ROW_NAMES[key]}执行率 {_pct(row.rate)} 与 执行数÷预算数 "
                   f"{row.executed}÷{row.budget} = {_pct(rates[0])} 不符")


@check()
def funding_sum(doc: Document, rules: Rules) -> Iterator[Raw]:
    """年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金, per column."""
    f = doc.funding
    for column in ("initial", "budget", "executed"):
        parts = [getattr(getattr(f, key), column) for key in ("fiscal", "carryover", "other")]
        total = getattr(f.total, column)
        if total is None or any(p is None for p in parts):
            continue
        added = sum(parts, Decimal(0))
        if abs(total - added) > rules.funding_sum_tolerance:
            yield ("error", "funding.sum", f"funding.total.{column}",
                   f"{COLUMN_NAMES[column]}：年度资金总额 {total} 不等于各分项之和 {added}")


@check("tracking", "selfeval")
def executed_over_budget(doc: Document, rules: Rules) -> Iterator[Raw]:
    for key in FUNDING_ROWS:
        row = getattr(doc.funding, key)
        if row.executed is not None and row.budget is not None and row.executed > row.budget:
            yield ("warning", "funding.over", f"funding.{key}.executed",
                   f"{ROW_NAMES[key]}执行数 {row.executed} 超过预算数 {row.budget}")


# ---------------------------------------------------------------- text (all kinds)

_ONLY_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


@check()
def goal_is_a_number(doc: Document, rules: Rules) -> Iterator[Raw]:
    for name in ("planned", "actual"):
        text = getattr(doc.goals, name)
        if text and _ONLY_NUMBER.fullmatch(text.strip()):
            yield ("warning", "goals.number", f"goals.{name}",
                   f"年度总体目标的{'预期目标' if name == 'planned' else '完成情况'}只有一个数字“{text}”")


@check()
def indicator_names(doc: Document, rules: Rules) -> Iterator[Raw]:
    """No name, a name seen twice, a 一级/二级 name outside the official hierarchy."""
    seen = Counter((i.level1, i.level2, i.name, i.target, i.actual) for i in doc.indicators)
    reported = set()
    for n, i in enumerate(doc.indicators):
        where = f"indicators[{n}]"
        if not (i.name or "").strip():
            yield "error", "indicator.name", f"{where}.name", "三级指标没有名称"
        key = (i.level1, i.level2, i.name, i.target, i.actual)
        if seen[key] > 1 and key not in reported:
            reported.add(key)
            yield ("warning", "indicator.duplicate", where,
                   f"指标“{i.name}”（{i.target}）重复出现 {seen[key]} 次")
        if i.level1 and i.level1 not in LEVEL1_NAMES:
            yield "warning", "indicator.level1", f"{where}.level1", f"一级指标“{i.level1}”不在官方指标体系中"
        if i.level2 and i.level2 not in LEVEL2_NAMES:
            yield "warning", "indicator.level2", f"{where}.level2", f"二级指标“{i.level2}”不在官方指标体系中"


@check("tracking", "selfeval")
def budget_rate_indicator(doc: Document, rules: Rules) -> Iterator[Raw]:
    """An indicator named 预算执行率 should report the form's own 执行率."""
    rate = doc.funding.total.rate
    if rate is None:
        return
    for n, i in enumerate(doc.indicators):
        actual = parse_target(i.actual).value
        if "预算执行率" in (i.name or "") and actual is not None and abs(actual - rate) > 1:
            yield ("warning", "indicator.budget_rate", f"indicators[{n}].actual",
                   f"指标“{i.name}”的实际完成值 {i.actual} 与项目执行率 {_pct(rate)} 不符")


# ---------------------------------------------------------------- self-evaluation

@check("selfeval")
def weights_total(doc: Document, rules: Rules) -> Iterator[Raw]:
    total = total_weight(doc)
    if total is not None and total != rules.weights_total:
        yield ("error", "weights.total", "indicators",
               f"分值合计 {total}（预算执行 {doc.funding.total.weight or 0} "
               f"+ 指标），应为 {rules.weights_total}")


@check("selfeval")
def scores_within_weights(doc: Document, rules: Rules) -> Iterator[Raw]:
    rows = [("funding.total", "预算执行", doc.funding.total.weight, doc.funding.total.score)]
    rows += [(f"indicators[{n}]", f"指标“{i.name}”", i.weight, i.score) for n, i in enumerate(doc.indicators)]
    for where, name, weight, score in rows:
        if weight is not None and score is not None and score > weight:
            yield "error", "score.over", f"{where}.score", f"{name}得分 {score} 高于分值 {weight}"


@check("selfeval")
def total_score(doc: Document, rules: Rules) -> Iterator[Raw]:
    """总分 = 预算执行得分 + Σ 指标得分; 评分等级 from the bands of 总分."""
    total = doc.total_score
    if total is None:
        return
    scores = [i.score for i in doc.indicators if i.score is not None]
    funding = doc.funding.total.score
    if funding is None and doc.funding.total.weight is not None:
        yield ("warning", "score.missing", "funding.total.score",
               f"缺少预算执行得分，总分 {total} 无法核对（指标得分合计 {sum(scores, Decimal(0))}）")
    else:
        added = sum(scores, funding or Decimal(0))
        if abs(added - total) > rules.sum_tolerance:
            yield "error", "score.sum", "total_score", f"总分 {total} 与各项得分之和 {added} 不符"
    expected = grade_for(total, rules)
    if doc.grade and doc.grade != expected:
        yield "error", "grade", "grade", f"评分等级“{doc.grade}”与总分 {total} 对应的等级“{expected}”不符"


@check("selfeval")
def funding_score_rule(doc: Document, rules: Rules) -> Iterator[Raw]:
    row = doc.funding.total
    if row.rate is None or row.weight is None or row.score is None:
        return
    expected = funding_score(row.rate, row.weight)
    if abs(expected - row.score) > rules.funding_score_tolerance:
        yield ("warning", "score.funding", "funding.total.score",
               f"预算执行得分 {row.score} 与 执行率×分值 {_pct(row.rate)}×{row.weight} = {expected} 不符")
    if row.rate > 100:
        yield "warning", "funding.rate_over", "funding.total.rate", f"执行率 {_pct(row.rate)} 超过 100%"


@check("selfeval")
def indicator_scores(doc: Document, rules: Rules) -> Iterator[Raw]:
    """得分 against the rules' suggestion, and 偏差原因分析 where a target was missed."""
    for n, i in enumerate(doc.indicators):
        where = f"indicators[{n}]"
        yield from _score_against_band(i, where, rules)
        missed = target_missed(i)
        if missed and i.score is not None and i.score == i.weight:
            yield ("warning", "target.missed_full", f"{where}.score",
                   f"“{i.name}”未达到目标值（{i.target}，实际 {i.actual}）却得满分 {i.score}")
        short = i.score is not None and i.weight is not None and i.score < i.weight
        if (missed or short) and _empty(i.deviation, rules):
            yield ("warning", "deviation.missing", f"{where}.deviation",
                   f"“{i.name}”{'未达到目标值' if missed else f'得分 {i.score} 低于分值 {i.weight}'}，缺少偏差原因分析")


def _score_against_band(i: Indicator, where: str, rules: Rules) -> Iterator[Raw]:
    band = suggested_band(i, rules)
    if band is None or i.score is None:
        return
    low, high = band
    tier = tier_of(i.actual, rules) if target_missed(i) is None else None
    top = tier is None or tier.high == 1
    inside = low <= i.score <= high if top else low <= i.score < high
    if inside:
        return
    gap = low - i.score if i.score < low else i.score - high
    if gap > rules.indicator_score_tolerance:
        severity = "warning"
    elif tier is not None:
        severity = "info"  # on a tier's boundary: 部分达成 scored 8 of 10
    else:
        return
    suggestion = f"{low}" if low == high else f"{low}–{high}{'' if top else '（不含）'}"
    what = f"“{tier.name}”档" if tier else "按实际值与目标值计算"
    yield severity, "score.rule", f"{where}.score", f"“{i.name}”得分 {i.score}，{what}建议 {suggestion}"


# ---------------------------------------------------------------- tracking

@check("tracking")
def tracking_outlook(doc: Document, rules: Rules) -> Iterator[Raw]:
    """A low 执行率 judged 确定能完成; 有可能/确定不能完成 without 纠偏措施."""
    outlook = doc.outlook
    if outlook is None:
        return
    known = rules.certain | rules.possible | rules.impossible
    for name in ("budget", "goals"):
        value = getattr(outlook, name)
        if value and value not in known:
            yield "warning", "outlook.value", f"outlook.{name}", f"完成可能性“{value}”不是规定的选项"
    doubtful = [v for v in (outlook.budget, outlook.goals) if v and v not in rules.certain]
    if doubtful and _empty(doc.corrective, rules):
        yield ("warning", "corrective.missing", "corrective",
               f"完成可能性为“{doubtful[0]}”，但没有纠偏措施")
    rate = doc.funding.total.rate
    if doc.period and rate is not None and outlook.budget in rules.certain:
        elapsed = time_elapsed(doc.period)
        if rate < elapsed - rules.lag_tolerance:
            yield ("warning", "tracking.lag", "funding.total.rate",
                   f"执行率 {_pct(rate)} 远低于时间进度 {_pct(elapsed)}，但预算完成可能性为“{outlook.budget}”")


@check("tracking")
def tracking_deviation(doc: Document, rules: Rules) -> Iterator[Raw]:
    """A 跟踪期实际完成值 short of the 计划完成值 expects a 偏差原因分析."""
    for n, i in enumerate(doc.indicators):
        planned, actual = parse_target(i.planned).value, parse_target(i.actual).value
        lower_better = parse_target(i.target).op in ("<=", "<")
        if planned is None or actual is None:
            continue
        short = actual > planned if lower_better else actual < planned
        if short and _empty(i.deviation, rules):
            yield ("warning", "deviation.missing", f"indicators[{n}].deviation",
                   f"“{i.name}”跟踪期实际完成值 {i.actual} 未达到计划完成值 {i.planned}，缺少偏差原因分析")
