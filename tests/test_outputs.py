"""Every sample rendered to PDF, DOCX and XLSX, read back: same cells, every value."""
from __future__ import annotations

import subprocess
from decimal import Decimal

import docx
import openpyxl
import pytest

from conftest import SAMPLES, pdf_text
from fieldvalues import period_text, printed_values

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STEMS = [p.stem for p in SAMPLES]


def layout_cells(laid_out) -> set[tuple[int, int, int, int, str]]:
    return {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in laid_out.grid.cells}


def docx_cells(table) -> set[tuple[int, int, int, int, str]]:
    """Read a Word table's XML back into (row, col, rowspan, colspan, text) cells."""
    cells: dict[tuple[int, int], list] = {}
    merging: dict[int, tuple[int, int]] = {}  # column → the cell a vMerge continues
    for r, tr in enumerate(table._tbl.iterchildren(W + "tr")):
        col = 0
        for tc in tr.iterchildren(W + "tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_el.get(W + "val")) if span_el is not None else 1
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            if vmerge is not None and vmerge.get(W + "val") != "restart":
                cells[merging[col]][0] += 1
            else:
                text = "".join("\n" if el.tag == W + "br" else (el.text or "")
                               for el in tc.iter(W + "t", W + "br"))
                cells[(r, col)] = [1, span, text]
                if vmerge is not None:
                    merging[col] = (r, col)
            col += span
    return {(r, c, rs, cs, text) for (r, c), (rs, cs, text) in cells.items()}


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_is_a4_with_embedded_cjk_subset_and_all_names_and_targets(rendered, stem):
    doc, laid_out, files = rendered[stem]
    fonts = subprocess.run(["pdffonts", str(files["pdf"])], capture_output=True,
                           text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all("+" in line.split()[0] and " yes yes " in line for line in cjk), fonts
    text = "".join(pdf_text(files["pdf"], layout=False).split())
    assert "".join(doc.project.split()) in text
    for indicator in doc.indicators:
        assert "".join(indicator.name.split()) in text, indicator.name
        assert "".join(indicator.target.split()) in text, indicator.target
    info = subprocess.run(["pdfinfo", str(files["pdf"])], capture_output=True, text=True,
                          check=True).stdout
    assert "(A4)" in info


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_shows_title_and_year_or_period(rendered, stem):
    doc, laid_out, files = rendered[stem]
    text = pdf_text(files["pdf"])
    assert laid_out.grid.title in text
    assert (period_text(doc) or f"({doc.year}年度)") in text


@pytest.mark.parametrize("stem", STEMS)
def test_docx_table_has_the_layout_cells_and_every_value(rendered, stem):
    doc, laid_out, files = rendered[stem]
    word = docx.Document(str(files["docx"]))
    (table,) = word.tables
    assert docx_cells(table) == layout_cells(laid_out)
    # python-docx's own view of a merged cell: its last grid column holds the same text
    name = next(c for c in laid_out.grid.cells if c.text == doc.project)
    assert table.cell(name.row, name.col + name.colspan - 1).text == doc.project
    texts = {c[4] for c in docx_cells(table)}
    missing = [v for v in printed_values(doc) if v not in texts]
    assert not missing
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[:2] == [laid_out.grid.title, laid_out.grid.subtitle]


@pytest.mark.parametrize("stem", STEMS)
def test_docx_sets_east_asian_font_and_orientation(rendered, stem):
    doc, laid_out, files = rendered[stem]
    word = docx.Document(str(files["docx"]))
    fonts = word.styles["Normal"].element.rPr.rFonts
    assert fonts.get(W + "eastAsia") == "宋体"
    section = word.sections[0]
    landscape = section.page_width > section.page_height
    assert landscape == (laid_out.grid.orientation == "landscape")
    assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}


@pytest.mark.parametrize("stem", STEMS)
def test_xlsx_has_the_layout_cells_merges_and_no_formula(rendered, stem):
    doc, laid_out, files = rendered[stem]
    ws = openpyxl.load_workbook(files["xlsx"]).active
    first = 3  # rows 1-2: title and subtitle
    assert ws["A1"].value == laid_out.grid.title and ws["A2"].value == laid_out.grid.subtitle
    merges = {(m.min_row - first, m.min_col - 1, m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
              for m in ws.merged_cells.ranges if m.min_row >= first}
    spans = {(c.row, c.col, c.rowspan, c.colspan) for c in laid_out.grid.cells
             if c.rowspan > 1 or c.colspan > 1}
    assert merges == spans
    for cell in laid_out.grid.cells:
        value = ws.cell(first + cell.row, cell.col + 1).value
        if cell.value is not None:
            assert Decimal(str(value)) == cell.value, cell
        else:
            assert (value or "") == cell.text, cell
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.page_setup.orientation == laid_out.grid.orientation
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


@pytest.mark.parametrize("stem", STEMS)
def test_xlsx_holds_every_value(rendered, stem):
    doc, laid_out, files = rendered[stem]
    ws = openpyxl.load_workbook(files["xlsx"]).active
    texts = {str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    numbers = {Decimal(str(c.value)) for row in ws.iter_rows() for c in row
               if isinstance(c.value, (int, float))}
    values = printed_values(doc)
    missing = [v for v in values if v not in texts
               and not (v.replace(",", "").replace(".", "", 1).isdigit()
                        and Decimal(v.replace(",", "")) in numbers)]
    assert not missing
