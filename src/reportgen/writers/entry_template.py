"""The entry workbook (`reportgen template entry`): sheets 项目 and 指标 to fill in Excel,
WPS or LibreOffice, with what the rules know checked as the user types.

Columns come from entry.py. Headings are frozen, widths and number formats set, input
columns shaded; data validation: 一级 from the official hierarchy, 二级 from the 二级 of
the 一级 chosen (a defined name per 一级 on the hidden sheet 选项, through INDIRECT),
总体判断 and 评分等级 from their lists, amounts ≥ 0, 分值/得分 0–100, dates as dates.
"""
from __future__ import annotations

import csv
import io
from io import BytesIO
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from ..entry import (INDICATORS, KIND_LABEL, LISTS, NOTES, PROJECTS, Column, indicator_columns,
                     project_columns)
from ..model import AMOUNT_UNITS, KIND_NAMES, Document
from ..rules import HIERARCHY, Rules

ROWS = {PROJECTS: 500, INDICATORS: 5000}  # rows given validation and shading
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
_HEAD = PatternFill("solid", fgColor="D9E1F2")
_FORMATS = {"amount": "#,##0.00", "rate": "0.00", "score": "0.00", "year": "0", "date": "yyyy-mm-dd"}
_WIDE = {"project": 32, "indicators.name": 40, "indicators.target": 18, "department": 30, "unit": 30}
_WIDTHS = {"text": 24, "amount": 14, "rate": 11, "score": 9, "year": 8, "date": 12, "month": 10,
           "unit": 8, "grade": 9, "outlook": 14, "level1": 12, "level2": 18}


def entry_workbook(kind: str, rules: Rules, docs: Sequence[Document] = ()) -> Workbook:
    """An entry workbook for one kind of form: blank, or holding the documents (all of
    that kind), a row each on 项目 and a row per indicator on 指标."""
    workbook = Workbook()
    sheets = {PROJECTS: workbook.active}
    sheets[PROJECTS].title = PROJECTS
    for name in (INDICATORS, NOTES, LISTS):
        sheets[name] = workbook.create_sheet(name)
    write_lists(workbook, sheets[LISTS], rules)
    for name, columns in ((PROJECTS, project_columns(kind)), (INDICATORS, indicator_columns(kind))):
        _write_sheet(sheets[name], columns, ROWS[name], kind)
    _write_notes(sheets[NOTES], kind)
    _fill(sheets[PROJECTS], sheets[INDICATORS], kind, docs)
    for name in (PROJECTS, INDICATORS):  # printed: the rows filled, or 20 to fill by hand
        sheet = sheets[name]
        sheet.print_area = f"A1:{get_column_letter(sheet.max_column)}{max(sheet.max_row, 21)}"
    return workbook


def entry_bytes(kind: str, rules: Rules, docs: Sequence[Document] = ()) -> bytes:
    buffer = BytesIO()
    entry_workbook(kind, rules, docs).save(buffer)
    return buffer.getvalue()


def _fill(projects, indicators, kind: str, docs: Sequence[Document]) -> None:
    """The documents' values in their columns: numbers as numbers, text as text (never
    a formula, whatever it starts with)."""
    row_i = 2
    for row_p, doc in enumerate(docs, start=2):
        for c, column in enumerate(project_columns(kind), start=1):
            _put(projects, row_p, c, _field(doc, column.path))
        for indicator in doc.indicators:
            for c, column in enumerate(indicator_columns(kind), start=1):
                value = doc.project if column.path == "project" else _field(indicator, column.path.split(".", 1)[1])
                _put(indicators, row_i, c, value)
            row_i += 1


def _field(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = getattr(value, part, None) if value is not None else None
    return value


def _put(sheet, row: int, column: int, value: Any) -> None:
    if value is None or value == "":
        return
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"


def write_lists(workbook: Workbook, sheet, rules: Rules) -> None:
    """The lists the validation draws from: 一级 names; per 一级, its 二级 (a defined
    name each, for the dependent list); grades; outlooks; amount units."""
    sheet.sheet_state = "hidden"
    columns = {"一级指标": list(HIERARCHY), **{name: list(children) for name, children in HIERARCHY.items()},
               "评分等级": [grade for grade, _ in rules.grade_bands] + [rules.lowest_grade],
               "完成可能性": [*sorted(rules.certain)[:1], *sorted(rules.possible)[:1], *sorted(rules.impossible)[:1]],
               "金额单位": list(AMOUNT_UNITS)}
    for c, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(c)
        sheet.cell(1, c, name)
        for r, value in enumerate(values, start=2):
            sheet.cell(r, c, value)
        ref = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(values) + 1}"
        workbook.defined_names[name] = DefinedName(name, attr_text=ref)


