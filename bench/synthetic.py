"""Synthetic 自评表 for the benchmarks: realistic, deterministic (seeded), Decimal only.

`synthetic_documents(n)` gives n self-evaluation forms of about 15 indicators each,
whose weights add up to 100 and whose 总分 and 评分等级 follow from their scores.
"""
from __future__ import annotations

import random
from decimal import Decimal

from reportgen.model import Document, Funding, FundingRow, Goals, Indicator
from reportgen.rules import grade_for

SEED = 20240
CENT = Decimal("0.01")
FUNDING_WEIGHT = Decimal("10.00")
INDICATOR_POINTS = 90  # with the funding weight, a form's weights add up to 100

DISTRICTS = ("普陀区", "静安区", "徐汇区", "长宁区", "杨浦区", "虹口区", "黄浦区",
             "浦东新区", "闵行区", "宝山区")
SUBJECTS = ("职业技能培训补贴", "劳动关系信息管理平台建设", "新疆支青稳定专项经费",
            "就业困难人员援助", "公共实训基地运维", "创业孵化基地建设", "青年就业见习补贴",
            "退休人员社会化管理服务", "劳动保障监察执法", "人才服务中心信息化建设")

# An indicator is either quantitative, (name, operator, possible target values, unit),
# or qualitative, (name, target word).
QUANTITY = (
    ("培训人次", "≥", (300, 500, 1200, 5000), "人次"),
    ("帮困对象享受人次", "≥", (200, 300, 450), "人次"),
    ("职业技能鉴定人数", "≥", (800, 1500, 3000), "人"),
    ("公共实训基地建设数量", "=", (1, 2, 3), "个"),
    ("见习岗位开发数量", "≥", (150, 400, 600), "个"),
    ("劳动关系信息管理平台建立数量", "=", (1,), "套"),
    ("政策宣传活动场次", "≥", (10, 12, 24), "场"),
    ("就业困难人员安置人数", "≥", (100, 250, 500), "人"),
)
QUALITY = (
    ("培训合格率", "≥", (85, 90, 95), "%"),
    ("项目验收通过率", "=", (100,), "%"),
    ("帮困对象准确性", "准确"),
    ("结对帮扶工作开展规范性", "规范"),
    ("平台系统运行稳定率", "≥", (95, 98), "%"),
)
TIMELINESS = (
    ("资金拨付及时性", "及时"),
    ("项目完成及时率", "=", (100,), "%"),
    ("补贴发放及时性", "及时"),
    ("年度建设任务按期完成率", "≥", (90, 95), "%"),
)
SOCIAL = (
    ("新疆支青、异退人员群体社会稳定性", "稳定"),
    ("劳动者就业能力提升", "有效提升"),
    ("劳动人事争议案件处理效率", "明显提高"),
    ("重点群体就业率", "≥", (85, 90), "%"),
)
SUSTAIN = (
    ("长效管理机制", "建立健全"),
    ("帮困对象生活水平改善效果", "改善"),
    ("信息化管理水平", "持续提升"),
)
SATISFACTION = (
    ("服务对象满意度", "≥", (85, 90), "%"),
    ("培训学员满意度", "≥", (80, 90), "%"),
    ("平台使用者抽样满意度", "≥", (90,), "%"),
)
# (一级指标, 二级指标, indicators to pick from, how many: least, most)
GROUPS = (
    ("产出指标", "数量指标", QUANTITY, 4, 5),
    ("产出指标", "质量指标", QUALITY, 2, 4),
    ("产出指标", "时效指标", TIMELINESS, 1, 3),
    ("效益指标", "社会效益指标", SOCIAL, 2, 3),
    ("效益指标", "可持续影响指标", SUSTAIN, 1, 2),
    ("满意度指标", "服务对象满意度指标", SATISFACTION, 1, 2),
)
DEVIATIONS = (
    "因客观原因,部分培训班次延期举办,下一年度将提前做好计划安排。",
    "受外部因素影响,与合作单位交流活动不足,后续将加强沟通协调。",
    "部分服务对象未能按期参加,将优化报名流程并加强宣传。",
    "供应商交付延迟导致进度滞后,将完善合同履约管理。",
)
GOAL_CLAUSES = (
    "整合各方资源,有序推进各项工作", "加强项目过程管理,确保资金使用规范",
    "提升服务对象的获得感和满意度", "建立健全长效管理机制", "按时间节点完成年度建设任务",
    "提高财政资金使用效益", "推动就业创业服务水平整体提升",
    "完善信息化管理手段,打通跨部门数据壁垒", "强化绩效监控,及时纠正执行偏差",
    "有效稳定重点群体,促进社会和谐",
)


