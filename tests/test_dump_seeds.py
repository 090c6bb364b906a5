"""The dump reader on the five real seeds (72 forms): every field against documents
built by hand (tests/data/expected/), and nothing lost."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reportgen.model import document_to_dict
from reportgen.readers import read_file

DATA = Path(__file__).parent / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def parsed():
    return {path.name: read_file(path) for path in SEEDS}


def expected(seed: Path) -> list[dict]:
    return json.loads((DATA / "expected" / f"{seed.name}.json").read_text(encoding="utf-8"))


def test_72_forms_of_the_right_kinds_in_file_order(parsed):
    kinds = [doc.kind for path in SEEDS for doc in parsed[path.name].documents]
    assert len(kinds) == 72
    assert (kinds.count("tracking"), kinds.count("target"), kinds.count("selfeval")) == (34, 11, 27)
    for path in SEEDS:
        lines = [doc.source.first_line for doc in parsed[path.name].documents]
        assert lines == sorted(lines)
        assert not parsed[path.name].errors


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_field_matches_the_form(parsed, seed):
    got = [document_to_dict(doc) for doc in parsed[seed.name].documents]
    want = expected(seed)
    assert [d["project"] for d in got] == [d["project"] for d in want]
    for g, w in zip(got, want):
        g.pop("warnings"), w.pop("warnings")
        for i, (gi, wi) in enumerate(zip(g["indicators"], w["indicators"])):
            assert gi == wi, f"{w['project']} indicator {i}"
        assert g == w, w["project"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_nothing_is_lost(parsed, seed):
    """Every non-empty line is read into a field or reported as a warning."""
    result = parsed[seed.name]
    lines = re.split(r"\r\n|\n|\r", seed.read_text(encoding="utf-8"))
    non_empty = {no for no, line in enumerate(lines, start=1) if line.strip()}
    accounted = {no for no, _, _ in result.preamble}
    for explanation in result.explanations:
        accounted |= {no for no, _, _ in explanation}
    assert non_empty == accounted
    warned = {w.line for doc in result.documents for w in doc.warnings} | {w.line for w in result.warnings}
    said = {no for explanation in [result.preamble, *result.explanations]
            for no, what, _ in explanation if what.startswith("warning")}
    assert warned == said  # every line a warning names is one that went to no field


def test_known_oddities_become_warnings_not_indicators(parsed):
    result = parsed["003_4588a3eccc5d7ba5.txt"]
    kaopu = next(d for d in result.documents if "靠谱职" in d.project)
    (warning,) = kaopu.warnings
    assert warning.line == 176 and warning.text == "90.00(%)\t90.00(%)\t10.00\t10.00"
    assert "without an indicator name" in warning.reason
    assert parsed["001_39c054e521c71c91.txt"].title == "上海市就业促进中心2024年度项目绩效目标汇总表"
    orphans = parsed["002_eaeb872d98338714.txt"].warnings
    assert [w.line for w in orphans] == [3, 5, 7]
