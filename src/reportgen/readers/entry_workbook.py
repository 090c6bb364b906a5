"""Entry workbooks (`reportgen template entry`, filled in Excel, WPS or LibreOffice):
a row per project on 项目, a row per indicator on 指标, read into documents.

Columns are found by their headings (entry.py), so reordered columns read the same.
Every bad cell is an error naming its sheet and cell (`指标!F12: 分值 "十" is not a
number`), all of them, not only the first; a project with such an error is not read,
the others are. An indicator whose project is not on 项目, or a project without
indicators, is an error naming both places.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any


from ..entry import (INDICATORS, KIND_LABEL, NOTES, PROJECTS, Column, indicator_columns,
                     kind_of_name, project_columns)
from ..errors import InputError
from ..model import AMOUNT_UNITS, ParseWarning, document_from_dict, parse_date, parse_decimal, shown
from ..rules import HIERARCHY, LEVEL2_NAMES
from .forms import FormsResult


def is_entry_workbook(workbook: Any) -> bool:
    return PROJECTS in workbook.sheetnames and INDICATORS in workbook.sheetnames


def read_entry_workbook(path: Path, workbook: Any) -> FormsResult:
    """Given an entry workbook, return its documents and an error per bad cell."""
    name = str(path)
    result = FormsResult()
    kind = _kind(workbook)
    if kind is None:
        result.errors.append(InputError(name, f"{NOTES}!B1", f"{KIND_LABEL}: name the kind of form "
                                        "(目标申报表, 跟踪表 or 自评表)"))
        return result
    reader = _Reader(name, kind, result)
    projects = reader.sheet(workbook[PROJECTS], project_columns(kind))
    indicators = reader.sheet(workbook[INDICATORS], indicator_columns(kind))
    reader.documents(projects, indicators, Path(name).name)
    if not projects and not result.errors:
        result.errors.append(InputError(name, f"{PROJECTS}!A2", "no project: the entry workbook is not filled in"))
    return result


def _kind(workbook: Any) -> str | None:
    """The kind 说明!B1 names, else the one the 项目 headings show."""
    if NOTES in workbook.sheetnames and workbook[NOTES]["A1"].value == KIND_LABEL:
        return kind_of_name(str(workbook[NOTES]["B1"].value or "").strip())
    headings = {str(c.value) for c in next(workbook[PROJECTS].iter_rows(max_row=1), ())}
    if "跟踪期起" in headings:
        return "tracking"
    return "selfeval" if "总分" in headings else "target" if "年度" in headings else None


class _Reader:
    def __init__(self, file: str, kind: str, result: FormsResult):
        self.file, self.kind, self.result = file, kind, result
        self.bad_rows: set[tuple[str, int]] = set()

    def error(self, sheet: str, row: int, where: str, problem: str) -> None:
        self.result.errors.append(InputError(self.file, where, problem))
        self.bad_rows.add((sheet, row))

    # ------------------------------------------------------------ cells

    def sheet(self, sheet: Any, columns: list[Column]) -> list[tuple[int, dict[str, Any]]]:
        """The sheet's filled rows as (row number, {path: value}), each value converted."""
        by_heading = {c.heading: c for c in columns}
        header = next(sheet.iter_rows(max_row=1), ())
        at: dict[int, Column] = {}
        for cell in header:
            heading = str(cell.value).strip() if cell.value is not None else ""
            if heading in by_heading:
                at[cell.column] = by_heading[heading]
            elif heading:
                self.result.warnings.append(ParseWarning(None, heading, "a column reportgen does not know: not read",
                                                         f"{sheet.title}!{cell.coordinate}"))
        missing = [c.heading for c in columns if c.required and c not in at.values()]
        if missing:
            self.error(sheet.title, 1, f"{sheet.title}!1", f"no column {', '.join(missing)}")
            return []
        rows = []
        for r, cells in enumerate(sheet.iter_rows(min_row=2, max_col=max(at, default=1)), start=2):
            values: dict[str, Any] = {}
            for cell in cells:
                column = at.get(cell.column)
                if column is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                    continue
                try:
                    value = self.value(column, cell.value, values)
                    if value is not None:  # a dash or slash in a number cell: no number
                        values[column.path] = value
                except InputError as exc:
                    self.error(sheet.title, r, f"{sheet.title}!{cell.coordinate}", f"{column.heading} {exc.problem}")
            if values or (sheet.title, r) in self.bad_rows:
                for column in columns:
                    if column.required and column.path not in values and (sheet.title, r) not in self.bad_rows:
                        from openpyxl.utils import get_column_letter

                        letter = get_column_letter(next(k for k, c in at.items() if c is column))
                        self.error(sheet.title, r, f"{sheet.title}!{letter}{r}", f"{column.heading} is empty")
                rows.append((r, values))
        return rows

    def value(self, column: Column, value: Any, row: dict[str, Any]) -> Any:
        kind = column.type
        if kind in ("amount", "rate", "score"):
            number = _number(value)
            if number is None:
                return None
            if kind != "rate" and number < 0:
                raise InputError(None, None, f"{shown(value)} is below 0")
            if kind == "score" and number > 100:
                raise InputError(None, None, f"{shown(value)} is above 100")
            return number
        if kind == "year":
            text = str(value).strip()
            if isinstance(value, float) and value.is_integer():
                text = str(int(value))
            if not (text.isascii() and text.isdigit() and len(text) == 4):
                raise InputError(None, None, f"{shown(value)} is not a year such as 2024")
            return int(text)
        if kind == "date":
            if isinstance(value, dt.datetime):
                return value.date().isoformat()
            if isinstance(value, dt.date):
                return value.isoformat()
            return parse_date(str(value).strip(), "")
        if kind == "month":
            if isinstance(value, (dt.date, dt.datetime)):
                return f"{value.year}-{value.month:02d}"
            text = str(value).strip().replace("/", "-").replace("年", "-").rstrip("月")
            year, _, month = text.partition("-")
            if not (year.isdigit() and len(year) == 4 and month.isdigit() and 1 <= int(month) <= 12):
                raise InputError(None, None, f"{shown(value)} is not a month such as 2024-08")
            return f"{year}-{int(month):02d}"
        text = _text(value)
        if kind == "unit" and text not in AMOUNT_UNITS:
            raise InputError(None, None, f"{shown(text)} is not one of {', '.join(AMOUNT_UNITS)}")
        if kind == "level1" and text not in HIERARCHY:
            raise InputError(None, None, f"{shown(text)} is not a 一级指标 ({', '.join(HIERARCHY)})")
        if kind == "level2" and text not in LEVEL2_NAMES:
            # a known 二级 under another 一级 is read as written: `check` reports it
            level1 = row.get("indicators.level1")
            allowed = HIERARCHY.get(level1, ()) if level1 else tuple(sorted(LEVEL2_NAMES))
            if allowed:
                under = f"a 二级 of {level1}" if level1 else "a 二级指标"
                raise InputError(None, None, f"{shown(text)} is not {under} ({', '.join(allowed)})")
        return text

    # ------------------------------------------------------------ documents

    def documents(self, projects: list[tuple[int, dict[str, Any]]],
                  indicators: list[tuple[int, dict[str, Any]]], file_name: str) -> None:
        first_row: dict[str, int] = {}
        for r, values in projects:
            name = values.get("project")
            if name in first_row:
                self.error(PROJECTS, r, f"{PROJECTS}!A{r}", f"项目 {shown(name)} is on 项目 twice (rows {first_row[name]} and {r})")
            elif name:
                first_row[name] = r
        by_project: dict[str, list[tuple[int, dict[str, Any]]]] = {name: [] for name in first_row}
        for r, values in indicators:
            name = values.get("project")
            if name is None:
                continue
            if name not in by_project:
                self.error(INDICATORS, r, f"{INDICATORS}!A{r}",
                           f"项目 {shown(name)} is not on {PROJECTS} (项目!A2:A{max(first_row.values(), default=1)})")
                continue
            by_project[name].append((r, values))
        for r, values in projects:
            name = values.get("project")
            if name is None or first_row.get(name) != r:
                continue
            rows = by_project[name]
            if not rows:
                self.error(PROJECTS, r, f"{PROJECTS}!A{r}", f"项目 {shown(name)} has no indicator on {INDICATORS}")
                continue
            if (PROJECTS, r) in self.bad_rows or any((INDICATORS, ir) in self.bad_rows for ir, _ in rows):
                continue
            try:
                self.result.documents.append(self.document(values, rows, file_name, r))
            except InputError as exc:
                self.result.errors.append(InputError(self.file, f"{PROJECTS}!A{r}", str(exc)))

    def document(self, values: dict[str, Any], rows: list[tuple[int, dict[str, Any]]],
                 file_name: str, r: int) -> Any:
        data: dict[str, Any] = {"kind": self.kind}
        for path, value in values.items():
            _put(data, path, value)
        if self.kind == "tracking":
            data["year"] = int(data["period"]["end"][:4])
            data.setdefault("outlook", {})
        data["indicators"] = [{path.split(".", 1)[1]: value for path, value in row.items() if path != "project"}
                              for _, row in rows]
        data["source"] = {"file": file_name, "first_line": r, "last_line": r}
        return document_from_dict(data, f"{PROJECTS}!{r}")


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _number(value: Any) -> Decimal | None:
    """A number cell's value: a number as typed (a float by its shortest digits), or
    text that is one; None for a placeholder (`-`, `/`)."""
    if isinstance(value, bool):
        raise InputError(None, None, f"{shown(value)} is not a number")
    if isinstance(value, float):
        return Decimal(repr(value))
    return parse_decimal(value if isinstance(value, int) else str(value).strip(), "")


def _text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()
