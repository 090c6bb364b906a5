"""The entry workbook's columns: one place for what `reportgen template entry` writes and
readers/entry_workbook.py reads back.

An entry workbook collects many projects of one kind of form, as finance offices do: a
sheet 项目 with a row per project, a sheet 指标 with a row per indicator (its project's
name as the key), and a sheet 说明 saying what each column holds and which kind of form
the workbook is for. Columns are found by their heading, so a user may reorder them.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import KIND_NAMES

PROJECTS, INDICATORS, NOTES, LISTS = "项目", "指标", "说明", "选项"
KIND_LABEL = "表类型"  # 说明!A1, with the kind's name in 说明!B1


@dataclass(frozen=True)
class Column:
    heading: str
    path: str  # the field: "project", "funding.total.budget", "indicators.target"
    type: str  # text, amount, rate, score, year, date, month, unit, grade, outlook, level1, level2
    help: str
    required: bool = False


_FUNDING_ROWS = (("total", "年度资金总额"), ("fiscal", "当年财政拨款"), ("carryover", "上年结转资金"),
                 ("other", "其他资金"))


def _funding(kind: str) -> list[Column]:
    if kind == "target":
        return [Column(f"{label}", f"funding.{row}.budget", "amount", f"{label}（申请数）")
                for row, label in _FUNDING_ROWS]
    budget = "跟踪期预算数" if kind == "tracking" else "全年预算数"
    executed = "跟踪期执行数" if kind == "tracking" else "全年执行数"
    columns = []
    for row, label in _FUNDING_ROWS:
        columns += [Column(f"{label} 年初预算数", f"funding.{row}.initial", "amount", f"{label}的年初预算数"),
                    Column(f"{label} {budget}", f"funding.{row}.budget", "amount", f"{label}的{budget}"),
                    Column(f"{label} {executed}", f"funding.{row}.executed", "amount", f"{label}的{executed}"),
                    Column(f"{label} 执行率(%)", f"funding.{row}.rate", "rate", f"{executed}÷{budget}×100")]
        if row == "total" and kind == "selfeval":
            columns += [Column("预算执行 分值", "funding.total.weight", "score", "预算执行率指标的分值（通常 10）"),
                        Column("预算执行 得分", "funding.total.score", "score", "执行率×分值")]
    return columns


def project_columns(kind: str) -> list[Column]:
    """The 项目 sheet's columns for a kind of form."""
    columns = [Column("项目名称", "project", "text", "项目的名称，与指标表的项目名称一致", required=True),
               Column("主管部门", "department", "text", "主管部门"),
               Column("实施单位", "unit", "text", "实施单位"),
               Column("项目负责人", "manager", "text", "项目负责人及电话（可空）")]
    if kind == "tracking":
        columns += [Column("跟踪期起", "period.start", "month", "跟踪时段的起始月份，如 2024-01", required=True),
                    Column("跟踪期止", "period.end", "month", "跟踪时段的截止月份，如 2024-08", required=True)]
    else:
        columns.append(Column("年度", "year", "year", "预算年度，如 2024", required=True))
    if kind == "target":
        columns += [Column("项目性质", "nature", "text", "项目性质"),
                    Column("项目类别", "category", "text", "项目类别"),
                    Column("计划开始日期", "start_date", "date", "计划开始日期"),
                    Column("计划完成日期", "end_date", "date", "计划完成日期")]
    columns.append(Column("金额单位", "amount_unit", "unit", "万元 或 元（默认万元）"))
    columns += _funding(kind)
    columns.append(Column("预期目标", "goals.planned", "text", "年度总体目标：预期目标"))
    if kind != "target":
        actual = "跟踪期实际完成情况" if kind == "tracking" else "实际完成情况"
        columns.append(Column(actual, "goals.actual", "text", f"年度总体目标：{actual}"))
    if kind == "selfeval":
        columns += [Column("总分", "total_score", "score", "自评总分（0–100）"),
                    Column("评分等级", "grade", "grade", "优、良、中、差")]
    if kind == "tracking":
        columns += [Column("预算完成可能性", "outlook.budget", "outlook", "年度项目预算完成可能性"),
                    Column("目标完成可能性", "outlook.goals", "outlook", "年度绩效目标完成可能性"),
                    Column("纠偏措施", "corrective", "text", "纠偏措施")]
    return columns


def indicator_columns(kind: str) -> list[Column]:
    """The 指标 sheet's columns for a kind of form."""
    columns = [Column("项目名称", "project", "text", "该指标所属项目，须与项目表中的名称一致", required=True),
               Column("一级指标", "indicators.level1", "level1", "产出指标、效益指标、满意度指标、成本指标"),
               Column("二级指标", "indicators.level2", "level2", "随一级指标而定"),
               Column("三级指标", "indicators.name", "text", "指标名称", required=True),
               Column("年度指标值", "indicators.target", "text", "如 ≥90.00(%)、=100.00(人次)、及时")]
    if kind == "tracking":
        columns += [Column("跟踪期计划完成值", "indicators.planned", "text", "跟踪期计划完成值"),
                    Column("跟踪期实际完成值", "indicators.actual", "text", "跟踪期实际完成值")]
    if kind == "selfeval":
        columns += [Column("实际完成值", "indicators.actual", "text", "实际完成值"),
                    Column("分值", "indicators.weight", "score", "指标分值（0–100）"),
                    Column("得分", "indicators.score", "score", "指标得分（0–分值）")]
    if kind != "target":
        columns.append(Column("偏差原因分析", "indicators.deviation", "text", "偏差原因分析及改进措施"))
    return columns


def kind_of_name(name: str) -> str | None:
    """The kind a 表类型 cell names (自评表, 跟踪表, 目标申报表, or the kind itself)."""
    for kind, label in KIND_NAMES.items():
        if name in (kind, label, label.replace("表", "")):
            return kind
    return None
