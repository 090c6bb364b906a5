"""`reportgen report`: the 绩效自评报告 of each 自评表, read back from its DOCX and PDF.

The report may state no fact its form does not hold: every number in its text must be
one of the form's (a field's value, or a number written in one of its texts) or one
the rules compute from them (rates, sums of a block, points lost, counts of
indicators, in all and by 一级 and 二级, the numbers of check's findings). List numbers
("1．") are the text's own.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import fields, is_dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import docx
import pytest

from conftest import ROOT
from reportgen.cli import main
from reportgen.findings import findings_by_document
from reportgen.layout import layout_report
from reportgen.model import Document, Indicator, Outlook, Period
from reportgen.readers import read_file
from reportgen.report import report_facts
from reportgen.rules import load_rules, with_grade
from reportgen.writers import write_atomic

RULES = load_rules(None)
SEEDS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
LIST_MARK = re.compile(r"\d+．")
SECTIONS = ("一、项目基本情况", "二、绩效目标及完成情况", "三、偏差及原因分析", "四、存在问题及改进措施", "五、自评结论")


def seed_selfevals() -> list[tuple[Path, Document, list]]:
    found = []
    for path in SEEDS:
        result = read_file(path)
        for doc, findings in zip(result.documents, findings_by_document(path, result, RULES)):
            if doc.kind == "selfeval":
                found.append((path, with_grade(doc, RULES), findings))
    return found


SELFEVALS = seed_selfevals()


def test_the_seeds_hold_27_selfevals():
    assert len(SELFEVALS) == 27


def decimals(text: str) -> set[Decimal]:
    values = set()
    for match in NUMBER.findall(text):
        try:
            values.add(Decimal(match.replace(",", "")))
        except InvalidOperation:
            pass
    return values


def form_values(value) -> set[Decimal]:
    """Every number a document holds: its Decimal fields and the numbers in its texts."""
    if isinstance(value, Decimal):
        return {value}
    if isinstance(value, int) and not isinstance(value, bool):
        return {Decimal(value)}
    if isinstance(value, str):
        return decimals(value)
    if isinstance(value, (list, tuple)):
        return set().union(*map(form_values, value)) if value else set()
    if isinstance(value, dict):
        return set().union(*map(form_values, value.values())) if value else set()
    if is_dataclass(value):
        return set().union(*(form_values(getattr(value, f.name)) for f in fields(value)
                             if f.name not in ("source", "warnings")))
    return set()


def allowed_values(doc: Document, findings: list) -> set[Decimal]:
    facts = report_facts(doc, RULES, findings)
    allowed = form_values(doc) | {Decimal(len(doc.indicators))}
    allowed |= {facts.funding_lost, *(v for v in [facts.total_weight] if v is not None)}
    for block in facts.blocks:
        allowed |= {Decimal(len(block.results)), Decimal(len(block.met)), block.weight, block.score, block.lost}
        allowed |= {r.lost for r in block.results} | {Decimal(len(met)) for _, met in block.met_by_level2()}
    for finding in facts.problems:
        allowed |= decimals(finding.message)
    return allowed


def report_numbers(text: str) -> set[Decimal]:
    return decimals(LIST_MARK.sub("", text))


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    made = []
    for n, (path, doc, findings) in enumerate(SELFEVALS):
        laid_out = layout_report(report_facts(doc, RULES, findings))
        files = {fmt: out / f"{n:02d}.{fmt}" for fmt in ("docx", "pdf")}
        for fmt, target in files.items():
            write_atomic(target, fmt, [laid_out])
        made.append((doc, findings, files))
    return made


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def pdf_text(path: Path) -> str:
    """The PDF's text, its lines joined as they were broken (a number may be cut at a
    line's end), less the page footers."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if not re.fullmatch(r"第\s*\d+\s*页\s*共\s*\d+\s*页", line.strip())]
    return "".join(lines)


@pytest.mark.parametrize("index", range(len(SELFEVALS)), ids=[d.project[:20] for _, d, _ in SELFEVALS])
def test_every_number_of_a_report_is_the_forms_or_the_rules(reports, index):
    doc, findings, files = reports[index]
    allowed = allowed_values(doc, findings)
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        text = read(files[fmt])
        assert doc.project in text.replace("\n", "")
        stray = report_numbers(text) - allowed
        assert not stray, f"{fmt}: numbers not on the form nor computed by the rules: {sorted(stray)}"


