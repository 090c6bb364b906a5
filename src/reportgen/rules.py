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
