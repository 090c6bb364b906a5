"""One cell per line → rows: the rows of a table copied cell by cell (a Word or web
table pasted as text), rebuilt from what the cells say.

Nothing in such a text marks where a row ends, so the labels do (readers/labels.py): a
title, a header label (项目名称 …) with its value, the funding head with its column heads
and each funding row with its values, the goal heads and texts, the indicator head with
its columns, then each indicator row: its level names, its name and as many cells as the
head has value columns (an empty cell is a line of white space, so a row keeps its
width). Cells of a label wrapped in its box come as two (`年初` + `预算数`, `经济效益` +
`指标`) and are joined again when together they make a known label.

Columns follow the official grid, so that the recogniser places values as it does for a
real table: labels in column 0, funding values from column 1, indicator levels in
columns 1 and 2, the name in 3 and values from 4.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from ..normalize import clean, label_key
from .labels import (FIELD_LABELS, FUNDING_COLUMNS, FUNDING_HEAD, FUNDING_ROWS, FUNDING_SUBHEADS,
                     GOAL_LABELS,
                     INDICATOR_HEADS, INDICATOR_LABELS, KNOWN_KEYS, LEVEL_NAMES, NOTE,
                     OTHER_FUNDING_ROWS, PERIOD_LABEL, SIGN_OFF, TAIL_LABELS, UNMODELLED_TEXT,
                     YEAR, column_key, title_of, without_weight)
from .rows import Row, row_of
from ..rules import HIERARCHY, LEVEL1_NAMES, LEVEL2_NAMES

_NAME_COLUMN = 3
# The starts of column heads, which a head wrapped in its box leaves as a cell of their
# own (年度 of 年度指标值, 全年 of 全年预算数): kept in the head row, to be joined.
_HEAD_PREFIXES = frozenset(head[:cut] for head in (*INDICATOR_HEADS, *FUNDING_COLUMNS)
                           for cut in range(1, len(head)))


def regroup(cells: Iterable[tuple[int, str, int]]) -> Iterator[Row]:
    """Given the cells of a text as (first line, text, last line), in order, return its
    rows."""
    grouper = _Grouper()
    out = grouper.out
    for no, text, last in cells:
        if last > no:
            grouper.joined += range(no + 1, last + 1)  # the other lines of a wrapped cell
        grouper.feed(no, clean(text) if text else "")
        if out:
            yield from out
            out.clear()
    grouper.flush()
    yield from out


@lru_cache(maxsize=8192)  # labels, level names and values repeat from row to row
def _key(text: str) -> str:
    return without_weight(column_key(label_key(text)))


class _Grouper:
    def __init__(self) -> None:
        self.cells: list[tuple[int, str]] = []  # the row being gathered: (line, text)
        self.mode: str | None = None
        self.want = 0  # cells still wanted by a field row (its value)
        self.value_columns = 0  # the indicator head's columns after 三级指标
        self.level1: str | None = None
        self.joined: list[int] = []  # lines of cells joined to the one before them
        self.out: list[Row] = []  # rows made, for regroup to give (a list: no generator per cell)

    # ------------------------------------------------------------ feeding

    def feed(self, no: int, text: str) -> None:
        key = _key(text) if text else ""
        if key and self.cells and self._joins(key):
            last_no, last = self.cells[-1]
            self.cells[-1] = (last_no, last + text)
            self.joined.append(no)
            if self.mode == "indicators":
                self._indicator_done()
            return
        role = _role(key, text) if key else None
        if role is not None and not (role == "indicator head" and self.mode == "indicator head"):
            self._start(role, no, text, key)
            return
        self._plain(no, text, key)

    def _joins(self, key: str) -> bool:
        """True when this cell continues the last one into a known label."""
        last = _key(self.cells[-1][1])
        return bool(last) and last not in KNOWN_KEYS and (last + key) in KNOWN_KEYS \
            and len(last) <= 8 and len(key) <= 8

    def _start(self, role: str, no: int, text: str, key: str) -> None:
        if role == "indicator head" and self.mode == "indicator label":
            self.cells.append((no, text))
            self.mode = "indicator head"
            return
        if role == "goal" and self.mode == "goal head":
            self.cells.append((no, text))
            return
        self.flush()
        self.cells = [(no, text)]
        self.mode = {"field": "field", "funding head": "funding head", "funding row": "funding",
                     "goal": "goal head", "indicator label": "indicator label",
                     "indicator head": "indicator head", "tail": "tail"}.get(role)
        self.want = 1 if role == "field" else 0
        if self.mode is None:  # a row of its own: a title, a year, a sign-off, a note
            self.flush()

    def _plain(self, no: int, text: str, key: str) -> None:
        mode = self.mode
        if mode == "field":
            self.cells.append((no, text))
            self.want -= 1
            if self.want <= 0:
                self.flush()
        elif mode == "funding head":
            if key in FUNDING_COLUMNS or key in FUNDING_SUBHEADS or not text or key in _HEAD_PREFIXES:
                self.cells.append((no, text))
            else:
                self._restart(no, text)
        elif mode == "indicator head":
            if key in INDICATOR_HEADS or not text or key in _HEAD_PREFIXES:
                self.cells.append((no, text))
            else:
                self.flush()
                self.cells = [(no, text)]
                self._indicator_done()
        elif mode == "indicators":
            if not self.cells and not text:
                return  # an empty cell between rows: the end of a short row
            self.cells.append((no, text))
            self._indicator_done()
        elif mode in ("funding", "tail", "goal text"):
            self.cells.append((no, text))
        elif mode == "goal head":
            self.flush()
            self.mode, self.cells = "goal text", [(no, text)]
        elif text:
            self._restart(no, text)

    def _restart(self, no: int, text: str) -> None:
        """A cell no row of the current kind takes: a row of its own."""
        self.flush()
        self.mode, self.cells = None, [(no, text)]

    # ------------------------------------------------------------ indicator rows

    def _indicator_done(self) -> None:
        """Close the indicator row once it has its name and every value column."""
        levels = 0  # the level slots: level names, or empty cells (merged from above)
        for _, text in self.cells:
            if (not text or _key(text) in LEVEL_NAMES) and levels < 2:
                levels += 1
            else:
                break
        if len(self.cells) - levels >= 1 + self.value_columns:
            self.flush()
            self.mode = "indicators"

    # ------------------------------------------------------------ rows

    def flush(self) -> None:
        """Give the row gathered so far; the mode says what the next cells continue."""
        cells, mode, joined = self.cells, self.mode, self.joined
        self.cells = []
        if cells:  # the lines of a cell still to come stay for the row it starts
            self.joined = []
        if mode == "funding head":
            self.mode = "funding"
        elif mode == "indicator head":
            self.value_columns = _value_columns(cells)
            self.mode = "indicators"
        elif mode != "indicators":
            self.mode = None
        if cells:
            row = row_of(cells[0][0], self._columns(cells, mode), _raw(cells), cleaned=True)
            if row is not None:
                row.lines = sorted({no for no, _ in cells} | set(joined))
                self.out.append(row)

    def _columns(self, cells: list[tuple[int, str]], mode: str | None) -> list[tuple[int, str]]:
        """The row's cells at their columns in the official grid."""
        texts = [text for _, text in cells]
        if mode == "indicator head" or mode == "indicator label":
            start = 0 if texts and _key(texts[0]) in INDICATOR_LABELS else 1
            return [(start + i, text) for i, text in enumerate(texts)]
        if mode == "indicators":
            return self._indicator_columns(texts)
        if mode == "funding head":
            heads = [text for text in texts[1:] if text]
            return [(0, texts[0])] + [(i, text) for i, text in enumerate(heads, start=1)]
        return list(enumerate(texts))

    def _indicator_columns(self, texts: list[str]) -> list[tuple[int, str]]:
        """An indicator row's cells on the grid: its level names in columns 1 and 2 (an
        empty cell there is a level merged from above, and places the name beside it),
        the name in 3, its values after."""
        levels: list[tuple[int, str]] = []  # (column, name)
        column = 0
        while texts and column < 2 and (not texts[0] or _key(texts[0]) in LEVEL_NAMES):
            text = texts.pop(0)
            column += 1
            if text:
                levels.append((column, text))
        if len(levels) == 1 and column == 1:  # one name alone: which level it is says where
            key = _key(levels[0][1])
            second = key in LEVEL2_NAMES and (key not in LEVEL1_NAMES
                                             or key in HIERARCHY.get(self.level1 or "", ()))
            levels = [(2 if second else 1, levels[0][1])]
        for level_column, text in levels:
            if level_column == 1:
                self.level1 = _key(text)
        return levels + [(_NAME_COLUMN + i, text) for i, text in enumerate(texts)]


def _value_columns(cells: list[tuple[int, str]]) -> int:
    """How many columns an indicator head has after 三级指标."""
    keys = [_key(text) for _, text in cells]
    if "三级指标" in keys:
        return len([k for k in keys[keys.index("三级指标") + 1:] if k]) or 1
    return 1


def _role(key: str, text: str) -> str | None:
    """What a cell says its row is, when it is a label."""
    if key in FIELD_LABELS:
        return "field"
    if key in FUNDING_ROWS or key in OTHER_FUNDING_ROWS:
        return "funding row"
    if key in GOAL_LABELS:
        return "goal"
    if key in INDICATOR_LABELS:
        return "indicator label"
    if key == "一级指标":
        return "indicator head"
    if key in TAIL_LABELS or key in UNMODELLED_TEXT:
        return "tail"
    if "年" in key and YEAR.fullmatch(key) or key.startswith(PERIOD_LABEL) \
            or "表" in key and title_of(key):
        return "title"
    if FUNDING_HEAD.match(key):
        return "funding head"
    if NOTE.match(text) or SIGN_OFF.search(key):
        return "apart"
    return None


def _raw(cells: list[tuple[int, str]]) -> str:
    return " | ".join(text for _, text in cells)
