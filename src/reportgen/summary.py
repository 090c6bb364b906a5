"""Department summaries: documents → per group, year and kind, the figures a finance
office reports (docs/data-model.md: computed, never parsed).

自评表: project count, funding totals and their execution rate, score statistics, the
grade distribution, the ranking (ties share a rank), the lowest scores with the points
they lost, findings per project. 跟踪表: execution rate against the time elapsed,
ranked, and the projects at risk. 申报表: the 绩效目标汇总表, funds and indicator counts by
level. Projects seen in several years are listed side by side. Pure functions.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from .checks import check_document
from .model import Document
from .rules import CENT, DEFAULT_RULES, LEVEL1_NAMES, Rules, execution_rates, grade_for, time_elapsed

TEN_THOUSAND = Decimal(10000)
LOWEST_SHOWN = 3  # the lowest-scoring projects explained by their lost points


@dataclass(slots=True)
class ProjectLine:
    """One project in a summary."""

    project: str
    unit: str | None
    budget: Decimal | None  # 万元
    executed: Decimal | None  # 万元
    rate: Decimal | None  # 执行率 as the form prints it
    total_score: Decimal | None = None
    grade: str | None = None  # as the form says, else by the rules' bands
    rank: int | None = None
    findings: int = 0
    lost: list[tuple[str, Decimal]] = field(default_factory=list)  # (what, points lost)
    outlook: str | None = None  # tracking: 年度项目预算完成可能性 / 年度绩效目标完成可能性
    progress_gap: Decimal | None = None  # tracking: 执行率 minus the time elapsed, points
    at_risk: bool = False  # tracking: 有可能/确定不能完成, or 执行率 far behind the time
    indicators_by_level: dict[str, int] = field(default_factory=dict)  # target: 一级 → count


@dataclass(slots=True)
class Summary:
    group: str
    year: int
    kind: str
    projects: list[ProjectLine]
    budget: Decimal  # 万元, the totals of the projects
    executed: Decimal | None
    rate: Decimal | None
    scores: dict[str, Decimal] = field(default_factory=dict)  # mean, median, min, max
    grades: dict[str, int] = field(default_factory=dict)  # every grade of the bands, in order
    lowest: list[ProjectLine] = field(default_factory=list)
    risks: list[ProjectLine] = field(default_factory=list)
    elapsed: Decimal | None = None  # tracking: time elapsed of the period, percent
    lag_tolerance: Decimal | None = None  # tracking: points behind the time that make a risk
    levels: dict[str, int] = field(default_factory=dict)  # target: 一级 → indicators, all projects


@dataclass(slots=True)
class CrossYear:
    """A project seen in several years: its forms, oldest first."""

    project: str
    entries: list[tuple[int, str, ProjectLine]]  # (year, kind, line)


def in_wan_yuan(value: Decimal | None, unit: str) -> Decimal | None:
    """An amount in 万元, whatever the form wrote it in."""
    if value is None:
        return None
    return value / TEN_THOUSAND if unit == "元" else value


def competition_ranks(values: list[Decimal]) -> list[int]:
    """Given values sorted best first, return their ranks, ties sharing one (1, 2, 2, 4)."""
    ranks: list[int] = []
    for i, value in enumerate(values):
        ranks.append(ranks[-1] if i and value == values[i - 1] else i + 1)
    return ranks


_COLLECTED = re.compile(r"\s*[(（]汇总[)）]\s*$")


def group_key(doc: Document, by: str) -> str:
    """The department (or unit) a document is summarised under. A "(汇总)" that a
    collected file adds to the department's name is not part of the name."""
    name = (doc.unit if by == "unit" else doc.department) or ""
    return _COLLECTED.sub("", name) or "（未填写）"


@dataclass(frozen=True)
class Entry:
    """What a summary keeps of one document: its line, where it is summarised, and the
    time elapsed of a 跟踪表's period. Small: on a cluster, it is what a worker sends back
    of a form."""

    key: tuple[str, int, str]  # (group, year, kind)
    project: str
    line: ProjectLine
    elapsed: Decimal | None


def entry_of(doc: Document, by: str = "department", rules: Rules = DEFAULT_RULES) -> Entry:
    """Given a document, return its summary line, with the findings of `reportgen check`."""
    line = _line(doc, rules)
    line.findings = sum(f.severity != "info" for f in check_document(doc, rules))
    return Entry((group_key(doc, by), doc.year, doc.kind), doc.project, line,
                 time_elapsed(doc.period) if doc.period else None)


@dataclass
class Collection:
    """What summaries need of a stream of documents, gathered in one pass: a line per
    document, by (group, year, kind) and by project. Documents are not kept, so that
    any number of them can be summarised."""

    groups: dict[tuple[str, int, str], list[ProjectLine]] = field(default_factory=lambda: defaultdict(list))
    projects: dict[str, list[tuple[int, str, ProjectLine]]] = field(default_factory=lambda: defaultdict(list))
    elapsed: dict[tuple[str, int, str], Decimal] = field(default_factory=dict)  # tracking: the first period's

    def add(self, entry: Entry) -> None:
        _, year, kind = entry.key
        self.groups[entry.key].append(entry.line)
        self.projects[entry.project].append((year, kind, entry.line))
        if entry.elapsed is not None and entry.key not in self.elapsed:
            self.elapsed[entry.key] = entry.elapsed