_LIST_OF = {"level1": "=一级指标", "grade": "=评分等级", "outlook": "=完成可能性", "unit": "=金额单位"}


def _write_sheet(sheet, columns: list[Column], rows: int, kind: str) -> None:
    sheet.freeze_panes = "B2"
    for c, column in enumerate(columns, start=1):
        letter = get_column_letter(c)
        cell = sheet.cell(1, c, column.heading)
        cell.font, cell.fill = Font(bold=True), _HEAD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dimension = sheet.column_dimensions[letter]
        dimension.width = _WIDE.get(column.path, _WIDTHS.get(column.type, 14))
        dimension.fill = INPUT_FILL
        dimension.number_format = _FORMATS.get(column.type, "@")

        validation = _validation(column, letter, columns)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{rows + 1}")
    sheet.row_dimensions[1].height = 36
    # printed (to check what was typed): A4 landscape, the headings and the project's
    # name on every page, as many pages across as the columns take
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows, sheet.print_title_cols = "1:1", "A:A"
    sheet.print_options.gridLines = True


def _validation(column: Column, letter: str, columns: list[Column]) -> DataValidation | None:
    kind = column.type
    if kind in _LIST_OF:
        return DataValidation(type="list", formula1=_LIST_OF[kind], allow_blank=True,
                              error=f"{column.heading}：请从列表中选择", errorTitle=column.heading)
    if kind == "level2":
        level1 = next(i for i, c in enumerate(columns, start=1) if c.type == "level1")
        return DataValidation(type="list", formula1=f"=INDIRECT(${get_column_letter(level1)}2)",
                              allow_blank=True, error="二级指标须属于所选的一级指标", errorTitle="二级指标")
    if kind in ("amount", "rate"):
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                              error=f"{column.heading}：须为不小于 0 的数", errorTitle=column.heading)
    if kind == "score":
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                              allow_blank=True, error=f"{column.heading}：须为 0 到 100 之间的数",
                              errorTitle=column.heading)
    if kind == "year":
        return DataValidation(type="whole", operator="between", formula1="1990", formula2="2100",
                              allow_blank=True, error="年度：如 2024", errorTitle="年度")
    if kind == "date":
        return DataValidation(type="date", operator="greaterThan", formula1="32874", allow_blank=True,
                              error=f"{column.heading}：须为日期", errorTitle=column.heading)
    return None


def _write_notes(sheet, kind: str) -> None:
    sheet["A1"], sheet["B1"] = KIND_LABEL, KIND_NAMES[kind]
    sheet["A1"].font = Font(bold=True)
    sheet["A3"] = "每个项目在“项目”表占一行；每个绩效指标在“指标”表占一行，以项目名称对应。填好后：reportgen render 本文件 -o 输出目录"
    row = 5
    for name, columns in ((PROJECTS, project_columns(kind)), (INDICATORS, indicator_columns(kind))):
        sheet.cell(row, 1, f"{name}表").font = Font(bold=True)
        row += 1
        for column in columns:
            sheet.cell(row, 1, column.heading)
            sheet.cell(row, 2, column.help + ("（必填）" if column.required else ""))
            row += 1
        row += 1
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 60


def entry_csv(kind: str) -> dict[str, bytes]:
    """The entry tables as CSV (UTF-8 with a BOM, so that Excel opens them right): the
    headings of 项目 and 指标, by sheet name."""
    out = {}
    for name, columns in ((PROJECTS, project_columns(kind)), (INDICATORS, indicator_columns(kind))):
        text = io.StringIO()
        csv.writer(text).writerow([column.heading for column in columns])
        out[name] = ("\ufeff" + text.getvalue()).encode("utf-8")
    return out
