"""The XLSX writer's SpreadsheetML, read back from the zip file: the package's parts and
relationships, the styles of merged ranges, number formats, print setup and defined
names, escaping, and the native charts of the summaries."""
from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from reportgen.layout import Cell, LaidOut, Page, PageBreak, Table, layout_document, layout_summary
from reportgen.layout.grid import BAR_COLOUR, HIGHLIGHT_COLOUR
from reportgen.layout.measure import MARGIN_MM
from reportgen.readers import read_file
from reportgen.summary import summarize
from reportgen.writers import WRITERS
from reportgen.writers.xlsx import number_format, sheet_name
from reportgen.writers.xlsx_package import quote_sheet

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
GENERATED = dt.date(2025, 1, 2)


def xlsx(forms) -> bytes:
    out = BytesIO()
    WRITERS["xlsx"](forms, out)
    return out.getvalue()


def parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(BytesIO(data)) as package:
        assert package.testzip() is None
        return {name: etree.fromstring(package.read(name)) for name in package.namelist()}


def cell_ref(row: int, col: int) -> str:
    """A1 reference of a cell counted from 1."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def cells_of(sheet: etree._Element) -> dict[str, etree._Element]:
    return {c.get("r"): c for c in sheet.iter(M + "c")}


def expand(ref: str) -> list[str]:
    """The cells of a range "B3:D4"."""
    first, last = ref.split(":")
    (c1, r1), (c2, r2) = (re.fullmatch(r"([A-Z]+)(\d+)", x).groups() for x in (first, last))
    column = openpyxl.utils.column_index_from_string
    return [cell_ref(r, c) for r in range(int(r1), int(r2) + 1) for c in range(column(c1), column(c2) + 1)]


@pytest.fixture(scope="module")
def long_form():
    """促进就业专项资金's 自评表: two pages, a page break, number cells."""
    path = next(p for p in SEEDS if p.name.startswith("004"))
    doc = next(d for d in read_file(path).documents if d.project == "促进就业专项资金")
    laid_out = layout_document(doc)
    assert laid_out.grid.page_count == 2
    return laid_out, xlsx([laid_out])


@pytest.fixture(scope="module")
def tracking():
    (summary,) = summarize(read_file(SEEDS[0]).documents)
    laid_out = layout_summary(summary, generated=GENERATED)
    return laid_out, xlsx([laid_out])


@pytest.fixture(scope="module")
def selfeval():
    (summary,) = summarize(read_file(SEEDS[3]).documents)
    laid_out = layout_summary(summary, generated=GENERATED)
    return laid_out, xlsx([laid_out])


# ---------------------------------------------------------------- the package

@pytest.mark.parametrize("which", ["long_form", "tracking"])
def test_every_part_is_typed_and_every_relationship_reaches_a_part(request, which):
    _, data = request.getfixturevalue(which)
    found = parts(data)
    types = found["[Content_Types].xml"]
    overrides = {o.get("PartName").lstrip("/"): o.get("ContentType") for o in types.iter(CT + "Override")}
    defaults = {d.get("Extension") for d in types.iter(CT + "Default")}
    for name in found:
        if name != "[Content_Types].xml":
            assert name in overrides or name.rsplit(".", 1)[1] in defaults, name
    assert set(overrides) <= set(found)
    for name, root in found.items():
        if name.endswith(".rels"):
            base = name.split("_rels/")[0]  # the folder of the part the relationships are of
            for rel in root.iter(PKG + "Relationship"):
                assert posixpath.normpath(posixpath.join(base, rel.get("Target"))) in found, (name, rel.get("Target"))
    assert overrides["xl/workbook.xml"].endswith("spreadsheetml.sheet.main+xml")
    assert not [n for n in found if "theme" in n]  # nothing but what reportgen puts in


