"""Round trip in every layout: every sample written by tests/dumpwriter.py as tab,
pipe, space-run, cell-per-line and HTML text, with any mix of the quirks that layout
has, reads back as the same document, and nothing written is lost on the way."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation

import pytest
from conftest import SAMPLES, load_sample
from dumpwriter import LAYOUTS, Quirks, write_dump
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from reportgen.model import FUNDING_COLUMNS, FUNDING_ROWS, Document, document_to_dict
from reportgen.readers.forms import FormsResult, iter_documents
from reportgen.readers.html import html_rows, parse_html
from reportgen.readers.text import read_text

DOCS = {path.stem: load_sample(path) for path in SAMPLES}
# Text copied out of a PDF: a row per line, and cells the page cut (broken_levels).
LINE_LAYOUTS = ("tabs", "pipes", "spaces")


# ---------------------------------------------------------------- reading back

def read_back(text: str, layout: str) -> FormsResult:
    """The written text read as the reader reads a file of its layout."""
    if layout == "html":
        result = FormsResult()
        root = parse_html(text.encode("utf-8"), "layouts.html")
        for part in iter_documents("layouts.html", html_rows(root), "an HTML page's tables"):
            result.extend(part)
    else:
        result = read_text("layouts.txt", text)
    assert not result.errors, result.errors
    assert len(result.documents) == 1, [d.project for d in result.documents]
    return result


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def comparable(doc: Document) -> dict:
    """The document as plain data without its source and warnings, numbers as Decimals."""
    data = document_to_dict(doc)
    data.pop("source"), data.pop("warnings")
    for row in FUNDING_ROWS:
        for column in FUNDING_COLUMNS:
            data["funding"][row][column] = _number(data["funding"][row][column])
    for indicator in data["indicators"]:
        indicator["weight"], indicator["score"] = _number(indicator["weight"]), _number(indicator["score"])
    data["total_score"] = _number(data["total_score"])
    return data


# ---------------------------------------------------------------- nothing lost

def accounted_rows(result: FormsResult) -> set[int]:
    """The row numbers the reader says it read into a field or a warning."""
    accounted = {no for no, _, _ in result.preamble}
    for explanation in result.explanations:
        accounted |= {no for no, _, _ in explanation}
    return accounted


def filled_lines(text: str) -> set[int]:
    return {no for no, line in enumerate(text.split("\n"), start=1) if line.strip()}


_CELL_BREAK = re.compile(r"\s*(?:[\t|⇥]|\s{2,})\s*")


def document_values(doc: Document) -> tuple[set[str], set[Decimal]]:
    """The texts (without spaces) and numbers the document holds."""
    texts = [doc.project, doc.department, doc.unit, doc.nature, doc.category, doc.start_date,
             doc.end_date, doc.goals.planned, doc.goals.actual, doc.grade, doc.corrective]
    if doc.outlook:
        texts += [doc.outlook.budget, doc.outlook.goals]
    numbers = [getattr(doc.funding[row], column) for row in FUNDING_ROWS for column in FUNDING_COLUMNS]
    for i in doc.indicators:
        texts += [i.level1, i.level2, i.name, i.target, i.planned, i.actual, i.deviation]
        numbers += [i.weight, i.score]
    return ({"".join(t.split()) for t in texts if t and t.strip()},
            {n for n in numbers + [doc.total_score] if n is not None})


def warned_values(result: FormsResult, doc: Document) -> list[str]:
    """The cells of the warnings that are values of the document: lost."""
    texts, numbers = document_values(doc)
    lost = []
    for warning in [*result.warnings, *(w for d in result.documents for w in d.warnings)]:
        for cell in _CELL_BREAK.split(warning.text):
            try:
                number = Decimal(cell.replace(",", ""))
            except InvalidOperation:
                number = None
            if "".join(cell.split()) in texts or number in numbers:
                lost.append(f"{cell!r} in {warning.text!r} ({warning.reason})")
    return lost


def assert_nothing_lost(text: str, layout: str, result: FormsResult, doc: Document,
                        quirks: Quirks) -> None:
    """Every row written is read into a field or a warning, and no value of the document
    is in a warning (a name cut by a page, broken_levels, is meant to leave its tail in
    one)."""
    accounted = accounted_rows(result)
    if layout in LINE_LAYOUTS:
        assert accounted == filled_lines(text)
    elif layout == "html":  # rows are numbered in page order: each <p> line and <tr>
        assert accounted == set(range(1, text.count("<p>") + text.count("<tr>") + 1))
    else:  # cells: a rebuilt row is numbered by its first cell's line (" ": an empty cell)
        cell_lines = {no for no, line in enumerate(text.split("\n"), start=1) if line}
        assert accounted and accounted <= cell_lines
    warnings = [*result.warnings, *(w for d in result.documents for w in d.warnings)]
    said = [what for explanation in [result.preamble, *result.explanations]
            for _, what, _ in explanation if what.startswith("warning")]
    assert len(said) == len(warnings)  # every warning is one of the rows accounted for
    if not quirks.broken_levels:
        assert warned_values(result, doc) == []


# ---------------------------------------------------------------- tests

@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("stem", sorted(DOCS))
def test_sample_reads_back_in_every_layout(stem, layout):
    text = write_dump(DOCS[stem], Quirks(layout=layout))
    assert comparable(read_back(text, layout).documents[0]) == comparable(DOCS[stem])


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("stem", sorted(DOCS))
def test_nothing_is_lost_in_any_layout(stem, layout):
    quirks = Quirks(layout=layout)
    text = write_dump(DOCS[stem], quirks)
    assert_nothing_lost(text, layout, read_back(text, layout), DOCS[stem], quirks)


@st.composite
def layout_cases(draw, layout: str) -> tuple[str, Quirks]:
    """A sample and the quirks a layout can have."""
    stem = draw(st.sampled_from(sorted(DOCS)))
    quirks = Quirks(layout=layout, wrap_labels=draw(st.booleans()), thousands=draw(st.booleans()),
                    latex=draw(st.booleans()), missing_title=draw(st.booleans()),
                    markdown=layout != "html" and draw(st.booleans()),
                    broken_levels=layout in LINE_LAYOUTS and draw(st.booleans()),
                    shift=layout == "tabs" and draw(st.booleans()),
                    seed=draw(st.integers(0, 10_000)))
    return stem, quirks


# The layout is a parameter, not drawn: derandomized, 60 draws of five layouts gave some
# only three examples.
@pytest.mark.parametrize("layout", LAYOUTS)
@settings(max_examples=30, deadline=None, derandomize=True)
@given(data=st.data())
def test_any_layout_with_quirks_reads_back(layout, data):
    stem, quirks = data.draw(layout_cases(layout), label="case")
    doc = DOCS[stem]
    text = write_dump(doc, quirks)
    result = read_back(text, layout)
    assert comparable(result.documents[0]) == comparable(doc)
    assert_nothing_lost(text, layout, result, doc, quirks)


# ---------------------------------------------------------------- the writer's layouts

def test_html_merges_cells_as_the_form_does():
    """一级/二级 cells span their indicators' rows, the funding head spans its rows."""
    doc = DOCS["selfeval-xinjiang-zhiqing"]
    page = lxml_html.document_fromstring(write_dump(doc, Quirks(layout="html")))
    spans = {td.text_content(): int(td.get("rowspan", 1)) for td in page.iter("td")}
    for level in {i.level1 for i in doc.indicators}:
        assert spans[level] == sum(i.level1 == level for i in doc.indicators)
    assert spans["项目资金 (万元)"] == 5
    assert spans["年度总体目标"] == 2


