"""The entry workbook: written by `reportgen template entry`, filled with openpyxl as a
user fills it in Excel, read back to the same documents; mistakes are errors naming
their cells."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import SAMPLES, SEEDS, comparable
from reportgen.cli import main
from reportgen.entry import INDICATORS, PROJECTS, indicator_columns, project_columns
from reportgen.model import Document
from reportgen.readers import read_file
from reportgen.rules import HIERARCHY


def template(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"entry-{kind}.xlsx"
    assert main(["template", "entry", "-o", str(path), "--kind", kind]) == 0
    return path


def field(doc: Document, path: str, indicator=None):
    value = indicator if path.startswith("indicators.") else doc
    for part in path.split(".")[1:] if path.startswith("indicators.") else path.split("."):
        value = getattr(value, part) if value is not None else None
    return value


def put(sheet, row: int, column: int, value) -> None:
    """A value as typed: numbers as numbers, text as text (the template's text columns
    are formatted as text, so Excel keeps `=100.00(%)` as typed, not as a formula)."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"


def fill(path: Path, docs: list[Document]) -> None:
    """Fill the workbook's rows by their headings, numbers as numbers, as a user types."""
    workbook = load_workbook(path)
    kind = docs[0].kind
    projects, indicators = workbook[PROJECTS], workbook[INDICATORS]
    heads = {sheet.title: {c.value: c.column for c in sheet[1]} for sheet in (projects, indicators)}
    row_p = row_i = 2
    for doc in docs:
        for column in project_columns(kind):
            value = field(doc, column.path)
            if value is not None:
                put(projects, row_p, heads[PROJECTS][column.heading], value)
        row_p += 1
        for indicator in doc.indicators:
            for column in indicator_columns(kind):
                value = doc.project if column.path == "project" else field(doc, column.path, indicator)
                if value is not None:
                    put(indicators, row_i, heads[INDICATORS][column.heading], value)
            row_i += 1
    workbook.save(path)


def groups() -> list[tuple[str, list[Document]]]:
    """Every seed form and sample, a workbook per input file and kind."""
    by = defaultdict(list)
    for path in [*SEEDS, *SAMPLES]:
        for doc in read_file(path).documents:
            by[(path.name, doc.kind)].append(doc)
    return [(f"{name}-{kind}", docs) for (name, kind), docs in by.items()]


@pytest.mark.parametrize("name, docs", groups(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_seed_form_and_sample_reads_back_from_a_filled_workbook(tmp_path, name, docs):
    path = template(tmp_path, docs[0].kind)
    fill(path, docs)
    result = read_file(path)
    assert not result.errors, result.errors
    assert [comparable(d) for d in result.documents] == [comparable(d) for d in docs]


def test_each_mistake_is_an_error_naming_its_cell(tmp_path):
    doc = read_file(SAMPLES[0]).documents[0]
    path = template(tmp_path, doc.kind)
    fill(path, [doc])
    workbook = load_workbook(path)
    projects, indicators = workbook[PROJECTS], workbook[INDICATORS]
    heads = {c.value: c.column_letter for c in indicators[1]}
    indicators[f"{heads['分值']}3"] = "十"
    indicators[f"{heads['二级指标']}4"] = "数量指"
    indicators["A5"] = "不在项目表上的项目"
    projects["A3"] = "没有指标的项目"
    year = next(c.column_letter for c in projects[1] if c.value == "年度")
    projects[f"{year}3"] = doc.year
    workbook.save(path)
    result = read_file(path)
    messages = sorted(str(e).split(": ", 1)[1] for e in result.errors)
    level1 = indicators[f"{heads['一级指标']}4"].value
    assert messages == sorted([
        f'{INDICATORS}!{heads["分值"]}3: 分值 "十" is not a number',
        f'{INDICATORS}!{heads["二级指标"]}4: 二级指标 "数量指" is not a 二级 of {level1} '
        f'({", ".join(HIERARCHY[level1])})',
        f'{INDICATORS}!A5: 项目 "不在项目表上的项目" is not on 项目 (项目!A2:A3)',
        f'{PROJECTS}!A3: 项目 "没有指标的项目" has no indicator on 指标',
    ])
    assert result.documents == []  # the one project has a bad cell: not read half right


def test_the_template_checks_as_the_user_types(tmp_path):
    workbook = load_workbook(template(tmp_path, "selfeval"))
    sheet = workbook[INDICATORS]
    rules = {str(v.sqref).split(":")[0]: (v.type, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    heads = {c.value: c.column_letter for c in sheet[1]}
    assert rules[f"{heads['一级指标']}2"] == ("list", "=一级指标", None)
    assert rules[f"{heads['二级指标']}2"] == ("list", f"=INDIRECT(${heads['一级指标']}2)", None)
    assert rules[f"{heads['分值']}2"] == ("decimal", "0", "100")
    names = workbook.defined_names
    lists = workbook["选项"]
    for level1, children in HIERARCHY.items():
        ref = names[level1].attr_text.split("!")[1].replace("$", "")
        assert [c.value for row in lists[ref] for c in row] == list(children)
    assert sheet.freeze_panes == "B2"
    assert workbook["说明"]["B1"].value == "自评表"


@pytest.mark.parametrize("name, docs", groups()[:5], ids=lambda v: v if isinstance(v, str) else "")
def test_the_same_tables_as_a_csv_pair_read_back(tmp_path, name, docs):
    """`template entry --to csv` and a filled pair of CSV files (UTF-8 with a BOM, as
    Excel saves them), read through the 项目 file; the 指标 file given too adds nothing."""
    import csv
    kind = docs[0].kind
    assert main(["template", "entry", "-o", str(tmp_path / "entry"), "--kind", kind, "--to", "csv"]) == 0
    for sheet, columns, rows in ((PROJECTS, project_columns(kind), [(d, None) for d in docs]),
                                 (INDICATORS, indicator_columns(kind), [(d, i) for d in docs for i in d.indicators])):
        path = tmp_path / f"entry-{sheet}.csv"
        heads = next(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        assert heads == [c.heading for c in columns]
        with path.open("a", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for doc, indicator in rows:
                values = [doc.project if c.path == "project" and indicator is not None else field(doc, c.path, indicator)
                          for c in columns]
                writer.writerow(["" if v is None else str(v) for v in values])
    result = [read_file(tmp_path / f"entry-{sheet}.csv") for sheet in (PROJECTS, INDICATORS)]
    assert not result[0].errors and not result[1].errors and not result[1].documents
    assert [comparable(d) for d in result[0].documents] == [comparable(d) for d in docs]
