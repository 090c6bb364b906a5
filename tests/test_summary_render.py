"""reportgen summary as a user runs it: the summaries of the seeds in three formats,
with their charts, the same tables in each, and what a finance office prints on them
(issue 8): the department and date on every page, the sign-off line, notes that explain
the columns, a sheet per section in Excel."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import pdf_text
from reportgen.cli import main
from reportgen.layout import layout_summary
from reportgen.layout.charts import chart_faces, wrap_name
from reportgen.readers import read_file
from reportgen.summary import summarize
from test_outputs import docx_cells

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
SELFEVAL_2024 = "2024_自评表汇总_上海市普陀区人力资源和社会保障局"
TRACKING_2024 = "2024_跟踪表汇总_上海市闵行区人力资源和社会保障局"
SIGN_OFF = ("填报人", "审核人", "负责人", "单位（盖章）", "日期")


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    out = tmp_path_factory.mktemp("summaries")
    assert main(["summary", *map(str, SEEDS), "-o", str(out)]) == 0
    return out


def pdf_pages(pdf: Path) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]


def test_one_file_per_summary_and_format_plus_the_cross_year_table(summaries):
    stems = {path.stem for path in summaries.iterdir()}
    assert stems == {SELFEVAL_2024, TRACKING_2024, "2020_自评表汇总_上海市人力资源和社会保障局",
                     "2024_目标申报表汇总_上海市人力资源和社会保障局", "跨年度项目对照"}
    assert len(list(summaries.iterdir())) == 15


def test_collected_files_do_not_put_their_suffix_into_the_title(summaries):
    """闵行区's forms name their department "…(汇总)": the summary is of the department."""
    text = pdf_text(summaries / f"{TRACKING_2024}.pdf")
    assert "汇总)" not in text.replace("汇总表", "") and "上海市闵行区人力资源和社会保障局（金额单位：万元）" in text


def test_pdf_ranks_the_projects_and_draws_vector_charts_in_the_tables_face(summaries):
    pdf = summaries / f"{SELFEVAL_2024}.pdf"
    lines = pdf_text(pdf).splitlines()
    first = next(line for line in lines if line.strip().startswith("1 "))
    assert "公车购置经费" in first and "100.00" in first
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert listed == []  # no raster images: the charts are SVG
    text = pdf_text(pdf)
    assert "评分等级分布" in text and "项目总分排名" in text and "得分最低的项目" in text  # legend
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = {line.split()[0].split("+")[1] for line in fonts.splitlines() if "CJK" in line}
    (face,) = cjk  # charts and tables in one face: the Simplified Chinese serif
    assert face.replace("-", "").lower().startswith("notoserifcjksc"), face
    tracking = pdf_text(summaries / f"{TRACKING_2024}.pdf")
    for project in ("技能竞赛专项经费", "评价机构服务经费", "线上培训补贴"):
        assert project in tracking.split("三、风险项目")[1]
    assert "时间进度 66.67%" in tracking


def test_charts_use_the_simplified_chinese_serif_face():
    from matplotlib.font_manager import FontProperties, findfont

    assert chart_faces()[0] == "Noto Serif CJK SC"
    found = findfont(FontProperties(family=chart_faces()))
    listed = subprocess.run(["fc-query", "--format", "%{family}|%{index}\n", found], capture_output=True,
                            text=True, check=True).stdout.splitlines()
    sc_index = next(int(i) for families, i in (line.split("|") for line in listed)
                    if families.split(",")[0] == "Noto Serif CJK SC")
    assert found.face_index == sc_index != 0  # face 0 of the collection has Japanese forms


def test_chart_names_wrap_and_are_never_cut(summaries):
    (summary,) = summarize(d for p in SEEDS[:3:2] for d in read_file(p).documents)
    page = layout_summary(summary).grid
    (chart,) = [b for b in page.blocks if hasattr(b, "svg")]
    svg = chart.svg.decode()
    assert "…" not in svg
    name = "闵行区国有企业退休人员人事档案接收保管利用项目"
    lines = wrap_name(name).split("\n")
    assert len(lines) == 2 and "".join(lines) == name
    assert all(f">{line}<" in svg for line in lines)


def test_every_page_names_the_department_and_the_day_it_was_made(summaries):
    today = dt.date.today()
    for stem in (SELFEVAL_2024, TRACKING_2024):
        pages = pdf_pages(summaries / f"{stem}.pdf")
        assert len(pages) > 1
        department = stem.split("_")[2]
        for number, page in enumerate(pages, 1):
            assert department in page and f"生成日期：{today.year}年{today.month}月{today.day}日" in page
            assert f"第{number}页共{len(pages)}页" in "".join(page.split())


