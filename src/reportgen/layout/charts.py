"""Charts of the summaries, drawn by matplotlib (no display): as vector shapes for the
builtin PDF engine (vector.py) and SVG for WeasyPrint's, where the text stays text in
the tables' own face, and PNG for Word. The XLSX draws native charts from the same
tables (writers/xlsx.py).

Labels are Chinese, in the serif face of the tables, Simplified Chinese forms: Noto
Serif CJK SC on Linux (face 2 of its collection: face 0 has the Japanese forms),
宋体 elsewhere. Long project names wrap; they are never cut.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from typing import NamedTuple, Sequence

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager
from matplotlib.patches import Patch

from .grid import BAR_COLOUR, HIGHLIGHT_COLOUR
from .vector import Vector, vector_of

DPI = 150
BAR, HIGHLIGHT = f"#{BAR_COLOUR}", f"#{HIGHLIGHT_COLOUR}"
# Serif faces with Simplified Chinese forms, by preference; the first one installed is
# used, with the others after it for glyphs it lacks.
FACES = ("Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "宋体", "Songti SC",
         "Noto Sans CJK SC", "Source Han Sans SC", "SimHei")
NAME_LINE_CHARACTERS = 14  # a project name wraps after this many characters


@lru_cache(maxsize=1)
def chart_faces() -> list[str]:
    """The installed faces of FACES, in order (empty when there is no CJK face: the
    charts then print boxes, and `pdf_setup_problems` says why)."""
    installed = {font.name for font in fontManager.ttflist}
    return [face for face in FACES if face in installed]


def _settings() -> dict:
    return {"font.family": chart_faces() or ["serif"], "svg.fonttype": "none",
            "svg.hashsalt": "reportgen", "axes.unicode_minus": False, "font.size": 8}


class Drawn(NamedTuple):
    svg: bytes
    png: bytes
    vector: Vector


def _drawn(figure: Figure) -> Drawn:
    """The figure as SVG (text as text), as PNG, and as vector shapes."""
    svg, png = BytesIO(), BytesIO()
    FigureCanvasSVG(figure).print_svg(svg, metadata={"Date": None})
    FigureCanvasAgg(figure).print_png(png)
    return Drawn(svg.getvalue(), png.getvalue(), vector_of(figure))


def _new_figure(width_cm: float, height_cm: float) -> Figure:
    return Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI, layout="constrained")


def column_chart(labels: Sequence[str], values: Sequence[int], title: str, axis_label: str) -> Drawn:
    """Vertical bars with their counts on top (the grade distribution)."""
    with matplotlib.rc_context(_settings()):
        figure = _new_figure(12, 6.5)
        axes = figure.add_subplot()
        bars = axes.bar(list(labels), list(values), color=BAR, width=0.6)
        axes.bar_label(bars)
        axes.set_title(title, fontsize=10)
        axes.set_ylabel(axis_label)
        axes.set_ylim(0, max(list(values) + [1]) * 1.2)
        axes.spines[["top", "right"]].set_visible(False)
        return _drawn(figure)


def ranking_chart(labels: Sequence[str], values: Sequence[Decimal], title: str, unit: str,
                  highlighted: frozenset[int], legend: str, line_at: Decimal | None = None,
                  line_label: str = "") -> Drawn:
    """Horizontal bars, first row on top (the score ranking; execution rates, with the
    time elapsed as a dashed line). Rows in `highlighted` are drawn in
    the highlight colour, which the legend names."""
    names = [wrap_name(label) for label in labels]
    rows = sum(name.count("\n") + 1 for name in names)
    with matplotlib.rc_context(_settings()):
        figure = _new_figure(17, max(5.0, 0.32 * rows + 0.25 * len(labels) + 2.5))
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        colours = [HIGHLIGHT if i in highlighted else BAR for i in range(len(labels))]
        bars = axes.barh(positions, [float(v) for v in values], color=colours, height=0.6)
        axes.bar_label(bars, labels=[f"{v}" for v in values], padding=2, fontsize=7)
        axes.set_yticks(positions, names, fontsize=7)
        axes.set_xlim(0, max([float(v) for v in values] + [float(line_at or 0), 1]) * 1.12)
        handles: list = []
        if highlighted:
            handles += [Patch(color=HIGHLIGHT, label=legend), Patch(color=BAR, label="其他项目")]
        if line_at is not None:
            line = axes.axvline(float(line_at), color=HIGHLIGHT, linestyle="--", linewidth=1)
            line.set_label(f"{line_label} {line_at}{unit}")
            handles.append(line)
        if handles:  # below the axis, clear of the bars
            figure.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                          fontsize=7, frameon=False)
        axes.set_title(title, fontsize=10)
        axes.set_xlabel(unit)
        axes.spines[["top", "right"]].set_visible(False)
        return _drawn(figure)


def wrap_name(name: str, width: int = NAME_LINE_CHARACTERS) -> str:
    """A project name in lines of at most `width` characters."""
    return "\n".join(name[i:i + width] for i in range(0, len(name), width)) or name
