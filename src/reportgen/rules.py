"""Scoring rules (docs/rules.md, with their sources): the one place for each rule.

Thresholds and tolerances come from a rules file (default-rules.toml, shipped with the
package; a region overrides keys with its own file). The functions are pure: they
compute suggested values from a document and never change what it says — reportgen
renders what the form says, and a departure from a rule is a finding of `reportgen
check`. Only a value the form leaves out and the rules determine (a missing 评分等级)
is filled in, and the document says so in its warnings.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Document, Indicator, ParseWarning, Period, format_decimal, parse_target

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# The official indicator hierarchy (一级 → 二级), docs/rules.md. 成本指标 is also a 二级 under
# 产出指标 on older forms.
HIERARCHY: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
LEVEL1_NAMES = frozenset(HIERARCHY)
LEVEL2_NAMES = frozenset(name for names in HIERARCHY.values() for name in names)


def parent_of(level2: str) -> str | None:
    """Given a 二级 name, return the 一级 it belongs to (the first, for 成本指标)."""
    return next((parent for parent, children in HIERARCHY.items() if level2 in children), None)


def complete_level2(fragment: str, level1: str | None) -> str | None:
    """Given the start of a 二级 name cut off by a page or cell wrap ("服务对象"), return
    the official name it begins, under level1 when known; None when none or several fit."""
    names = HIERARCHY.get(level1 or "", tuple(LEVEL2_NAMES))
    fits = [name for name in names if name.startswith(fragment)]
    return fits[0] if len(fits) == 1 else None


# ---------------------------------------------------------------- the rules file

@dataclass(frozen=True)
class Tier:
    """A qualitative tier: the words of 实际完成值 that select it, and its score band as
    a share of 分值."""

    name: str
    match: tuple[str, ...]
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Rules:
    grade_bands: tuple[tuple[str, Decimal], ...]
    lowest_grade: str
    weights_total: Decimal
    sum_tolerance: Decimal
    rate_tolerance: Decimal
    funding_score_tolerance: Decimal
    indicator_score_tolerance: Decimal
    tiers: tuple[Tier, ...]
    lag_tolerance: Decimal
    certain: frozenset[str]
    possible: frozenset[str]
    impossible: frozenset[str]
    empty_text: frozenset[str]
    funding_sum_tolerance: Decimal
    derived_funding_weight: Decimal = Decimal(10)
    derived_shares: tuple[tuple[str, Decimal], ...] = ()


def _merge(base: dict[str, Any], override: dict[str, Any], file: str, path: str = "") -> dict[str, Any]:
    """The default rules with a region's keys laid over them; an unknown key is an error."""
    merged = dict(base)
    for key, value in override.items():
        where = f"{path}{key}"
        if key not in base:
            raise InputError(file, where, f"unknown rule (known here: {', '.join(base)})")
        if isinstance(base[key], dict) and isinstance(value, dict):
            merged[key] = _merge(base[key], value, file, f"{where}.")
        else:
            merged[key] = value
    return merged


def _decimal(data: dict[str, Any], key: str, file: str, path: str) -> Decimal:
    try:
        return Decimal(str(data[key]))
    except Exception:
        raise InputError(file, f"{path}{key}", f"{data[key]!r} is not a number") from None