@pytest.mark.parametrize("index", range(len(SELFEVALS)), ids=[d.project[:20] for _, d, _ in SELFEVALS])
def test_a_report_has_its_five_sections_each_with_text(reports, index):
    doc, _, files = reports[index]
    paragraphs = [p.text for p in docx.Document(str(files["docx"])).paragraphs if p.text.strip()]
    assert [p for p in paragraphs if p in SECTIONS] == list(SECTIONS)
    for heading in SECTIONS:  # a section with nothing to say says so
        after = paragraphs[paragraphs.index(heading) + 1]
        assert after not in SECTIONS
    whole = "\n".join(paragraphs)
    for word in ("None", "none", "nan", "{{", "}}"):
        assert word not in whole
    if doc.total_score is not None:
        assert f"本项目自评总分{doc.total_score:.2f}分" in whole
    if doc.grade:
        assert f"评分等级为“{doc.grade}”" in whole


def test_the_report_of_a_form_that_lost_points_tells_where():
    path, doc, findings = next(s for s in SELFEVALS if s[1].project == "新疆支青稳定专项经费")
    text = docx_text_of(doc, findings)
    assert "全年预算数103.15万元，全年执行数88.04万元，执行率85.35%" in text
    assert "预算执行分值10.00分，得分8.54分，扣1.46分" in text
    assert "预算执行率年度指标值为≥90.00(%)，实际完成85.35(%)，扣1.00分" in text
    assert "其中预算执行扣1.46分，成本指标扣1.00分" in text
    assert "因客观原因,与新疆兵团合作交流活动不足" in text  # its 偏差原因分析
    assert "按实际值与目标值计算建议 4.74" in text  # the finding of check


def test_a_form_with_nothing_missed_says_so():
    path, doc, findings = next(s for s in SELFEVALS if s[1].project == "公车购置经费")
    text = docx_text_of(doc, findings)
    assert "各项指标均达到年度指标值，预算执行未扣分，未发生偏差" in text
    assert "自评中未发现需要整改的问题" in text
    assert "各项均得满分" in text


def test_the_tracking_forms_corrective_measures_are_taken_in():
    path, doc, findings = next(s for s in SELFEVALS if s[1].project == "新疆支青稳定专项经费")
    tracking = Document("tracking", doc.year, doc.project, period=Period(f"{doc.year}-01", f"{doc.year}-08"),
                        indicators=[Indicator("产出指标", "数量指标", "帮困对象享受人次")],
                        outlook=Outlook("有可能完成", "确定能完成"), corrective="加快与新疆兵团对接交流活动")
    facts = report_facts(doc, RULES, findings, tracking)
    assert facts.corrective == "加快与新疆兵团对接交流活动"
    text = "\n".join(n.text for n in layout_report(facts).grid.blocks if hasattr(n, "text"))
    assert "跟踪阶段提出的纠偏措施：加快与新疆兵团对接交流活动" in text


def docx_text_of(doc: Document, findings: list) -> str:
    return "\n".join(b.text for b in layout_report(report_facts(doc, RULES, findings)).grid.blocks
                     if hasattr(b, "text"))


def test_the_command_writes_a_report_per_selfeval(tmp_path, capsys):
    seed = next(p for p in SEEDS if p.name.startswith("003_"))
    assert main(["report", str(seed), "-o", str(tmp_path)]) == 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 24 * 2
    assert "2024_自评报告_公车购置经费.pdf" in files and "2024_自评报告_公车购置经费.docx" in files
    assert "24 reports, 48 files written" in capsys.readouterr().err


def test_the_command_refuses_formats_a_report_is_not_written_in(tmp_path, capsys):
    assert main(["report", str(SEEDS[0]), "-o", str(tmp_path), "--to", "xlsx"]) == 2
    assert "a report is written as docx, pdf" in capsys.readouterr().err


def test_a_snapshot_of_one_report(tmp_path):
    """A PNG of one report's first page, for review: tests/results/report/, or with
    REPORTGEN_UPDATE_SNAPSHOTS=1 tests/snapshots/report/."""
    import os

    path, doc, findings = next(s for s in SELFEVALS if s[1].project == "新疆支青稳定专项经费")
    pdf = tmp_path / "report.pdf"
    write_atomic(pdf, "pdf", [layout_report(report_facts(doc, RULES, findings))])
    folder = ROOT / "tests" / ("snapshots" if os.environ.get("REPORTGEN_UPDATE_SNAPSHOTS") == "1" else "results") / "report"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(folder / "selfeval-xinjiang-zhiqing")], check=True)
    assert (folder / "selfeval-xinjiang-zhiqing.png").stat().st_size > 10_000


# ---------------------------------------------------------------- per department, 整改清单

SEED_003 = next(p for p in SEEDS if p.name.startswith("003_"))


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    out = tmp_path_factory.mktemp("department")
    assert main(["report", str(SEED_003), "-o", str(out), "--by", "department"]) == 0
    assert main(["report", str(SEED_003), "-o", str(out), "--rectify"]) == 0
    return out