def test_the_generation_date_is_the_one_given():
    (summary,) = summarize(read_file(SEEDS[3]).documents)
    assert layout_summary(summary, generated=dt.date(2025, 1, 2)).grid.header == (
        "上海市普陀区人力资源和社会保障局", "生成日期：2025年1月2日")


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_the_sign_off_line_ends_every_summary(summaries, fmt):
    for stem in (SELFEVAL_2024, TRACKING_2024, "跨年度项目对照"):
        path = summaries / f"{stem}.{fmt}"
        if fmt == "pdf":
            text = pdf_pages(path)[-1]
        elif fmt == "docx":
            text = docx.Document(str(path)).paragraphs[-2].text  # before the closing spacer
        else:
            workbook = openpyxl.load_workbook(path)
            last = workbook.worksheets[-1]
            text = "".join(str(c.value or "") for row in last.iter_rows() for c in row)
        line = text[text.rfind("填报人"):]
        positions = [line.find(word) for word in SIGN_OFF]
        assert -1 not in positions and positions == sorted(positions), (stem, fmt)


def test_the_progress_gap_reads_with_its_sign_and_the_columns_are_explained(summaries):
    text = pdf_text(summaries / f"{TRACKING_2024}.pdf")
    risks = text.split("三、风险项目")[1]
    assert "落后时间进度" not in text and "较时间进度(百分点)" in risks
    ahead = next(line for line in risks.splitlines() if "技能竞赛专项经费" in line)
    assert "+12.76" in ahead  # 79.43 % against 66.67 % elapsed: ahead, and signed so
    behind = next(line for line in risks.splitlines() if "青年就业见习补贴" in line)
    assert "-25.37" in behind
    assert "负数为慢于时间进度" in "".join(risks.split()) and "问题数为" in "".join(risks.split())
    ws = openpyxl.load_workbook(summaries / f"{TRACKING_2024}.xlsx")["风险项目"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "较时间进度(百分点)")
    value = ws.cell(cell.row + 1, cell.column)
    assert value.number_format.startswith("+") and float(value.value) > 0


def test_the_lost_points_say_whether_they_are_the_funding_score_or_an_indicator(summaries):
    text = "".join(pdf_text(summaries / f"{SELFEVAL_2024}.pdf").split())
    lowest = text.split("四、得分最低的项目")[1]
    assert "预算执行率（项目资金）" in lowest and "预算执行率（成本指标）" in lowest


def test_docx_has_the_pictures_and_the_layout_tables(summaries):
    word = docx.Document(str(summaries / f"{SELFEVAL_2024}.docx"))
    assert len(word.inline_shapes) == 2
    (summary,) = summarize(read_file(SEEDS[3]).documents)
    page = layout_summary(summary).grid
    assert len(word.tables) == len(page.tables) == 4
    for table, grid in zip(word.tables, page.tables):
        assert docx_cells(table) == {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells}
        assert table._tbl.tr_lst[0].trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    header = word.sections[0].header.paragraphs[0].text
    assert header.startswith("上海市普陀区人力资源和社会保障局") and "生成日期" in header


def test_xlsx_has_a_sheet_per_section_with_frozen_printed_heads(summaries):
    workbook = openpyxl.load_workbook(summaries / f"{SELFEVAL_2024}.xlsx")
    assert workbook.sheetnames == ["总体情况", "评分等级分布", "项目得分排名", "得分最低的项目及失分情况"]
    for ws in workbook.worksheets:
        (rows,) = re.findall(r"\$(\d+):\$(\d+)", ws.print_title_rows)
        assert ws.cell(int(rows[0]), 1).value in ("项目数", "评分等级", "排名", "项目名称")
        assert ws.freeze_panes == f"A{int(rows[0]) + 1}"
        assert ws.oddHeader.left.text == "上海市普陀区人力资源和社会保障局"
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert "公车购置经费" in [c.value for row in workbook["项目得分排名"].iter_rows() for c in row]
    tracking = openpyxl.load_workbook(summaries / f"{TRACKING_2024}.xlsx")
    assert tracking.sheetnames == ["总体情况", "预算执行进度排名", "风险项目"]


def test_xlsx_charts_have_titles_labels_an_axis_from_zero_and_the_time_line(summaries):
    def charts_of(path: Path) -> list[str]:
        with zipfile.ZipFile(path) as package:  # namespace prefixes dropped: any writer's
            return [re.sub(r"<(/?)[a-z]+:", r"<\1", package.read(n).decode())
                    for n in sorted(package.namelist()) if n.startswith("xl/charts/chart")]

    grades, ranking = charts_of(summaries / f"{SELFEVAL_2024}.xlsx")
    assert "评分等级分布" in grades and "项目总分排名（红色：得分最低的项目）" in ranking
    for chart in (grades, ranking):
        assert '<showVal val="1"/>' in chart and '<min val="0"/>' in chart
        assert '<tickLblSkip val="1"/>' in chart  # every project's name
        assert '<delete val="1"/>' not in chart  # both axes shown
    (rates,) = charts_of(summaries / f"{TRACKING_2024}.xlsx")
    assert "<lineChart>" in rates and "时间进度 66.67%" in rates and 'prstDash val="dash"' in rates
    assert '<plotVisOnly val="1"/>' not in rates  # the time line's hidden column is drawn
