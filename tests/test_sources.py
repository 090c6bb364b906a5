"""Every source type read back: reportgen's own outputs (XLSX, DOCX, PDF, HTML) read to
the same documents, the same after another office suite re-saved them or a user edited
a cell, old .doc/.xls through LibreOffice, and the messages of files without a form."""
from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import comparable
from reportgen.model import Document
from reportgen.readers import read_file
from reportgen.rules import DEFAULT_RULES, with_grade

FORMATS = ("xlsx", "docx", "html", "pdf")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed: `make test` installs it as root")


def printed(doc: Document) -> Document:
    """The document as `render` prints it: a missing 评分等级 filled from the bands."""
    return with_grade(doc, DEFAULT_RULES)


def read_one(path: Path) -> Document:
    result = read_file(path)
    assert not result.errors, result.errors
    (doc,) = result.documents
    return doc


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_seed_form_and_sample_reads_back_from_its_rendered_file(seed_outputs, fmt):
    _, rendered = seed_outputs
    assert len(rendered) == 79
    for doc, files in rendered:
        back = read_one(files[fmt])
        assert comparable(back, fmt) == comparable(printed(doc), fmt), (doc.project, fmt)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_nothing_of_a_rendered_file_is_lost(seed_outputs, fmt):
    """Every row of the file is read into a field or is a warning naming its place:
    reportgen's own files leave no warnings but the page furniture."""
    _, rendered = seed_outputs
    for doc, files in rendered[::9]:
        result = read_file(files[fmt])
        said = [what for explanation in [result.preamble, *result.explanations] for _, what, _ in explanation]
        assert said and not [w for w in said if w.startswith("warning")], (doc.project, said)


@needs_soffice
def test_files_re_saved_by_libreoffice_read_back_the_same(seed_outputs, tmp_path):
    _, rendered = seed_outputs
    chosen = rendered[::20]
    for fmt in ("xlsx", "docx"):
        # convert to the old format and back: what another office suite writes
        sources = [str(files[fmt]) for _, files in chosen]
        old = {"xlsx": "ods", "docx": "odt"}[fmt]
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", old, "--outdir", str(tmp_path / old), *sources],
                       capture_output=True, timeout=600, check=True)
        again = [str(p) for p in sorted((tmp_path / old).glob(f"*.{old}"))]
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", fmt, "--outdir", str(tmp_path / fmt), *again],
                       capture_output=True, timeout=600, check=True)
        for doc, files in chosen:
            re_saved = tmp_path / fmt / files[fmt].name
            assert comparable(read_one(re_saved), fmt) == comparable(printed(doc), fmt), (doc.project, fmt)


def test_a_value_edited_in_the_workbook_is_read(seed_outputs, tmp_path):
    _, rendered = seed_outputs
    doc, files = next((d, f) for d, f in rendered if d.kind == "selfeval" and d.indicators)
    workbook = load_workbook(files["xlsx"])
    sheet = workbook.worksheets[0]
    name_cell = next(cell for row in sheet.iter_rows() for cell in row if cell.value == doc.indicators[0].name)
    actual = sheet.cell(name_cell.row, name_cell.column + 2)  # 年度指标值, then 实际完成值
    actual.value = "已修改的完成值"
    total = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "年度资金总额")
    executed = sheet.cell(total.row, total.column + 3)  # 年初预算数, 全年预算数, 全年执行数
    executed.value = 12.34
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    back = read_one(edited)
    assert back.indicators[0].actual == "已修改的完成值"
    assert back.funding.total.executed == Decimal("12.34")
    assert back.indicators[1:] == printed(doc).indicators[1:]


@needs_soffice
@pytest.mark.parametrize("fmt, old", [("docx", "doc"), ("xlsx", "xls")])
def test_old_office_files_are_read_through_libreoffice(seed_outputs, tmp_path, fmt, old):
    _, rendered = seed_outputs
    doc, files = rendered[0]
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", old, "--outdir", str(tmp_path), str(files[fmt])],
                   capture_output=True, timeout=300, check=True)
    back = read_one(tmp_path / f"{files[fmt].stem}.{old}")
    assert back.source.file == f"{files[fmt].stem}.{old}"
    assert comparable(back, fmt) == comparable(printed(doc), fmt)


