"""Real forms from other regions (tests/data/external/: 四川, 河北, 湖南, a 上海 PDF's text),
scored against their hand-made gold values by the development set's own compare.py,
and nothing of them lost."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.readers import read_file

EXTERNAL = Path(__file__).parent / "data" / "external"
DUMPS = sorted(EXTERNAL.glob("*.txt"))
GOLD = json.loads((EXTERNAL / "expected.json").read_text(encoding="utf-8"))
GOAL = 95.0


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("external")
    for dump in DUMPS:
        target = out / f"{dump.stem}.json"
        with target.open("w", encoding="utf-8") as stdout:
            main(["parse", str(dump), "--format", "json"], stdout=stdout, stderr=open("/dev/null", "w"))
    report = subprocess.run([sys.executable, str(EXTERNAL / "compare.py"), str(EXTERNAL / "expected.json"), str(out)],
                            capture_output=True, text=True, check=True)
    return report.stdout


def test_every_form_is_found_with_its_kind(scored):
    assert re.search(r"forms: 8 expected, 8 found, 0 spurious", scored), scored
    assert re.search(r"kind\s+8 /\s+8", scored), scored


def test_the_gold_fields_are_read(scored):
    right, total = map(int, re.search(r"ALL\s+(\d+) /\s+(\d+)", scored).groups())
    assert total == 396
    assert 100 * right / total >= GOAL, scored


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: p.name[:2])
def test_nothing_is_lost(dump):
    """Every non-empty line is read into a field or reported in a warning (a row rebuilt
    from cells on several lines accounts for each of them)."""
    result = read_file(dump)
    lines = re.split(r"\r\n|\n|\r", dump.read_text(encoding="utf-8"))
    non_empty = {no for no, line in enumerate(lines, start=1) if line.strip()}
    explained = {no for explanation in [result.preamble, *result.explanations] for no, _, _ in explanation}
    accounted = set().union(*(result.spans.get(no, [no]) for no in explained))
    assert non_empty <= accounted


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: p.name[:2])
def test_the_forms_are_what_the_gold_says(dump):
    """Project, kind and year of each form, in file order (the scoring matches forms by
    name; this holds their order too)."""
    got = [(d.kind, d.year, d.project) for d in read_file(dump).documents]
    want = [(g["kind"], g["year"], g["project"]) for g in GOLD if g["file"] == dump.name]
    assert got == want


def test_a_stream_whose_arithmetic_does_not_hold_is_not_guessed(tmp_path):
    """In a PDF's stream order, the funding total is read only where 执行数 ÷ 预算数 is
    the printed 执行率, and 总分 only where it is the scores' sum: change the rate, and
    neither is read; the words stay in a warning."""
    text = (EXTERNAL / "04_chddh_putuo_sports_2022.txt").read_text(encoding="utf-8")
    path = tmp_path / "04_changed.txt"
    path.write_text(text.replace("86.19%", "50.00%"), encoding="utf-8")
    doc = read_file(path).documents[0]
    assert doc.funding.total.budget is None and doc.funding.total.executed is None
    assert doc.total_score is None
    assert [i.name for i in doc.indicators][:2] == ["与委托运营方结算完成率", "合同结算条款完成率"]
    assert any("250000.00" in w.text and "could not be placed safely" in w.reason for w in doc.warnings)
