"""The facts a 绩效自评报告 states, taken from a 自评表 and the rules: nothing the form
does not hold or the rules do not compute.

`report_facts` gathers them; the sentences are the templates' (templates/report/), so
that every number and name in the text comes from a field here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .checks import Finding
from .model import Document, Indicator
from .rules import Rules, target_missed, total_weight


@dataclass(frozen=True)
class Result:
    """One indicator as the report tells it."""

    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None
    deviation: str
    missed: bool | None  # the actual misses the target (numbers only; None: not comparable)

    @property
    def lost(self) -> Decimal:
        """Points lost: 分值 less 得分 (none where either is missing)."""
        if self.weight is None or self.score is None or self.score >= self.weight:
            return Decimal(0)
        return self.weight - self.score


@dataclass(frozen=True)
class Block:
    """The indicators of one 一级指标, in form order."""

    name: str
    results: list[Result]

    @property
    def weight(self) -> Decimal:
        return sum((r.weight or Decimal(0) for r in self.results), Decimal(0))

    @property
    def score(self) -> Decimal:
        return sum((r.score or Decimal(0) for r in self.results), Decimal(0))

    @property
    def lost(self) -> Decimal:
        return sum((r.lost for r in self.results), Decimal(0))

    @property
    def met(self) -> list[Result]:
        return [r for r in self.results if not r.missed and not r.lost]

    @property
    def short(self) -> list[Result]:
        return [r for r in self.results if r.missed or r.lost]


@dataclass(frozen=True)
class ReportFacts:
    doc: Document
    blocks: list[Block]
    findings: list[Finding] = field(default_factory=list)
    corrective: str | None = None  # the same project's 跟踪表: 纠偏措施

    @property
    def total_weight(self) -> Decimal | None:
        return total_weight(self.doc)

    @property
    def funding_lost(self) -> Decimal:
        row = self.doc.funding.total
        if row.weight is None or row.score is None or row.score >= row.weight:
            return Decimal(0)
        return row.weight - row.score

    @property
    def short(self) -> list[Result]:
        return [r for block in self.blocks for r in block.short]

    @property
    def deviations(self) -> list[Result]:
        """Indicators whose form gives a reason for deviation."""
        return [r for block in self.blocks for r in block.results if r.deviation]

    @property
    def problems(self) -> list[Finding]:
        """The findings worth a line of the report: errors and warnings, not notes or
        what the reader could not place."""
        return [f for f in self.findings if f.severity in ("error", "warning") and f.code != "parse"]


def report_facts(doc: Document, rules: Rules, findings: list[Finding] = (),
                 tracking: Document | None = None) -> ReportFacts:
    """Given a 自评表 (its 评分等级 filled in by the rules), its findings and, where
    there is one, the same project's 跟踪表, return what its report states."""
    blocks: list[Block] = []
    for indicator in doc.indicators:
        result = _result(indicator, rules)
        if blocks and blocks[-1].name == result.level1:
            blocks[-1].results.append(result)
        else:
            blocks.append(Block(result.level1, [result]))
    corrective = tracking.corrective if tracking is not None and not _empty(tracking.corrective, rules) else None
    return ReportFacts(doc, blocks, list(findings), corrective)


def _result(indicator: Indicator, rules: Rules) -> Result:
    deviation = "" if _empty(indicator.deviation, rules) else (indicator.deviation or "").strip()
    return Result(indicator.level1 or "其他指标", indicator.level2 or "", indicator.name or "",
                  (indicator.target or "").strip(), (indicator.actual or "").strip(),
                  indicator.weight, indicator.score, deviation, target_missed(indicator))


def _empty(text: str | None, rules: Rules) -> bool:
    return (text or "").strip() in rules.empty_text
