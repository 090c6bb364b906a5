"""One form's rows → a Document: the recogniser, the same for every source.

Rows are recognised by their labels (项目名称, 年度资金总额, 一级指标, 总分 …, in every
template variant readers/labels.py knows), never by column alone: merged cells shift
columns from row to row. Values are placed by what they are and by their order, columns
only breaking ties or, where a table head names unusual columns (指标性质 | 指标值 |
度量单位, 备注, 权重), following that head. Indicator levels are filled down; where a
level is lost or cut off, the official hierarchy (rules.py) decides. Every row is
accounted for: `explanation` says which field each row went to, and a row that fits
nowhere becomes a warning with its place and text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import (Document, Funding, FundingRow, Goals, Indicator, Outlook, ParseWarning,
                     Period, Source, parse_date, parse_decimal)
from ..normalize import close_value, label_key
from ..rules import HIERARCHY, LEVEL1_NAMES, LEVEL2_NAMES, complete_level2, parent_of
from .forms import is_title, is_year
from .labels import (FIELD_LABELS, FUNDING_COLUMNS, FUNDING_HEAD, FUNDING_ROWS, GOAL_HEADS,
                     GOAL_LABELS, INDICATOR_COLUMNS, INDICATOR_LABELS, LEVEL_CHARS, NOTE,
                     OTHER_FUNDING_ROWS, PERIOD, PERIOD_LABEL, PLACEHOLDER, SHANGHAI_TITLES,
                     SIGN_OFF, UNMODELLED_TEXT, YEAR, kind_of_title, title_of)
from .rows import Row

# The usual column order where a header lost a column (003: 得分 cut off the page).
CANONICAL_COLUMNS = {"selfeval": ("initial", "budget", "executed", "weight", "rate", "score"),
                     "tracking": ("initial", "budget", "executed", "rate"),
                     "target": ("budget",)}
# What a label says a row is, for the exact labels (rows.has_partial_label finds the others).
ROLES = {**{k: "field" for k in FIELD_LABELS}, **{k: "funding row" for k in FUNDING_ROWS},
         **{k: "other funding" for k in OTHER_FUNDING_ROWS},
         **{k: "goal head" for k in GOAL_LABELS},
         "一级指标": "indicator head", "总分": "tail", "评分等级": "tail", "纠偏措施": "tail",
         "绩效跟踪总体判断": "tail", "合计": "tail",
         **{k: "unmodelled" for k in UNMODELLED_TEXT}}
_VALUE = re.compile(r"[≥≤=<>]?\s*[+-]?\d+(?:\.\d+)?\s*(?:\([^()]*\)|%)?")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_AMOUNT = re.compile(r"[+-]?\d+(?:\.\d+)?%?")
_LEVEL_ONLY = re.compile(f"[{''.join(sorted(LEVEL_CHARS))}]*")
_AS_WRITTEN = frozenset({"deviation", "weight", "score"})
_SENTENCE_END = ("。", "；", ";", ".", "！", "？")
_FILE_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
# The head columns read by the Shanghai rules below; any other column makes the head's
# own order the guide (Sichuan's 指标性质 | 指标值 | 度量单位, a 权重 or 备注 column).
_SHANGHAI_COLUMNS = {"selfeval": ["target", "actual", "weight", "score", "deviation"],
                     "tracking": ["target", "planned", "actual", "deviation"],
                     "target": ["target"]}


def detect_kind(rows: list[Row], previous: Document | None) -> str | None:
    """Given a form's rows, return its kind: from its title, else from the labels only
    one kind has, else the kind of the form before it."""
    for row in rows:
        match = title_of(row.first_key) if is_title(row) else None
        if match:
            return kind_of_title(match.group("name"))
    keys = {key for row in rows for key in row.keys}
    if keys & {"项目性质", "年度资金申请总额", "计划开始日期"}:
        return "target"
    if any(PERIOD.search(k) or k.startswith("跟踪期") for k in keys):
        return "tracking"
    if keys & {"总分", "评分等级", "得分"}:
        return "selfeval"
    return previous.kind if previous else None


@dataclass(slots=True)
class _Row:
    """An indicator as read so far, with the tab position of each of its cells (for
    fragments that continue a cell on the next row)."""

    indicator: Indicator
    fields_at: dict[int, str]


class FormReader:
    """Reads the rows of one form in order (`feed`), keeping what each holds, and
    gives the document at the end (`document`)."""

    def __init__(self, file: str, kind: str, rows: list[Row]):
        self.file, self.kind, self.form_rows = file, kind, rows
        self.values: dict[str, Any] = {}
        self.funding = {key: FundingRow() for key in ("total", "fiscal", "carryover", "other")}
        self.columns: list[tuple[int, str]] = []  # funding header: (position, column)
        self.goals = Goals()
        self.goal_heads: dict[str, int] = {}  # planned/actual → header position
        self.section: str | None = None
        self.rows: list[_Row] = []
        self.level1: str | None = None
        self.level2: str | None = None
        # the indicator head's columns after 三级指标: (offset from it, field or None),
        # and whether they guide the placing of values (a variant's head)
        self.head_columns: list[tuple[int, str | None]] = []
        self.head_guides = False
        self.name_at: int | None = None  # the 三级指标 head's column
        cost_children = set(HIERARCHY["成本指标"])
        self.cost_is_level1 = any(not cost_children.isdisjoint(row.keys) for row in rows)
        self.pending: dict[str, str] = {}  # the head of a cell split by a page break
        self.outlook: Outlook | None = None
        self.warnings: list[ParseWarning] = []
        self.row_of: dict[str, Row] = {}  # field → the row it was read from
        self.explanation: list[tuple[int, str, str]] = []
        # an indicator's planned/actual/deviation when empty: "" where this kind of
        # form has the column, None where it has not
        has = "" if kind != "target" else None
        self.empty_cells = ("" if kind == "tracking" else None, has, has)

    # ------------------------------------------------------------ bookkeeping

    def read(self, row: Row, what: str) -> None:
        self.explanation.append((row.no, what, row.raw))

    def warn(self, row: Row, reason: str) -> None:
        line = row.no if row.place is None else None
        self.warnings.append(ParseWarning(line, row.raw.strip(), reason, row.place))
        self.explanation.append((row.no, f"warning: {reason}", row.raw.strip()))

    # ------------------------------------------------------------ rows

    def feed(self, row: Row) -> None:
        """Read one row of the form into the fields it holds."""
        keys = row.keys
        if row.unread:
            self.warn(row, row.unread)
            return
        if len(keys) == 1 and is_title(row):
            self._title(row)
            return
        if len(keys) == 1 and is_year(row):
            self.values["year"] = int(YEAR.fullmatch(row.first_key).group(1))  # type: ignore[union-attr]
            self.read(row, "year")
            return
        if row.first_key.startswith(PERIOD_LABEL):
            self._period(row)
            return
        roles = {ROLES[k] for k in keys if k in ROLES} if not ROLES.keys().isdisjoint(keys) else set()
        if row.has_partial_label:
            funding = any(FUNDING_HEAD.match(k) for k in keys)
            roles.add("funding header" if funding else "tail")
        if not roles:
            self._unlabelled(row, keys)
        elif "field" in roles:
            self._labelled_fields(row, keys)
        elif "funding header" in roles:
            self._funding_header(row, keys)
        elif "funding row" in roles and self.section == "funding":
            self._funding_row(row, keys)
        elif "other funding" in roles and self.section == "funding":
            self.warn(row, "a funding row the model has no place for: not read")
        elif "indicator head" in roles and "一级指标" in keys and "三级指标" in keys:
            self._indicator_header(row, keys)
        elif "tail" in roles and self._tail(row, keys):
            pass
        elif "unmodelled" in roles and keys[0] in UNMODELLED_TEXT:
            self.warn(row, f"{row.texts[0]}: a row the model has no field for: not read")
            if self.section in ("indicators", "tail"):
                self.section = "tail"
        elif "goal head" in roles and all(k in GOAL_LABELS for k in keys):
            self._goal_header(row, keys)
        else:
            self._unlabelled(row, keys)

    def _unlabelled(self, row: Row, keys: list[str]) -> None:
        """A row without a label of its own: goal text or an indicator, by section;
        sign-off rows and the template's notes are never fields."""
        if SIGN_OFF.search(keys[0]):
            self.warn(row, "a sign-off row (审核意见, 盖章, 填报人 …): not a field")
            self.section = "tail" if self.section in ("indicators", "tail") else self.section
        elif NOTE.match(row.texts[0]):
            self.warn(row, "a note of the template: not a field")
            self.section = "tail" if self.section in ("indicators", "tail") else self.section
        elif self.section == "goals":
            self._goal_text(row, keys)
        elif self.section == "indicators":
            self._indicator(row, keys)
        else:
            self.warn(row, "not a row of this form")

    def _title(self, row: Row) -> None:
        match = title_of(row.first_key)
        assert match is not None
        name, variant, year = match.group("name", "variant", "year")
        if year:
            self.values["year"] = int(year)
        if name not in SHANGHAI_TITLES or variant:
            self.values["title"] = name + (f"({variant})" if variant else "")
        self.read(row, "title")

    def _period(self, row: Row) -> None:
        match = PERIOD.search("".join(label_key(t) for t in row.texts))
        if not match:
            self.warn(row, "跟踪时段 without a readable period")
            return
        y1, m1, y2, m2 = (int(g) for g in match.groups())
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            self.warn(row, "跟踪时段 with a month that does not exist")
            return
        self.values["period"] = Period(f"{y1}-{m1:02d}", f"{y2}-{m2:02d}")
        self.values["year"] = y2
        self.read(row, "period")

    def _labelled_fields(self, row: Row, keys: list[str]) -> None:
        """项目名称 / 主管部门 / … rows: each label followed by its value."""
        read, used = [], set()
        texts = row.texts
        for i, key in enumerate(keys):
            name = FIELD_LABELS.get(key)
            if name is None:
                continue
            has_value = i + 1 < len(keys) and keys[i + 1] not in FIELD_LABELS
            self.values[name] = texts[i + 1] if has_value else None
            self.row_of[name] = row
            read.append(name)
            used |= {i, i + 1} if has_value else {i}
        unread = [text for i, text in enumerate(texts) if i not in used]
        self.read(row, ", ".join(read))
        if unread:
            self.warn(row, f"cells without a label: {' | '.join(unread)}")

    # ------------------------------------------------------------ funding

    def _funding_header(self, row: Row, keys: list[str]) -> None:
        self.section = "funding"
        self.values["amount_unit"] = "元" if any("(元)" in k for k in keys) else "万元"
        self.columns = [(pos, FUNDING_COLUMNS[k]) for (pos, _), k in zip(row.cells, keys)
                        if k in FUNDING_COLUMNS]
        self.read(row, "funding header")
        if any(k in FUNDING_ROWS for k in keys):  # the target form's first row shares the row
            self._funding_row(row, keys)

    def _funding_row(self, row: Row, keys: list[str]) -> None:
        last_label = max(i for i, k in enumerate(keys) if k in FUNDING_ROWS)
        row_key = FUNDING_ROWS[keys[last_label]]
        funding = self.funding[row_key]
        placed, extra = self._place_funding(row.cells[last_label + 1:], row)
        for column, text in placed:
            if text in _NO_AMOUNT:  # a dash or slash: no amount
                continue
            amount = self._amount(row, column, text)
            if amount is not None:
                setattr(funding, column, amount)
        if extra:
            self.warn(row, "cells beyond the funding columns: " + " | ".join(extra))
        self.read(row, f"funding.{row_key}")

    def _amount(self, row: Row, column: str, text: str) -> Any:
        """A funding cell's number: a rate may carry its %, an amount in 万元 its 万 and
        a note (`854万(高标准农田建设400万元,…)`, the note reported)."""
        number = text[:-1] if column == "rate" and text.endswith("%") else text
        if "万" in number and self.values.get("amount_unit", "万元") == "万元" \
                and (match := _WAN.fullmatch(number)):
            number = match.group(1)
            if match.group(2):
                self.warn(row, f"funding {column}: read {number} 万元 of {text!r}; the rest is a note")
        if "," in number and _THOUSANDS.fullmatch(number):
            number = number.replace(",", "")
        try:
            return parse_decimal(number, "")
        except InputError:
            self.warn(row, f"funding {column}: {text!r} is not a number")
            return None

    def _place_funding(self, values: list[tuple[int, str]], row: Row) -> tuple[list[tuple[str, str]], list[str]]:
        """Match a funding row's values to columns: by position where they sit under the
        header's labels (or one column left of them: the head's first cell spans the
        rows below it), else by order (the header's, or the usual one where the header
        lost a column). Returns the placed values and the cells left over."""
        at = dict(self.columns)
        if self.kind == "target" and not self.columns:
            return ([("budget", values[0][1])] if values else []), [t for _, t in values[1:]]
        if at and all(pos in at for pos, _ in values):
            return [(at[pos], text) for pos, text in values], []
        if at and all(pos + 1 in at for pos, text in values if _AMOUNT.fullmatch(_plain(text))):
            placed = [(at[pos + 1], text) for pos, text in values if pos + 1 in at]
            return placed, [text for pos, text in values if pos + 1 not in at]
        columns = [column for _, column in self.columns]
        texts = [text for _, text in values]
        if len(texts) != len(columns):
            canonical = CANONICAL_COLUMNS[self.kind]
            if len(texts) == len(canonical):
                columns = list(canonical)
            else:
                self.warn(row, f"{len(texts)} values under {len(columns)} funding columns: read in order")
        return list(zip(columns, texts)), texts[len(columns):]

    # ------------------------------------------------------------ goals

    def _goal_header(self, row: Row, keys: list[str]) -> None:
        self.section = "goals"
        for (pos, _), key in zip(row.cells, keys):
            if key in GOAL_HEADS and not (key == "年度总体目标" and self.kind != "target"):
                self.goal_heads.setdefault(GOAL_HEADS[key], pos)
        self.goals = Goals("", "" if self.kind != "target" else None)
        self.read(row, "goals header")

    def _goal_text(self, row: Row, keys: list[str]) -> None:
        texts = [(pos, t) for (pos, t), k in zip(row.cells, keys) if k not in GOAL_LABELS]
        if not texts:
            self.read(row, "goals label")
            return
        if self.kind == "target" or len(texts) >= 2 or "actual" not in self.goal_heads:
            names = ["planned", "actual"] if self.kind != "target" else ["planned"]
        else:  # one text: under whichever heading it sits nearer
            pos = texts[0][0]
            nearer_actual = abs(pos - self.goal_heads["actual"]) < abs(pos - self.goal_heads.get("planned", 0))
            names = ["actual" if nearer_actual else "planned"]
        for name, (_, text) in zip(names, texts):
            setattr(self.goals, name, text)
        if len(texts) > len(names):
            self.warn(row, "more goal texts than goal columns: " + " | ".join(t for _, t in texts[len(names):]))
        self.read(row, "goals." + "/".join(names[:len(texts)]))
        self.section = "goals-read"

    # ------------------------------------------------------------ the tail rows

    def _tail(self, row: Row, keys: list[str]) -> bool:
        """总分, 合计, 评分等级, 总体判断 and 纠偏措施 rows; False when the row is none of them."""
        texts = row.texts
        if "总分" in keys:
            numbers = [t for t in texts[keys.index("总分") + 1:] if _NUMBER.fullmatch(t)]
            self.values["total_score"] = parse_decimal(numbers[-1], "") if numbers else None
            self.read(row, "total_score")
        elif keys[0] == "合计":
            # 权重 total, then 得分 total: only a second number is the 总分
            numbers = [t for t in texts[1:] if _NUMBER.fullmatch(t)]
            if len(numbers) >= 2:
                self.values["total_score"] = parse_decimal(numbers[1], "")
            self.read(row, "total_score" if len(numbers) >= 2 else "weights total (合计)")
        elif "评分等级" in keys:
            rest = texts[keys.index("评分等级") + 1:]
            self.values["grade"] = rest[0] if rest else None
            self.read(row, "grade")
        elif any("完成可能性" in k for k in keys) or "绩效跟踪总体判断" in keys:
            self._outlook(row, keys)
        elif keys[0] == "纠偏措施":
            self.values["corrective"] = " ".join(texts[1:])
            self.read(row, "corrective")
        else:
            return False
        self.section = "tail"
        return True

    def _outlook(self, row: Row, keys: list[str]) -> None:
        self.outlook = self.outlook or Outlook()
        read = []
        for i, key in enumerate(keys):
            name = "budget" if "预算完成可能性" in key else "goals" if "目标完成可能性" in key else None
            if name and i + 1 < len(keys):
                setattr(self.outlook, name, row.texts[i + 1])
                read.append(f"outlook.{name}")
        self.read(row, ", ".join(read) or "outlook label")

    # ------------------------------------------------------------ indicators

    def _indicator_header(self, row: Row, keys: list[str]) -> None:
        self.section = "indicators"
        name_at = row.cells[keys.index("三级指标")][0]
        self.name_at = name_at
        self.head_columns = [(pos - name_at, INDICATOR_COLUMNS.get(key))
                             for (pos, _), key in zip(row.cells, keys) if pos > name_at]
        fields = {field for _, field in self.head_columns}
        self.head_guides = bool(fields & {"relation", "measure", "note"}) or (
            self.kind == "target" and len(fields - {None}) > 1)
        self.read(row, "indicator table header")

    def _indicator(self, row: Row, keys: list[str]) -> None:
        cells, cell_keys = row.cells, keys
        if not INDICATOR_LABELS.isdisjoint(keys):
            kept = [(cell, k) for cell, k in zip(cells, keys) if k not in INDICATOR_LABELS]
            cells, cell_keys = [cell for cell, _ in kept], [k for _, k in kept]
        if not cells:
            self.read(row, "indicator table label")
            return
        last = cell_keys[-1]
        if last[:2] == "指标" or last[:1] in _PLACEHOLDER_STARTS:
            if PLACEHOLDER.fullmatch(last) and self._placeholder(row, cells, cell_keys):
                return
        named_levels = len(cells) == 3 and cell_keys[0] in LEVEL1_NAMES and cell_keys[1] in LEVEL2_NAMES
        if len(cells) <= 3 and not named_levels and self._is_fragment(cells, cell_keys):
            self._fragment(row, cells)
            return
        levels, rest = self._split_levels(cells, cell_keys, 1 if named_levels else 2, row.place is not None)
        if not rest or (_VALUE.fullmatch(rest[0][1]) and not levels):
            self.warn(row, "a row of values without an indicator name: not read as an indicator")
            return
        self._set_levels(levels)
        indicator = self._new_indicator()
        read = _Row(indicator, {})
        name_pos, indicator.name = rest[0]
        read.fields_at[name_pos] = "name"
        for pos, name, text in self._place_values(rest[1:], name_pos, row):
            read.fields_at[pos] = name
            if name not in ("weight", "score"):
                setattr(indicator, name, text)
                continue
            try:
                setattr(indicator, name, parse_decimal(text, ""))
            except InputError:
                self.warn(row, f"{name}: {text!r} is not a number: left empty")
        if self.pending:
            for name, head in self.pending.items():
                setattr(indicator, name, head + (getattr(indicator, name) or ""))
            self.pending.clear()
        self.rows.append(read)
        self.read(row, f"indicators[{len(self.rows) - 1}]")

    def _placeholder(self, row: Row, cells: list[tuple[int, str]], keys: list[str]) -> bool:
        """A template's empty row (`指标2`, `……`), perhaps after its level names: the
        levels are kept (they fill down), the row is no indicator. False when other
        cells than levels stand before it."""
        levels: list[tuple[int, str]] = []
        for (pos, _), key in zip(cells[:-1], keys[:-1]):
            name = self._level_name(key, levels[-1][1] if levels else None)
            if name is None:
                return False
            levels.append((pos, name))
        self._set_levels(levels)
        self.warn(row, "a template's placeholder row, left empty: not an indicator")
        return True

    @staticmethod
    def _is_fragment(cells: list[tuple[int, str]], keys: list[str]) -> bool:
        """A short row that is no indicator: fewer than two cells that are not tails of
        level names, and no value among them."""
        plain = [k for k in keys if not _LEVEL_ONLY.fullmatch(k)]
        return len(plain) < 2 and not any(_VALUE.fullmatch(text) for _, text in cells)

    def _new_indicator(self) -> Indicator:
        """An indicator at the current levels, its cells empty."""
        planned, actual, deviation = self.empty_cells
        return Indicator(self.level1, self.level2, None, "", planned, actual, None, None, deviation)

    def _split_levels(self, cells: list[tuple[int, str]], keys: list[str], keep: int = 2,
                      on_grid: bool = False) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """Given an indicator row's cells, return its level cells as (position, name
        completed where cut off) and the cells after them. A cell counts as a level only
        while `keep` cells remain: the name and a value, or the name alone after a 一级
        and a 二级 named in full. On a grid (a table's true columns), nothing in the
        三级指标 column or right of it is a level."""
        levels: list[tuple[int, str]] = []
        i, last = 0, len(cells) - keep
        while i < last and len(levels) < 3:
            name = self._level_name(keys[i], levels[-1][1] if levels else None)
            if name is None or (levels and levels[-1][1] == name != keys[i]) \
                    or (on_grid and self.name_at is not None and cells[i][0] >= self.name_at):
                break  # no level; the start of the level just named; or in the 三级指标 column
            if not levels or levels[-1][1] != name:  # "效益 指标 ⇥ 效益 指标": one level written twice
                levels.append((cells[i][0], name))
            i += 1
        return levels, cells[i:]

    def _level_name(self, key: str, previous: str | None) -> str | None:
        """Given a cell's key and the level named before it in the row, return the level
        name the cell holds (completed where cut off), or None when it holds none."""
        if key in LEVEL1_NAMES or key in LEVEL2_NAMES:
            return key
        if len(key) < 2 or not _LEVEL_ONLY.fullmatch(key):
            return None
        if previous is None:
            fits = [name for name in LEVEL1_NAMES if name.startswith(key)]
            if len(fits) == 1:
                return fits[0]
        return complete_level2(key, previous if previous in HIERARCHY else self.level1)

    def _set_levels(self, levels: list[tuple[int, str]]) -> None:
        """Fill the levels down: a row names its 一级 and/or 二级, or neither. A single
        name is a 二级 when it is one (成本指标 is both: a 二级 where it stands right of
        the first column under a 一级 that has it), its 一级 then kept when it fits and
        taken from the hierarchy when not (a 二级 name in the 一级 column, a lost 一级)."""
        if len(levels) >= 2:
            self.level1, self.level2 = levels[-2][1], levels[-1][1]
            return
        if not levels:
            return
        (pos, name), = levels
        # right of the first column, or on a form whose 成本指标 has no 二级 of its own
        # (the older templates: a 二级 of 产出指标), a 一级's child is that child
        child_here = name in HIERARCHY.get(self.level1 or "", ()) and (pos > 0 or not self.cost_is_level1)
        if name in LEVEL1_NAMES and not child_here:
            if name != self.level1:
                self.level2 = None
            self.level1 = name
        else:
            self.level2 = name
            if self.level1 is None or name not in HIERARCHY.get(self.level1, ()):
                self.level1 = parent_of(name) or self.level1

    def _place_values(self, cells: list[tuple[int, str]], name_pos: int,
                      row: Row) -> list[tuple[int, str, str]]:
        """Given the cells after an indicator's name, return (position, field, text)."""
        if self.head_guides:
            placed, extra = self._by_head(cells, name_pos, row)
        elif self.kind == "target":
            placed = [(cells[0][0], "target", cells[0][1])] if cells else []
            extra = cells[1:]
        elif self.kind == "selfeval":
            placed, extra = _place_selfeval(cells, name_pos)
        else:
            placed, extra = _by_offset(cells, name_pos, ("target", "planned", "actual", "deviation"))
        if extra:
            self.warn(row, "cells beyond the indicator's columns: " + " | ".join(t for _, t in extra))
        # targets and values written apart are closed up ("≥ 240.00 (天)"); texts stay
        return [(pos, name, close_value(text) if " " in text and name not in _AS_WRITTEN else text)
                for pos, name, text in placed]

    def _by_head(self, cells: list[tuple[int, str]], name_pos: int,
                 row: Row) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
        """Values under the columns the head names, by their distance from the name;
        a target split over 指标性质 | 指标值 | 度量单位 joined (`=` `100` `%` → `=100%`)."""
        field_at = dict(self.head_columns)
        placed: list[tuple[int, str, str]] = []
        extra: list[tuple[int, str]] = []
        target: dict[str, tuple[int, str]] = {}
        for pos, text in cells:
            name = field_at.get(pos - name_pos)
            if name in ("relation", "target", "measure"):
                target[name] = (pos, text)
            elif name == "note":
                self.warn(row, f"备注 {text!r}: the model has no field for it: not read")
            elif name is None:
                extra.append((pos, text))
            else:
                placed.append((pos, name, text))
        if target:
            first = min(pos for pos, _ in target.values())
            joined = "".join(target[k][1] for k in ("relation", "target", "measure") if k in target)
            placed.insert(0, (first, "target", joined))
        return placed, extra

    def _fragment(self, row: Row, cells: list[tuple[int, str]]) -> None:
        """A row too short to be an indicator: the tail of a wrapped label (reported),
        or the end of a cell the page broke (joined to that cell)."""
        joined = []
        for pos, text in cells:
            if _level_chars_only(text):
                continue
            previous = self.rows[-1] if self.rows else None
            name = previous.fields_at.get(pos) if previous else None
            if previous is None or name is None or name in ("weight", "score"):
                continue  # a number is never continued on the next row
            current = getattr(previous.indicator, name) or ""
            if current.endswith(_SENTENCE_END):
                # the cell's first part ends the page; the row itself is on the next
                self.pending[name] = self.pending.get(name, "") + text
            else:
                setattr(previous.indicator, name, current + text)
            joined.append(name)
        if joined:
            self.read(row, "continues " + ", ".join(sorted(set(joined))))
        else:
            self.warn(row, "fragment of a wrapped label or cell: not read")

    # ------------------------------------------------------------ result

    def document(self, previous: Document | None) -> Document:
        values = dict(self.values)
        first_row = self.form_rows[0]
        first, last = first_row.no, self.form_rows[-1].no
        if "year" not in values:
            self._year_from_elsewhere(values, previous, first_row)
        if not values.get("project"):
            raise InputError(self.file, first_row.where, "form without a 项目名称")
        for key in ("start_date", "end_date"):
            try:
                values[key] = parse_date(values.get(key), key)
            except InputError as exc:
                row = self.row_of[key]
                self.warn(row, f"{exc}: left empty")
                values[key] = None
        self._incomplete(first_row)
        tracking = self.kind == "tracking"
        return Document(
            kind=self.kind, year=values["year"], project=values["project"],
            period=values.get("period") if tracking else None, title=values.get("title"),
            department=values.get("department"), unit=values.get("unit"),
            manager=values.get("manager"),
            nature=values.get("nature"), category=values.get("category"),
            start_date=values.get("start_date"), end_date=values.get("end_date"),
            amount_unit=values.get("amount_unit", "万元"), funding=Funding(**self.funding),
            goals=self.goals, indicators=[row.indicator for row in self.rows],
            total_score=values.get("total_score"), grade=values.get("grade"),
            outlook=(self.outlook or Outlook()) if tracking else None,
            corrective=values.get("corrective") if tracking else None,
            source=Source(Path(self.file).name, first, last), warnings=self.warnings,
        )

    def _year_from_elsewhere(self, values: dict[str, Any], previous: Document | None, first_row: Row) -> None:
        """A form that prints no year: the year of the form before it in the file, else
        the year in the file's name; each said in a warning."""
        line = first_row.no if first_row.place is None else None
        if previous is not None:
            values["year"], values["period"] = previous.year, previous.period
            reason = f"no year row: took {previous.year} from the form before"
        elif match := _FILE_YEAR.search(Path(self.file).stem):
            values["year"] = int(match.group(1))
            reason = f"no year row: took {values['year']} from the file's name"
        else:
            raise InputError(self.file, first_row.where, "form without a year or 跟踪时段 row, "
                             "and no year in the file's name")
        self.warnings.append(ParseWarning(line, "", reason, first_row.place))

    def _incomplete(self, first_row: Row) -> None:
        """A form read without indicators or without its funding total is said so: it
        must not pass for complete."""
        line = first_row.no if first_row.place is None else None
        if not self.rows:
            self.warnings.append(ParseWarning(line, "", "no indicator was read", first_row.place))
        total = self.funding["total"]
        if total.budget is None and total.initial is None:
            self.warnings.append(ParseWarning(line, "", "no funding total (年度资金总额) was read",
                                              first_row.place))


