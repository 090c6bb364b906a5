"""Every sample rendered to PDF, DOCX and XLSX, read back: same cells, every value."""
from __future__ import annotations

import subprocess
import zipfile
from decimal import Decimal

import docx
import openpyxl
import pytest

from conftest import SAMPLES, pdf_text
from fieldvalues import period_text, printed_values

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STEMS = [p.stem for p in SAMPLES]


def layout_cells(table) -> set[tuple[int, int, int, int, str]]:
    return {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells}


def sheet_cells(page, first_row: int) -> list[tuple[int, int, int, int, str, Decimal | None]]:
    """Where the layout's cells land on a form's sheet: the tables one below the other
    from `first_row`, a continued page's repeated heads left to the print titles."""
    cells, top = [], first_row
    for table in page.tables:
        top -= table.repeated
        for c in table.cells:
            if c.row + c.rowspan <= table.repeated:
                continue
            row = max(c.row, table.repeated)
            cells.append((top + row, c.col + 1, c.row + c.rowspan - row, c.colspan, c.text, c.value))
        top += table.n_rows
    return cells


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
def test_docx_tables_have_the_layout_cells_and_every_value(rendered, stem):
    doc, laid_out, files = rendered[stem]
    word = docx.Document(str(files["docx"]))
    assert len(word.tables) == len(laid_out.grid.tables) == laid_out.grid.page_count
    for table, grid in zip(word.tables, laid_out.grid.tables):
        assert docx_cells(table) == layout_cells(grid)
    # python-docx's own view of a merged cell: its last grid column holds the same text
    name = next(c for c in laid_out.grid.tables[0].cells if c.text == doc.project)
    assert word.tables[0].cell(name.row, name.col + name.colspan - 1).text == doc.project
    texts = {c[4] for table in word.tables for c in docx_cells(table)}
    missing = [v for v in printed_values(doc) if v not in texts]
    assert not missing
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[:2] == [laid_out.grid.title, laid_out.grid.subtitle]


@pytest.mark.parametrize("stem", STEMS)
def test_docx_declares_latin_and_east_asian_faces_and_zh_cn(rendered, stem):
    doc, laid_out, files = rendered[stem]
    word = docx.Document(str(files["docx"]))
    defaults = word.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts, lang = defaults.find(f"{W}rFonts"), defaults.find(f"{W}lang")
    assert fonts.get(W + "eastAsia") == "宋体"
    assert fonts.get(W + "ascii") == fonts.get(W + "hAnsi") == "Times New Roman"
    assert lang.get(W + "eastAsia") == "zh-CN"
    with zipfile.ZipFile(files["docx"]) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    assert 'w:ascii="宋体"' not in xml and 'w:hAnsi="宋体"' not in xml  # 宋体 for Chinese only
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
    expected = sheet_cells(laid_out.grid, first)
    merges = {(m.min_row, m.min_col, m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
              for m in ws.merged_cells.ranges if m.min_row >= first}
    assert merges == {(r, c, rs, cs) for r, c, rs, cs, _, _ in expected if rs > 1 or cs > 1}
    for row, col, _, _, text, value in expected:
        held = ws.cell(row, col).value
        if value is not None:
            assert Decimal(str(held)) == value, (row, col, text)
            assert ws.cell(row, col).number_format.endswith("0.00")  # printed as 2 decimals
        else:
            assert (held or "") == text, (row, col)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.page_setup.orientation == laid_out.grid.orientation


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