def test_the_file_says_who_made_it_and_when_and_its_parts_are_dated_so(long_form):
    laid_out, data = long_form
    found = parts(data)
    core = found["docProps/core.xml"]
    text = {e.tag.rsplit("}", 1)[1]: e.text for e in core}
    assert text["title"] == laid_out.name and text["subject"] == laid_out.grid.title
    assert text["creator"] == text["lastModifiedBy"] == "reportgen" and text["language"] == "zh-CN"
    assert text["created"] == text["modified"]
    created = dt.datetime.strptime(text["created"], "%Y-%m-%dT%H:%M:%SZ")
    assert abs(created - dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)) < dt.timedelta(minutes=5)
    app = etree.tostring(found["docProps/app.xml"]).decode()
    assert "reportgen" in app and "Microsoft" not in app
    with zipfile.ZipFile(BytesIO(data)) as package:
        stamps = {info.date_time for info in package.infolist()}
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in package.infolist())
        assert sum(i.compress_size for i in package.infolist()) < sum(i.file_size for i in package.infolist()) / 2
    assert stamps == {created.replace(second=created.second // 2 * 2).timetuple()[:6]}


def test_one_sheet_per_form_named_uniquely_with_its_own_print_names(long_form):
    laid_out, _ = long_form
    other = dataclasses.replace(laid_out, name="促进就业专项资金")  # the same name again
    data = xlsx([laid_out, other])
    book = parts(data)["xl/workbook.xml"]
    names = [s.get("name") for s in book.iter(M + "sheet")]
    assert names == ["促进就业专项资金", "促进就业专项资金(2)"]
    defined = {(d.get("name"), d.get("localSheetId")): d.text for d in book.iter(M + "definedName")}
    assert set(defined) == {(n, i) for n in ("_xlnm.Print_Area", "_xlnm.Print_Titles") for i in ("0", "1")}
    assert defined["_xlnm.Print_Area", "1"].startswith("'促进就业专项资金(2)'!$A$1:")
    workbook = openpyxl.load_workbook(BytesIO(data))
    assert [ws.print_title_rows for ws in workbook.worksheets] == [workbook.worksheets[0].print_title_rows] * 2


def test_sheet_names_are_quoted_where_a_formula_needs_it():
    assert quote_sheet("风险项目") == "风险项目" and quote_sheet("Sheet_1") == "Sheet_1"
    for name, quoted in [("A1", "'A1'"), ("R1C1", "'R1C1'"), ("2024年", "'2024年'"), ("表(2)", "'表(2)'"),
                         ("O'Brien & Co", "'O''Brien & Co'"), ("a b", "'a b'")]:
        assert quote_sheet(name) == quoted
    assert sheet_name("a/b:c*d?[e]", set()) == "a_b_c_d__e_"
    assert sheet_name("x" * 40, {"x" * 31}) == "x" * 28 + "(2)"


def test_an_odd_sheet_name_still_names_its_print_titles(long_form):
    laid_out, _ = long_form
    odd = dataclasses.replace(laid_out, name="O'Brien & Co (2020)")
    data = xlsx([odd])
    book = parts(data)["xl/workbook.xml"]
    (titles,) = [d.text for d in book.iter(M + "definedName") if d.get("name") == "_xlnm.Print_Titles"]
    assert titles.startswith("'O''Brien & Co (2020)'!$")
    ws = openpyxl.load_workbook(BytesIO(data)).active
    assert ws.title == "O'Brien & Co (2020)" and re.fullmatch(r"\$\d+:\$\d+", ws.print_title_rows)


# ---------------------------------------------------------------- cells and styles

def styles_of(found) -> tuple[list, dict]:
    styles = found["xl/styles.xml"]
    xfs = list(styles.find(M + "cellXfs"))
    formats = {f.get("numFmtId"): f.get("formatCode") for f in styles.iter(M + "numFmt")}
    return xfs, {"fonts": list(styles.find(M + "fonts")), "fills": list(styles.find(M + "fills")),
                 "borders": list(styles.find(M + "borders")), "formats": formats}


def test_every_cell_of_a_merged_range_has_the_thin_black_borders_and_the_ranges_look(long_form):
    _, data = long_form
    found = parts(data)
    sheet = found["xl/worksheets/sheet1.xml"]
    cells = cells_of(sheet)
    xfs, tables = styles_of(found)
    merges = [m.get("ref") for m in sheet.iter(M + "mergeCell")]
    assert len(merges) > 10
    for ref in merges:
        if ref.startswith(("A1:", "A2:")):
            continue  # the title lines: no border
        first, *covered = expand(ref)
        style = cells[first].get("s")
        assert covered and all(cells[c].get("s") == style for c in covered), ref
        xf = xfs[int(style)]
        border = tables["borders"][int(xf.get("borderId"))]
        for side in ("left", "right", "top", "bottom"):
            edge = border.find(M + side)
            assert edge.get("style") == "thin" and edge.find(M + "color").get("rgb") == "FF000000"
        assert not any(cells[c].find(M + "v") is not None for c in covered)  # the value in the first only


def test_cell_formats_are_songti_at_the_pages_size_centred_wrapped_and_made_once(long_form):
    laid_out, data = long_form
    found = parts(data)
    xfs, tables = styles_of(found)
    keys = [etree.tostring(xf) for xf in xfs]
    assert len(keys) == len(set(keys))  # one entry per look
    fonts = tables["fonts"]
    used = {int(c.get("s")) for c in found["xl/worksheets/sheet1.xml"].iter(M + "c")}
    for index in used:
        xf = xfs[index]
        font = fonts[int(xf.get("fontId"))]
        assert font.find(M + "name").get("val") == "宋体"
        alignment = xf.find(M + "alignment")
        assert alignment.get("vertical") == "center"
    table_sizes = {float(fonts[int(xfs[i].get("fontId"))].find(M + "sz").get("val"))
                   for i in used if xfs[i].get("borderId") == "1"}
    assert table_sizes == {laid_out.grid.font_size}
    assert all(xfs[i].find(M + "alignment").get("wrapText") == "1" for i in used if xfs[i].get("borderId") == "1")
    ws = openpyxl.load_workbook(BytesIO(data)).active
    heads = [c for row in ws.iter_rows() for c in row if c.value == "一级指标"]
    assert heads and all(c.fill.patternType == "solid" and c.fill.fgColor.rgb == "FFEEEEEE" for c in heads)
    assert {c.alignment.horizontal for row in ws.iter_rows(min_row=3) for c in row if isinstance(c.value, float)} == {"right"}


def test_numbers_are_the_exact_digits_in_the_decimals_the_page_prints(long_form):
    laid_out, data = long_form
    found = parts(data)
    cells = cells_of(found["xl/worksheets/sheet1.xml"])
    xfs, tables = styles_of(found)
    row = 3  # rows 1-2: title and subtitle
    numbers = 0
    for table in laid_out.grid.tables:
        top = row - table.repeated
        for cell in table.cells:
            if cell.value is None or cell.row < table.repeated:
                continue
            written = cells[cell_ref(top + cell.row, cell.col + 1)]
            assert written.get("t") is None and written.find(M + "v").text == str(cell.value)
            code = tables["formats"][xfs[int(written.get("s"))].get("numFmtId")]
            places = len(cell.text.rpartition(".")[2]) if "." in cell.text else 0
            assert code == number_format(places, "signed" in cell.classes)
            numbers += 1
        row = top + table.n_rows
    assert numbers > 20
    assert not list(found["xl/worksheets/sheet1.xml"].iter(M + "f"))  # never a formula


def test_texts_are_shared_strings_escaped_and_stripped_of_what_xml_cannot_hold(long_form):
    laid_out, _ = long_form
    odd = ["=SUM(A1:A2)", "a & b <c> \"d\"", "_x0041_ stays", "cr\rlf", "控\x01制\x1f字", "\x02\x03", "  padded  "]
    table = laid_out.grid.tables[0]
    cells = [c for c in table.cells if c.value is None and c.row >= 1][:len(odd)]
    changed = [dataclasses.replace(c, text=t) for c, t in zip(cells, odd)]
    others = [c for c in table.cells if c not in cells]
    grid = dataclasses.replace(laid_out.grid, blocks=[dataclasses.replace(table, cells=others + changed),
                                                      *laid_out.grid.blocks[1:]])
    data = xlsx([dataclasses.replace(laid_out, grid=grid)])
    ws = openpyxl.load_workbook(BytesIO(data)).active
    for cell, text in zip(changed, odd):
        held = ws.cell(3 + cell.row, cell.col + 1)
        expected = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text) or None
        assert held.value == expected and held.data_type in ("s", "n"), (text, held.value)
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    with zipfile.ZipFile(BytesIO(data)) as package:
        strings = package.read("xl/sharedStrings.xml").decode()
    assert "_x005F_x0041_ stays" in strings and "cr&#13;lf" in strings and "a &amp; b &lt;c&gt;" in strings


def test_a_text_longer_than_excel_holds_is_cut_to_32767_characters(long_form):
    laid_out, _ = long_form
    table = laid_out.grid.tables[0]
    (target,) = [c for c in table.cells if c.row == 0 and c.col == 0]
    long = dataclasses.replace(target, text="长" * 40000)
    grid = dataclasses.replace(laid_out.grid, blocks=[
        dataclasses.replace(table, cells=[long if c is target else c for c in table.cells]), *laid_out.grid.blocks[1:]])
    ws = openpyxl.load_workbook(BytesIO(xlsx([dataclasses.replace(laid_out, grid=grid)]))).active
    assert ws["A3"].value == "长" * 32767


def test_rows_and_columns_have_the_layouts_sizes(long_form):
    laid_out, data = long_form
    sheet = parts(data)["xl/worksheets/sheet1.xml"]
    rows = {int(r.get("r")): r for r in sheet.iter(M + "row")}
    first = laid_out.grid.tables[0]
    for index, height in enumerate(first.heights):
        row = rows[3 + index]
        assert row.get("customHeight") == "1"
        assert abs(float(row.get("ht")) - height) <= 0.75 / 2 + 1e-9  # whole pixels
    assert rows[1].get("ht") == "28.5"  # the title: 18 pt × 1.6, in pixels
    cols = list(sheet.iter(M + "col"))
    assert len(cols) == first.n_cols and all(c.get("customWidth") == "1" for c in cols)
    widths = [float(c.get("width")) for c in cols]
    assert widths.index(max(widths)) == first.widths.index(max(first.widths))


# ---------------------------------------------------------------- printing

def test_a_form_prints_on_a4_as_many_pages_tall_as_laid_out_broken_where_the_layout_breaks(long_form):
    laid_out, data = long_form
    found = parts(data)
    sheet = found["xl/worksheets/sheet1.xml"]
    setup = sheet.find(M + "pageSetup")
    assert setup.get("paperSize") == "9" and setup.get("orientation") == laid_out.grid.orientation
    assert setup.get("fitToWidth") == "1" and setup.get("fitToHeight") == str(laid_out.grid.page_count)
    assert sheet.find(f"{M}sheetPr/{M}pageSetUpPr").get("fitToPage") == "1"
    assert sheet.find(M + "printOptions").get("horizontalCentered") == "1"
    side, top = MARGIN_MM[laid_out.grid.orientation]
    margins = sheet.find(M + "pageMargins")
    for name, mm in [("left", side), ("right", side), ("top", top), ("bottom", top),
                     ("header", top / 2), ("footer", top / 3)]:
        assert float(margins.get(name)) == pytest.approx(mm / 25.4)
    first = laid_out.grid.tables[0]
    assert isinstance(laid_out.grid.blocks[1], PageBreak)
    (brk,) = sheet.iter(M + "brk")
    assert brk.get("id") == str(2 + first.n_rows) and brk.get("man") == "1"
    footer = sheet.find(f"{M}headerFooter/{M}oddFooter").text
    assert footer == "&C&8第 &P 页 共 &N 页"
    assert sheet.find(f"{M}headerFooter/{M}oddHeader") is None  # a form has no running header
    assert sheet.find(f"{M}sheetViews/{M}sheetView/{M}pane") is None  # nor frozen heads
    book = found["xl/workbook.xml"]
    defined = {d.get("name"): d.text for d in book.iter(M + "definedName")}
    heads = 2 + min(first.heads) + 1
    assert defined["_xlnm.Print_Titles"] == f"促进就业专项资金!${heads}:${heads}"
    last_row = 2 + sum(t.n_rows - t.repeated for t in laid_out.grid.tables)
    assert defined["_xlnm.Print_Area"] == f"促进就业专项资金!$A$1:${cell_ref(1, first.n_cols)[:-1]}${last_row}"


def test_a_summary_sheet_freezes_its_heads_fits_any_number_of_pages_and_has_the_running_header(tracking):
    laid_out, data = tracking
    found = parts(data)
    sheet = found["xl/worksheets/sheet2.xml"]
    assert sheet.find(M + "pageSetup").get("fitToHeight") == "0"
    pane = sheet.find(f"{M}sheetViews/{M}sheetView/{M}pane")
    titles = next(d.text for d in found["xl/workbook.xml"].iter(M + "definedName")
                  if d.get("name") == "_xlnm.Print_Titles" and d.get("localSheetId") == "1")
    heads = int(re.search(r"\$(\d+):", titles).group(1))
    assert pane.get("state") == "frozen" and pane.get("ySplit") == str(heads) and pane.get("topLeftCell") == f"A{heads + 1}"
    left, right = laid_out.grid.header
    assert sheet.find(f"{M}headerFooter/{M}oddHeader").text == f"&L&8{left}&R&8{right}"


def test_an_ampersand_in_the_running_header_is_printed_not_taken_for_a_code(tracking):
    laid_out, _ = tracking
    grid = dataclasses.replace(laid_out.grid, header=("A&B 局", "生成日期"))
    data = xlsx([dataclasses.replace(laid_out, grid=grid)])
    sheet = parts(data)["xl/worksheets/sheet1.xml"]
    assert sheet.find(f"{M}headerFooter/{M}oddHeader").text == "&L&8A&&B 局&R&8生成日期"
    assert openpyxl.load_workbook(BytesIO(data)).active.oddHeader.left.text == "A&&B 局"


# ---------------------------------------------------------------- charts

def chart_parts(found) -> dict[str, etree._Element]:
    return {n: root for n, root in sorted(found.items()) if n.startswith("xl/charts/chart")}


def test_the_time_line_is_a_dashed_line_over_a_hidden_column_of_its_value(tracking):
    _, data = tracking
    found = parts(data)
    (chart,) = chart_parts(found).values()
    (line,) = chart.iter(C + "lineChart")
    series = line.find(C + "ser")
    assert series.find(f"{C}tx/{C}v").text == "时间进度 66.67%"
    ln = series.find(f"{C}spPr/{A}ln")
    assert ln.find(f"{A}prstDash").get("val") == "dash"
    assert ln.find(f"{A}solidFill/{A}srgbClr").get("val") == HIGHLIGHT_COLOUR
    assert series.find(f"{C}marker/{C}symbol").get("val") == "none"
    assert chart.find(f"{C}chart/{C}plotVisOnly").get("val") == "0"  # the hidden column is drawn
    assert chart.find(f"{C}chart/{C}legend/{C}legendPos").get("val") == "b"
    ref = series.find(f"{C}val/{C}numRef/{C}f").text
    column, first, last = re.fullmatch(r"预算执行进度排名!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", ref).groups()
    sheet = found["xl/worksheets/sheet2.xml"]
    index = openpyxl.utils.column_index_from_string(column)
    (col,) = [c for c in sheet.iter(M + "col") if c.get("min") == str(index)]
    assert col.get("hidden") == "1"
    cells = cells_of(sheet)
    assert {cells[f"{column}{r}"].find(M + "v").text for r in range(int(first), int(last) + 1)} == {"66.67"}
    print_area = next(d.text for d in found["xl/workbook.xml"].iter(M + "definedName")
                      if d.get("name") == "_xlnm.Print_Area" and d.get("localSheetId") == "1")
    assert openpyxl.utils.column_index_from_string(re.search(r":\$([A-Z]+)\$", print_area).group(1)) < index


def test_the_rates_are_columns_with_every_name_upright_and_the_risks_in_the_highlight_colour(tracking):
    laid_out, data = tracking
    found = parts(data)
    (chart,) = chart_parts(found).values()
    bar = chart.find(f"{C}chart/{C}plotArea/{C}barChart")
    assert bar.find(C + "barDir").get("val") == "col"
    series = bar.find(C + "ser")
    assert series.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") == BAR_COLOUR
    chart_block = next(b for b in laid_out.grid.blocks if type(b).__name__ == "Chart")
    points = {int(p.find(C + "idx").get("val")) for p in series.iter(C + "dPt")}
    assert points == set(chart_block.highlighted) and points
    assert {p.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") for p in series.iter(C + "dPt")} == {HIGHLIGHT_COLOUR}
    labels = series.find(C + "dLbls")
    assert labels.find(C + "showVal").get("val") == "1"
    assert all(labels.find(C + k).get("val") == "0" for k in ("showCatName", "showSerName", "showLegendKey"))
    assert labels.find(f"{C}txPr/{A}bodyPr").get("rot") == "-5400000"  # 25 columns: upright
    axis = chart.find(f"{C}chart/{C}plotArea/{C}catAx")
    assert axis.find(f"{C}txPr/{A}bodyPr").get("rot") == "-5400000"
    assert axis.find(C + "tickLblSkip").get("val") == "1"
    names = [p.find(C + "v").text for p in series.find(C + "cat").iter(C + "pt")]
    assert len(names) == 25 and names[0] == "政府辅助购买服务"
    values = [Decimal(p.find(C + "v").text) for p in series.find(C + "val").iter(C + "pt")]
    assert values[0] == Decimal("100.00") and values == sorted(values, reverse=True)


def test_a_ranking_runs_across_first_row_on_top_from_zero_with_no_legend(selfeval):
    _, data = selfeval
    found = parts(data)
    grades, ranking = chart_parts(found).values()
    assert "".join(ranking.itertext()).startswith("项目总分排名（红色：得分最低的项目）")
    area = ranking.find(f"{C}chart/{C}plotArea")
    assert area.find(f"{C}barChart/{C}barDir").get("val") == "bar"
    category, value = area.find(C + "catAx"), area.find(C + "valAx")
    assert category.find(f"{C}scaling/{C}orientation").get("val") == "maxMin"
    assert value.find(C + "crosses").get("val") == "max"
    for chart in (grades, ranking):
        area = chart.find(f"{C}chart/{C}plotArea")
        assert area.find(f"{C}valAx/{C}scaling/{C}min").get("val") == "0"
        assert area.find(f"{C}catAx/{C}tickLblSkip").get("val") == "1"
        assert chart.find(f"{C}chart/{C}legend") is None
        assert chart.find(f"{C}chart/{C}plotVisOnly").get("val") == "1"
        assert not [d for d in chart.iter(C + "delete") if d.get("val") == "1"]  # both axes shown
        assert chart.find(f"{C}chart/{C}plotArea/{C}lineChart") is None
    assert grades.find(f"{C}chart/{C}plotArea/{C}barChart/{C}barDir").get("val") == "col"
    assert not [b for b in grades.iter(A + "bodyPr") if b.get("rot")]  # 4 grades: names across


def test_charts_sit_below_their_tables_in_the_drawing_of_their_sheet(selfeval):
    _, data = selfeval
    found = parts(data)
    workbook = openpyxl.load_workbook(BytesIO(data))
    drawn = {ws.title: len(ws._charts) for ws in workbook.worksheets}
    assert drawn == {"总体情况": 0, "评分等级分布": 1, "项目得分排名": 1, "得分最低的项目及失分情况": 0}
    for sheet, drawing in [("xl/worksheets/sheet2.xml", "xl/drawings/drawing1.xml"),
                           ("xl/worksheets/sheet3.xml", "xl/drawings/drawing2.xml")]:
        assert found[sheet].find(M + "drawing").get(R + "id") == "rId1"
        (anchor,) = found[drawing].iter(XDR + "twoCellAnchor")
        start = int(anchor.find(f"{XDR}from/{XDR}row").text)
        last_cell_row = max(int(r.get("r")) for r in found[sheet].iter(M + "row") if len(r))
        assert start >= last_cell_row - 1  # below the table (rows from 0 here)
        assert int(anchor.find(f"{XDR}to/{XDR}row").text) > start + 10
        assert anchor.find(f"{XDR}graphicFrame/{A}graphic/{A}graphicData/{C}chart") is not None


def test_number_format_codes():
    assert number_format(0) == "#,##0" and number_format(2) == "#,##0.00"
    assert number_format(2, True) == "+#,##0.00;-#,##0.00;#,##0.00"


def test_a_summarys_signed_cells_show_their_sign(tracking):
    _, data = tracking
    ws = openpyxl.load_workbook(BytesIO(data))["风险项目"]
    signed = [c for row in ws.iter_rows() for c in row if c.number_format.startswith("+")]
    assert signed and all(isinstance(c.value, (int, float)) for c in signed)


def test_a_table_cell_that_continues_from_the_page_before_starts_below_its_repeated_rows():
    table = Table(widths=[50, 50], n_rows=3, repeated=1, heads=frozenset({0}), heights=[15, 15, 15], cells=[
        Cell(0, 0, 1, 1, "重复的表头", frozenset({"head"})),
        Cell(0, 1, 3, 1, "跨页", frozenset({"label"})),  # begins in the repeated row
        Cell(1, 0, 2, 1, "新", frozenset({"text"})),
    ])
    page = Page(kind="selfeval", orientation="portrait", title="T", subtitle="", blocks=[table])
    ws = openpyxl.load_workbook(BytesIO(xlsx([LaidOut(page, "x")]))).active
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert merged == {"A1:B1", "A2:A3", "B2:B3"}  # the title; the 3-row cell over the 2 rows below the repeated one
    assert ws["B2"].value == "跨页" and ws["A2"].value == "新"
    assert ws["A1"].value == "T" and "重复的表头" not in [c.value for row in ws.iter_rows() for c in row]