_PLACEHOLDER_STARTS = frozenset("…．.。")
_NO_AMOUNT = frozenset({"/", "—", "-", "--", "——", "－", "无", "\\"})
_WAN = re.compile(r"([+-]?\d+(?:\.\d+)?)万元?(.*)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _plain(cell: str) -> str:
    """A funding cell without its % or thousands separators, to tell numbers from text."""
    return cell.replace(",", "").rstrip("%")


def _level_chars_only(text: str) -> bool:
    """True for a cell made only of characters of the level names (`标`, `度指标`): the
    tail of a label wrapped in a narrow column."""
    return bool(_LEVEL_ONLY.fullmatch(label_key(text)))


def _place_selfeval(cells: list[tuple[int, str]], name_pos: int) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """Self-evaluation values: anchored on 分值 and 得分, the last two numbers followed by
    at most a 偏差 text; the cells before them are 年度指标值 and 实际完成值, a single
    one placed by its position."""
    texts = [t for _, t in cells]
    for j in range(len(cells) - 2, -1, -1):
        if _NUMBER.fullmatch(texts[j]) and _NUMBER.fullmatch(texts[j + 1]) and len(cells) - (j + 2) <= 1:
            break
    else:  # no 分值/得分 pair: the columns after the name, in order
        return _by_offset(cells, name_pos, ("target", "actual", "weight", "score", "deviation"))
    weight_pos = cells[j][0]
    middle = cells[:j]
    if len(middle) == 1:
        alone = middle[0][0] == weight_pos - 1 and weight_pos - name_pos > 2
        before = ["actual"] if alone else ["target"]
    else:
        before = ["target", "actual"]
    placed = [(pos, name, text) for name, (pos, text) in zip(before, middle)]
    placed += [(cells[j][0], "weight", texts[j]), (cells[j + 1][0], "score", texts[j + 1])]
    placed += [(pos, "deviation", text) for pos, text in cells[j + 2:]]
    return placed, middle[len(before):]


def _by_offset(cells: list[tuple[int, str]], name_pos: int,
               names: tuple[str, ...]) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """Values by their distance from the name cell: the first column after it is
    names[0], and so on; cells beyond the last are returned apart."""
    placed = [(pos, names[pos - name_pos - 1], text) for pos, text in cells
              if 0 < pos - name_pos <= len(names)]
    return placed, [(pos, text) for pos, text in cells if not 0 < pos - name_pos <= len(names)]


def read_form(file: str, rows: list[Row], previous: Document | None) -> tuple[Document, list[tuple[int, str, str]]]:
    """Given one form's rows, return its document and how each row was read."""
    kind = detect_kind(rows, previous)
    if kind is None:
        raise InputError(file, rows[0].where, "cannot tell which form this is (no title, "
                         "and no label only one kind of form has)")
    reader = FormReader(file, kind, rows)
    for row in rows:
        reader.feed(row)
    return reader.document(previous), reader.explanation
