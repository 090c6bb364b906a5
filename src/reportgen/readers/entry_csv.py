"""The entry workbook as a pair of CSV files (`X-项目.csv` and `X-指标.csv`, UTF-8 with a
BOM, as `reportgen template entry --to csv` writes and Excel saves them): read as the
workbook is (readers/entry_workbook.py), its sheets made from the two files.

The pair is read through its 项目 file; the 指标 file, given too, adds nothing. The kind
of form comes from the 项目 headings (跟踪期起: 跟踪表; 总分: 自评表; 年度: 申报表).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator


from ..entry import INDICATORS, PROJECTS
from ..errors import InputError
from . import register
from .decoding import decode
from .entry_workbook import read_entry_workbook
from .forms import FormsResult

_MAX_BYTES = 200_000_000


def partner(path: Path) -> tuple[Path, Path] | None:
    """The pair (项目 file, 指标 file) a CSV file belongs to, by its name."""
    for own, other in ((PROJECTS, INDICATORS), (INDICATORS, PROJECTS)):
        if path.stem.endswith(own):
            twin = path.with_name(path.stem[: -len(own)] + other + path.suffix)
            return (path, twin) if own == PROJECTS else (twin, path)
    return None


def _rows(path: Path) -> list[list[str]]:
    if path.stat().st_size > _MAX_BYTES:
        raise InputError(str(path), None, f"over {_MAX_BYTES // 1_000_000} MB: not an entry table")
    text, _ = decode(path.read_bytes(), str(path))
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@register(".csv")
def iter_entry_csv(path: Path) -> Iterator[FormsResult]:
    pair = partner(path)
    if pair is None:
        yield FormsResult(errors=[InputError(str(path), None, f"a CSV input is half of an entry table pair: "
                                             f"name it …{PROJECTS}.csv, beside its …{INDICATORS}.csv")])
        return
    projects, indicators = pair
    if path == indicators:
        if projects.is_file():
            return  # read with its 项目 file
        yield FormsResult(errors=[InputError(str(path), None, f"no {projects.name} beside it")])
        return
    if not indicators.is_file():
        yield FormsResult(errors=[InputError(str(path), None, f"no {indicators.name} beside it")])
        return
    from openpyxl import Workbook  # loaded where a CSV pair is read

    workbook = Workbook()
    workbook.active.title = PROJECTS
    workbook.create_sheet(INDICATORS)
    try:
        for name, source in ((PROJECTS, projects), (INDICATORS, indicators)):
            for row in _rows(source):
                workbook[name].append([cell if cell.strip() else None for cell in row])
    except InputError as exc:
        yield FormsResult(errors=[exc])
        return
    except csv.Error as exc:
        yield FormsResult(errors=[InputError(str(path), None, f"not a readable CSV file ({exc})")])
        return
    yield read_entry_workbook(path, workbook)