def test_an_old_office_file_without_libreoffice_says_how_to_go_on(tmp_path, monkeypatch):
    monkeypatch.setattr("reportgen.readers.office.soffice", lambda: None)
    path = tmp_path / "表.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    result = read_file(path)
    (error,) = result.errors
    assert "LibreOffice" in str(error) and "save it as .docx" in str(error) and str(path) in str(error)


def test_a_pdf_without_text_layer_asks_for_ocr(tmp_path):
    from PIL import Image
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    (error,) = read_file(path).errors
    assert "no text layer" in str(error) and "OCR" in str(error)


def test_a_page_with_a_title_but_no_form_says_what_it_saw(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><body><h1>财政项目支出绩效自评表</h1><p>本页面仅为目录</p></body></html>",
                    encoding="utf-8")
    (error,) = read_file(path).errors
    message = str(error)
    assert "no form found: looked for a 项目名称" in message
    assert "it has the title '财政项目支出绩效自评表' but no 项目名称 row after it" in message
    assert "layout: an HTML page's tables" in message


def test_spans_of_a_web_table_keep_every_row_on_its_columns(tmp_path):
    """rowspan/colspan on a true grid: the 一级 and 二级 cells spanning their rows leave
    the name in the same column on every row."""
    path = tmp_path / "form.html"
    path.write_text("""<html><head><meta charset="utf-8"></head><body>
<p>财政项目支出绩效目标申报表</p><p>（2025年度）</p>
<table>
<tr><td>项目名称</td><td colspan="3">示范项目</td></tr>
<tr><td>主管部门</td><td>某局</td><td>实施单位</td><td>某中心</td></tr>
<tr><td rowspan="2">项目资金<br>（万元）</td><td>年度资金申请总额</td><td colspan="2">10.00</td></tr>
<tr><td>其中：当年财政拨款</td><td colspan="2">10.00</td></tr>
<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td></tr>
<tr><td rowspan="2">产出指标</td><td rowspan="2">数量指标</td><td>培训人数</td><td>≥100人</td></tr>
<tr><td>培训场次</td><td>≥4场</td></tr>
<tr><td>满意度指标</td><td>服务对象满意度指标</td><td>学员满意度</td><td>≥90%</td></tr>
</table></body></html>""", encoding="utf-8")
    doc = read_one(path)
    assert (doc.kind, doc.year, doc.project, doc.unit) == ("target", 2025, "示范项目", "某中心")
    assert doc.funding.total.budget == Decimal("10.00")
    assert [(i.level1, i.level2, i.name, i.target) for i in doc.indicators] == [
        ("产出指标", "数量指标", "培训人数", "≥100人"), ("产出指标", "数量指标", "培训场次", "≥4场"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%")]


def test_a_form_without_indicators_or_funding_total_is_not_passed_off_as_complete(tmp_path):
    from reportgen.checks import check_document
    path = tmp_path / "cut.txt"
    path.write_text("财政项目支出绩效自评表\n(2024年度)\n项目名称\t半张表\n主管部门\t某局\t实施单位\t某中心\n",
                    encoding="utf-8")
    doc = read_one(path)
    reasons = [w.reason for w in doc.warnings]
    assert "no indicator was read" in reasons and "no funding total (年度资金总额) was read" in reasons
    errors = {f.code for f in check_document(doc) if f.severity == "error"}
    assert {"form.indicators", "form.funding"} <= errors


def test_deeply_nested_web_tables_are_read_once_each(tmp_path):
    """Each nested table is read once, by the table it stands in (reading every
    descendant at every level made a 1 KB page of 30 levels take for ever)."""
    depth = 30
    path = tmp_path / "nested.html"
    path.write_text("<table><tr><td>说明" * depth + "x" + "</td></tr></table>" * depth, encoding="utf-8")
    result = read_file(path)
    (error,) = result.errors
    assert f"({depth} rows read" in str(error)


def test_a_workbook_merging_a_whole_sheet_is_refused_before_it_is_opened(tmp_path, seed_outputs):
    import zipfile
    _, rendered = seed_outputs
    source = rendered[0][1]["xlsx"]
    path = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"<mergeCells", b'<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells><x', 1) \
                    if b"<mergeCells" in data else data
            new.writestr(item, data)
    (error,) = read_file(path).errors
    assert "a merged range of 17,179,869,184 cells: not a form" in str(error)
