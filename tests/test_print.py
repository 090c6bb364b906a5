"""Forms as they print (issue 8): a long form's later pages start with the column heads
and the labels of the blocks they continue, in all three formats; a form that
overflows a little is shrunk onto one page; no label wraps one character onto a line of
its own; a missing 评分等级 is filled in from the bands; page numbers, properties and
languages are those Word and Excel users expect."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree

from conftest import SAMPLES, load_sample, pdf_text
from reportgen.cli import main
from reportgen.layout import layout_document
from reportgen.naming import NameBook, document_stem
from reportgen.readers import read_file
from reportgen.writers import write_atomic

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CJK = re.compile(r"[\u4e00-\u9fff]")


def seed_doc(prefix: str, kind: str, project: str):
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return next(d for d in read_file(path).documents if d.kind == kind and d.project == project)


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory):
    """Every seed form rendered by `reportgen render`, in the three formats."""
    out = tmp_path_factory.mktemp("seeds")
    assert main(["render", *map(str, SEEDS), "-o", str(out), "--jobs", "2"]) == 0
    return out


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


LONG = [("001", "target", "职业培训基础能力建设资助"), ("004", "selfeval", "促进就业专项资金")]


@pytest.mark.parametrize("prefix, kind, project", LONG)
def test_later_pdf_pages_repeat_the_heads_and_the_continued_labels(seed_files, prefix, kind, project):
    doc = seed_doc(prefix, kind, project)
    page = layout_document(doc).grid
    assert page.page_count == 2
    second = page.tables[1]
    pdf = next(seed_files.glob(f"{doc.year}_*_{project}.pdf"))
    assert pages_of(pdf) == 2
    text = "".join(subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())
    for head in ("一级指标", "二级指标", "三级指标"):
        assert head in text
    first_level1 = next(i.level1 for i in doc.indicators if "".join(i.name.split())[:6] in text)
    assert first_level1 in text  # the 一级 label of the block continued on page 2
    assert second.repeated == 1


@pytest.mark.parametrize("prefix, kind, project", LONG)
def test_later_docx_pages_mark_their_heads_as_heading_rows(seed_files, prefix, kind, project):
    doc = seed_doc(prefix, kind, project)
    word = docx.Document(str(next(seed_files.glob(f"{doc.year}_*_{project}.docx"))))
    first, second = word.tables
    assert second._tbl.tr_lst[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert second._tbl.tr_lst[1].find(f"{W}trPr/{W}tblHeader") is None
    texts = [tc.text for tc in second.rows[0].cells]
    assert "一级指标" in texts and "三级指标" in texts
    pagebreak = first._tbl.getnext()
    assert pagebreak.find(f"{W}pPr/{W}pageBreakBefore") is not None


@pytest.mark.parametrize("prefix, kind, project", LONG)
def test_xlsx_prints_the_heads_row_on_every_page_and_breaks_where_the_pdf_does(
        seed_files, prefix, kind, project):
    doc = seed_doc(prefix, kind, project)
    ws = openpyxl.load_workbook(next(seed_files.glob(f"{doc.year}_*_{project}.xlsx"))).active
    (title_rows,) = re.findall(r"\$(\d+):\$(\d+)", ws.print_title_rows)
    heads = int(title_rows[0])
    assert title_rows[0] == title_rows[1] and heads > 3  # not the form's title rows
    assert [ws.cell(heads, c).value for c in range(1, ws.max_column + 1)].count("一级指标") == 1
    (brk,) = ws.row_breaks.brk
    first_page = layout_document(doc).grid.tables[0]
    assert brk.id == 2 + first_page.n_rows  # rows 1-2: title and subtitle
    # the 一级 label of the block the break cuts is written again below the break
    below = {ws.cell(brk.id + 1, c).value for c in range(1, ws.max_column + 1)}
    assert below & {i.level1 for i in doc.indicators}
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 2


@pytest.mark.parametrize("project, kind", [("青年就业见习补贴", "跟踪表"), ("普陀区构建和谐劳动关系经费", "自评表")])
def test_a_small_overflow_is_printed_on_one_page(seed_files, project, kind):
    assert pages_of(seed_files / f"2024_{kind}_{project}.pdf") == 1


def test_closing_rows_keep_two_rows_above_them():
    doc = seed_doc("004", "selfeval", "促进就业专项资金")
    last = layout_document(doc).grid.tables[-1]
    body = [r for r in range(last.repeated, last.n_rows) if r not in last.closing]
    assert len(body) >= 2 and last.closing


def single_char_label_lines(pdf: Path, labels: set[str]) -> list[str]:
    """Lines of the PDF that hold one Chinese character left over from a wrapped label."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         check=True).stdout
    tree = etree.fromstring(xml.replace(b' xmlns="http://www.w3.org/1999/xhtml"', b""))
    found = []
    for block in tree.iter("block"):
        lines = ["".join(w.text or "" for w in line.iter("word")) for line in block.iter("line")]
        if len(lines) > 1 and "".join(lines) in labels and any(len(l) == 1 and CJK.match(l) for l in lines):
            found.append("/".join(lines))
    return found


