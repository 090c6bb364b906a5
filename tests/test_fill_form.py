"""The fill-in form (`reportgen template form`): the seed 自评表 typed into it, recalculated
by LibreOffice as Excel would, compute what reportgen's rules compute, and read back."""
from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import SEEDS
from reportgen.cli import main
from reportgen.readers import read_file
from reportgen.rules import execution_rates, funding_score, grade_for

FUNDING = {"total": "年度资金总额", "fiscal": "其中：当年财政拨款", "carryover": "上年结转资金", "other": "其他资金"}
SELFEVALS = [doc for path in SEEDS for doc in read_file(path).documents if doc.kind == "selfeval"]
ROWS = max(len(doc.indicators) for doc in SELFEVALS)


def labels(sheet) -> dict[str, tuple[int, int]]:
    return {str(c.value): (c.row, c.column) for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}


def type_in(form: Path, doc, target: Path) -> None:
    """Type a document into the form's input cells, as a user does."""
    workbook = load_workbook(form)
    sheet = workbook.worksheets[0]
    at = labels(sheet)
    heads = {str(c.value): c.column for c in sheet[at["年初预算数"][0]] if c.value}
    sheet.cell(at["项目名称"][0], 2, doc.project)
    sheet.cell(at["主管部门"][0], 2, doc.department)
    sheet.cell(at["实施单位"][0], at["实施单位"][1] + 1, doc.unit)
    sheet.cell(2, 1, f"({doc.year}年度)")
    for key, label in FUNDING.items():
        row = getattr(doc.funding, key)
        for column, value in (("年初预算数", row.initial), ("全年预算数", row.budget), ("全年执行数", row.executed)):
            sheet.cell(at[label][0], heads[column], value)
    sheet.cell(at["年度资金总额"][0], heads["分值"], doc.funding.total.weight)
    first = at["一级指标"][0] + 1
    for r, i in enumerate(doc.indicators, start=first):
        for c, value in enumerate((i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score, i.deviation), start=1):
            cell = sheet.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"
    workbook.save(target)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forms")
    form = folder / "form.xlsx"
    assert main(["template", "form", "-o", str(form), "--kind", "selfeval", "--rows", str(ROWS), "--year", "2024"]) == 0
    typed = folder / "typed"
    typed.mkdir()
    for k, doc in enumerate(SELFEVALS):
        type_in(form, doc, typed / f"{k:02d}.xlsx")
    return form, typed


def test_only_the_input_cells_are_open(recalculated):
    form, _ = recalculated
    sheet = load_workbook(form).worksheets[0]
    assert sheet.protection.sheet and not sheet.protection.password
    at = labels(sheet)
    assert sheet.cell(at["项目名称"][0], 2).protection.locked is False
    assert sheet.cell(*at["项目名称"]).protection.locked is True
    total = at["总分"][0]
    formulas = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and all(c.protection.locked for c in formulas)
    assert any(c.row == total for c in formulas)


