"""reportgen summary as a user runs it: the summaries of the seeds in three formats,
with their charts, and the same tables in each."""
from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import pdf_text
from reportgen.cli import main
from reportgen.layout import layout_summary
from reportgen.readers import read_file
from reportgen.summary import summarize
from test_outputs import docx_cells

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
SELFEVAL_2024 = "2024_自评表汇总_上海市普陀区人力资源和社会保障局"
TRACKING_2024 = "2024_跟踪表汇总_上海市闵行区人力资源和社会保障局(汇总)"


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    out = tmp_path_factory.mktemp("summaries")
    assert main(["summary", *map(str, SEEDS), "-o", str(out)]) == 0
    return out


def test_one_file_per_summary_and_format_plus_the_cross_year_table(summaries):
    stems = {path.stem for path in summaries.iterdir()}
    assert stems == {SELFEVAL_2024, TRACKING_2024, "2020_自评表汇总_上海市人力资源和社会保障局",
                     "2024_目标申报表汇总_上海市人力资源和社会保障局", "跨年度项目对照"}
    assert len(list(summaries.iterdir())) == 15


def test_pdf_ranks_the_projects_and_shows_the_charts(summaries):
    pdf = summaries / f"{SELFEVAL_2024}.pdf"
    lines = pdf_text(pdf).splitlines()
    first = next(line for line in lines if line.strip().startswith("1 "))
    assert "公车购置经费" in first and "100.00" in first
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    images = [line for line in listed if line.split()[2] == "image"]  # not their alpha masks
    assert len(images) == 2  # grade distribution, score ranking
    tracking = pdf_text(summaries / f"{TRACKING_2024}.pdf")
    for project in ("技能竞赛专项经费", "评价机构服务经费", "线上培训补贴"):
        assert project in tracking.split("三、风险项目")[1]


def test_docx_has_the_pictures_and_the_layout_tables(summaries):
    word = docx.Document(str(summaries / f"{SELFEVAL_2024}.docx"))
    assert len(word.inline_shapes) == 2
    (summary,) = [s for s in summarize(read_file(SEEDS[3]).documents)]
    page = layout_summary(summary).grid
    assert len(word.tables) == len(page.tables) == 4
    for table, grid in zip(word.tables, page.tables):
        assert docx_cells(table) == {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells}


def test_xlsx_has_native_charts_and_no_formula(summaries):
    path = summaries / f"{SELFEVAL_2024}.xlsx"
    with zipfile.ZipFile(path) as package:
        charts = [name for name in package.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 2
    ws = openpyxl.load_workbook(path).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "公车购置经费" in values and all(
        c.data_type != "f" for row in ws.iter_rows() for c in row)
