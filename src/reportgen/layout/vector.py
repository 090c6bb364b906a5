"""A matplotlib figure as plain vector shapes and text lines, for writers that draw a
chart themselves (the builtin PDF engine): what matplotlib's own PDF or SVG backend
would draw, recorded instead of written, so the PDF draws it with its own operators
and prints its text in the face it embeds for the tables.

Coordinates are points from the drawing's bottom-left corner. Text is measured as
matplotlib's Agg renderer measures it (the same face, found the same way), so labels
are placed as in the SVG and PNG of the same chart.
"""
from __future__ import annotations

from dataclasses import dataclass

from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.path import Path

POINTS_PER_INCH = 72

Colour = tuple[float, float, float]


@dataclass(frozen=True)
class Shape:
    """A path: ("m", x, y), ("l", x, y), ("c", x1, y1, x2, y2, x, y) and ("h",) segments,
    filled and/or stroked, cut to a clip rectangle (x, y, width, height)."""

    segments: tuple[tuple, ...]
    fill: Colour | None
    stroke: Colour | None
    line_width: float
    dashes: tuple[float, ...] = ()
    clip: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Label:
    """A line of text, its baseline starting at (x, y), turned `angle` degrees."""

    x: float
    y: float
    text: str
    size: float
    angle: float
    colour: Colour


@dataclass(frozen=True)
class Vector:
    width: float
    height: float
    items: tuple[Shape | Label, ...]


class _Recorder(RendererBase):
    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.items: list[Shape | Label] = []
        self._measure = RendererAgg(int(width) + 1, int(height) + 1, POINTS_PER_INCH)

    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self):
        return self.width, self.height

    def points_to_pixels(self, points):
        return points  # 72 dpi: a pixel is a point

    def get_text_width_height_descent(self, s, prop, ismath):
        return self._measure.get_text_width_height_descent(s, prop, ismath)

    def new_gc(self):
        return GraphicsContextBase()

    def draw_path(self, gc, path, transform, rgbFace=None):
        segments: list[tuple] = []
        for vertices, code in path.iter_segments(transform, remove_nans=True, simplify=False, curves=True):
            if code == Path.MOVETO:
                segments.append(("m", *vertices))
            elif code == Path.LINETO:
                segments.append(("l", *vertices))
            elif code == Path.CURVE4:
                segments.append(("c", *vertices))
            elif code == Path.CURVE3:  # a quadratic curve as the cubic it equals
                (x0, y0), (cx, cy), (x, y) = _last_point(segments), vertices[:2], vertices[2:]
                segments.append(("c", x0 + 2 / 3 * (cx - x0), y0 + 2 / 3 * (cy - y0),
                                 x + 2 / 3 * (cx - x), y + 2 / 3 * (cy - y), x, y))
            elif code == Path.CLOSEPOLY:
                segments.append(("h",))
        if not segments:
            return
        alpha = gc.get_alpha()
        fill = _colour(rgbFace, alpha) if rgbFace is not None else None
        width = gc.get_linewidth()
        stroke = _colour(gc.get_rgb(), alpha) if width > 0 else None
        if fill is None and stroke is None:
            return
        _, dashes = gc.get_dashes()
        self.items.append(Shape(tuple(segments), fill, stroke, width, tuple(dashes or ()), _clip(gc)))

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            self.items.append(Label(x, y, s, prop.get_size_in_points(), angle,
                                    _colour(gc.get_rgb(), gc.get_alpha()) or (0.0, 0.0, 0.0)))


def _last_point(segments: list[tuple]) -> tuple[float, float]:
    last = segments[-1]
    return last[-2], last[-1]


def _colour(rgba, alpha) -> Colour | None:
    """A colour on white: matplotlib's transparency, which a chart uses only to fade
    a colour, as the colour it shows; None where nothing shows."""
    if rgba is None:
        return None
    opacity = (rgba[3] if len(rgba) > 3 else 1.0) * (1.0 if alpha is None else alpha)
    if opacity <= 0:
        return None
    return tuple(round(1 - opacity * (1 - c), 4) for c in rgba[:3])  # type: ignore[return-value]


def _clip(gc) -> tuple[float, float, float, float] | None:
    box = gc.get_clip_rectangle()
    if box is None:
        return None
    return (box.x0, box.y0, box.width, box.height)


def vector_of(figure: Figure) -> Vector:
    """The figure drawn as shapes and text lines, at its size in points."""
    dpi = figure.dpi
    width, height = (size * POINTS_PER_INCH for size in figure.get_size_inches())
    recorder = _Recorder(width, height)
    FigureCanvasBase(figure)
    figure.dpi = POINTS_PER_INCH
    try:
        figure.draw(recorder)
    finally:
        figure.dpi = dpi
    return Vector(width, height, tuple(recorder.items))