def test_no_label_leaves_a_single_character_on_a_line(seed_files):
    names, checked = NameBook(), 0  # the names `render` gave the files, in its order
    for path in SEEDS:
        for doc in read_file(path).documents:
            page = layout_document(doc).grid
            labels = {c.text.replace("\n", "") for t in page.tables for c in t.cells
                      if c.classes & {"label", "head"}}
            pdf = seed_files / names.claim(document_stem(doc), "pdf")
            assert not single_char_label_lines(pdf, labels), doc.project
            checked += 1
    assert checked == 72


def test_a_missing_grade_is_filled_in_from_the_bands_and_said_so(tmp_path, capsys):
    path = next(p for p in SAMPLES if "2020" in p.stem)
    assert load_sample(path).grade is None
    assert main(["render", str(path), "-o", str(tmp_path), "--to", "pdf,xlsx"]) == 0
    err = capsys.readouterr().err
    assert "评分等级 is not on the form: 优 computed from 总分 93.2 by the grade bands" in err
    ws = openpyxl.load_workbook(tmp_path / "2020_自评表_职业培训基础能力建设资助.xlsx").active
    row = next(r for r in ws.iter_rows() if r[0].value == "评分等级")
    assert row[1].value == "优"
    assert "优" in pdf_text(tmp_path / "2020_自评表_职业培训基础能力建设资助.pdf").split("评分等级")[1]


def test_docx_and_xlsx_number_their_pages_as_the_pdf(seed_files):
    with zipfile.ZipFile(next(seed_files.glob("*.docx"))) as package:
        footers = "".join(package.read(n).decode() for n in package.namelist() if "footer" in n)
    words = re.sub(r"<[^>]+>", "", footers).strip()
    assert 'w:instr=" PAGE "' in footers and 'w:instr=" NUMPAGES "' in footers
    assert words.startswith("第 ") and " 页 共 " in words and words.endswith(" 页")
    ws = openpyxl.load_workbook(next(seed_files.glob("*.xlsx"))).active
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_docx_properties_name_the_form_and_reportgen_not_python_docx(tmp_path):
    doc = load_sample(SAMPLES[0])
    path = tmp_path / "form.docx"
    write_atomic(path, "docx", [layout_document(doc)])
    props = docx.Document(str(path)).core_properties
    assert props.title == doc.project and props.subject == "财政项目支出绩效自评表"
    assert props.author == "reportgen" and props.created.year >= 2026
    with zipfile.ZipFile(path) as package:
        everything = b"".join(package.read(n) for n in package.namelist())
    assert b"python-docx" not in everything and b"2013-12-23" not in everything
    assert not [n for n in zipfile.ZipFile(path).namelist() if "thumbnail" in n]


def test_the_author_can_be_named(tmp_path):
    assert main(["render", str(SAMPLES[0]), "-o", str(tmp_path), "--author", "普陀区财政局"]) == 0
    word = docx.Document(str(next(tmp_path.glob("*.docx"))))
    assert word.core_properties.author == "普陀区财政局"
    assert openpyxl.load_workbook(next(tmp_path.glob("*.xlsx"))).properties.creator == "普陀区财政局"
    info = subprocess.run(["pdfinfo", str(next(tmp_path.glob("*.pdf")))], capture_output=True,
                          text=True, check=True).stdout
    assert "Author:          普陀区财政局" in info


def test_every_cell_is_centred_vertically_in_all_formats(tmp_path):
    """One rule for labels and values alike: the middle of the cell."""
    doc = load_sample(next(p for p in SAMPLES if "tracking" in p.stem))
    laid_out = layout_document(doc)
    for fmt in ("docx", "xlsx"):
        write_atomic(tmp_path / f"form.{fmt}", fmt, [laid_out])
    word = docx.Document(str(tmp_path / "form.docx"))
    aligns = {tc.find(f"{W}tcPr/{W}vAlign").get(W + "val") for tc in word.tables[0]._tbl.iter(W + "tc")}
    assert aligns == {"center"}
    ws = openpyxl.load_workbook(tmp_path / "form.xlsx").active
    cells = [c for row in ws.iter_rows(min_row=3) for c in row if c.value is not None]
    assert {c.alignment.vertical for c in cells} == {"center"}
    css = (Path(__file__).parent.parent / "styles" / "form.css").read_text(encoding="utf-8")
    assert re.search(r"th, td \{[^}]*vertical-align: middle", css)
    assert "vertical-align: top" not in css


def test_amounts_and_scores_print_with_two_decimals_in_all_formats(tmp_path):
    """13303150.1 and 93.2 are written with one decimal; the forms print two."""
    path = next(p for p in SAMPLES if "2020" in p.stem)
    assert main(["render", str(path), "-o", str(tmp_path)]) == 0
    stem = tmp_path / "2020_自评表_职业培训基础能力建设资助"
    text = pdf_text(stem.with_suffix(".pdf"))
    assert "13,303,150.10" in text and "93.20" in text and "13,303,150.1 " not in text
    word = docx.Document(str(stem.with_suffix(".docx")))
    texts = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert {"13,303,150.10", "93.20", "7.20"} <= texts
    ws = openpyxl.load_workbook(stem.with_suffix(".xlsx")).active
    executed = next(c for row in ws.iter_rows() for c in row if c.value == 13303150.1)
    assert executed.number_format == "#,##0.00"
