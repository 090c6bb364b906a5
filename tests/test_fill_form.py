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

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed: `make test` installs it as root")
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
    assert main(["template", "form", "-o", str(form), "--rows", str(ROWS), "--year", "2024"]) == 0
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


@needs_soffice
def test_the_formulas_compute_what_the_rules_do(recalculated, tmp_path):
    _, typed = recalculated
    files = sorted(typed.glob("*.xlsx"))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), *map(str, files)],
                   capture_output=True, timeout=900, check=True)
    for path, doc in zip(files, SELFEVALS):
        recalculated_file = tmp_path / "out" / path.name
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