def rules_from_data(data: dict[str, Any], file: str) -> Rules:
    """Given a rules file's data (defaults merged in), return the rules."""
    grades, selfeval, tracking = data["grades"], data["selfeval"], data["tracking"]
    return Rules(
        grade_bands=tuple((str(name), Decimal(str(least))) for name, least in grades["bands"]),
        lowest_grade=grades["lowest"],
        weights_total=_decimal(selfeval, "weights_total", file, "selfeval."),
        sum_tolerance=_decimal(selfeval, "sum_tolerance", file, "selfeval."),
        rate_tolerance=_decimal(selfeval, "rate_tolerance", file, "selfeval."),
        funding_score_tolerance=_decimal(selfeval, "funding_score_tolerance", file, "selfeval."),
        indicator_score_tolerance=_decimal(selfeval, "indicator_score_tolerance", file, "selfeval."),
        tiers=tuple(Tier(t["name"], tuple(t["match"]), Decimal(str(t["low"])), Decimal(str(t["high"])))
                    for t in selfeval["qualitative"]),
        lag_tolerance=_decimal(tracking, "lag_tolerance", file, "tracking."),
        certain=frozenset(tracking["certain"]),
        possible=frozenset(tracking["possible"]),
        impossible=frozenset(tracking["impossible"]),
        empty_text=frozenset(tracking["empty_text"]),
        funding_sum_tolerance=_decimal(data["funding"], "sum_tolerance", file, "funding."),
        derived_funding_weight=_decimal(data["derive"], "funding_weight", file, "derive."),
        derived_shares=tuple((name, _decimal(data["derive"]["shares"], name, file, "derive.shares."))
                             for name in data["derive"]["shares"]),
    )


