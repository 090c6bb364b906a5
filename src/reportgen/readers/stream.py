"""A whole form on one line → rows: a PDF's text as it comes in stream order.

Copied out of some PDFs, a form's text is one run of words in the order the PDF drew
them: labels, values and columns interleaved (`… 算费用 项目名称 主管部门 上海市普陀区
体育局 年初预算数 …`). Only what can be placed safely is read, and the form's own
arithmetic is the test of "safely":

- a header label's value is the run of words right after it, else right before it;
- the funding total is the pair (全年预算数, 全年执行数) whose quotient is the printed
  执行率, with the 分值 and 得分 that agree with it (得分 = 执行率 × 分值);
- the indicators are the runs of (指标值, 实际完成值, 分值, 得分) in row order, named by
  the names between the levels in the same order, and given their levels when there
  are as many 二级 names as indicators; 总分 is read when it is the sum of the scores.

The rebuilt rows go to the recogniser like any other source's. What is not placed is
reported, never guessed: the funding rows other than the total, and every word left
over, in a row the recogniser turns into a warning.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Iterable, Iterator

from ..normalize import label_key
from ..rules import parent_of
from .labels import (FIELD_LABELS, FUNDING_COLUMNS, FUNDING_HEAD, GOAL_LABELS,
                     INDICATOR_COLUMNS, INDICATOR_HEADS, INDICATOR_LABELS, LEVEL1_NAMES,
                     LEVEL2_NAMES, ROW_LABELS, TITLE, YEAR, column_key, without_weight)
from .rows import Row, row_of
from .text import split_at_spaces

_RATE = re.compile(r"[+-]?\d+(?:\.\d+)?%")
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_OPERATORS = ("=", "≥", "≤", ">", "<")
_PAGE_NUMBER = re.compile(r"-\d+-|第\d+页(?:共\d+页)?")
_MIN_LABELS = 4  # a line with fewer distinct row labels is not a form in stream order
_RATE_TOLERANCE = Decimal("0.05")  # percentage points: the printed rate is rounded
_SCORE_TOLERANCE = Decimal("0.01")
UNPLACED = "words of a PDF's text in stream order that could not be placed safely"


def stream_rows(rows: Iterable[Row]) -> Iterator[Row]:
    """Given a text's rows, return them with each form in stream order rebuilt as rows;
    other rows pass unchanged."""
    for row in rows:
        words = split_at_spaces(" ".join(row.texts)) if len(row.cells) == 1 else []
        if len({_key(w) for w in words} & ROW_LABELS) >= _MIN_LABELS:
            for form in _forms(words):
                yield from _Form(row.no, form).rows()
        else:
            yield row


def _key(word: str) -> str:
    return without_weight(column_key(label_key(word)))


def _forms(words: list[str]) -> list[list[str]]:
    """The words of each form: a form starts at a title."""
    forms: list[list[str]] = [[]]
    for word in words:
        if TITLE.fullmatch(_key(word)) and forms[-1]:
            forms.append([])
        forms[-1].append(word)
    return forms


def _number(word: str) -> Decimal | None:
    try:
        return Decimal(word.replace(",", "").rstrip("%"))
    except InvalidOperation:
        return None


class _Form:
    def __init__(self, no: int, words: list[str]):
        self.no = no
        self.words = [w for w in words if not _PAGE_NUMBER.fullmatch(w)]
        self.keys = [_key(w) for w in self.words]
        self.used: set[int] = set()
        self.funding_score: Decimal | None = None  # the funding 得分, once placed

    def _row(self, *cells: str | None) -> Row:
        row = row_of(self.no, list(enumerate(c or "" for c in cells)))
        assert row is not None
        return row

    def _take(self, *indices: int) -> None:
        self.used.update(indices)

    def _is_label(self, i: int) -> bool:
        key = self.keys[i]
        return (key in ROW_LABELS or key in FUNDING_COLUMNS or key in INDICATOR_HEADS
                or key in INDICATOR_LABELS or key in LEVEL1_NAMES or key in LEVEL2_NAMES
                or bool(FUNDING_HEAD.match(key)) or bool(TITLE.fullmatch(key))
                or bool(YEAR.fullmatch(key)))

    def _is_text(self, i: int) -> bool:
        return not self._is_label(i) and _number(self.words[i]) is None and i not in self.used

    # ------------------------------------------------------------ the rows

    def rows(self) -> Iterator[Row]:
        if self.words and TITLE.fullmatch(self.keys[0]):
            self._take(0)
            yield self._row(self.words[0])
        years = [i for i, k in enumerate(self.keys) if YEAR.fullmatch(k)]
        if years:
            self._take(years[0])
            yield self._row(self.words[years[0]])
        yield from self._fields()
        yield from self._funding()
        yield from self._goals()
        yield from self._indicators()
        left = [w for i, w in enumerate(self.words) if i not in self.used]
        if left:
            row = row_of(self.no, [(0, " ".join(left))])
            assert row is not None
            row.unread = UNPLACED
            yield row

    def _run(self, start: int, step: int) -> list[int]:
        """The words of text from `start` on, forwards or backwards, up to a label or a
        number."""
        run, i = [], start
        while 0 <= i < len(self.words) and self._is_text(i):
            run.append(i)
            i += step
        return run if step > 0 else run[::-1]

    def _fields(self) -> Iterator[Row]:
        """项目名称, 主管部门, 实施单位 …: the words right after the label, else before it."""
        for i, key in enumerate(self.keys):
            if key not in FIELD_LABELS or i in self.used:
                continue
            run = self._run(i + 1, 1) or self._run(i - 1, -1)
            self._take(i, *run)
            yield self._row(self.words[i], _joined([self.words[j] for j in run]))

    def _funding(self) -> Iterator[Row]:
        """The funding head, and the total row when the form's arithmetic places it."""
        end = next((i for i, k in enumerate(self.keys) if k == "一级指标"), len(self.words))
        heads = [i for i in range(end) if self.keys[i] in FUNDING_COLUMNS and i not in self.used]
        if not heads:
            return
        columns = [FUNDING_COLUMNS[self.keys[i]] for i in heads]
        head = next((i for i in range(end) if FUNDING_HEAD.match(self.keys[i])), None)
        unit = [self.words[head]] if head is not None else ["项目资金"]
        zone = [i for i in range(heads[-1] + 1, end) if i not in self.used]
        total = self._total(zone, columns)
        self._take(*heads, *([head] if head is not None else []))
        yield self._row(unit[0], *[self.words[i] for i in heads])
        if total:
            label = next((i for i in zone if self.keys[i] in ("年度资金总额", "年度资金申请总额")), None)
            if label is not None:
                self._take(label)
            self._take(*total.values())
            yield self._row("年度资金总额", *[self.words[total[c]] if c in total else "" for c in columns])

    def _total(self, zone: list[int], columns: list[str]) -> dict[str, int]:
        """The total row's cells by column, where 执行数 ÷ 预算数 is the printed 执行率."""
        rates = [i for i in zone if _RATE.fullmatch(self.words[i])]
        amounts = [i for i in zone if _AMOUNT.fullmatch(self.words[i])]
        for r in rates:
            rate = _number(self.words[r])
            if not rate:  # 0%: any zero would fit any budget, nothing is placed by it
                continue
            for e in amounts:
                executed = _number(self.words[e])
                # the nearest budget before it whose quotient is the rate
                for b in reversed(amounts[:amounts.index(e)]):
                    budget = _number(self.words[b])
                    if not budget or executed is None or executed > budget \
                            or abs(executed / budget * 100 - rate) > _RATE_TOLERANCE:  # type: ignore[operator]
                        continue
                    found = {"budget": b, "executed": e, "rate": r}
                    found.update(self._weight_and_score(amounts, rate, {b, e}))  # type: ignore[arg-type]
                    if "score" in found:
                        self.funding_score = _number(self.words[found["score"]])
                    before = amounts.index(b) - 1
                    if before >= 0 and amounts[before] == zone[0] and "initial" in columns:
                        found["initial"] = amounts[before]
                    return {c: i for c, i in found.items() if c in columns}
        return {}

    def _weight_and_score(self, amounts: list[int], rate: Decimal, taken: set[int]) -> dict[str, int]:
        for w in amounts:
            weight = _number(self.words[w])
            if w in taken or weight is None or not 0 < weight <= 100 or weight != weight.to_integral():
                continue
            for s in amounts:
                score = _number(self.words[s])
                if s not in taken and s != w and score is not None \
                        and abs(weight * rate / 100 - score) <= _SCORE_TOLERANCE:
                    return {"weight": w, "score": s}
        return {}

    def _goals(self) -> Iterator[Row]:
        """预期目标 and 实际完成情况: the text right after each."""
        texts = {}
        for i, key in enumerate(self.keys):
            if key in ("预期目标", "实际完成情况", "跟踪期实际完成情况") and i not in self.used:
                run = self._run(i + 1, 1)
                self._take(i, *run)
                texts[key] = _joined([self.words[j] for j in run])
        for i, key in enumerate(self.keys):
            if key in GOAL_LABELS and i not in self.used and key not in texts:
                self._take(i)
        if any(texts.values()):
            yield self._row("预期目标", "实际完成情况")
            yield self._row(texts.get("预期目标", ""), texts.get("实际完成情况") or texts.get("跟踪期实际完成情况", ""))

    def _indicators(self) -> Iterator[Row]:
        start = next((i for i, k in enumerate(self.keys) if k == "一级指标"), None)
        if start is None:
            return
        end = next((i for i in range(start, len(self.keys)) if self.keys[i] == "总分"), len(self.words))
        zone = [i for i in range(start, end) if i not in self.used]
        heads = [i for i in zone if self.keys[i] in INDICATOR_HEADS]
        columns = [INDICATOR_COLUMNS[self.keys[i]] for i in heads if self.keys[i] in INDICATOR_COLUMNS]
        values, after = self._value_rows(zone, columns)
        level2 = [i for i in zone if self.keys[i] in LEVEL2_NAMES and i not in self.used]
        in_values = {i for cells in values for i in cells}
        names = self._names([i for i in zone if i not in in_values and i not in heads and i not in level2])
        self._take(*heads, *[i for i in zone if self.keys[i] in INDICATOR_LABELS | LEVEL1_NAMES])
        yield self._row("一级指标", "二级指标", "三级指标", *[self.words[i] for i in heads
                                                           if self.keys[i] in INDICATOR_COLUMNS])
        if values and len(values) != len(names):
            values = []  # the rows cannot be told apart: none is read
        with_levels = len(level2) == len(names)
        scores = []
        for k, name in enumerate(names):
            self._take(*name)
            cells = [self.words[j] for j in values[k]] if values else []
            self._take(*(values[k] if values else []))
            level = self.keys[level2[k]] if with_levels else None
            if with_levels:
                self._take(level2[k])
            yield self._row(parent_of(level) if level else None, level,
                            _joined([self.words[j] for j in name]), *cells)
            if "score" in columns and cells:
                scores.append(_number(cells[columns.index("score")]))
        yield from self._total_score(end, after, scores)

    def _value_rows(self, zone: list[int], columns: list[str]) -> tuple[list[list[int]], list[int]]:
        """Runs of (指标值, 实际完成值, 分值, 得分): as many cells as the head has columns
        before 偏差原因分析, the last two of them numbers; and the words after them."""
        width = len([c for c in columns if c != "deviation"])
        if width < 3 or columns[width - 2:width] != ["weight", "score"]:
            return [], []
        free = [i for i in zone if not self._is_label(i)]
        k = next((n for n, i in enumerate(free) if _number(self.words[i]) is not None
                  or self.words[i].startswith(_OPERATORS)), len(free))
        rows: list[list[int]] = []
        while k + width <= len(free):
            cells = free[k:k + width]
            if _number(self.words[cells[-1]]) is None or _number(self.words[cells[-2]]) is None:
                break
            rows.append(cells)
            k += width
        return rows, free[k:]

    def _names(self, indices: list[int]) -> list[list[int]]:
        """The indicator names: words of text, one of one or two characters (`率`) the
        end of the name before it, cut at a line of its cell."""
        names: list[list[int]] = []
        for i in indices:
            if not self._is_text(i):
                continue
            if names and len(self.words[i]) <= 2:
                names[-1].append(i)
            else:
                names.append([i])
        return names

    def _total_score(self, end: int, after: list[int], scores: list[Decimal | None]) -> Iterator[Row]:
        """总分: the number after the scores' runs that is their sum with the funding 得分,
        the 分值 total before it."""
        if end >= len(self.words):
            return
        self._take(end)
        numbers = [i for i in after if _number(self.words[i]) is not None]
        if scores and None not in scores and self.funding_score is not None:
            total = sum((s for s in scores if s is not None), self.funding_score)
            for n, i in enumerate(numbers):
                if abs(_number(self.words[i]) - total) <= _SCORE_TOLERANCE:  # type: ignore[operator]
                    weights = numbers[max(0, n - 1):n]
                    self._take(i, *weights)
                    yield self._row("总分", *[self.words[j] for j in weights], self.words[i])
                    return
        yield self._row("总分")


def _joined(words: list[str]) -> str:
    """Words of one cell, as a PDF cut it over lines: CJK pieces closed up."""
    text = ""
    for word in words:
        text += ("" if not text or text[-1] >= "\u2e80" or word[0] >= "\u2e80" else " ") + word
    return text
