"""Rows of cells: what every source gives the recogniser.

A source (text, HTML, Word, Excel, PDF) turns its file into rows, in reading order; a
row holds its non-empty cells as (column, text), the text as the model stores it
(normalize.clean), and says where it came from: a line number for text, a place such as
`Sheet1!B4`, `table 2, row 5` or `page 1, y 312` for the others. Columns are grid
columns where the source has a grid (a merged cell sits at its first column, and the
columns it covers are empty), else cell positions; the recogniser reads rows by their
labels and uses columns only to break ties.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..normalize import clean, key_of_clean
from .labels import FUNDING_HEAD, column_key, without_weight


@dataclass(slots=True)
class Row:
    """One row: its number (a text line's number, else its ordinal in the file), the
    row as the source has it (for messages), and its non-empty cells."""

    no: int
    raw: str
    cells: list[tuple[int, str]]  # (column, text)
    keys: list[str]  # each cell's label key, without a weight or column letter (labels.py)
    first_key: str = ""
    has_partial_label: bool = False  # a label known by its start (FUNDING_HEAD, 完成可能性)
    place: str | None = None  # where the row is, when not a text line
    cell_places: list[str] | None = None  # where each cell is (Sheet1!B4), when known
    unread: str | None = None  # why the source could not read the row, for a warning
    lines: list[int] | None = None  # the lines of its cells, for a row rebuilt from several

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.cells]

    @property
    def where(self) -> str:
        return self.place or f"line {self.no}"

    def place_of(self, index: int) -> str:
        """Where the row's index-th cell is."""
        return self.cell_places[index] if self.cell_places else self.where


def has_partial_label(key_line: str) -> bool:
    """True when a row holds a label known by its start or a part: 预算执行情况(万元),
    项目资金(元), 资金情况(万元), 年度项目预算完成可能性."""
    return FUNDING_HEAD.search(key_line) is not None or "完成可能性" in key_line


def row_of(no: int, cells: Iterable[tuple[int, str]], raw: str | None = None,
           place: str | None = None, places: Iterable[str] | None = None,
           cleaned: bool = False) -> Row | None:
    """Given a row's cells as the source has them (column, text), return the row with
    its texts cleaned (unless they are: `cleaned`) and keyed, or None when every cell
    is empty."""
    kept: list[tuple[int, str]] = []
    kept_places: list[str] = []
    place_list = list(places) if places is not None else None
    for i, (column, text) in enumerate(cells):
        text = (text if cleaned else clean(text)) if text else ""
        if text:
            kept.append((column, text))
            if place_list is not None:
                kept_places.append(place_list[i])
    if not kept:
        return None
    keys = [without_weight(column_key(key_of_clean(text))) for _, text in kept]
    shown = raw if raw is not None else "\t".join(text for _, text in kept)
    return Row(no, shown, kept, keys, keys[0], has_partial_label("\t".join(keys)), place,
               kept_places if place_list is not None else None)


def join_lines(lines: Iterable[str]) -> str:
    """The lines of one cell as one text, as a box wrapped them: CJK pieces closed up
    (`项目资金` + `(万元)`), other pieces joined by a space."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text:
            text += "" if _closes_up(text[-1]) or _closes_up(line[0]) else " "
        text += line
    return text


def _closes_up(char: str) -> bool:
    return char >= "\u2e80" or char in "()（）"


class Numbering:
    """Row numbers for a source without lines: each row's ordinal in the file."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> int:
        self.count += 1
        return self.count
