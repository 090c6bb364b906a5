"""reportgen warns when PDF output would print boxes (no CJK font) or crawl (no HarfBuzz
subsetter)."""
from __future__ import annotations

import weasyprint.text.ffi

from conftest import SAMPLES
from reportgen.cli import main
from reportgen.writers import pdf_font, pdf_setup_problems
from reportgen.writers import pdf_weasyprint as pdf


def test_this_machine_is_set_up():
    assert pdf_setup_problems("builtin") == []
    assert pdf_setup_problems("weasyprint") == []


def test_a_missing_face_is_named_with_the_package_to_install(monkeypatch):
    monkeypatch.setattr(pdf_font, "FACE", "No Such Face CJK")
    pdf_font.face.cache_clear()
    try:
        (problem,) = pdf_setup_problems("builtin")
    finally:
        pdf_font.face.cache_clear()
    assert "No Such Face CJK" in problem and "fonts-noto-cjk" in problem and "weasyprint" in problem


def test_missing_cjk_font_and_subsetter_are_reported(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(pdf, "_has_cjk_font", lambda: False)
    monkeypatch.setattr(weasyprint.text.ffi, "harfbuzz_subset", None)
    assert main(["render", str(SAMPLES[0]), "-o", str(tmp_path), "--to", "docx"]) == 0
    assert "warning" not in capsys.readouterr().err  # no PDF asked for: nothing to say
    problems = pdf.pdf_setup_problems()
    assert len(problems) == 2
    assert "fonts-noto-cjk" in problems[0] and "libharfbuzz-subset0" in problems[1]
