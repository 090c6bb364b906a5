"""The layout: merged indicator levels, a consistent grid, numbers as printed, column
widths from the content, and forms fitted to their pages."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SAMPLES, load_sample
from reportgen.layout import format_number, indicator_rows, layout_document
from reportgen.layout.columns import WRAP_SLACK
from reportgen.layout.grid import Cell, Table
from reportgen.layout.measure import MM_PER_PT, cell_extra_mm, lines_of, printable
from reportgen.layout.paginate import plan_breaks, split_table
from reportgen.model import Indicator
from reportgen.readers import read_file

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
ALL_FORMS = [doc for path in SAMPLES + SEEDS for doc in read_file(path).documents]


def levels(*pairs):
    return [Indicator(level1=a, level2=b, name=f"n{i}") for i, (a, b) in enumerate(pairs)]


def test_indicator_levels_merge_over_runs():
    rows = indicator_rows(levels(("产出", "数量"), ("产出", "数量"), ("产出", "质量"),
                                 ("效益", "质量"), ("效益", "社会"), ("满意度", "服务")))
    assert [(r.level1_span, r.level2_span) for r in rows] == \
        [(3, 2), (0, 0), (0, 1), (2, 1), (0, 1), (1, 1)]


def test_no_indicators():
    assert indicator_rows([]) == []


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_each_page_grid_covers_every_slot_exactly_once(path):
    for table in layout_document(load_sample(path)).grid.tables:
        taken = [(r, c) for cell in table.cells
                 for r in range(cell.row, cell.row + cell.rowspan)
                 for c in range(cell.col, cell.col + cell.colspan)]
        assert len(taken) == len(set(taken)) == table.n_rows * table.n_cols
        assert abs(sum(table.widths) - 100) < 0.01
        assert len(table.heights) == table.n_rows


@pytest.mark.parametrize("value, printed", [
    ("13303150.1", "13,303,150.10"), ("130464956.00", "130,464,956.00"),
    ("0.00", "0.00"), ("10", "10.00"), ("-1234.5", "-1,234.50"), ("93.2", "93.20"),
    ("97.545", "97.55"), ("0.005", "0.01"),  # half up, as the forms round
])
def test_amounts_and_scores_print_with_two_decimals(value, printed):
    assert format_number(Decimal(value)) == printed


def test_selfeval_total_row_shows_weight_sum_and_score():
    doc = load_sample(next(p for p in SAMPLES if "xinjiang" in p.stem))
    (table,) = layout_document(doc).grid.tables
    total = next(c for c in table.cells if c.text == "总分")
    row = sorted((c for c in table.cells if c.row == total.row), key=lambda c: c.col)
    assert [c.text for c in row] == ["总分", "100.00", "97.54", ""]
    assert [c.value for c in row[1:3]] == [Decimal("100.00"), Decimal("97.54")]


def test_numbers_keep_their_exact_value_behind_the_print():
    doc = load_sample(next(p for p in SAMPLES if "2020" in p.stem))
    cells = [c for t in layout_document(doc).grid.tables for c in t.cells]
    executed = next(c for c in cells if c.value == Decimal("13303150.1"))
    assert executed.text == "13,303,150.10"


@pytest.mark.parametrize("doc", ALL_FORMS, ids=lambda d: f"{d.kind}-{d.project}"[:40])
def test_no_label_wraps(doc):
    """A label or column head stands on one line in its column (计划开始日/期 was what
    fixed template widths gave): the longest label of a column sets its width."""
    page = layout_document(doc).grid
    em = page.font_size * MM_PER_PT
    width = printable(page.orientation).width
    for table in page.tables:
        for cell in table.cells:
            if cell.classes & {"label", "head"} and cell.text:
                inner = (width * sum(table.widths[cell.col:cell.col + cell.colspan]) / 100
                         - cell_extra_mm()) / em
                assert lines_of(cell.text, inner * WRAP_SLACK) == cell.text.count("\n") + 1, cell.text


def test_a_mostly_empty_column_stays_narrow():
    """The 偏差原因分析 column of a 跟踪表 with no deviations is as wide as its head,
    not the 21 % the template proposes."""
    doc = load_sample(next(p for p in SAMPLES if "canjiren" in p.stem))
    assert not any(i.deviation for i in doc.indicators)
    (table,) = layout_document(doc).grid.tables
    assert table.widths[7] < 14


def table_of(heights, heads=(), closing=()):
    cells = [Cell(r, 0, 1, 1, f"r{r}", frozenset({"text"})) for r in range(len(heights))]
    return Table([100.0], cells, len(heights), heads=frozenset(heads), closing=frozenset(closing),
                 heights=list(heights))


def test_breaks_keep_two_rows_with_the_closing_rows():
    # rows 0-1 header, 2 heads, 3-9 indicators, 10-11 closing; a page holds 9 rows
    table = table_of([10] * 12, heads={2}, closing={10, 11})
    assert plan_breaks(table, first=90.6, later=90.6) == [8]  # not [9]: 9 would be alone


def test_breaks_never_follow_the_heads_directly():
    table = table_of([10, 10, 10, 10, 10], heads={2})
    assert plan_breaks(table, first=30.6, later=100) == [2]  # the heads go with their row


def test_a_continued_page_repeats_the_heads_and_the_merged_labels():
    cells = [Cell(0, 0, 1, 2, "title", frozenset({"label"})),
             Cell(1, 0, 1, 1, "一级指标", frozenset({"head"})), Cell(1, 1, 1, 1, "三级指标", frozenset({"head"})),
             Cell(2, 0, 3, 1, "产出指标", frozenset({"label"}))] + [
        Cell(r, 1, 1, 1, f"name{r}", frozenset({"text"})) for r in (2, 3, 4)]
    table = Table([50.0, 50.0], cells, 5, heads=frozenset({1}))
    first, second = split_table(table, [4])
    assert (first.n_rows, second.n_rows, second.repeated) == (4, 2, 1)
    assert [(c.row, c.col, c.rowspan, c.text) for c in second.cells] == [
        (0, 0, 1, "一级指标"), (0, 1, 1, "三级指标"), (1, 0, 1, "产出指标"), (1, 1, 1, "name4")]
    assert next(c for c in first.cells if c.text == "产出指标").rowspan == 2
    assert second.heads == {0}


@pytest.mark.parametrize("doc", ALL_FORMS, ids=lambda d: f"{d.kind}-{d.project}"[:40])
def test_every_page_of_a_form_fits_its_page(doc):
    page = layout_document(doc).grid
    area = printable(page.orientation).height / MM_PER_PT
    for table in page.tables:
        assert sum(table.heights) <= area
