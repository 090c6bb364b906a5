"""Fuzzing structured input and the command line (issue 9): random YAML and JSON trees,
samples with fields replaced by huge and odd numbers, odd strings and deep nesting, and
random argument lists. No case may raise: every failure is an error naming its file
(and place), and what can be read is laid out, checked and written."""
from __future__ import annotations

import json
import os
from io import BytesIO

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from reportgen.checks import check_document
from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.layout import layout_document
from reportgen.model import document_to_dict
from reportgen.readers import read_file
from reportgen.writers import WRITERS

BASE = [document_to_dict(read_file(path).documents[0]) for path in SAMPLES]
FIELDS = ["kind", "year", "project", "department", "unit", "period", "start_date", "amount_unit",
          "funding", "goals", "indicators", "total_score", "grade", "outlook", "corrective"]
FUNDING = [("funding", row, col) for row in ("total", "fiscal", "carryover", "other")
           for col in ("initial", "budget", "executed", "rate", "weight", "score")]

BIG = "__5000_DIGITS__"
odd_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["", " ", "\x1b]0;x\x07", "\u202e", "=1+1", "<script>", "\ud800", "²⁰²⁴", "二〇二四",
                     "1e-99999999", "1e999999", "NaN", "Infinity", "-0", "9" * 40, "1,2,3", "%", "—"]),
)
odd_number = st.one_of(
    st.integers(), st.integers(min_value=-10**60, max_value=10**60), st.floats(allow_nan=True),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from([-(10**30), 0, 2**63]),
    st.just(BIG),  # written out as 5,000 digits: see dumped
)
leaf = st.one_of(st.none(), st.booleans(), odd_number, odd_text)
tree = st.recursive(leaf, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                  st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                    max_leaves=20)
deep = st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n)


@st.composite
def mutated_sample(draw) -> object:
    """A sample document with a few of its fields replaced by odd values."""
    doc = json.loads(json.dumps(draw(st.sampled_from(BASE))))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        choice = draw(st.integers(min_value=0, max_value=2))
        if choice == 0:
            doc[draw(st.sampled_from(FIELDS))] = draw(st.one_of(leaf, tree))
        elif choice == 1:
            _, row, col = draw(st.sampled_from(FUNDING))
            if isinstance(doc.get("funding"), dict) and isinstance(doc["funding"].get(row), dict):
                doc["funding"][row][col] = draw(odd_number | odd_text)
        elif isinstance(doc.get("indicators"), list) and doc["indicators"]:
            indicator = doc["indicators"][draw(st.integers(0, len(doc["indicators"]) - 1))]
            if isinstance(indicator, dict) and indicator:
                indicator[draw(st.sampled_from(sorted(indicator)))] = draw(leaf)
    return doc


def dumped(data: object, as_yaml: bool) -> bytes:
    """The data as YAML or JSON, BIG as a number of 5,000 digits (more than Python's int
    may be read from)."""
    if as_yaml:
        text = yaml.safe_dump(data, allow_unicode=True).replace(BIG, "9" * 5000)
    else:
        text = json.dumps(data, ensure_ascii=False, default=str).replace(f'"{BIG}"', "9" * 5000)
    return text.encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=int(os.environ.get("REPORTGEN_FUZZ_CASES", 9_000)), deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(content=st.one_of(mutated_sample(), mutated_sample(), tree),
       as_yaml=st.booleans(), raw=st.one_of(st.none(), deep, st.binary(max_size=200)),
       stage=st.sampled_from(["read"] * 6 + ["layout"] * 3 + list(WRITERS)))
def test_structured_input_never_raises(folder, content, as_yaml, raw, stage):
    path = folder / ("case.yaml" if as_yaml else "case.json")
    path.write_bytes(raw.encode() if isinstance(raw, str) else raw if raw is not None
                     else dumped(content, as_yaml))
    result = read_file(path)
    for error in result.errors:
        assert isinstance(error, InputError) and str(error).startswith(f"{path}: ")
    for doc in result.documents:  # checked; laid out one time in 2, written one in 7
        check_document(doc)
        if stage != "read":
            laid_out = layout_document(doc)
            if stage in WRITERS:
                WRITERS[stage]([laid_out], BytesIO())


WORDS = ["render", "parse", "check", "summary", "-o", "--to", "--combine", "--jobs", "--templates",
         "--rules", "--author", "--format", "--by", "--explain", "xlsx", "docx", "yaml", "json", "text",
         "unit", "0", "1", "-1", "nonsense", "", "\x1b[2J", "--", "-x", "--help"]


@settings(max_examples=1_000, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(["INPUT", "BAD", "OUT", "DIR"])),
                      max_size=8))
def test_the_command_line_never_raises(folder, capsys, words):
    bad = folder / "bad.json"
    bad.write_text('{"kind": "x"}', encoding="utf-8")
    places = {"INPUT": str(SAMPLES[0]), "BAD": str(bad), "OUT": str(folder / "out"), "DIR": str(folder)}
    argv = [places.get(w, w) for w in words]
    if "--to" not in argv and argv[:1] in (["render"], ["summary"]):
        argv += ["--to", "xlsx"]  # PDF takes a third of a second: the fuzzing is about arguments
    try:
        status = main(argv)
    except SystemExit as done:  # argparse: usage errors and --help
        assert done.code in (0, 2)
    else:
        assert status in (0, 1, 2)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for line in err.splitlines():
        if line.startswith("Error: "):
            assert "\x1b" not in line
