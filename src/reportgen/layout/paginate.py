"""Pages: a form's table fitted to A4, the same way for the PDF, Word and Excel.

A form that fits on one page stays on one; one that overflows a little is printed in a
smaller size (down to `SIZES[-1]`) so that it does. A longer one breaks between rows:
every page after the first starts with the indicator table's column heads again, a
merged 一级/二级 label that continues on a new page is printed there again, and the
closing rows (总分 and 评分等级, 总体判断 and 纠偏措施) keep at least two rows above them
on their page.
"""
from __future__ import annotations

from dataclasses import replace

from .columns import fit_columns, row_heights
from .grid import Page, PageBreak, Table
from .measure import BODY_PT, BORDER_PT, MM_PER_PT, printable, title_height_mm

SIZES = (BODY_PT, 8.5, 8.0, 7.5)  # pt: the table text, largest first
ROWS_WITH_CLOSING = 2  # rows that go onto the page of the closing rows with them


def lay_out_page(page: Page) -> Page:
    """Given a parsed page, return it with column widths and row heights set, and a
    form fitted to its pages."""
    area = printable(page.orientation)
    for table in page.tables:
        fit_columns(table, area.width, page.font_size)
        table.heights = row_heights(table, area.width, page.font_size)
    if not page.is_form or len(page.tables) != 1:
        return page
    return _fit_form(page)


def table_height_pt(heights: list[float]) -> float:
    return sum(heights) + BORDER_PT


def _fit_form(page: Page) -> Page:
    (table,) = page.tables
    area = printable(page.orientation)
    height = area.height / MM_PER_PT
    first = height - title_height_mm(bool(page.subtitle)) / MM_PER_PT
    if table_height_pt(table.heights) <= first:
        return page
    for size in SIZES[1:]:
        smaller = replace(table, cells=list(table.cells))
        fit_columns(smaller, area.width, size)
        smaller.heights = row_heights(smaller, area.width, size)
        if table_height_pt(smaller.heights) <= first:
            return replace(page, blocks=_with_table(page, smaller), font_size=size)
    breaks = plan_breaks(table, first, height)
    parts = split_table(table, breaks)
    for part in parts:
        part.heights = row_heights(part, area.width, page.font_size)
    blocks: list = []
    for index, part in enumerate(parts):
        if index:
            blocks.append(PageBreak())
        blocks.append(part)
    return replace(page, blocks=blocks)


def _with_table(page: Page, table: Table) -> list:
    return [table if block is page.tables[0] else block for block in page.blocks]


def plan_breaks(table: Table, first: float, later: float) -> list[int]:
    """Given a table with row heights and the height (pt) the first and later pages
    hold, return the rows that start a new page. Later pages lose the height of the
    column heads repeated on them."""
    heights = table.heights
    allowed = _break_allowed(table)
    breaks: list[int] = []
    start, used, capacity = 0, BORDER_PT, first
    row = 0
    while row < table.n_rows:
        if used + heights[row] <= capacity or row == start:
            used += heights[row]
            row += 1
            continue
        candidates = [r for r in range(start + 1, row + 1) if allowed[r]]
        at = candidates[-1] if candidates else row
        breaks.append(at)
        start, row = at, at
        capacity = later
        used = BORDER_PT + sum(heights[r] for r in table.heads if r < at)
    return breaks


def _break_allowed(table: Table) -> list[bool]:
    """Per row, whether a page may start with it: not with a closing row or one of the
    rows kept with them, not right after a row of column heads."""
    allowed = [True] * (table.n_rows + 1)
    allowed[0] = False
    if table.closing:
        first_closing = min(table.closing)
        body_start = max((r for r in table.heads if r < first_closing), default=-1) + 1
        keep_from = max(first_closing - ROWS_WITH_CLOSING + 1, body_start + 1)
        for r in range(keep_from, table.n_rows):
            allowed[r] = False
    for r in table.heads:
        if r + 1 <= table.n_rows:
            allowed[r + 1] = False
    return allowed


def split_table(table: Table, breaks: list[int]) -> list[Table]:
    """Given a table and the rows that start new pages, return one table per page. A
    page after the first starts with the column heads met so far; a cell that spans
    into a page is repeated there, over the rows it covers on that page."""
    bounds = [0, *breaks, table.n_rows]
    parts = []
    for start, end in zip(bounds, bounds[1:]):
        heads = sorted(r for r in table.heads if r < start)
        rows = heads + list(range(start, end))
        parts.append(_part(table, rows, len(heads)))
    return parts


def _part(table: Table, rows: list[int], repeated: int) -> Table:
    """The table made of the given rows (in order), renumbered from 0."""
    new_row = {old: new for new, old in enumerate(rows)}
    cells = []
    for cell in table.cells:
        covered = [new_row[r] for r in range(cell.row, cell.row + cell.rowspan) if r in new_row]
        if not covered:
            continue
        run = 1
        while run < len(covered) and covered[run] == covered[0] + run:
            run += 1
        cells.append(replace(cell, row=covered[0], rowspan=run))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Table(list(table.widths), cells, len(rows), table.name,
                 heads=frozenset(range(repeated)) if repeated else
                 frozenset(new_row[r] for r in table.heads if r in new_row),
                 closing=frozenset(new_row[r] for r in table.closing if r in new_row),
                 repeated=repeated)
