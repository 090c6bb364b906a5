"""The document model: JSON round trip, decimals as written, target expressions."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLES, load_sample
from reportgen.errors import InputError
from reportgen.model import (DOCUMENT_KEYS, Target, document_from_dict, document_to_dict,
                             parse_decimal, parse_target)
from reportgen.readers.structured import documents_from_data, load_json, load_yaml


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_json_round_trip(path: Path):
    doc = load_sample(path)
    dumped = json.dumps(document_to_dict(doc), ensure_ascii=False)
    (again,) = documents_from_data(load_json(dumped, "dump.json"), "dump.json").documents
    assert again == doc
    assert document_to_dict(again) == document_to_dict(doc)  # digits too: "10.00" not "10"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_yaml_round_trip(path: Path):
    doc = load_sample(path)
    dumped = yaml.safe_dump(document_to_dict(doc), allow_unicode=True, sort_keys=False)
    (again,) = documents_from_data(load_yaml(dumped, "dump.yaml"), "dump.yaml").documents
    assert document_to_dict(again) == document_to_dict(doc)


def test_dump_has_contract_keys_in_order_with_nulls():
    data = document_to_dict(load_sample(SAMPLES[0]))
    assert tuple(data) == DOCUMENT_KEYS
    assert list(data["funding"]) == ["total", "fiscal", "carryover", "other"]
    assert list(data["funding"]["total"]) == ["initial", "budget", "executed", "rate", "weight", "score"]
    assert list(data["indicators"][0]) == ["level1", "level2", "name", "target", "planned",
                                           "actual", "weight", "score", "deviation"]


def test_amounts_are_decimals_kept_as_written():
    doc = load_sample(Path(__file__).parent.parent / "samples" / "selfeval-zhiye-peixun-2020.yaml")
    assert doc.funding.total.executed == Decimal("13303150.1")
    assert isinstance(doc.funding.total.rate, Decimal)
    assert document_to_dict(doc)["funding"]["total"]["executed"] == "13303150.1"
    assert all(isinstance(i.weight, Decimal) for i in doc.indicators)


@pytest.mark.parametrize("written, expected", [
    ("13,303,150.1", Decimal("13303150.1")),
    ("71.67%", Decimal("71.67")),
    ("10.00", Decimal("10.00")),
    (10, Decimal(10)),
    ("-", None), ("—", None), ("", None), (None, None),
])
def test_parse_decimal(written, expected):
    got = parse_decimal(written, "x")
    assert got == expected and (got is None or str(got) == str(expected))


@pytest.mark.parametrize("written", ["十", "NaN", "Infinity", "1.2.3"])
def test_parse_decimal_refuses_non_numbers(written):
    with pytest.raises(InputError) as error:
        parse_decimal(written, "indicators[3].weight")
    assert str(error.value) == f'indicators[3].weight: "{written}" is not a number'


def test_parse_decimal_refuses_floats():
    with pytest.raises(InputError, match="must be written as text"):
        parse_decimal(0.1, "rate")


@pytest.mark.parametrize("text, op, value, unit", [
    ("≥300.00(人次)", ">=", "300.00", "人次"),
    ("=100.00(%)", "=", "100.00", "%"),
    ("≤5(天)", "<=", "5", "天"),
    (">5000人", ">", "5000", "人"),
    (">=85%", ">=", "85", "%"),
    ("<3", "<", "3", None),
    ("=0.00(次)", "=", "0.00", "次"),
    ("90(%)", None, "90", "%"),
])
def test_parse_target_quantitative(text, op, value, unit):
    assert parse_target(text) == Target(op, Decimal(value), unit)


@pytest.mark.parametrize("text", ["及时", "建立健全", "12月底前", "形成专题调研报告报市领导决策参考", "", None])
def test_parse_target_qualitative(text):
    assert parse_target(text) == Target(None, None, None)


def test_unknown_field_is_named():
    with pytest.raises(InputError) as error:
        document_from_dict({"kind": "selfeval", "year": 2024, "project": "x", "projcet": "y"})
    assert str(error.value).startswith("projcet: unknown field (expected one of: kind, year")
