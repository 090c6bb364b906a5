"""The facts a 绩效自评报告 states, taken from a 自评表 and the rules: nothing the form
does not hold or the rules do not compute.

`report_facts` gathers them; the sentences are the templates' (templates/report/), so
that every number and name in the text comes from a field here. `rectify_rows` makes
the 整改清单's lines of a form: what was found, and the measure to take.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

from .checks import Finding
from .layout.numbers import format_number
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

    def met_by_level2(self) -> list[tuple[str, list[Result]]]:
        """The indicators met, by 二级指标 in form order."""
        groups: dict[str, list[Result]] = {}
        for r in self.met:
            groups.setdefault(r.level2, []).append(r)
        return list(groups.items())

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

    @property
    def lost(self) -> Decimal:
        """Points lost in all: the budget's execution and every indicator."""
        return self.funding_lost + sum((block.lost for block in self.blocks), Decimal(0))

    @property
    def lost_parts(self) -> list[str]:
        """Where the points were lost: "预算执行扣1.46分", then by 一级指标."""
        parts = [("预算执行", self.funding_lost)] + [(block.name, block.lost) for block in self.blocks]
        return [f"{name}扣{format_number(points)}分" for name, points in parts if points]


@dataclass(frozen=True)
class RectifyRow:
    """A line of the 整改清单: one problem of one form."""

    project: str
    indicator: str
    found: str
    measure: str
    unit: str


# The measure a problem suggests where the form gives none: by the check that found it
# (its code, else the code's first part), or for an indicator that missed its target
# or lost points.
MEASURES = {
    "missed": "查明未达到年度指标值的原因，落实改进措施，确保完成年度指标值",
    "lost": "核实扣分依据，补充偏差原因分析及改进措施",
    "funding": "核对预算数、执行数与执行率，更正表中数据",
    "score": "按评分规则核定得分，更正表中数据",
    "score.missing": "补填预算执行得分，核对总分",
    "grade": "按总分对应的评分等级更正",
    "weights": "核对各项分值，使合计为100分",
    "deviation": "补充偏差原因分析及改进措施",
    "target.missed_full": "未达到年度指标值的指标按评分规则扣分，并说明偏差原因",
    "indicator": "按官方指标体系核对指标名称与层级",
    "indicator.name": "补填三级指标名称",
    "indicator.duplicate": "合并或区分重复的指标",
    "indicator.budget_rate": "按项目执行率更正预算执行率指标的实际完成值",
    "goals": "核对年度总体目标的表述与数据",
    "form": "补全表格内容后重新填报",
}
DEFAULT_MEASURE = "核实并更正表中数据"
FIELD_NAMES = {"funding": "项目资金", "total_score": "总分", "grade": "评分等级", "goals": "年度总体目标",
               "outlook": "总体判断", "corrective": "纠偏措施", "indicators": "绩效指标"}


def rectify_rows(facts: ReportFacts) -> list[RectifyRow]:
    """The 整改清单 lines of one form: each indicator that missed its target or lost
    points, then each error or warning of the checks."""
    doc = facts.doc
    unit = doc.unit or doc.department or ""
    rows = []
    for r in facts.short:
        if r.missed:
            found = f"实际完成{r.actual}，未达到年度指标值{r.target}" + (f"，扣{format_number(r.lost)}分" if r.lost else "")
        else:
            found = f"得分{format_number(r.score)}分，低于分值{format_number(r.weight)}分"
        rows.append(RectifyRow(doc.project, r.name, found,
                               r.deviation or MEASURES["missed" if r.missed else "lost"], unit))
    for finding in facts.problems:
        rows.append(RectifyRow(doc.project, _field_name(doc, finding.field), finding.message,
                               _measure(finding.code), unit))
    return rows


def _measure(code: str) -> str:
    return MEASURES.get(code) or MEASURES.get(code.split(".")[0], DEFAULT_MEASURE)


def _field_name(doc: Document, path: str) -> str:
    """A finding's field as the form calls it: the indicator's name, or the row's."""
    head = path.split(".")[0]
    if head.startswith("indicators[") and head.endswith("]"):
        index = int(head[len("indicators["):-1])
        if 0 <= index < len(doc.indicators):
            return doc.indicators[index].name or "绩效指标"
    return FIELD_NAMES.get(head.split("[")[0], "—")


def report_facts(doc: Document, rules: Rules, findings: Sequence[Finding] = (),
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