def collect(documents: Iterable[Document], by: str = "department", rules: Rules = DEFAULT_RULES) -> Collection:
    """Given documents, return their lines, with the findings of `reportgen check`."""
    gathered = Collection()
    for doc in documents:
        gathered.add(entry_of(doc, by, rules))
    return gathered


def summarize(documents: Iterable[Document], by: str = "department",
              rules: Rules = DEFAULT_RULES) -> list[Summary]:
    """Given documents, return one summary per (group, year, kind), in that order."""
    return summaries_of(collect(documents, by, rules), rules)


def summaries_of(gathered: Collection, rules: Rules = DEFAULT_RULES) -> list[Summary]:
    return [_summary(key, lines, gathered.elapsed.get(key), rules)
            for key, lines in sorted(gathered.groups.items(), key=lambda item: item[0])]


def _summary(key: tuple[str, int, str], lines: list[ProjectLine], elapsed: Decimal | None,
             rules: Rules) -> Summary:
    group, year, kind = key
    budget = sum((line.budget or Decimal(0) for line in lines), Decimal(0))
    executed_known = [line.executed for line in lines if line.executed is not None]
    executed = sum(executed_known, Decimal(0)) if executed_known else None
    rates = execution_rates(executed, budget) if executed is not None else None
    summary = Summary(group, year, kind, list(lines), budget, executed, rates[0] if rates else None,
                      elapsed=elapsed)
    {"selfeval": _selfeval, "tracking": _tracking, "target": _target}[kind](summary, rules)
    return summary


def _line(doc: Document, rules: Rules) -> ProjectLine:
    total = doc.funding.total
    line = ProjectLine(doc.project, doc.unit, in_wan_yuan(total.budget, doc.amount_unit),
                       in_wan_yuan(total.executed, doc.amount_unit), total.rate)
    if doc.kind == "selfeval":
        line.total_score = doc.total_score
        line.grade = doc.grade or (grade_for(doc.total_score, rules) if doc.total_score is not None else None)
        # named with what they belong to: the funding row's 预算执行率 and an indicator
        # of the same name are two different scores
        line.lost = [(f"{i.name or ''}（{i.level1 or '绩效指标'}）", i.weight - i.score) for i in doc.indicators
                     if i.weight is not None and i.score is not None and i.score < i.weight]
        if total.weight is not None and total.score is not None and total.score < total.weight:
            line.lost.insert(0, ("预算执行率（项目资金）", total.weight - total.score))
    elif doc.kind == "tracking":
        outlook = [v for v in (doc.outlook.budget, doc.outlook.goals) if v] if doc.outlook else []
        line.outlook = " / ".join(outlook) or None
        if doc.period and total.rate is not None:
            line.progress_gap = total.rate - time_elapsed(doc.period)
        doubtful = bool(set(outlook) & (rules.possible | rules.impossible))
        behind = line.progress_gap is not None and -line.progress_gap > rules.lag_tolerance
        line.at_risk = doubtful or behind
    elif doc.kind == "target":
        line.indicators_by_level = dict(Counter(i.level1 or "（未填写）" for i in doc.indicators))
    return line


def _selfeval(summary: Summary, rules: Rules) -> None:
    scored: list[tuple[Decimal, ProjectLine]] = sorted(
        ((line.total_score, line) for line in summary.projects if line.total_score is not None),
        key=lambda pair: (-pair[0], pair[1].project))
    scores = [score for score, _ in scored]
    for (_, line), rank in zip(scored, competition_ranks(scores)):
        line.rank = rank
    summary.projects = [line for _, line in scored] + [
        line for line in summary.projects if line.total_score is None]
    if scores:
        summary.scores = {
            "mean": (sum(scores, Decimal(0)) / len(scores)).quantize(CENT, ROUND_HALF_UP),
            "median": Decimal(statistics.median(scores)).quantize(CENT, ROUND_HALF_UP),
            "min": min(scores), "max": max(scores),
        }
    counts = Counter(line.grade for line in summary.projects if line.grade)
    summary.grades = {grade: counts.get(grade, 0)
                      for grade in [g for g, _ in rules.grade_bands] + [rules.lowest_grade]}
    summary.lowest = [line for _, line in scored[-LOWEST_SHOWN:]][::-1]


def _tracking(summary: Summary, rules: Rules) -> None:
    summary.lag_tolerance = rules.lag_tolerance
    ranked = sorted(summary.projects, key=lambda line: (line.rate is None, -(line.rate or 0), line.project))
    for line, rank in zip(ranked, competition_ranks([line.rate or Decimal(-1) for line in ranked])):
        line.rank = rank
    summary.projects = ranked
    summary.risks = [line for line in ranked if line.at_risk]


def _target(summary: Summary, rules: Rules) -> None:
    levels: Counter[str] = Counter()
    for line in summary.projects:
        levels.update(line.indicators_by_level)
    ordered = [name for name in ("产出指标", "效益指标", "满意度指标", "成本指标") if name in levels]
    summary.levels = {name: levels[name] for name in ordered + sorted(set(levels) - LEVEL1_NAMES)}


def cross_year(documents: Iterable[Document], rules: Rules = DEFAULT_RULES) -> list[CrossYear]:
    """Projects whose name appears in more than one year, with their forms side by side."""
    return cross_year_of(collect(documents, rules=rules))


def cross_year_of(gathered: Collection) -> list[CrossYear]:
    return [CrossYear(project, sorted(entries, key=lambda entry: entry[:2]))
            for project, entries in sorted(gathered.projects.items())
            if len({year for year, _, _ in entries}) > 1]
