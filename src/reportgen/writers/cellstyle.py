"""How the layout's cell classes look in Word and Excel: the one place that maps them.
(The PDF gets the same look from styles/form.css; sizes and margins come from
layout/measure.py.)"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CellStyle:
    align: str  # "left", "center" or "right"
    fill: str | None = None  # background colour, RGB hex


CELL_STYLES = {
    "label": CellStyle("center"),
    "head": CellStyle("center", fill="EEEEEE"),
    "text": CellStyle("left"),
    "center": CellStyle("center"),
    "num": CellStyle("right"),
}
DEFAULT_STYLE = CellStyle("left")
VALIGN = "center"  # one rule for every cell: labels and values centred vertically


def style_of(classes: frozenset[str]) -> CellStyle:
    """Given a cell's classes, return its style (the first class that has one)."""
    for name in classes:
        if name in CELL_STYLES:
            return CELL_STYLES[name]
    return DEFAULT_STYLE


# Fonts: 宋体 in one weight throughout, as styles/form.css (a bold face costs every PDF
# a second font subset, a quarter of its printing time): titles stand out by size,
# column heads by their fill. Word and Excel need the East-Asian face named apart from
# the Latin one, which is Times New Roman (on every Windows machine).
BODY_FONT = "宋体"
LATIN_FONT = "Times New Roman"
