"""Scoring rules (../shared/design/RULES.md). The one place for each rule."""
from __future__ import annotations

from decimal import Decimal

# 评分等级 on 总分 as printed: 优 ≥ 90; 良 80 to < 90; 中 60 to < 80; 差 < 60.
GRADE_BANDS = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"))
LOWEST_GRADE = "差"


def grade_for(total_score: Decimal) -> str:
    """Given a 总分, return its 评分等级."""
    for least, grade in GRADE_BANDS:
        if total_score >= least:
            return grade
    return LOWEST_GRADE


# The official indicator hierarchy (一级 → 二级), RULES.md. 成本指标 is also a 二级 under
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
