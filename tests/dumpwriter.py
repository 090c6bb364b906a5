"""A test helper: write a document as a legacy dump in the seeds' style (tab-separated
cells, as text comes out of the published PDFs), with the quirks of docs/dump-quirks.md as
options, so the reader can be checked by round trip.

The writer builds the form once, as rows of cells on the form's grid; a merged cell
leaves its covered slots as `LEFT` (covered by the cell to its left) or `UP` (covered by
the cell above), which print as empty cells. A layout then renders those rows
(docs/dump-quirks.md, readers/text.py):

- `tabs`: a row per line, cells separated by tabs (the seeds);
- `pipes`: a row per line, `a | b | c |`, an empty or covered cell empty between pipes;
- `spaces`: a row per line, cells separated by runs of 2–4 spaces, as text laid out by
  columns: an empty cell widens the run, leading ones indent the line, trailing ones
  vanish;
- `cells`: one cell per line and a blank line after each, as a Word table copied cell
  by cell: a cell merged across columns comes once; one merged down rows comes on its
  first row and as an empty cell on each row below; an empty cell is a line holding one
  space;
- `html`: a web page: the title and year (or period) lines as `<p>`, the form as one
  `<table>` whose merged cells carry real `rowspan`/`colspan`; a row's last cell spans
  to the table's right edge.

Quirks by layout: `shift` moves rows of tab text only (other layouts ignore it);
`broken_levels` (a cell cut by a page break) applies to the text layouts copied from a
PDF (tabs, pipes, spaces) and is ignored by `cells` and `html`, whose tables have no
pages; `markdown` (the title as a heading) is ignored by `html`. `wrap_labels`,
`latex`, `thousands` and `missing_title` apply to every layout.
"""
from __future__ import annotations

import html
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from reportgen.layout import format_number
from reportgen.model import Document, Indicator, decimal_places, format_decimal
from reportgen.rules import HIERARCHY, LEVEL1_NAMES, LEVEL2_NAMES

TITLES = {"target": "财政项目支出绩效目标申报表", "tracking": "财政项目支出绩效跟踪表",
          "selfeval": "财政项目支出绩效自评表"}
FUNDING_LABELS = (("total", "年度资金总额"), ("fiscal", "其中：当年财政拨款"),
                  ("carryover", "上年结转资金"), ("other", "其他资金"))
LAYOUTS = ("tabs", "pipes", "spaces", "cells", "html")
# The layouts of a table with a true grid (no page breaks, a merged cell as one cell).
GRID_LAYOUTS = ("cells", "html")


@dataclass(frozen=True)
class Quirks:
    shift: bool = False  # rows start 0–2 cells further right, each its own way (tabs only)
    wrap_labels: bool = False  # labels wrapped in their cells: "当年财政 拨款"
    broken_levels: bool = False  # a 二级 name cut by the page, its tail on a later line
    latex: bool = False  # targets as OCR writes them: "$\geq 90.00(\%)$"
    thousands: bool = False  # amounts with thousands separators
    missing_title: bool = False
    markdown: bool = False  # the title as a markdown heading (not in html)
    seed: int = 0
    layout: str = "tabs"  # one of LAYOUTS (see the module docstring)


class _Covered(str):
    """An empty slot of a merged cell (prints as an empty cell)."""

    def __repr__(self) -> str:
        return "LEFT" if self is LEFT else "UP"


LEFT = _Covered("")  # covered by the cell to its left (a colspan)
UP = _Covered("")  # covered by the cell above (a rowspan)

Row = list[str]


def write_dump(doc: Document, quirks: Quirks = Quirks()) -> str:
    """Given a document, return it as a dump of one form in the quirks' layout."""
    if quirks.layout not in LAYOUTS:
        raise ValueError(f"unknown layout {quirks.layout!r} (one of {', '.join(LAYOUTS)})")
    writer = _Writer(doc, quirks)
    return RENDERERS[quirks.layout](writer.header(), writer.rows(), random.Random(quirks.seed))