@pytest.fixture(scope="module")
def by_libreoffice(recalculated, tmp_path_factory):
    """The typed forms opened and saved by LibreOffice: the formulas' values computed."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make test` installs it as root")
    _, typed = recalculated
    out = tmp_path_factory.mktemp("recalculated")
    files = sorted(typed.glob("*.xlsx"))
    subprocess.run(["soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), *map(str, files)],
                   capture_output=True, timeout=900, check=True)
    return [out / path.name for path in files]


def test_the_formulas_compute_what_the_rules_do(by_libreoffice):
    for recalculated_file, doc in zip(by_libreoffice, SELFEVALS):
        sheet = load_workbook(recalculated_file, data_only=True).worksheets[0]
        at = labels(sheet)
        heads = {str(c.value): c.column for c in sheet[at["年初预算数"][0]] if c.value}
        row = at["年度资金总额"][0]
        total = doc.funding.total
        rate = execution_rates(total.executed, total.budget)[0]
        score = funding_score(rate, total.weight)
        total_score = score + sum(i.score for i in doc.indicators)
        got = [sheet.cell(row, heads[h]).value for h in ("执行率(%)", "得分")]
        assert [Decimal(repr(v)) for v in got] == [rate, score], doc.project
        assert Decimal(repr(sheet.cell(at["总分"][0], at["得分"][1]).value)).quantize(Decimal("0.01")) == total_score
        assert sheet.cell(at["评分等级"][0], 2).value == grade_for(total_score)
        back = read_file(recalculated_file).documents[0]
        assert back.project == doc.project and back.year == doc.year
        assert [(i.level1, i.level2, i.name, i.target, i.weight, i.score) for i in back.indicators] == \
            [(i.level1, i.level2, i.name, i.target, i.weight, i.score) for i in doc.indicators]
        assert back.total_score == total_score and back.grade == grade_for(total_score)
        assert not [w for w in back.warnings if "computed" in w.reason]  # LibreOffice's values agree


def test_values_the_file_lacks_are_computed_and_said(recalculated):
    """A form saved by a program that does not calculate (openpyxl) holds formulas
    without values: reportgen computes them, each in a warning."""
    _, typed = recalculated
    doc = SELFEVALS[0]
    back = read_file(sorted(typed.glob("*.xlsx"))[0]).documents[0]
    total = back.funding.total
    assert total.rate == execution_rates(doc.funding.total.executed, doc.funding.total.budget)[0]
    assert back.total_score == total.score + sum(i.score for i in doc.indicators)
    assert back.grade == grade_for(back.total_score)
    said = [w.reason for w in back.warnings]
    assert any(r.startswith("total_score: computed by reportgen as ") for r in said)
    assert any(r.startswith("grade: computed by reportgen as ") for r in said)


def test_a_computed_value_that_disagrees_is_replaced_and_said(by_libreoffice, tmp_path):
    import zipfile
    source = by_libreoffice[0]
    grade = read_file(source).documents[0].grade
    wrong = "差" if grade != "差" else "优"
    tampered = tmp_path / "tampered.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(tampered, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<v>{grade}</v>".encode(), f"<v>{wrong}</v>".encode())
            new.writestr(item, data)
    back = read_file(tampered).documents[0]
    assert back.grade == grade
    assert f"grade: the file's computed {wrong} is not what the rules give, {grade}: reportgen's is used" in \
        [w.reason for w in back.warnings]


def right_of(sheet, at, label):
    row, column = at[label]
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col == column:
            return row, merged.max_col + 1
    return row, column + 1


@pytest.mark.parametrize("kind", ["tracking", "target"])
def test_the_other_kinds_have_their_form_too(tmp_path, kind):
    """A 跟踪表 and a 申报表 to fill in: their inputs open, their indicator rows read back,
    the empty rows ignored; the 跟踪表's 执行率 computed by the rules."""
    form = tmp_path / "form.xlsx"
    assert main(["template", "form", "-o", str(form), "--kind", kind, "--rows", "8", "--year", "2025"]) == 0
    workbook = load_workbook(form)
    sheet = workbook.worksheets[0]
    at = labels(sheet)
    assert sheet.protection.sheet
    cell = sheet.cell(*right_of(sheet, at, "项目名称"))
    assert cell.protection.locked is False
    cell.value = "示范项目"
    heads_row = at["一级指标"][0]
    heads = {str(c.value): c.column for c in sheet[heads_row] if c.value}
    value_head = "年度指标值" if kind == "tracking" else "年度(/项目)指标值"
    for r, (name, target) in enumerate((("培训人数", "≥100人"), ("学员满意度", "≥90%")), start=heads_row + 1):
        sheet.cell(r, heads["一级指标"], "产出指标" if r == heads_row + 1 else "满意度指标")
        sheet.cell(r, heads["二级指标"], "数量指标" if r == heads_row + 1 else "服务对象满意度指标")
        sheet.cell(r, heads["三级指标"], name)
        sheet.cell(r, heads[value_head], target).data_type = "s"
    total_row = at["年度资金总额" if kind == "tracking" else "年度资金申请总额"][0]
    if kind == "tracking":
        funding = {str(c.value): c.column for c in sheet[at["年初预算数"][0]] if c.value}
        sheet.cell(total_row, funding["跟踪期预算数"], 40)
        sheet.cell(total_row, funding["跟踪期执行数"], 30)
    else:
        sheet.cell(*right_of(sheet, at, "年度资金申请总额"), 40)
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    doc = read_one_doc(filled)
    assert (doc.kind, doc.year, doc.project) == (kind, 2025, "示范项目")
    assert [(i.level1, i.level2, i.name, i.target) for i in doc.indicators] == [
        ("产出指标", "数量指标", "培训人数", "≥100人"), ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%")]
    assert doc.funding.total.budget == 40
    if kind == "tracking":
        assert doc.funding.total.rate == Decimal("75.00")


def read_one_doc(path):
    result = read_file(path)
    assert not result.errors, result.errors
    (doc,) = result.documents
    return doc
