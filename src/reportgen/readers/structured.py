"""Structured input: YAML or JSON holding one document (a mapping), a list of them, or
a mapping with a `documents` list. Numbers stay exactly as written: YAML's `10.00` is
read as the text "10.00", never as a float, and JSON numbers as Decimal.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..model import document_from_dict
from . import ReadResult, register

# Tags whose implicit resolution would lose what was written: 10.00 → 10.0,
# 2024-01-01 → a date object, "no" → False. Nothing in the model is a float or a bool.
_TYPED_TAGS = {
    "tag:yaml.org,2002:float", "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool",
}


class _TextLoader(yaml.SafeLoader):
    """A SafeLoader that keeps numbers, dates and yes/no as the text written."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in _TYPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, file: str) -> Any:
    try:
        return yaml.load(text, Loader=_TextLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(file, where, f"not valid YAML: {problem}") from None


def load_json(text: str, file: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(file, f"line {exc.lineno}, column {exc.colno}",
                         f"not valid JSON: {exc.msg}") from None


def documents_from_data(data: Any, file: str) -> ReadResult:
    """Given the loaded data of one file, return its documents; a bad document becomes
    an error naming its index and field, and the others are still read."""
    if isinstance(data, dict) and "documents" in data and "kind" not in data:
        items, prefix = data["documents"], "documents"
        if not isinstance(items, list):
            return ReadResult(errors=[InputError(file, "documents", "expected a list")])
    elif isinstance(data, list):
        items, prefix = data, ""
    elif isinstance(data, dict):
        items, prefix = [data], None
    else:
        return ReadResult(errors=[InputError(
            file, None, "expected a document (a mapping with kind, year, project …) or a list of them")])
    result = ReadResult()
    for index, item in enumerate(items):
        path = "" if prefix is None else f"{prefix}[{index}]"
        try:
            result.documents.append(document_from_dict(item, path))
        except InputError as exc:
            result.errors.append(InputError(file, exc.where, exc.problem))
    return result


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(str(path), f"line {line}",
                         "not UTF-8 text (GBK? save the file as UTF-8)") from None


@register(".yaml", ".yml")
def read_yaml(path: Path) -> ReadResult:
    try:
        return documents_from_data(load_yaml(_decode(path), str(path)), str(path))
    except InputError as exc:
        return ReadResult(errors=[exc])


@register(".json")
def read_json(path: Path) -> ReadResult:
    try:
        return documents_from_data(load_json(_decode(path), str(path)), str(path))
    except InputError as exc:
        return ReadResult(errors=[exc])
