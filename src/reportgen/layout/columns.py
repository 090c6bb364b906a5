"""Column widths from the content, and the row heights that follow from them.

A label or column head never wraps, so the longest one sets its column's minimum (a
label split as 计划开始日/期 is what this prevents); numbers never wrap either. The
width left over goes to the columns whose text wraps, in proportion to how much of it
there is, up to the width at which it no longer wraps; what is still left follows the
template's proportions. Only when the labels alone are wider than the page are the
widest of them split, in two balanced lines.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate

from .grid import Table
from .measure import (MM_PER_PT, cell_extra_mm, line_em, lines_of, longest_unit_em,
                      row_height_pt, text_em)

FIXED = frozenset({"label", "head", "num"})  # cells whose text never wraps
CENTER_ONE_LINE_EM = 12.0  # short centred values (targets, outlooks) stay on one line
# A short text (a project or a department name) stays on one line where the page has
# room for it: these limits are tried in turn, the first that fits wins.
SHORT_TEXT_EM = (16.0, 10.0, 0.0)
TEXT_MIN_EM = 4.0  # a free-text column is never narrower than this
# Headroom against the engines' own line breaking: a text is wrapped here as if its
# line were this much narrower than the cell.
WRAP_SLACK = 0.97


@dataclass(frozen=True)
class _Need:
    low: float  # em: the narrowest the cell may be
    high: float  # em: the width at which its text no longer wraps
    wrap: float  # em of text beyond `low`: how much there is to wrap


@lru_cache(maxsize=8192)
def _need_of(text: str, classes: frozenset[str], short_em: float) -> _Need:
    width = text_em(text)
    if classes & FIXED:
        return _Need(width, width, 0.0)
    if width <= ("center" in classes and CENTER_ONE_LINE_EM or short_em):
        return _Need(width, width, 0.0)
    low = min(max(longest_unit_em(text), TEXT_MIN_EM if text else 0.0), width)
    total = sum(line_em(line) for line in text.split("\n"))
    return _Need(low, width, max(0.0, total - low))


def fit_columns(table: Table, width_mm: float, size_pt: float) -> None:
    """Set the table's column widths (percent) for a page `width_mm` wide and text of
    `size_pt`, balancing labels where they cannot all stand on one line."""
    widths = None
    while widths is None:
        widths = next((w for short in SHORT_TEXT_EM
                       if (w := _widths(table, width_mm, size_pt, short)) is not None), None)
        if widths is None and not _balance_widest_labels(table):
            widths = _squeezed(table, width_mm, size_pt)
    table.widths = [100 * w / width_mm for w in widths]


def _column_needs(table: Table, size_pt: float, short_em: float) -> tuple[list[float], list[float], list[float]]:
    """Per column, in mm: the least width, the width at which nothing wraps, and the
    amount of text to wrap (as a weight)."""
    # the widths a text needs, with the headroom `row_heights` wraps with
    em, extra = size_pt * MM_PER_PT / WRAP_SLACK, cell_extra_mm()
    low = [0.0] * table.n_cols
    high = [0.0] * table.n_cols
    wrap = [0.0] * table.n_cols
    flexible = [True] * table.n_cols  # holds text that wraps, or nothing of its own
    has_own = [False] * table.n_cols
    spanning = []
    for cell in table.cells:
        need = _need_of(cell.text, cell.classes, short_em)
        if cell.colspan == 1:
            c = cell.col
            if need.low * em + extra > low[c]:
                low[c] = need.low * em + extra
            if need.high * em + extra > high[c]:
                high[c] = need.high * em + extra
            if need.wrap:
                wrap[c] += need.wrap * em
            flexible[c] = (flexible[c] if has_own[c] else False) or need.high > need.low
            has_own[c] = True
        else:
            spanning.append((cell, need))
    preferred = table.widths
    for cell, need in sorted(spanning, key=lambda item: item[0].colspan):
        # a spanning text widens the columns of its span that wrap text themselves
        # (a column of numbers or targets gains nothing from being wider)
        columns = range(cell.col, cell.col + cell.colspan)
        share = [(preferred[c] or 1.0) if flexible[c] else 0.0 for c in columns]
        if not any(share):
            share = [preferred[c] or 1.0 for c in columns]
        _widen(low, columns, share, need.low * em + extra)
        _widen(high, columns, share, need.high * em + extra)
        for c, s in zip(columns, share):
            wrap[c] += need.wrap * em * s / sum(share)
    high = [max(h, l) for h, l in zip(high, low)]
    return low, high, wrap


def _widen(widths: list[float], columns: range, share: list[float], needed: float) -> None:
    """Widen the columns a spanning cell covers, in proportion to `share`, until they
    hold `needed` mm together."""
    deficit = needed - sum(widths[c] for c in columns)
    if deficit > 0:
        for c, s in zip(columns, share):
            widths[c] += deficit * s / sum(share)


def _widths(table: Table, width_mm: float, size_pt: float, short_em: float) -> list[float] | None:
    """Column widths in mm filling `width_mm`, or None when the minima do not fit."""
    low, high, wrap = _column_needs(table, size_pt, short_em)
    spare = width_mm - sum(low)
    if spare < 0:
        return None
    widths = list(low)
    open_ = {c for c in range(table.n_cols) if high[c] > widths[c] and wrap[c] > 0}
    while spare > 1e-6 and open_:  # water-filling by the text each column has to wrap
        weight = sum(wrap[c] for c in open_)
        step = {c: spare * wrap[c] / weight for c in open_}
        capped = {c for c in open_ if widths[c] + step[c] >= high[c]}
        if not capped:
            for c in open_:
                widths[c] += step[c]
            spare = 0.0
            break
        for c in capped:
            spare -= high[c] - widths[c]
            widths[c] = high[c]
        open_ -= capped
    if spare > 1e-6:  # nothing wraps any more: the rest as the template shares it out
        preferred = [w or 1.0 for w in table.widths]
        widths = [w + spare * p / sum(preferred) for w, p in zip(widths, preferred)]
    return widths


def _squeezed(table: Table, width_mm: float, size_pt: float) -> list[float]:
    """The minima scaled down to the page: labels too long for any page wrap."""
    low, _, _ = _column_needs(table, size_pt, 0.0)
    return [w * width_mm / sum(low) for w in low]


def _balance_widest_labels(table: Table) -> bool:
    """Split the widest one-line label (or head) of the table into two balanced lines;
    False when no label is left to split."""
    labels = [cell for cell in table.cells if cell.classes & {"label", "head"}
              and "\n" not in cell.text and len(cell.text) > 3]
    if not labels:
        return False
    widest = max(labels, key=lambda cell: text_em(cell.text))
    middle = (len(widest.text) + 1) // 2
    index = table.cells.index(widest)  # a new cell: the table may share its cells
    table.cells[index] = replace(widest, text=widest.text[:middle] + "\n" + widest.text[middle:])
    return True


def row_heights(table: Table, width_mm: float, size_pt: float) -> list[float]:
    """The height of each row (pt) with the table's widths on a page `width_mm` wide:
    its tallest cell; a cell spanning rows that needs more than they give adds the
    difference to its last row."""
    em, extra = size_pt * MM_PER_PT, cell_extra_mm()
    edges = list(accumulate((width_mm * w / 100 for w in table.widths), initial=0.0))
    one_line = row_height_pt(1, size_pt)
    heights = [one_line] * table.n_rows
    spanning = []
    for cell in table.cells:
        if not cell.text or "num" in cell.classes:
            need = one_line
        else:
            inner = (edges[cell.col + cell.colspan] - edges[cell.col] - extra) / em
            need = row_height_pt(lines_of(cell.text, max(inner * WRAP_SLACK, 1.0)), size_pt)
        if cell.rowspan == 1:
            if need > heights[cell.row]:
                heights[cell.row] = need
        else:
            spanning.append((cell, need))
    for cell, need in spanning:
        rows = range(cell.row, cell.row + cell.rowspan)
        deficit = need - sum(heights[r] for r in rows)
        if deficit > 0:
            heights[rows[-1]] += deficit
    return heights
