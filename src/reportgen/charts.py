"""Charts of the summaries, drawn as PNG (matplotlib, no display) for the PDF and DOCX.
The XLSX draws its own native charts from the same tables (writers/xlsx.py).

Labels are Chinese, so a CJK font is looked up through fontconfig (Noto Sans CJK on
Linux, 黑体 elsewhere); without one, matplotlib would draw boxes.
"""
from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from functools import lru_cache
from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

DPI = 150
BAR = "#4472c4"
LOW = "#c0504d"


@lru_cache(maxsize=1)
def cjk_font() -> FontProperties | None:
    """A CJK font for chart labels, found through fontconfig (a regular sans face
    first); None when there is none."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    listed = subprocess.run([fc_list, ":lang=zh", "file", "family", "style"], capture_output=True,
                            text=True, check=False).stdout.splitlines()

    def preference(line: str) -> tuple[bool, bool]:
        return "Sans" not in line, "Regular" not in line

    files = [line.split(":")[0] for line in sorted(listed, key=preference)]
    return FontProperties(fname=files[0]) if files else None


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def _new_figure(width_cm: float, height_cm: float) -> Figure:
    return Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI, layout="constrained")


def column_chart(labels: list[str], values: list[int], title: str) -> bytes:
    """Vertical bars with their counts on top (the grade distribution)."""
    font = cjk_font()
    figure = _new_figure(12, 6.5)
    axes = figure.add_subplot()
    bars = axes.bar(labels, values, color=BAR, width=0.6)
    axes.bar_label(bars, fontproperties=font)
    axes.set_title(title, fontproperties=font)
    axes.set_ylabel("项目数", fontproperties=font)
    axes.set_ylim(0, max(values + [1]) * 1.2)
    for label in axes.get_xticklabels():
        label.set_fontproperties(font)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def ranking_chart(labels: list[str], values: list[Decimal], title: str, unit: str,
                  line_at: Decimal | None = None, line_label: str = "",
                  low: set[str] | None = None) -> bytes:
    """Horizontal bars, best at the top (score ranking; execution rates, with the time
    elapsed as a vertical line). Projects in `low` are drawn in red."""
    font = cjk_font()
    figure = _new_figure(17, max(5.0, 0.45 * len(labels) + 2))
    axes = figure.add_subplot()
    positions = range(len(labels))[::-1]
    colours = [LOW if low and label in low else BAR for label in labels]
    bars = axes.barh(list(positions), [float(v) for v in values], color=colours, height=0.6)
    axes.bar_label(bars, labels=[f"{v}" for v in values], padding=2, fontsize=7)
    axes.set_yticks(list(positions), [_short(label) for label in labels], fontproperties=font, fontsize=7)
    if line_at is not None:
        axes.axvline(float(line_at), color=LOW, linestyle="--", linewidth=1)
        axes.text(float(line_at), len(labels) - 0.4, f" {line_label} {line_at}{unit}",
                  color=LOW, fontproperties=font, fontsize=7, va="bottom")
    axes.set_title(title, fontproperties=font)
    axes.set_xlabel(unit, fontproperties=font)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _short(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"
