"""The command as a user runs it: files, names, --combine, parse output, atomic writes."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from conftest import SAMPLES, load_sample
from reportgen import writers
from reportgen.cli import main
from reportgen.layout import layout_document
from reportgen.model import document_from_dict, document_to_dict
from reportgen.naming import NameBook, safe_stem


def test_render_writes_three_files_per_document(tmp_path, capsys):
    assert main(["render", *map(str, SAMPLES), "-o", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 3 * len(SAMPLES)
    assert "2024_自评表_新疆支青稳定专项经费.pdf" in names
    assert "2020_自评表_职业培训基础能力建设资助.xlsx" in names
    err = capsys.readouterr().err
    assert f"{len(SAMPLES)} documents, {3 * len(SAMPLES)} files written to {tmp_path} in " in err


def test_combine_gives_one_file_per_input_and_format(tmp_path):
    docs = [document_to_dict(load_sample(p)) for p in SAMPLES]
    docs.append(dict(docs[0]))  # the same project twice: sheet names must still differ
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(batch), "-o", str(out), "--combine"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["batch.docx", "batch.pdf", "batch.xlsx"]

    sheets = openpyxl.load_workbook(out / "batch.xlsx").sheetnames
    assert len(sheets) == len(docs) and len({s.lower() for s in sheets}) == len(docs)
    assert all(len(s) <= 31 for s in sheets)

    word = docx.Document(str(out / "batch.docx"))
    pages = sum(layout_document(document_from_dict(d)).grid.page_count for d in docs)
    assert len(word.tables) == pages and len(word.sections) == len(docs)
    orientations = [s.page_width > s.page_height for s in word.sections]
    kinds = [d["kind"] != "target" for d in docs]  # target forms are portrait
    assert orientations == kinds

    info = subprocess.run(["pdfinfo", str(out / "batch.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert f"Pages:           {pages}\n" in info


def test_parse_prints_the_contract_as_json_and_yaml(capsys):
    path = SAMPLES[0]
    assert main(["parse", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == [document_to_dict(load_sample(path))]
    assert main(["parse", str(path), "--format", "yaml"]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == data


def test_a_failing_writer_leaves_no_file(tmp_path, monkeypatch, capsys):
    def broken(forms, out):
        out.write(b"%PDF-1.7 half a file")
        raise RuntimeError("disk full")

    monkeypatch.setitem(writers.WRITERS, "pdf", broken)
    status = main(["render", str(SAMPLES[0]), "-o", str(tmp_path), "--to", "pdf,docx"])
    assert status == 2
    assert [p.suffix for p in tmp_path.iterdir()] == [".docx"]  # no .pdf, no .part left
    assert "could not write PDF: disk full" in capsys.readouterr().err


@pytest.mark.parametrize("text, stem", [
    ("2024_自评表_a/b:c*d?", "2024_自评表_a_b_c_d_"),
    ("CON", "_CON"),
    ("  trailing dots... ", "trailing dots"),
    ("x" * 300, "x" * 200),
    ("项" * 100, "项" * 66),  # 3 bytes each in UTF-8: 198 bytes
])
def test_safe_stem(text, stem):
    assert safe_stem(text) == stem


def test_names_are_unique_case_insensitively():
    book = NameBook()
    assert [book.claim("A", "pdf"), book.claim("a", "pdf"), book.claim("A", "docx")] == \
        ["A.pdf", "a_2.pdf", "A.docx"]


def test_every_command_has_help_with_an_example(capsys):
    for command in ("render", "parse"):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0
        assert "example: reportgen " + command in capsys.readouterr().out


def test_installed_command_runs(tmp_path):
    exe = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "reportgen"
    command = [str(exe)] if exe.exists() else ["python", "-m", "reportgen"]
    done = subprocess.run(command + ["parse", str(SAMPLES[0])], capture_output=True, text=True)
    assert done.returncode == 0 and json.loads(done.stdout)[0]["project"]
