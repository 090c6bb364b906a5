"""What the forms' cells say: the titles, labels and column heads of every template
variant the recogniser knows (docs/dump-quirks.md lists them with their sources).

One place for the vocabulary: the recogniser (readers/recogniser.py) reads rows by it,
and the sources that must rebuild rows themselves (readers/regroup.py for one cell per
line, readers/stream.py for a PDF's text in stream order) find row starts by it. Every
label is matched by its key (normalize.label_key: no spaces, colons or commas,
half-width brackets), so `实施单位(盖章)`, `年度资金总额：` and `产 出 指 标` are known.
"""
from __future__ import annotations

import re

from ..rules import LEVEL1_NAMES, LEVEL2_NAMES

# ---------------------------------------------------------------- titles

KIND_BY_ENDING = {"自评表": "selfeval", "跟踪表": "tracking", "监控表": "tracking",
                  "申报表": "target", "审批表": "target", "目标表": "target"}
# 财政项目支出绩效自评表 (Shanghai), 项目支出绩效自评表 (财预〔2020〕10号), 部门预算项目支出
# 绩效自评表 (Sichuan), 中央转移支付区域(项目)绩效自评表, 绩效目标申报表(基础设施建设类),
# 项目支出绩效目标审批表, 绩效目标表, 绩效运行监控表, 绩效目标执行监控表 (财预〔2019〕136号);
# a year may stand before the name or, bracketed, after it.
TITLE = re.compile(
    r"(?:\(?\d{4}年度?\)?)?"
    r"(?P<name>(?:财政|部门预算|部门|中央转移支付区域\(项目\)|中央对地方转移支付区域\(项目\)|"
    r"中央转移支付|转移支付)?(?:项目支出|项目)?"
    r"绩效(?:目标申报|目标审批|目标执行监控|运行监控|目标|跟踪|自评|监控)表)"
    r"(?:\((?P<variant>[^()\d][^()]*)\))?"
    r"(?:\(?(?P<year>\d{4})年度?\)?)?")
YEAR = re.compile(r"\(?(\d{4})年度?\)?")
PERIOD_LABEL = "跟踪时段"
PERIOD = re.compile(r"(\d{4})年(\d{1,2})月至(\d{4})年(\d{1,2})月")
SHANGHAI_TITLES = {"财政项目支出绩效目标申报表", "财政项目支出绩效跟踪表", "财政项目支出绩效自评表"}


def title_of(key: str) -> re.Match[str] | None:
    """Given a cell's key, return its title match (groups name, variant, year), or
    None when the cell is no form title."""
    return TITLE.fullmatch(key)


def kind_of_title(name: str) -> str:
    return next(kind for ending, kind in KIND_BY_ENDING.items() if name.endswith(ending))


# ---------------------------------------------------------------- header fields

FIELD_LABELS = {
    "项目名称": "project", "转移支付(项目)名称": "project", "转移支付项目名称": "project",
    "主管部门": "department", "中央主管部门": "department", "地方主管部门": "department",
    "业务主管部门": "department", "主管部门及代码": "department",
    "实施单位": "unit", "实施单位(盖章)": "unit", "资金使用单位": "unit",
    "项目实施单位": "unit",
    "项目负责人及电话": "manager", "项目负责人": "manager",
    "项目性质": "nature", "项目类别": "category",
    "计划开始日期": "start_date", "计划完成日期": "end_date",
}
PROJECT_LABELS = frozenset(k for k, v in FIELD_LABELS.items() if v == "project")

# ---------------------------------------------------------------- funding

# The head of the funding block: 预算执行情况(万元), 项目资金(元), 资金情况(万元), and
# Sichuan's 预算执行情况(10分); known by its start.
FUNDING_HEAD = re.compile(r"预算执行情况|项目资金(?:\(|$)|资金情况|年度预算数\(")
FUNDING_COLUMNS = {
    "年初预算数": "initial", "年初预算": "initial", "项目总预算": "initial",
    "跟踪期预算数": "budget", "全年预算数": "budget", "预算数": "budget",
    "调整后预算数": "budget", "当年年度预算": "budget", "全年预算": "budget",
    "跟踪期执行数": "executed", "全年执行数": "executed", "执行数": "executed",
    "预算执行数": "executed", "全年执行": "executed",
    "执行率": "rate", "执行率(%)": "rate", "预算执行率": "rate",
    "分值": "weight", "分数": "weight", "权重": "weight", "得分": "score",
}
# The letters some templates put on their columns: 全年预算数(A), 执行率(B/A).
_COLUMN_LETTERS = re.compile(r"\([A-Z][A-Z/×*]*\)$")
FUNDING_ROWS = {
    "年度资金总额": "total", "年度资金申请总额": "total", "总额": "total", "资金总额": "total",
    "其中当年财政拨款": "fiscal", "当年财政拨款": "fiscal", "其中财政拨款": "fiscal",
    "财政拨款": "fiscal", "其中财政资金": "fiscal", "财政资金": "fiscal",
    "上年结转资金": "carryover", "其中上年结转资金": "carryover",
    "其他资金": "other",
}
# Heads inside the funding block that name no column: 项目资金总额 (the target form's)
FUNDING_SUBHEADS = frozenset({"项目资金总额", "年度预算数(万元)", "年度预算数"})
# Funding sources of some templates that the model has no row for: read as warnings.
OTHER_FUNDING_ROWS = frozenset({"财政专户管理资金", "单位资金", "社会投入资金", "银行贷款"})