def money(rng: random.Random, low: int, high: int) -> Decimal:
    """A random amount in 万元 between low and high, with two decimals."""
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part as a percentage of whole, two decimals (0.00 when whole is zero)."""
    return (part * 100 / whole).quantize(CENT) if whole else Decimal("0.00")


def funding_row(budget: Decimal, executed: Decimal) -> FundingRow:
    """A 项目资金 row whose 年初预算数 equals its 全年预算数."""
    return FundingRow(initial=budget, budget=budget, executed=executed,
                      rate=percent(executed, budget))


def synthetic_funding(rng: random.Random) -> Funding:
    """Funding of 20–2000 万元, executed at 75–100 %, sometimes partly carried over."""
    fiscal_budget = money(rng, 20, 2000)
    carryover_budget = money(rng, 1, 50) if rng.random() < 0.3 else Decimal("0.00")
    fiscal_executed = (fiscal_budget * rng.randint(75, 100) / 100).quantize(CENT)
    carryover_executed = (carryover_budget * rng.randint(50, 100) / 100).quantize(CENT)
    total = funding_row(fiscal_budget + carryover_budget, fiscal_executed + carryover_executed)
    total.weight = FUNDING_WEIGHT
    total.score = (FUNDING_WEIGHT * total.rate / 100).quantize(CENT)
    return Funding(total=total, fiscal=funding_row(fiscal_budget, fiscal_executed),
                   carryover=funding_row(carryover_budget, carryover_executed),
                   other=funding_row(Decimal("0.00"), Decimal("0.00")))


def split_points(rng: random.Random, total: int, parts: int) -> list[Decimal]:
    """total points split at random into parts weights of at least 2, as "6.00"."""
    points = [2] * parts
    for _ in range(total - 2 * parts):
        points[rng.randrange(parts)] += 1
    return [Decimal(p).quantize(CENT) for p in points]


def target_and_actual(rng: random.Random, spec: tuple, met: bool) -> tuple[str, str]:
    """The 年度指标值 and 实际完成值 of an indicator spec, the actual value meeting the
    target or falling short of it."""
    if len(spec) == 2:
        return spec[1], "达成指标" if met else "基本达成"
    _, op, values, unit = spec
    target = rng.choice(values)
    if not met:
        actual = target - rng.randint(1, max(1, target // 5))
    elif op == "=":
        actual = target
    else:
        actual = target + rng.randint(0, max(1, target // 10))
        actual = min(actual, 100) if unit == "%" else actual
    return f"{op}{Decimal(target):.2f}({unit})", f"{Decimal(actual):.2f}({unit})"


def synthetic_indicators(rng: random.Random) -> list[Indicator]:
    """About 15 indicators over the six 一级/二级 groups, weights adding up to 90; about
    one in five falls short, losing points and giving a 偏差原因."""
    picked = [(level1, level2, spec)
              for level1, level2, pool, least, most in GROUPS
              for spec in rng.sample(pool, rng.randint(least, most))]
    weights = split_points(rng, INDICATOR_POINTS, len(picked))
    indicators = []
    for (level1, level2, spec), weight in zip(picked, weights):
        met = rng.random() >= 0.2
        target, actual = target_and_actual(rng, spec, met)
        score = weight if met else (weight * rng.randint(50, 95) / 100).quantize(CENT)
        indicators.append(Indicator(
            level1=level1, level2=level2, name=spec[0], target=target, actual=actual,
            weight=weight, score=score, deviation="" if met else rng.choice(DEVIATIONS)))
    return indicators


def goal_text(rng: random.Random, opening: str) -> str:
    """A goal paragraph of about 100 characters: the opening, then clauses at random."""
    parts = [opening]
    for clause in rng.sample(GOAL_CLAUSES, len(GOAL_CLAUSES)):
        if len(",".join(parts)) >= 95:
            break
        parts.append(clause)
    return ",".join(parts) + "。"


def synthetic_document(rng: random.Random) -> Document:
    """One realistic 自评表 with every field a filled-in form carries."""
    district = rng.choice(DISTRICTS)
    project = f"{district}{rng.choice(SUBJECTS)}项目"
    department = f"上海市{district}人力资源和社会保障局"
    year = rng.randint(2020, 2024)
    funding = synthetic_funding(rng)
    indicators = synthetic_indicators(rng)
    total_score = funding.total.score + sum((i.score for i in indicators), Decimal(0))
    return Document(
        kind="selfeval", year=year, project=project, department=department,
        unit=rng.choice((department, f"上海市{district}就业促进中心")),
        funding=funding,
        goals=Goals(planned=goal_text(rng, f"按计划实施{project}"),
                    actual=goal_text(rng, f"截至{year}年12月31日,已完成{project}年度任务")),
        indicators=indicators, total_score=total_score, grade=grade_for(total_score))


def synthetic_documents(n: int) -> list[Document]:
    """n documents, the same ones on every run."""
    rng = random.Random(SEED)
    return [synthetic_document(rng) for _ in range(n)]