class _Writer:
    def __init__(self, doc: Document, quirks: Quirks):
        self.doc, self.q = doc, quirks
        self.rng = random.Random(quirks.seed)
        self.grid = quirks.layout in GRID_LAYOUTS

    def row(self, *cells: str | None) -> Row:
        lead = [""] * (self.rng.randint(0, 2) if self.q.shift and self.q.layout == "tabs" else 0)
        return lead + ["" if c is None else c for c in cells]

    def label(self, text: str) -> str:
        if self.q.wrap_labels and len(text) > 3:
            cut = self.rng.randint(1, len(text) - 1)
            return f"{text[:cut]} {text[cut:]}"
        return text

    def amount(self, value: Decimal | None, placeholder: str = "-") -> str:
        if value is None:
            return placeholder
        if self.q.thousands:  # with the decimals it was written with, as old forms print
            return format_number(value, decimal_places(value))
        return format_decimal(value)  # type: ignore[return-value]

    def target(self, text: str | None) -> str:
        match = re.fullmatch(r"([≥≤=])(\d+(?:\.\d+)?)(\(.*\))?", text or "")
        if not (self.q.latex and match):
            return text or ""
        op = {"≥": r"\geq ", "≤": r"\leq ", "=": "= "}[match.group(1)]
        unit = (match.group(3) or "").replace("%", r"\%")
        return f"${op}{match.group(2)}{unit}$"

    def header(self) -> list[str]:
        """The lines above the table: the title (unless missing), the year or period."""
        doc = self.doc
        markdown = self.q.markdown and self.q.layout != "html"
        out = [] if self.q.missing_title else [("## " if markdown else "") + TITLES[doc.kind]]
        if doc.kind == "tracking" and doc.period:
            start, end = (p.split("-") for p in (doc.period.start, doc.period.end))
            out.append(f"跟踪时段：（ {start[0]}年{int(start[1])}月 至 {end[0]}年{int(end[1])}月 ）")
        else:
            out.append(f"({doc.year}年度)")
        return out

    def rows(self) -> list[Row]:
        """The form's table, row by row, on its grid."""
        return getattr(self, f"_{self.doc.kind}")()

    # ------------------------------------------------------------ kinds

    def _tracking(self) -> list[Row]:
        d = self.doc
        out = [self.row("项目名称", LEFT, d.project),
               self.row("主管部门", LEFT, d.department, LEFT, LEFT, "实施单位", d.unit),
               self.row(self.label("预算执行情况") + f" ({d.amount_unit})", LEFT, "", LEFT, LEFT,
                        "年初预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)")]
        for key, name in FUNDING_LABELS:
            f = getattr(d.funding, key)
            out.append(self.row(UP, UP, self.label(name), LEFT, LEFT,
                                *(self.amount(v) for v in (f.initial, f.budget, f.executed, f.rate))))
        # 绩效指标 is merged down the head and indicator rows; copied out of a PDF its
        # text lands on the first indicator row, in a true grid it starts at the head.
        lead = "绩效 指标"
        out += [self.row(self.label("年度总体目标"), "预期目标", LEFT, LEFT, LEFT, "跟踪期实际完成情况"),
                self.row(UP, d.goals.planned, LEFT, LEFT, LEFT, d.goals.actual),
                self.row(lead if self.grid else "", "一级指标", "二级指标", "三级指标", "年度指标值",
                         "跟踪期 计划完成值", "跟踪期 实际完成值", "偏差原因分析")]
        out += self._indicators(lambda i: (i.name, self.target(i.target), i.planned, i.actual, i.deviation),
                                lead=UP if self.grid else lead)
        outlook = d.outlook
        out += [self.row("绩效跟踪 总体判断", LEFT, self.label("年度项目预算完成可能性"), outlook.budget if outlook else ""),
                self.row(UP, UP, self.label("年度绩效目标完成可能性"), outlook.goals if outlook else ""),
                self.row("纠偏措施", LEFT, d.corrective)]
        return out

    def _selfeval(self) -> list[Row]:
        d = self.doc
        out = [self.row("项目名称", LEFT, d.project),
               self.row("主管部门", d.department, LEFT, LEFT, "实施单位", d.unit),
               self.row(f"项目资金 ({d.amount_unit})", "", "年初预算数", "全年预算数", "全年执行数",
                        "分数", "执行率(%)", "得分")]
        for key, name in FUNDING_LABELS:
            f = getattr(d.funding, key)
            out.append(self.row(UP, self.label(name), *(self.amount(v) for v in (
                f.initial, f.budget, f.executed, f.weight, f.rate, f.score))))
        out += [self.row(self.label("年度总体目标"), "预期目标", LEFT, LEFT, "实际完成情况"),
                self.row(UP, d.goals.planned, LEFT, LEFT, d.goals.actual),
                self.row("一级 指标", "二级 指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                         "偏差原因分析 及改进措施")]
        out += self._indicators(lambda i: (i.name, self.target(i.target), i.actual,
                                           format_decimal(i.weight), format_decimal(i.score), i.deviation))
        weights = [w for w in [d.funding.total.weight] + [i.weight for i in d.indicators] if w is not None]
        out.append(self.row("总分", LEFT, LEFT, LEFT, format_decimal(sum(weights, Decimal(0))) if weights else "",
                            format_decimal(d.total_score)))
        if d.grade is not None:
            out.append(self.row("评分等级", d.grade))
        return out

    def _target(self) -> list[Row]:
        d, f = self.doc, self.doc.funding
        out = [self.row("项目名称", d.project, "项目性质", d.nature, "项目类别", d.category),
               self.row("主管部门", d.department, "实施单位", d.unit),
               self.row("计划开始日期", d.start_date, "计划完成日期", d.end_date),
               self.row(f"项目资金 ({d.amount_unit})", "项目资金总额", LEFT, "年度资金申请总额", self.amount(f.total.budget)),
               self.row(UP, "其中：财政资金", LEFT, self.label("其中：当年财政拨款"), self.amount(f.fiscal.budget)),
               self.row(UP, UP, UP, "上年结转资金", self.amount(f.carryover.budget)),
               self.row(UP, "其他资金", LEFT, "其他资金", self.amount(f.other.budget)),
               self.row(self.label("项目绩效目标"), "项目总目标", LEFT, "年度总体目标"),
               self.row(UP, "", LEFT, d.goals.planned),
               self.row("一级指标", "二级指标", "三级指标", LEFT, "年度(/项目)指标值")]
        out += self._indicators(lambda i: (i.name, LEFT, self.target(i.target)))
        return out

    # ------------------------------------------------------------ indicator rows

    def _indicators(self, values: Callable[[Indicator], tuple[str | None, ...]],
                    lead: str | None = None) -> list[Row]:
        """Indicator rows with 一级/二级 written on the first row of their run only, as
        merged cells come out of a PDF (the rows below are covered: `UP`); `lead`, a
        label merged down the rows, in a first column on the first row (`UP` when it
        starts above)."""
        out: list[Row] = []
        previous: Indicator | None = None
        for index, indicator in enumerate(self.doc.indicators):
            new1 = previous is None or indicator.level1 != previous.level1
            new2 = new1 or indicator.level2 != previous.level2
            level1 = self.label(indicator.level1 or "") if new1 else UP
            level2 = self.label(indicator.level2 or "") if new2 else UP
            tail = None
            if self.q.broken_levels and not self.grid and new2 and _breakable(indicator):
                level2, tail = indicator.level2[:2], indicator.level2[2:]  # type: ignore[index]
            first = [] if lead is None else [lead if index == 0 else UP]
            out.append(self.row(*first, level1, level2, *values(indicator)))
            if tail:
                out.append(self.row(*[UP] * len(first), UP, tail))
            previous = indicator
        return out


def _breakable(indicator: Indicator) -> bool:
    """A 二级 name whose first two characters still tell it apart from the other names
    (the reader completes it from the hierarchy), under a known 一级."""
    name = indicator.level2 or ""
    names = HIERARCHY.get(indicator.level1 or "", ())
    return (name in LEVEL2_NAMES and name not in LEVEL1_NAMES and len(name) > 2
            and [n for n in names if n.startswith(name[:2])] == [name])


# ---------------------------------------------------------------- layouts

def _text(header: list[str], lines: list[str]) -> str:
    """A dump of text lines: the header lines, each with a blank line after it, then the
    table's lines."""
    return "\n".join([part for line in header for part in (line, "")] + lines) + "\n"


def _tabs(header: list[str], rows: list[Row], rng: random.Random) -> str:
    return _text(header, ["\t".join(row) for row in rows])


def _pipes(header: list[str], rows: list[Row], rng: random.Random) -> str:
    """`合计 | 100 | |||||`: each cell closed by ` |`, empty cells as bare pipes."""
    def line(row: Row) -> str:
        out, after_value = "", False
        for cell in row:
            _check_cell(cell, "|")
            if cell:
                out += f"{' ' if out else ''}{cell} |"
            else:
                out += " |" if after_value else "|"
            after_value = bool(cell)
        return out
    return _text(header, [line(row) for row in rows])


def _spaces(header: list[str], rows: list[Row], rng: random.Random) -> str:
    """Cells separated by runs of 2–4 spaces, as laid out by columns: each empty cell
    widens the run (at the start, indents the line); trailing empty cells vanish."""
    def line(row: Row) -> str:
        while row and not row[-1]:
            row = row[:-1]
        out = ""
        for i, cell in enumerate(row):
            _check_cell(cell, "  ")
            if i:
                out += " " * rng.randint(2, 4)
            out += cell
        return out
    return _text(header, [line(row) for row in rows])


def _cells(header: list[str], rows: list[Row], rng: random.Random) -> str:
    """One cell per line, a blank line after each, as Word gives a table cell by cell:
    a cell merged across columns comes once; one merged down rows comes in full on its
    first row and as an empty cell on each row below; an empty cell is a line of one
    space."""
    lines: list[str] = []
    for row in _merged(rows):
        for cell, starts in row:
            _check_cell(cell.text, "\n")
            lines += [(cell.text if starts else "") or " ", ""]
    return _text(header, lines)


def _html(header: list[str], rows: list[Row], rng: random.Random) -> str:
    """A web page: the header lines as paragraphs, the form as a table with real
    rowspan and colspan."""
    def td(cell: _Merged) -> str:
        spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + \
                (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
        return f"<td{spans}>{html.escape(cell.text, quote=False)}</td>"

    trs = ["<tr>" + "".join(td(cell) for cell, starts in row if starts) + "</tr>" for row in _merged(rows)]
    title = html.escape(header[0], quote=False)
    paragraphs = [f"<p>{html.escape(line, quote=False)}</p>" for line in header]
    return "\n".join(["<!DOCTYPE html>", "<html>",
                      f'<head><meta charset="utf-8"><title>{title}</title></head>', "<body>",
                      *paragraphs, '<table border="1">', *trs, "</table>", "</body>", "</html>"]) + "\n"


@dataclass
class _Merged:
    """A cell of the table with the slots it covers (its first row and column)."""

    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1


def _merged(rows: list[Row]) -> list[list[tuple[_Merged, bool]]]:
    """The writer's rows as merged cells: for each row, in column order, the cells that
    start in it (True) or that are merged down into it from above (False). A row's last
    cell reaches the table's right edge."""
    width = max(len(row) for row in rows)
    owner: dict[tuple[int, int], _Merged] = {}  # slot → the cell covering it
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if isinstance(text, _Covered):
                assert (r, c) in owner, f"row {r}, column {c}: {text!r} under no merged cell"
                continue
            cell = _Merged(text, r, c)
            while c + cell.colspan < len(row) and row[c + cell.colspan] is LEFT:
                cell.colspan += 1
            while r + cell.rowspan < len(rows) and all(
                    c + dc < len(rows[r + cell.rowspan]) and rows[r + cell.rowspan][c + dc] is UP
                    for dc in range(cell.colspan)):
                cell.rowspan += 1
            if c + cell.colspan == len(row) and cell.rowspan == 1:
                cell.colspan = width - c
            owner.update({(r + dr, c + dc): cell for dr in range(cell.rowspan) for dc in range(cell.colspan)})
    return [[(cell, cell.row == r) for c in range(width)
             if (cell := owner.get((r, c))) is not None and cell.column == c]
            for r in range(len(rows))]


def _check_cell(cell: str, separator: str) -> None:
    """A cell must not hold its layout's separator: it would come apart on reading."""
    if separator in cell:
        raise ValueError(f"cell {cell!r} holds {separator!r}, the layout's separator")


RENDERERS: dict[str, Callable[[list[str], list[Row], random.Random], str]] = {
    "tabs": _tabs, "pipes": _pipes, "spaces": _spaces, "cells": _cells, "html": _html}