@lru_cache(maxsize=1)
def _default_data() -> dict[str, Any]:
    text = resources.files("reportgen").joinpath("default-rules.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_rules(path: Path | None = None) -> Rules:
    """The default rules, or those with a region's rules file laid over them."""
    data = _default_data()
    if path is not None:
        try:
            override = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(str(path), None, f"cannot read the rules file: {exc}") from None
        data = _merge(data, override, str(path))
    return rules_from_data(data, str(path) if path else "default-rules.toml")


DEFAULT_RULES = load_rules()


# ---------------------------------------------------------------- scoring

def grade_for(total_score: Decimal, rules: Rules = DEFAULT_RULES) -> str:
    """Given a 总分, return its 评分等级."""
    for grade, least in rules.grade_bands:
        if total_score >= least:
            return grade
    return rules.lowest_grade


def with_grade(doc: Document, rules: Rules = DEFAULT_RULES) -> Document:
    """Given a document, return it with the 评分等级 its 总分 has by the grade bands where
    it is a 自评表 that has a 总分 and no grade, and a warning saying the grade was
    computed; any other document as it is."""
    if doc.kind != "selfeval" or doc.grade or doc.total_score is None:
        return doc
    grade = grade_for(doc.total_score, rules)
    warning = ParseWarning(None, grade, f"评分等级 is not on the form: {grade} computed from "
                                        f"总分 {format_decimal(doc.total_score)} by the grade bands")
    return replace(doc, grade=grade, warnings=[*doc.warnings, warning])


def execution_rates(executed: Decimal, budget: Decimal) -> tuple[Decimal, Decimal] | None:
    """Given 执行数 and 预算数, return 执行率 in percent as Shanghai forms print it
    (truncated to 2 decimals: 28.27 ÷ 28.47 → 99.29) and as older forms do (rounded);
    None when there is no budget."""
    if not budget:
        return None
    exact = executed / budget * HUNDRED
    return exact.quantize(CENT, ROUND_DOWN), exact.quantize(CENT, ROUND_HALF_UP)


def funding_score(rate: Decimal, weight: Decimal) -> Decimal:
    """预算执行 得分: min(执行率, 100%) × 分值, half-up to 2 decimals (85.35% × 10 → 8.54)."""
    return (min(rate, HUNDRED) / HUNDRED * weight).quantize(CENT, ROUND_HALF_UP)


def tier_of(actual: str | None, rules: Rules = DEFAULT_RULES) -> Tier | None:
    """Given a qualitative 实际完成值, return its tier, or None when it names none."""
    return next((tier for tier in rules.tiers if any(word in (actual or "") for word in tier.match)), None)


def target_missed(indicator: Indicator) -> bool | None:
    """Whether a quantitative indicator's actual value misses its target (below a ≥/>/=
    target, above a ≤/< one); None where either is not a number."""
    target = parse_target(indicator.target)
    actual = parse_target(indicator.actual).value
    if target.value is None or target.op is None or actual is None:
        return None
    if target.op in ("<=", "<"):
        return actual > target.value if target.op == "<=" else actual >= target.value
    if target.op == "=" and target.value == 0:
        return actual > 0
    return actual < target.value if target.op in (">=", "=") else actual <= target.value


def suggested_band(indicator: Indicator, rules: Rules = DEFAULT_RULES) -> tuple[Decimal, Decimal] | None:
    """The 得分 the rules suggest for an indicator, as a (low, high) band: a point for
    quantitative targets, the tier's band for qualitative ones; None when the rules say
    nothing (no 分值, or neither a number nor a tier word)."""
    weight = indicator.weight
    if weight is None:
        return None
    missed = target_missed(indicator)
    if missed is not None:
        score = weight if not missed else _partial_score(indicator, weight)
        return score, score
    tier = tier_of(indicator.actual, rules)
    if tier is None:
        return None
    return (tier.low * weight).quantize(CENT), (tier.high * weight).quantize(CENT)


def _partial_score(indicator: Indicator, weight: Decimal) -> Decimal:
    """A missed quantitative target: actual ÷ target × 分值 (target ÷ actual for lower-
    is-better targets; 0 for an "=0" target), half-up to 2 decimals."""
    target = parse_target(indicator.target)
    actual = parse_target(indicator.actual).value
    assert target.value is not None and actual is not None
    if target.op == "=" and target.value == 0:
        return Decimal(0)
    if target.op in ("<=", "<"):
        share = target.value / actual if actual else Decimal(0)
    else:
        share = actual / target.value if target.value else Decimal(0)
    return (max(Decimal(0), min(share, Decimal(1))) * weight).quantize(CENT, ROUND_HALF_UP)


def total_weight(doc: Document) -> Decimal | None:
    """The 分值 of a 自评表 together: the funding weight plus every indicator weight
    (printed on the 总分 row; 100 by the rules)."""
    weights = [doc.funding.total.weight] + [i.weight for i in doc.indicators]
    present = [w for w in weights if w is not None]
    return sum(present, Decimal(0)) if present else None


def time_elapsed(period: Period) -> Decimal:
    """Share of the year a tracking period covers, in percent (1–8月 → 66.67)."""
    start_year, start_month = (int(p) for p in period.start.split("-"))
    end_year, end_month = (int(p) for p in period.end.split("-"))
    months = (end_year - start_year) * 12 + end_month - start_month + 1
    return (Decimal(months) / 12 * HUNDRED).quantize(CENT, ROUND_HALF_UP)


def suggested_weights(doc: Document, rules: Rules = DEFAULT_RULES) -> tuple[Decimal, list[Decimal]]:
    """The 分值 a 自评表 made from `doc` starts with: the budget execution's, and each
    indicator's (the rest shared by the 一级 present by the rules' shares, equally among
    a 一级's indicators, in cents, the last indicator of each 一级 taking the remainder)."""
    funding = rules.derived_funding_weight
    shares = dict(rules.derived_shares)
    counts: dict[str, int] = {}
    for indicator in doc.indicators:
        counts[indicator.level1 or ""] = counts.get(indicator.level1 or "", 0) + 1
    present = {level1: shares.get(level1, Decimal(0)) for level1 in counts}
    whole = sum(present.values(), Decimal(0))
    if not whole:  # no 一级 with a share: the indicators share the rest equally
        present, whole = {level1: Decimal(1) for level1 in counts}, Decimal(len(counts) or 1)
    rest = rules.weights_total - funding
    totals = {level1: (rest * share / whole).quantize(CENT, ROUND_HALF_UP) for level1, share in present.items()}
    if totals:  # the cents lost to rounding go to the first 一级
        first = next(iter(totals))
        totals[first] += rest - sum(totals.values(), Decimal(0))
    seen: dict[str, int] = {}
    weights = []
    for indicator in doc.indicators:
        level1 = indicator.level1 or ""
        seen[level1] = seen.get(level1, 0) + 1
        each = (totals[level1] / counts[level1]).quantize(CENT, ROUND_DOWN)
        last = seen[level1] == counts[level1]
        weights.append(totals[level1] - each * (counts[level1] - 1) if last else each)
    return funding, weights
