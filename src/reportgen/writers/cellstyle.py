"""How the layout's cell classes look in Word and Excel: the one place that maps them.
(The PDF gets the same look from styles/form.css.)"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CellStyle:
    align: str  # "left", "center" or "right"
    fill: str | None = None  # background colour, RGB hex
    valign: str = "top"  # values start on the row's first line; labels are centred


CELL_STYLES = {
    "label": CellStyle("center", valign="center"),
    "head": CellStyle("center", fill="EEEEEE", valign="center"),
    "text": CellStyle("left"),
    "center": CellStyle("center"),
    "num": CellStyle("right"),
}
DEFAULT_STYLE = CellStyle("left")


def style_of(classes: frozenset[str]) -> CellStyle:
    """Given a cell's classes, return its style (the first class that has one)."""
    for name in classes:
        if name in CELL_STYLES:
            return CELL_STYLES[name]
    return DEFAULT_STYLE


# Fonts: 宋体 in one weight throughout, as styles/form.css (a bold face costs every PDF
# a second font subset, a quarter of its printing time): titles stand out by size,
# column heads by their fill. Latin text in Times New Roman. Word needs the East-Asian
# font named apart (w:eastAsia).
BODY_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE_PT = 9
TITLE_SIZE_PT = 18
HEADING_SIZE_PT = 12
SUBTITLE_SIZE_PT = 10.5

# Printable width of an A4 page with the margins of styles/form.css, in millimetres.
PAGE_WIDTH_MM = {"portrait": 210 - 30, "landscape": 297 - 30}