# ---------------------------------------------------------------- goals

GOAL_HEADS = {"预期目标": "planned", "预算目标": "planned", "年度总体目标": "planned",
              "年度目标": "planned", "项目年度目标": "planned",
              "实际完成情况": "actual", "跟踪期实际完成情况": "actual",
              "年度总体目标完成情况": "actual", "年度目标完成情况": "actual",
              "1.项目年度目标完成情况": "actual"}
GOAL_LABELS = frozenset({"年度总体目标", "项目绩效目标", "项目总目标", "总体目标",
                         "项目基本情况", *GOAL_HEADS})

# ---------------------------------------------------------------- indicators

INDICATOR_LABELS = frozenset({"绩效指标"})
INDICATOR_COLUMNS = {
    "年度指标值": "target", "指标值": "target", "年度(/项目)指标值": "target",
    "年度(项目)指标值": "target", "年度目标值": "target", "目标值": "target",
    "跟踪期计划完成值": "planned", "计划完成值": "planned",
    "实际完成值": "actual", "跟踪期实际完成值": "actual", "完成值": "actual",
    "全年实际值": "actual", "实际值": "actual",
    "分值": "weight", "权重": "weight", "得分": "score",
    "偏差原因分析": "deviation", "偏差原因分析及改进措施": "deviation",
    "未完成原因分析": "deviation", "偏差原因分析及整改措施": "deviation",
    "未完成原因分析及改进措施": "deviation",
    "指标性质": "relation", "度量单位": "measure", "计量单位": "measure", "备注": "note",
}
INDICATOR_HEADS = frozenset({"一级指标", "二级指标", "三级指标", *INDICATOR_COLUMNS})
# A level name with its weight (产出指标(50分), 成本指标(0-20)分) or a 绩效指标(90分) head.
_LEVEL_WEIGHT = re.compile(r"\(\d+(?:\.\d+)?(?:-\d+)?分?\)分?$")
# A template's numbered placeholder (指标1, 指标2:) or an ellipsis row (……).
PLACEHOLDER = re.compile(r"(?:指标\d+[:：]?|[…．.。]{2,}|…)")


def without_weight(key: str) -> str:
    """A level name or head without the weight printed with it: 产出指标(50分) → 产出指标."""
    return _LEVEL_WEIGHT.sub("", key) if key.endswith(("分", "分)")) else key


def column_key(key: str) -> str:
    """A column head without its letter: 全年预算数(A) → 全年预算数."""
    return _COLUMN_LETTERS.sub("", key) if key.endswith(")") else key


# ---------------------------------------------------------------- the closing rows

TAIL_LABELS = frozenset({"总分", "评分等级", "纠偏措施", "绩效跟踪总体判断", "合计",
                         "评价结论", "存在问题", "改进措施", "自评结论"})
# Text rows of some templates that the model has no field for: read as warnings.
UNMODELLED_TEXT = frozenset({"评价结论", "存在问题", "改进措施", "自评结论",
                             "2.项目实施内容及过程概述", "项目实施内容及过程概述"})
# Rows that are sign-off or paperwork, never a field: 审核意见 (盖章), 填报人, 日期 …
SIGN_OFF = re.compile(r"审核意见|审批意见|初审意见|复核意见|盖章|填报人|填表人|审核人|联系电话|"
                      r"财务负责人|单位负责人|填报日期|填表日期|^日期")
# A note of the template, by its text (a key has lost the colon): 注:各地请根据实际情况…
NOTE = re.compile(r"(?:注|说明|填表说明)\d*[:：]|注$")

# ---------------------------------------------------------------- levels

LEVEL_NAMES = LEVEL1_NAMES | LEVEL2_NAMES
# Characters of the level names: a cell made only of these is a wrapped label's tail.
LEVEL_CHARS = frozenset("".join(LEVEL_NAMES) + "绩效标准")

# Every key that starts a row of its own, for the sources that rebuild rows.
ROW_LABELS = frozenset({*FIELD_LABELS, *FUNDING_ROWS, *OTHER_FUNDING_ROWS, *GOAL_LABELS,
                        *TAIL_LABELS, "一级指标", PERIOD_LABEL})
# Every key a cell may be a fragment of (年初 + 预算数, 经济效益 + 指标, 实际 + 完成值).
KNOWN_KEYS = frozenset({*ROW_LABELS, *FUNDING_COLUMNS, *INDICATOR_HEADS, *LEVEL_NAMES,
                        *INDICATOR_LABELS, *UNMODELLED_TEXT})