def test_the_department_report_ranks_the_projects_as_the_summary_does(department):
    from reportgen.summary import summarize

    (report,) = department.glob("2024_部门自评报告_*.docx")
    word = docx.Document(str(report))
    ranking = next(t for t in word.tables if t.rows[0].cells[0].text == "排名")
    projects = [row.cells[1].text for row in ranking.rows[1:]]
    (summary,) = summarize(read_file(SEED_003).documents, "department", RULES)
    assert len(projects) == 24 and projects[0] == "公车购置经费"
    assert projects == [line.project for line in summary.projects]
    assert word.inline_shapes, "the chart of grades"
    text = "\n".join(p.text for p in word.paragraphs)
    assert "本部门共对24个项目开展绩效自评" in text and "平均分97.54分" in text
    assert "公车购置经费得分最高（100.00分）" in text
    for heading in ("一、基本情况", "二、绩效目标完成情况", "三、偏差及原因分析", "四、存在问题及改进措施", "五、自评结论"):
        assert heading in text
    pdf = next(department.glob("2024_部门自评报告_*.pdf"))
    assert "公车购置经费" in pdf_text(pdf) and "排名" in pdf_text(pdf)


def test_the_department_reports_numbers_are_the_summarys_or_the_forms(department):
    from reportgen.summary import summarize

    (report,) = department.glob("2024_部门自评报告_*.docx")
    paragraphs = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    (summary,) = summarize(read_file(SEED_003).documents, "department", RULES)
    allowed = {Decimal(len(summary.projects)), summary.budget, summary.executed, summary.rate,
               *summary.scores.values(), *map(Decimal, summary.grades.values()), Decimal(2024)}
    result = read_file(SEED_003)
    facts = [report_facts(with_grade(d, RULES), RULES, f)
             for d, f in zip(result.documents, findings_by_document(SEED_003, result, RULES))]
    allowed |= {Decimal(sum(1 for f in facts if f.lost)), Decimal(sum(len(f.problems) for f in facts)),
                Decimal(sum(1 for f in facts if f.problems))}
    for f, (doc, findings) in zip(facts, zip(result.documents, findings_by_document(SEED_003, result, RULES))):
        allowed |= allowed_values(with_grade(doc, RULES), findings) | {f.lost}
    stray = report_numbers(paragraphs) - allowed
    assert not stray, sorted(stray)


def test_the_rectify_list_holds_every_lost_point_and_every_error(department):
    import openpyxl

    (workbook,) = department.glob("2024_整改清单_*.xlsx")
    sheet = openpyxl.load_workbook(workbook).active
    rows = list(sheet.iter_rows(values_only=True))
    heads = rows.index(("序号", "项目名称", "指标", "发现的问题", "整改措施", "责任单位", "整改时限", "整改情况"))
    body = [r for r in rows[heads + 1:] if r[0] is not None]
    assert [r[0] for r in body] == list(range(1, len(body) + 1))
    assert all(r[4] and r[5] and r[6] is None and r[7] is None for r in body)  # a measure, a unit; the rest to fill in
    result = read_file(SEED_003)
    lost = [(d.project, i.name) for d in result.documents for i in d.indicators
            if i.weight is not None and i.score is not None and i.score < i.weight]
    assert lost
    listed = {(r[1], r[2]) for r in body}
    assert set(lost) <= listed
    errors = [(d.project, f.message) for d, found in zip(result.documents, findings_by_document(SEED_003, result, RULES))
              for f in found if f.severity == "error"]
    assert set(errors) <= {(r[1], r[3]) for r in body}
    (word,) = department.glob("2024_整改清单_*.docx")
    table = docx.Document(str(word)).tables[0]
    assert len(table.rows) == len(body) + 1


def test_a_section_template_of_ones_own_replaces_the_shipped_one(tmp_path):
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "5-conclusion.html.j2").write_text(
        '<h2>五、自评结论</h2>\n<p class="para">本项目自评总分{{ f.doc.total_score | number }}分，结论由本单位审定。</p>\n',
        encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(SEED_003), "-o", str(out), "--to", "docx", "--templates", str(tmp_path)]) == 0
    text = docx_text(out / "2024_自评报告_公车购置经费.docx")
    assert "本项目自评总分100.00分，结论由本单位审定。" in text
    assert "一、项目基本情况" in text  # the other sections as shipped


def test_a_snapshot_of_the_department_report(department):
    """The department report's pages as PNGs, for review (as test_a_snapshot_of_one_report)."""
    import os

    pdf = next(department.glob("2024_部门自评报告_*.pdf"))
    folder = ROOT / "tests" / ("snapshots" if os.environ.get("REPORTGEN_UPDATE_SNAPSHOTS") == "1" else "results") / "report"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("department-putuo-2024-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / "department-putuo-2024")], check=True)
    pages = sorted(folder.glob("department-putuo-2024-*.png"))
    assert pages and all(p.stat().st_size > 10_000 for p in pages)
