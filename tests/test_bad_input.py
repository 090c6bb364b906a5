"""Bad input: each case gets a message naming file, field and problem, and the rest of
the batch still renders."""
from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import pdf_text
from reportgen.cli import main
from reportgen.layout import layout_document
from reportgen.model import Document, Goals, Indicator
from reportgen.readers import read_file
from reportgen.writers import write_atomic

GOOD = """\
kind: selfeval
year: 2024
project: 测试项目
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 甲, target: "≥1(个)", weight: 10, score: 10}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    return [str(e) for e in read_file(path).errors]


def test_wrong_type(tmp_path):
    path = write(tmp_path, "x.yaml", GOOD.replace("weight: 10,", "weight: 十,"))
    assert errors_of(path) == [f'{path}: indicators[0].weight: "十" is not a number']


def test_missing_required_field(tmp_path):
    path = write(tmp_path, "x.yaml", GOOD.replace("project: 测试项目\n", ""))
    assert errors_of(path) == [f"{path}: project: required field is missing"]


def test_unknown_kind(tmp_path):
    path = write(tmp_path, "x.yaml", GOOD.replace("kind: selfeval", "kind: 自评"))
    assert errors_of(path) == [f'{path}: kind: "自评" is not one of target, tracking, selfeval']


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "x.yaml", GOOD + "  - [unclosed\n")
    (message,) = errors_of(path)
    assert message.startswith(f"{path}: line 7, column ") and "not valid YAML" in message


def test_gbk_and_utf16_are_read_as_dumps_are(tmp_path):
    """Structured input is decoded as text dumps are (issue 9: UTF-16 was refused with a
    "GBK?" hint): GB18030 with a note, UTF-16 by its BOM."""
    path = tmp_path / "x.yaml"
    path.write_bytes(GOOD.encode("gb18030"))
    (doc,) = read_file(path).documents
    assert [w.reason for w in doc.warnings] == ["not UTF-8: read as GB18030 (GBK)"]
    path.write_bytes(GOOD.encode("utf-16"))
    (doc,) = read_file(path).documents
    assert doc.warnings == [] and doc.project


def test_one_bad_document_in_a_list_keeps_the_others(tmp_path):
    good = "- " + GOOD.replace("\n", "\n  ").rstrip()
    bad = good.replace("year: 2024", "year: 二〇二四")
    path = write(tmp_path, "x.yaml", f"{good}\n{bad}\n{good}\n")
    result = read_file(path)
    assert len(result.documents) == 2
    assert [str(e) for e in result.errors] == [f'{path}: [1].year: "二〇二四" is not a year']


def test_batch_goes_on_and_exit_status_says_it_failed(tmp_path, capsys):
    good = write(tmp_path, "good.yaml", GOOD)
    bad = write(tmp_path, "bad.yaml", GOOD.replace("weight: 10,", "weight: 十,"))
    out = tmp_path / "out"
    status = main(["render", str(bad), str(good), "-o", str(out), "--to", "docx,xlsx"])
    err = capsys.readouterr().err
    assert status == 2
    assert f'Error: {bad}: indicators[0].weight: "十" is not a number' in err.splitlines()
    assert sorted(p.name for p in out.iterdir()) == ["2024_自评表_测试项目.docx", "2024_自评表_测试项目.xlsx"]
    assert "1 documents, 2 files written" in err and "1 failed" in err


def test_unknown_input_type(tmp_path, capsys):
    path = write(tmp_path, "x.tsv", "a,b")
    assert main(["parse", str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"Error: {path}: unknown input type (reportgen reads .csv, .doc, .docm, .docx, .et, .htm, .html, .json, .md, .pdf, .txt, .wps, .xls, .xlsm, .xlsx, .yaml, .yml)")


def test_unknown_output_format(tmp_path, capsys):
    path = write(tmp_path, "x.yaml", GOOD)
    assert main(["render", str(path), "-o", str(tmp_path), "--to", "pdf,odt"]) == 2
    assert "Error: --to pdf,odt: choose from pdf, docx, xlsx" in capsys.readouterr().err


def tricky_document(text: str) -> Document:
    return Document(kind="selfeval", year=2024, project="测试项目", goals=Goals(planned=text),
                    indicators=[Indicator(level1="产出指标", level2="数量指标", name=text,
                                          target="=100.00(%)", actual="+5", deviation="@某人")])


def render_all(doc: Document, tmp_path: Path) -> dict[str, Path]:
    laid_out = layout_document(doc)
    files = {fmt: tmp_path / f"x.{fmt}" for fmt in ("pdf", "docx", "xlsx")}
    for fmt, path in files.items():
        write_atomic(path, fmt, [laid_out])
    return files


def test_xml_illegal_control_characters_are_dropped(tmp_path):
    files = render_all(tricky_document("坏\x00字\x07符\x1b号"), tmp_path)
    assert "坏字符号" in pdf_text(files["pdf"])
    assert "坏字符号" in {c.text for c in docx.Document(str(files["docx"])).tables[0]._cells}
    values = {c.value for row in openpyxl.load_workbook(files["xlsx"]).active.iter_rows() for c in row}
    assert "坏字符号" in values


def test_markup_in_text_is_printed_as_text(tmp_path):
    script = '<script>alert("x")</script><b>粗</b>'
    files = render_all(tricky_document(script), tmp_path)
    assert script in pdf_text(files["pdf"], layout=False).replace("\n", "")
    assert script in {c.text for c in docx.Document(str(files["docx"])).tables[0]._cells}
    values = {c.value for row in openpyxl.load_workbook(files["xlsx"]).active.iter_rows() for c in row}
    assert script in values


@pytest.mark.parametrize("text", ["=100.00(%)", "+5", "-3", "@某人", "=SUM(A1:A2)"])
def test_values_that_look_like_formulas_stay_text_in_xlsx(tmp_path, text):
    doc = tricky_document(text)
    doc.indicators[0].target = text
    files = render_all(doc, tmp_path)
    ws = openpyxl.load_workbook(files["xlsx"]).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == text]
    assert cells and all(c.data_type == "s" for c in cells)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
