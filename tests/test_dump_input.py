"""Dumps as users hand them over: rendered to PDF row by row, and every kind of bad file."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from conftest import pdf_blocks
from reportgen.cli import main
from reportgen.readers import read_file

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
FIRST_FORM = SEEDS[0].read_text(encoding="utf-8").split("\n")[:25]  # 000 残疾人就业保障金


def test_each_indicator_prints_its_name_and_values_in_one_row(seed_outputs):
    """Each indicator's name, target and actual (their first characters, as long ones
    wrap) print in one table row: their text blocks share a band of the page."""
    _, rendered = seed_outputs
    checked = 0
    for doc, files in rendered:
        if doc.source and doc.source.file.endswith(".txt"):
            blocks = pdf_blocks(files["pdf"])
            for indicator in doc.indicators:
                parts = ["".join((value or "").split())[:4]
                         for value in (indicator.name, indicator.target, indicator.actual)]
                found = [[block for block in blocks if p in block[3]] for p in parts if p]
                assert all(found), (doc.project, parts)
                names_found, *others = found
                assert any(all(any(o[0] == n[0] and o[1] < n[2] and n[1] < o[2] for o in other)
                               for other in others) for n in names_found), (doc.project, parts)
                checked += 1
    assert checked == 721


def write(tmp_path: Path, data: bytes, name: str = "dump.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def first_form_bytes(encoding: str = "utf-8", newline: str = "\n") -> bytes:
    return newline.join(FIRST_FORM).encode(encoding)


def read(path: Path):
    result = read_file(path)
    return result, [str(e) for e in result.errors]


def test_empty_file(tmp_path):
    path = write(tmp_path, b"\n \n\t\n")
    assert read(path)[1] == [f"{path}: empty file: there is no form to read"]


def test_binary_file(tmp_path):
    path = write(tmp_path, bytes(range(256)) * 40)
    (message,) = read(path)[1]
    assert message.startswith(f"{path}: ") and ("binary file" in message or "neither UTF-8" in message)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_is_decoded_with_a_warning(tmp_path, encoding):
    result, errors = read(write(tmp_path, first_form_bytes(encoding)))
    assert not errors
    assert result.documents[0].project == "残疾人就业保障金"
    assert [w.reason for w in result.warnings] == ["not UTF-8: read as GB18030 (GBK)"]


def test_bom_and_crlf(tmp_path):
    plain = read(write(tmp_path, first_form_bytes(), "a.txt"))[0].documents[0]
    for data in (codecs.BOM_UTF8 + first_form_bytes(), first_form_bytes(newline="\r\n")):
        doc = read(write(tmp_path, data, "b.txt"))[0].documents[0]
        doc.source.file = plain.source.file
        assert doc == plain


def test_truncated_form_keeps_what_was_read(tmp_path):
    lines = FIRST_FORM[:20]  # ends inside the indicator table
    result, errors = read(write(tmp_path, "\n".join(lines).encode()))
    assert not errors
    (doc,) = result.documents
    assert doc.project == "残疾人就业保障金" and len(doc.indicators) == 4
    assert doc.outlook.budget is None and doc.corrective is None


def test_no_form_at_all(tmp_path, capsys):
    path = write(tmp_path, "这是一份会议纪要\n没有表格\n".encode())
    result, errors = read(path)
    assert errors == [f"{path}: no form found: looked for a 项目名称 (or 转移支付(项目)名称) row and "
                      "titles such as 财政项目支出绩效自评表, 项目支出绩效自评表, 绩效目标申报表, "
                      "绩效运行监控表 (2 rows read; layout: one cell per line)"]
    assert [w.line for w in result.warnings] == [1, 2]
    assert main(["parse", str(path)]) == 2
    assert f"Error: {path}: no form found: looked for a 项目名称" in capsys.readouterr().err


def test_markdown_headings(tmp_path):
    text = "\n".join(FIRST_FORM).replace("财政项目支出绩效跟踪表", "## 财政项目支出绩效跟踪表")
    plain = read(write(tmp_path, first_form_bytes(), "a.txt"))[0].documents[0]
    doc = read(write(tmp_path, text.encode(), "a.md"))[0].documents[0]
    doc.source.file = plain.source.file
    assert doc == plain


def test_explain_names_the_field_of_every_line(capsys):
    assert main(["parse", "--explain", str(SEEDS[3])]) == 0
    out = capsys.readouterr().out
    assert "自评表 新疆支青稳定专项经费 (lines 3–31)" in out
    assert "    10  funding.total" in out
    assert "   176  warning: a row of values without an indicator name" in out


def test_a_few_damaged_bytes_are_replaced_not_read_as_gbk(tmp_path):
    name = "长效管理机制"
    line = next(no for no, text in enumerate(FIRST_FORM, start=1) if name in text)
    data = first_form_bytes().replace(name.encode(), b"\xff\xfe" + name.encode())
    result, errors = read(write(tmp_path, data))
    assert not errors
    assert result.documents[0].indicators[4].name == "\ufffd\ufffd" + name
    assert [w.reason for w in result.warnings] == [f"bytes that are not UTF-8 replaced by \ufffd on line {line}"]
