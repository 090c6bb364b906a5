"""The layout: merged indicator levels, a consistent grid, numbers as printed."""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import SAMPLES, load_sample
from reportgen.layout import format_number, indicator_rows, layout_document
from reportgen.model import Indicator


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
def test_grid_covers_every_slot_exactly_once(path):
    grid = layout_document(load_sample(path)).grid
    taken = [(r, c) for cell in grid.cells
             for r in range(cell.row, cell.row + cell.rowspan)
             for c in range(cell.col, cell.col + cell.colspan)]
    assert len(taken) == len(set(taken)) == grid.n_rows * grid.n_cols
    assert abs(sum(grid.widths) - 100) < 0.01


@pytest.mark.parametrize("value, printed", [
    ("13303150.1", "13,303,150.1"), ("130464956.00", "130,464,956.00"),
    ("0.00", "0.00"), ("10", "10"), ("-1234.5", "-1,234.5"),
])
def test_numbers_print_with_thousands_separators_and_their_decimals(value, printed):
    assert format_number(Decimal(value)) == printed


def test_selfeval_total_row_shows_weight_sum_and_score():
    doc = load_sample(next(p for p in SAMPLES if "xinjiang" in p.stem))
    grid = layout_document(doc).grid
    total = next(c for c in grid.cells if c.text == "总分")
    row = sorted((c for c in grid.cells if c.row == total.row), key=lambda c: c.col)
    assert [c.text for c in row] == ["总分", "100.00", "97.54", ""]
