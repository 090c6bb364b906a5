"""A test helper: write a document as a legacy dump in the seeds' style (tab-separated
cells, as text comes out of the published PDFs), with the quirks of docs/dump-quirks.md as
options, so the reader can be checked by round trip."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal

from reportgen.layout import format_number
from reportgen.model import Document, Indicator, decimal_places, format_decimal
from reportgen.rules import HIERARCHY, LEVEL1_NAMES, LEVEL2_NAMES

TITLES = {"target": "财政项目支出绩效目标申报表", "tracking": "财政项目支出绩效跟踪表",
          "selfeval": "财政项目支出绩效自评表"}
FUNDING_LABELS = (("total", "年度资金总额"), ("fiscal", "其中：当年财政拨款"),
                  ("carryover", "上年结转资金"), ("other", "其他资金"))


@dataclass(frozen=True)
class Quirks:
    shift: bool = False  # rows start 0–2 cells further right, each its own way
    wrap_labels: bool = False  # labels wrapped in their cells: "当年财政 拨款"
    broken_levels: bool = False  # a 二级 name cut by the page, its tail on a later line
    latex: bool = False  # targets as OCR writes them: "$\geq 90.00(\%)$"
    thousands: bool = False  # amounts with thousands separators
    missing_title: bool = False
    markdown: bool = False  # the title as a markdown heading
    seed: int = 0


def write_dump(doc: Document, quirks: Quirks = Quirks()) -> str:
    """Given a document, return it as a dump of one form."""
    writer = _Writer(doc, quirks)
    return "\n".join(writer.lines()) + "\n"


class _Writer:
    def __init__(self, doc: Document, quirks: Quirks):
        self.doc, self.q = doc, quirks
        self.rng = random.Random(quirks.seed)

    def row(self, *cells: str | None) -> str:
        lead = [""] * (self.rng.randint(0, 2) if self.q.shift else 0)
        return "\t".join(lead + ["" if c is None else c for c in cells])

    def label(self, text: str) -> str:
        if self.q.wrap_labels and len(text) > 3:
            cut = self.rng.randint(1, len(text) - 1)
            return f"{text[:cut]} {text[cut:]}"
        return text

    def amount(self, value: Decimal | None, placeholder: str = "-") -> str:
        if value is None:
            return placeholder
        if self.q.thousands:  # with the decimals it was written with, as old forms print
            return format_number(value, decimal_places(value))
        return format_decimal(value)  # type: ignore[return-value]

    def target(self, text: str | None) -> str:
        match = re.fullmatch(r"([≥≤=])(\d+(?:\.\d+)?)(\(.*\))?", text or "")
        if not (self.q.latex and match):
            return text or ""
        op = {"≥": r"\geq ", "≤": r"\leq ", "=": "= "}[match.group(1)]
        unit = (match.group(3) or "").replace("%", r"\%")
        return f"${op}{match.group(2)}{unit}$"

    def lines(self) -> list[str]:
        doc = self.doc
        title = ("## " if self.q.markdown else "") + TITLES[doc.kind]
        out = [] if self.q.missing_title else [title, ""]
        if doc.kind == "tracking" and doc.period:
            start, end = (p.split("-") for p in (doc.period.start, doc.period.end))
            out += [f"跟踪时段：（ {start[0]}年{int(start[1])}月 至 {end[0]}年{int(end[1])}月 ）", ""]
        else:
            out += [f"({doc.year}年度)", ""]
        out += getattr(self, f"_{doc.kind}")()
        return out

    # ------------------------------------------------------------ kinds

    def _tracking(self) -> list[str]:
        d = self.doc
        out = [self.row("项目名称", "", d.project),
               self.row("主管部门", "", d.department, "", "", "实施单位", d.unit),
               self.row(self.label("预算执行情况") + f" ({d.amount_unit})", "", "", "", "",
                        "年初预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)")]
        for key, name in FUNDING_LABELS:
            f = getattr(d.funding, key)
            out.append(self.row("", "", self.label(name), "", "",
                                *(self.amount(v) for v in (f.initial, f.budget, f.executed, f.rate))))
        out += [self.row(self.label("年度总体目标"), "预期目标", "", "", "", "跟踪期实际完成情况"),
                self.row("", d.goals.planned, "", "", "", d.goals.actual),
                self.row("", "一级指标", "二级指标", "三级指标", "年度指标值", "跟踪期 计划完成值",
                         "跟踪期 实际完成值", "偏差原因分析")]
        out += self._indicators(lambda i: (i.name, self.target(i.target), i.planned, i.actual, i.deviation),
                                lead=["绩效 指标"])
        outlook = d.outlook
        out += [self.row("绩效跟踪 总体判断", "", self.label("年度项目预算完成可能性"), outlook.budget if outlook else ""),
                self.row("", "", self.label("年度绩效目标完成可能性"), outlook.goals if outlook else ""),
                self.row("纠偏措施", "", d.corrective)]
        return out

    def _selfeval(self) -> list[str]:
        d = self.doc
        out = [self.row("项目名称", "", d.project),
               self.row("主管部门", d.department, "", "", "实施单位", d.unit),
               self.row(f"项目资金 ({d.amount_unit})", "", "年初预算数", "全年预算数", "全年执行数",
                        "分数", "执行率(%)", "得分")]
        for key, name in FUNDING_LABELS:
            f = getattr(d.funding, key)
            out.append(self.row("", self.label(name), *(self.amount(v) for v in (
                f.initial, f.budget, f.executed, f.weight, f.rate, f.score))))
        out += [self.row(self.label("年度总体目标"), "预期目标", "", "", "实际完成情况"),
                self.row("", d.goals.planned, "", "", d.goals.actual),
                self.row("一级 指标", "二级 指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                         "偏差原因分析 及改进措施")]
        out += self._indicators(lambda i: (i.name, self.target(i.target), i.actual,
                                           format_decimal(i.weight), format_decimal(i.score), i.deviation))
        weights = [w for w in [d.funding.total.weight] + [i.weight for i in d.indicators] if w is not None]
        out.append(self.row("总分", "", "", "", format_decimal(sum(weights, Decimal(0))) if weights else "",
                            format_decimal(d.total_score)))
        if d.grade is not None:
            out.append(self.row("评分等级", d.grade))
        return out

    def _target(self) -> list[str]:
        d, f = self.doc, self.doc.funding
        out = [self.row("项目名称", d.project, "项目性质", d.nature, "项目类别", d.category),
               self.row("主管部门", d.department, "实施单位", d.unit),
               self.row("计划开始日期", d.start_date, "计划完成日期", d.end_date),
               self.row(f"项目资金 ({d.amount_unit})", "项目资金总额", "", "年度资金申请总额", self.amount(f.total.budget)),
               self.row("", "其中：财政资金", "", self.label("其中：当年财政拨款"), self.amount(f.fiscal.budget)),
               self.row("", "", "", "上年结转资金", self.amount(f.carryover.budget)),
               self.row("", "其他资金", "", "其他资金", self.amount(f.other.budget)),
               self.row(self.label("项目绩效目标"), "项目总目标", "", "年度总体目标"),
               self.row("", "", "", d.goals.planned),
               self.row("一级指标", "二级指标", "三级指标", "", "年度(/项目)指标值")]
        out += self._indicators(lambda i: (i.name, "", self.target(i.target)))
        return out

    # ------------------------------------------------------------ indicator rows

    def _indicators(self, values, lead: list[str] | None = None) -> list[str]:
        """Indicator rows with 一级/二级 written on the first row of their run only, as
        merged cells come out of a PDF."""
        out: list[str] = []
        previous: Indicator | None = None
        for index, indicator in enumerate(self.doc.indicators):
            new1 = previous is None or indicator.level1 != previous.level1
            new2 = new1 or indicator.level2 != previous.level2
            level1 = self.label(indicator.level1 or "") if new1 else ""
            level2 = self.label(indicator.level2 or "") if new2 else ""
            tail = None
            if self.q.broken_levels and new2 and _breakable(indicator):
                level2, tail = indicator.level2[:2], indicator.level2[2:]  # type: ignore[index]
            first = (lead or []) if index == 0 else [""] * len(lead or [])
            out.append(self.row(*first, level1, level2, *values(indicator)))
            if tail:
                out.append(self.row(*[""] * len(lead or []), "", tail))
            previous = indicator
        return out


def _breakable(indicator: Indicator) -> bool:
    """A 二级 name whose first two characters still tell it apart from the other names
    (the reader completes it from the hierarchy), under a known 一级."""
    name = indicator.level2 or ""
    names = HIERARCHY.get(indicator.level1 or "", ())
    return (name in LEVEL2_NAMES and name not in LEVEL1_NAMES and len(name) > 2
            and [n for n in names if n.startswith(name[:2])] == [name])
