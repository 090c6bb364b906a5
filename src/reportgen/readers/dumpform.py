"""One form of a dump → a Document, row by row.

Rows are recognised by their labels (项目名称, 年度资金总额, 一级指标, 总分 …), never by
tab position: merged cells shift columns from row to row. Values are placed by what
they are and by their order, positions only breaking ties. Indicator levels are filled
down; where a level is lost or cut off, the official hierarchy (rules.py) decides. Every
line is accounted for: `explanation` says which field each line went to, and a line
that fits nowhere becomes a warning with its number and text.
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
from .dump import PERIOD_LABEL, TITLE, YEAR, DumpLine, is_title, is_year

FIELD_LABELS = {"项目名称": "project", "主管部门": "department", "实施单位": "unit",
                "项目性质": "nature", "项目类别": "category",
                "计划开始日期": "start_date", "计划完成日期": "end_date"}
FUNDING_COLUMNS = {"年初预算数": "initial", "跟踪期预算数": "budget", "全年预算数": "budget",
                   "预算数": "budget", "跟踪期执行数": "executed", "全年执行数": "executed",
                   "执行数": "executed", "执行率": "rate", "执行率(%)": "rate",
                   "分值": "weight", "分数": "weight", "得分": "score"}
FUNDING_ROWS = {"年度资金总额": "total", "年度资金申请总额": "total",
                "其中当年财政拨款": "fiscal", "当年财政拨款": "fiscal",
                "上年结转资金": "carryover", "其他资金": "other"}
# The usual column order where a header lost a column (003: 得分 cut off the page).
CANONICAL_COLUMNS = {"selfeval": ("initial", "budget", "executed", "weight", "rate", "score"),
                     "tracking": ("initial", "budget", "executed", "rate"),
                     "target": ("budget",)}
GOAL_HEADS = {"预期目标": "planned", "预算目标": "planned", "年度总体目标": "planned",
              "实际完成情况": "actual", "跟踪期实际完成情况": "actual"}
GOAL_LABELS = {"年度总体目标", "项目绩效目标", "项目总目标", *GOAL_HEADS}
INDICATOR_LABELS = {"绩效指标"}
# What a label says a row is, for the exact labels (dump.PARTIAL_LABELS finds the others).
ROLES = {**{k: "field" for k in FIELD_LABELS}, **{k: "funding row" for k in FUNDING_ROWS},
         **{k: "goal head" for k in (*GOAL_HEADS, "项目总目标")},
         "一级指标": "indicator head", "总分": "tail", "评分等级": "tail", "纠偏措施": "tail",
         "绩效跟踪总体判断": "tail"}
KIND_BY_TITLE = {"目标申报": "target", "跟踪": "tracking", "自评": "selfeval"}
_VALUE = re.compile(r"[≥≤=<>]?\s*[+-]?\d+(?:\.\d+)?\s*(?:\([^()]*\)|%)?")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
# Characters of the level names: a cell made only of these is a wrapped label's tail.
_LEVEL_CHARS = set("".join(LEVEL1_NAMES | LEVEL2_NAMES) + "绩效标准")
_LEVEL_ONLY = re.compile(f"[{''.join(sorted(_LEVEL_CHARS))}]*")
_AS_WRITTEN = frozenset({"deviation", "weight", "score"})
_SENTENCE_END = ("。", "；", ";", ".", "！", "？")
PERIOD_RE = re.compile(r"(\d{4})年(\d{1,2})月至(\d{4})年(\d{1,2})月")


def detect_kind(lines: list[DumpLine], previous: Document | None) -> str | None:
    """Given a form's lines, return its kind: from its title, else from the labels only
    one kind has, else the kind of the form before it."""
    for line in lines:
        match = TITLE.fullmatch(line.first_key) if is_title(line) else None
        if match:
            return KIND_BY_TITLE[match.group(1)]
    keys = {key for line in lines for key in line.keys}
    if keys & {"项目性质", "年度资金申请总额", "计划开始日期"}:
        return "target"
    if any(PERIOD_RE.search(k) or k.startswith("跟踪期") for k in keys):
        return "tracking"
    if keys & {"总分", "评分等级", "得分"}:
        return "selfeval"
    return previous.kind if previous else None


@dataclass(slots=True)
class _Row:
    """An indicator as read so far, with the tab position of each of its cells (for
    fragments that continue a cell on the next line)."""

    indicator: Indicator
    fields_at: dict[int, str]


class FormReader:
    """Reads the lines of one form in order (`feed`), keeping what each holds, and
    gives the document at the end (`document`)."""

    def __init__(self, file: str, kind: str, lines: list[DumpLine]):
        self.file, self.kind, self.lines = file, kind, lines
        self.values: dict[str, Any] = {}
        self.funding = {key: FundingRow() for key in ("total", "fiscal", "carryover", "other")}
        self.columns: list[tuple[int, str]] = []  # funding header: (position, column)
        self.goals = Goals()
        self.goal_heads: dict[str, int] = {}  # planned/actual → header position
        self.section: str | None = None
        self.rows: list[_Row] = []
        self.level1: str | None = None
        self.level2: str | None = None
        self.pending: dict[str, str] = {}  # the head of a cell split by a page break
        self.outlook: Outlook | None = None
        self.warnings: list[ParseWarning] = []
        self.line_of: dict[str, DumpLine] = {}  # field → the line it was read from
        self.explanation: list[tuple[int, str, str]] = []
        # an indicator's planned/actual/deviation when empty: "" where this kind of
        # form has the column, None where it has not
        has = "" if kind != "target" else None
        self.empty_cells = ("" if kind == "tracking" else None, has, has)

    # ------------------------------------------------------------ bookkeeping

    def read(self, line: DumpLine, what: str) -> None:
        self.explanation.append((line.no, what, line.raw))

    def warn(self, line: DumpLine, reason: str) -> None:
        self.warnings.append(ParseWarning(line.no, line.raw.strip(), reason))
        self.explanation.append((line.no, f"warning: {reason}", line.raw.strip()))

    # ------------------------------------------------------------ rows

    def feed(self, line: DumpLine) -> None:
        """Read one line of the form into the fields it holds."""
        keys = line.keys
        if len(keys) == 1 and is_title(line):
            self.read(line, "title")
            return
        if len(keys) == 1 and is_year(line):
            self.values["year"] = int(YEAR.fullmatch(line.first_key).group(1))  # type: ignore[union-attr]
            self.read(line, "year")
            return
        if line.first_key.startswith(PERIOD_LABEL):
            self._period(line)
            return
        roles = {ROLES[k] for k in keys if k in ROLES} if not ROLES.keys().isdisjoint(keys) else set()
        if line.has_partial_label:
            funding = any(k.startswith(("预算执行情况", "项目资金(")) or k == "项目资金" for k in keys)
            roles.add("funding header" if funding else "tail")
        if not roles:
            self._unlabelled(line, keys)
        elif "field" in roles:
            self._labelled_fields(line, keys)
        elif "funding header" in roles:
            self._funding_header(line, keys)
        elif "funding row" in roles and self.section == "funding":
            self._funding_row(line, keys)
        elif "indicator head" in roles and "一级指标" in keys and "三级指标" in keys:
            self.section = "indicators"
            self.read(line, "indicator table header")
        elif "tail" in roles and self._tail(line, keys):
            pass
        elif "goal head" in roles and all(k in GOAL_LABELS for k in keys):
            self._goal_header(line, keys)
        else:
            self._unlabelled(line, keys)

    def _unlabelled(self, line: DumpLine, keys: list[str]) -> None:
        """A line without a label of its own: goal text or an indicator, by section."""
        if self.section == "goals":
            self._goal_text(line, keys)
        elif self.section == "indicators":
            self._indicator(line, keys)
        else:
            self.warn(line, "not a row of this form")

    def _period(self, line: DumpLine) -> None:
        match = PERIOD_RE.search("".join(label_key(t) for t in line.texts))
        if not match:
            self.warn(line, "跟踪时段 without a readable period")
            return
        y1, m1, y2, m2 = (int(g) for g in match.groups())
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            self.warn(line, "跟踪时段 with a month that does not exist")
            return
        self.values["period"] = Period(f"{y1}-{m1:02d}", f"{y2}-{m2:02d}")
        self.values["year"] = y2
        self.read(line, "period")

    def _labelled_fields(self, line: DumpLine, keys: list[str]) -> None:
        """项目名称 / 主管部门 / … rows: each label followed by its value."""
        read, used = [], set()
        texts = line.texts
        for i, key in enumerate(keys):
            name = FIELD_LABELS.get(key)
            if name is None:
                continue
            has_value = i + 1 < len(keys) and keys[i + 1] not in FIELD_LABELS
            self.values[name] = texts[i + 1] if has_value else None
            self.line_of[name] = line
            read.append(name)
            used |= {i, i + 1} if has_value else {i}
        unread = [text for i, text in enumerate(texts) if i not in used]
        self.read(line, ", ".join(read))
        if unread:
            self.warn(line, f"cells without a label: {' | '.join(unread)}")

    def _funding_header(self, line: DumpLine, keys: list[str]) -> None:
        self.section = "funding"
        head = next(k for k in keys if k.startswith(("预算执行情况", "项目资金")))
        self.values["amount_unit"] = "元" if "(元)" in head else "万元"
        self.columns = [(pos, FUNDING_COLUMNS[k]) for (pos, _), k in zip(line.cells, keys)
                        if k in FUNDING_COLUMNS]
        self.read(line, "funding header")
        if any(k in FUNDING_ROWS for k in keys):  # the target form's first row shares the line
            self._funding_row(line, keys)

    def _funding_row(self, line: DumpLine, keys: list[str]) -> None:
        last_label = max(i for i, k in enumerate(keys) if k in FUNDING_ROWS)
        row_key = FUNDING_ROWS[keys[last_label]]
        values = line.cells[last_label + 1:]
        row = self.funding[row_key]
        for column, text in self._place_funding(values, line):
            try:
                setattr(row, column, parse_decimal(text, ""))
            except InputError:
                self.warn(line, f"funding {column}: {text!r} is not a number")
        self.read(line, f"funding.{row_key}")

    def _place_funding(self, values: list[tuple[int, str]], line: DumpLine) -> list[tuple[str, str]]:
        """Match a funding row's values to columns: by position where they sit under the
        header's labels, else by order (the header's, or the usual one where the header
        lost a column)."""
        at = dict(self.columns)
        if self.kind == "target":
            return [("budget", values[0][1])] if values else []
        if at and all(pos in at for pos, _ in values):
            return [(at[pos], text) for pos, text in values]
        columns = [column for _, column in self.columns]
        texts = [text for _, text in values]
        if len(texts) != len(columns):
            canonical = CANONICAL_COLUMNS[self.kind]
            if len(texts) == len(canonical):
                columns = list(canonical)
            else:
                self.warn(line, f"{len(texts)} values under {len(columns)} funding columns: read in order")
        return list(zip(columns, texts))

    def _goal_header(self, line: DumpLine, keys: list[str]) -> None:
        self.section = "goals"
        for (pos, _), key in zip(line.cells, keys):
            if key in GOAL_HEADS and not (key == "年度总体目标" and self.kind != "target"):
                self.goal_heads.setdefault(GOAL_HEADS[key], pos)
        self.goals = Goals("", "" if self.kind != "target" else None)
        self.read(line, "goals header")

    def _goal_text(self, line: DumpLine, keys: list[str]) -> None:
        texts = [(pos, t) for (pos, t), k in zip(line.cells, keys) if k not in GOAL_LABELS]
        if not texts:
            self.read(line, "goals label")
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
            self.warn(line, "more goal texts than goal columns: " + " | ".join(t for _, t in texts[len(names):]))
        self.read(line, "goals." + "/".join(names[:len(texts)]))
        self.section = "goals-read"

    # ------------------------------------------------------------ the tail rows

    def _tail(self, line: DumpLine, keys: list[str]) -> bool:
        """总分, 评分等级, 总体判断 and 纠偏措施 rows; False when the line is none of them."""
        texts = line.texts
        if "总分" in keys:
            numbers = [t for t in texts[keys.index("总分") + 1:] if _NUMBER.fullmatch(t)]
            self.values["total_score"] = parse_decimal(numbers[-1], "") if numbers else None
            self.read(line, "total_score")
        elif "评分等级" in keys:
            rest = texts[keys.index("评分等级") + 1:]
            self.values["grade"] = rest[0] if rest else None
            self.read(line, "grade")
        elif any("完成可能性" in k for k in keys) or "绩效跟踪总体判断" in keys:
            self._outlook(line, keys)
        elif keys[0] == "纠偏措施":
            self.values["corrective"] = " ".join(texts[1:])
            self.read(line, "corrective")
        else:
            return False
        self.section = "tail"
        return True

    def _outlook(self, line: DumpLine, keys: list[str]) -> None:
        self.outlook = self.outlook or Outlook()
        read = []
        for i, key in enumerate(keys):
            name = "budget" if "预算完成可能性" in key else "goals" if "目标完成可能性" in key else None
            if name and i + 1 < len(keys):
                setattr(self.outlook, name, line.texts[i + 1])
                read.append(f"outlook.{name}")
        self.read(line, ", ".join(read) or "outlook label")

    # ------------------------------------------------------------ indicators

    def _indicator(self, line: DumpLine, keys: list[str]) -> None:
        cells, cell_keys = line.cells, keys
        if not INDICATOR_LABELS.isdisjoint(keys):
            kept = [(cell, k) for cell, k in zip(cells, keys) if k not in INDICATOR_LABELS]
            cells, cell_keys = [cell for cell, _ in kept], [k for _, k in kept]
        if len(cells) <= 3 and self._is_fragment(cells, cell_keys):
            self._fragment(line, cells)
            return
        levels, rest = self._split_levels(cells, cell_keys)
        if not rest or (_VALUE.fullmatch(rest[0][1]) and not levels):
            self.warn(line, "a row of values without an indicator name: not read as an indicator")
            return
        self._set_levels(levels)
        indicator = self._new_indicator()
        row = _Row(indicator, {})
        name_pos, indicator.name = rest[0]
        row.fields_at[name_pos] = "name"
        for pos, name, text in self._place_values(rest[1:], name_pos, line):
            row.fields_at[pos] = name
            if name not in ("weight", "score"):
                setattr(indicator, name, text)
                continue
            try:
                setattr(indicator, name, parse_decimal(text, ""))
            except InputError:
                self.warn(line, f"{name}: {text!r} is not a number: left empty")
        if self.pending:
            for name, head in self.pending.items():
                setattr(indicator, name, head + (getattr(indicator, name) or ""))
            self.pending.clear()
        self.rows.append(row)
        self.read(line, f"indicators[{len(self.rows) - 1}]")

    @staticmethod
    def _is_fragment(cells: list[tuple[int, str]], keys: list[str]) -> bool:
        """A short line that is no indicator: fewer than two cells that are not tails of
        level names, and no value among them."""
        plain = [k for k in keys if not _LEVEL_ONLY.fullmatch(k)]
        return len(plain) < 2 and not any(_VALUE.fullmatch(text) for _, text in cells)

    def _new_indicator(self) -> Indicator:
        """An indicator at the current levels, its cells empty."""
        planned, actual, deviation = self.empty_cells
        return Indicator(self.level1, self.level2, None, "", planned, actual, None, None, deviation)

    def _split_levels(self, cells: list[tuple[int, str]],
                      keys: list[str]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """Given an indicator row's cells, return its level cells as (position, name
        completed where cut off) and the cells after them. A cell counts as a level only
        while enough cells remain for a name and a value."""
        levels: list[tuple[int, str]] = []
        i, last = 0, len(cells) - 2  # keep two cells: the name and a value
        while i < last and len(levels) < 3:
            name = self._level_name(keys[i], levels[-1][1] if levels else None)
            if name is None:
                break
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
        child_here = name in HIERARCHY.get(self.level1 or "", ()) and pos > 0
        if name in LEVEL1_NAMES and not child_here:
            if name != self.level1:
                self.level2 = None
            self.level1 = name
        else:
            self.level2 = name
            if self.level1 is None or name not in HIERARCHY.get(self.level1, ()):
                self.level1 = parent_of(name) or self.level1

    def _place_values(self, cells: list[tuple[int, str]], name_pos: int,
                      line: DumpLine) -> list[tuple[int, str, str]]:
        """Given the cells after an indicator's name, return (position, field, text)."""
        if self.kind == "target":
            placed = [(cells[0][0], "target", cells[0][1])]
            extra = cells[1:]
        elif self.kind == "selfeval":
            placed, extra = _place_selfeval(cells, name_pos)
        else:
            placed, extra = _by_offset(cells, name_pos, ("target", "planned", "actual", "deviation"))
        if extra:
            self.warn(line, "cells beyond the indicator's columns: " + " | ".join(t for _, t in extra))
        # targets and values written apart are closed up ("≥ 240.00 (天)"); texts stay
        return [(pos, name, close_value(text) if " " in text and name not in _AS_WRITTEN else text)
                for pos, name, text in placed]

    def _fragment(self, line: DumpLine, cells: list[tuple[int, str]]) -> None:
        """A line too short to be an indicator: the tail of a wrapped label (reported),
        or the end of a cell the page broke (joined to that cell)."""
        joined = []
        for pos, text in cells:
            if _level_chars_only(text):
                continue
            previous = self.rows[-1] if self.rows else None
            name = previous.fields_at.get(pos) if previous else None
            if previous is None or name is None or name in ("weight", "score"):
                continue  # a number is never continued on the next line
            current = getattr(previous.indicator, name) or ""
            if current.endswith(_SENTENCE_END):
                # the cell's first part ends the page; the row itself is on the next
                self.pending[name] = self.pending.get(name, "") + text
            else:
                setattr(previous.indicator, name, current + text)
            joined.append(name)
        if joined:
            self.read(line, "continues " + ", ".join(sorted(set(joined))))
        else:
            self.warn(line, "fragment of a wrapped label or cell: not read")

    # ------------------------------------------------------------ result

    def document(self, previous: Document | None) -> Document:
        values = dict(self.values)
        first, last = self.lines[0].no, self.lines[-1].no
        if "year" not in values:
            if previous is None:
                raise InputError(self.file, f"line {first}", "form without a year or 跟踪时段 line")
            values["year"], values["period"] = previous.year, previous.period
            self.warnings.append(ParseWarning(first, "", f"no year line: took {previous.year} from the form before"))
        if not values.get("project"):
            raise InputError(self.file, f"line {first}", "form without a 项目名称")
        for key in ("start_date", "end_date"):
            try:
                values[key] = parse_date(values.get(key), key)
            except InputError as exc:
                line = self.line_of[key]
                self.warnings.append(ParseWarning(line.no, line.raw.strip(), f"{exc}: left empty"))
                values[key] = None
        tracking = self.kind == "tracking"
        return Document(
            kind=self.kind, year=values["year"], project=values["project"],
            period=values.get("period") if tracking else None,
            department=values.get("department"), unit=values.get("unit"),
            nature=values.get("nature"), category=values.get("category"),
            start_date=values.get("start_date"), end_date=values.get("end_date"),
            amount_unit=values.get("amount_unit", "万元"), funding=Funding(**self.funding),
            goals=self.goals, indicators=[row.indicator for row in self.rows],
            total_score=values.get("total_score"), grade=values.get("grade"),
            outlook=(self.outlook or Outlook()) if tracking else None,
            corrective=values.get("corrective") if tracking else None,
            source=Source(Path(self.file).name, first, last), warnings=self.warnings,
        )


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


def read_form(file: str, lines: list[DumpLine], previous: Document | None) -> tuple[Document, list[tuple[int, str, str]]]:
    """Given one form's lines, return its document and how each line was read."""
    kind = detect_kind(lines, previous)
    if kind is None:
        first = lines[0].no
        raise InputError(file, f"line {first}", "cannot tell which form this is (no title)")
    reader = FormReader(file, kind, lines)
    for line in lines:
        reader.feed(line)
    return reader.document(previous), reader.explanation