def test_text_layouts_keep_cells_apart():
    """Each layout's separators, and only them, part the cells the tab layout has."""
    doc = DOCS["tracking-canjiren-jiuye-baozhangjin"]
    quirks = Quirks(wrap_labels=True, latex=True, thousands=True, seed=3)
    tabs = write_dump(doc, quirks).split("\n")
    spaces = write_dump(doc, replace(quirks, layout="spaces")).split("\n")
    assert len(spaces) == len(tabs)
    for tab_line, space_line in zip(tabs, spaces):
        assert [c for c in tab_line.split("\t") if c] == [c for c in re.split(r" {2,}", space_line) if c]
        if "\t\t" not in tab_line.strip("\t"):  # no empty cell inside: runs of 2–4 spaces
            assert all(2 <= len(run) <= 4 for run in re.findall(r"(?<=\S) {2,}(?=\S)", space_line))
    pipes = write_dump(doc, Quirks(layout="pipes")).split("\n")
    assert "纠偏措施 | ||" in pipes and "|| 质量指标 | 缴纳准确 | 准确 | 准确 | 准确 | |" in pipes
    cells = [line for line in write_dump(doc, Quirks(layout="cells")).split("\n") if line]
    # the head row, 绩效指标 merged down from it: an empty cell on each indicator row
    head = cells.index("一级指标")
    assert cells[head - 1:head + 1] == ["绩效 指标", "一级指标"]
    assert cells[cells.index("偏差原因分析") + 1:][:3] == [" ", "产出指标", "数量指标"]
    # 预算执行情况 merged over two columns: one cell; and down its rows: one empty cell
    fiscal = cells.index("其中：当年财政拨款")
    assert cells[fiscal - 1] == " " and cells[fiscal - 2] != " "


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="unknown layout"):
        write_dump(DOCS["selfeval-xinjiang-zhiqing"], Quirks(layout="csv"))
