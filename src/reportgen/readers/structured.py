"""Structured input: YAML or JSON holding one document (a mapping), a list of them, or
a mapping with a `documents` list. Numbers stay exactly as written: YAML's `10.00` is
read as the text "10.00", never as a float, and JSON numbers as Decimal.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml

from ..errors import InputError
from ..model import ParseWarning, document_from_dict
from . import ReadResult, register
from .decoding import decode

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


# Aliases (*name) share one value in memory but expand wherever it is walked: a few
# hundred bytes of nested aliases make billions of values. No form has anywhere near
# this many values once aliases are expanded.
MAX_EXPANDED_NODES = 200_000
MAX_DEPTH = 100  # a form nests 4 deep (document, indicators, indicator, value)
_TOO_DEEP = "nested too deeply to be a form (lists or mappings inside each other, over a hundred deep)"
_BRACKET = re.compile(r"[\[\]{}]")


def _check_depth(text: str, file: str) -> None:
    """Refuse text whose brackets nest deeper than MAX_DEPTH, before a parser sees it:
    PyYAML takes time quadratic in the depth (3,000 levels: seconds), and both parsers
    would recurse past Python's limit. (Brackets inside quotes count too: no form has
    a hundred of them open.)"""
    depth = 0
    for match in _BRACKET.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise InputError(file, None, _TOO_DEEP)


def load_yaml(text: str, file: str) -> Any:
    _check_depth(text, file)
    loader = _TextLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node) > MAX_EXPANDED_NODES:
            raise InputError(file, None, f"its aliases (*name) expand to more than "
                                         f"{MAX_EXPANDED_NODES:,} values: refused")
        return loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(file, where, f"not valid YAML: {problem}") from None
    except RecursionError:
        raise InputError(file, None, _TOO_DEEP) from None
    finally:
        loader.dispose()


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document has with every alias expanded: each node counted
    once per path to it, computed once per node."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) not in sizes:
            sizes[id(node)] = 0  # a node inside itself (a recursive alias) counts once
            if isinstance(node, yaml.SequenceNode):
                children = node.value
            elif isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            else:
                children = []
            sizes[id(node)] = min(1 + sum(size(child) for child in children), MAX_EXPANDED_NODES + 1)
        return sizes[id(node)]

    return size(root)


def _number(text: str) -> int | Decimal:
    """A JSON integer: a Python int while it is short (Python refuses to read an int of
    more than 4,300 digits; the model refuses such amounts with their field's path)."""
    return int(text) if len(text) <= 18 else Decimal(text)


def load_json(text: str, file: str) -> Any:
    _check_depth(text, file)
    try:
        return json.loads(text, parse_float=Decimal, parse_int=_number)
    except json.JSONDecodeError as exc:
        raise InputError(file, f"line {exc.lineno}, column {exc.colno}",
                         f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(file, None, _TOO_DEEP) from None


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


def _read(path: Path, load: Callable[[str, str], Any]) -> ReadResult:
    """A structured file, decoded as text dumps are (UTF-8, UTF-16 with its BOM, or
    GB18030), loaded and read into documents; a decoding note goes with each."""
    try:
        text, note = decode(path.read_bytes(), str(path))
        result = documents_from_data(load(text, str(path)), str(path))
    except InputError as exc:
        return ReadResult(errors=[exc])
    if note:
        for doc in result.documents:
            doc.warnings.append(ParseWarning(None, "", note))
    return result


@register(".yaml", ".yml")
def read_yaml(path: Path) -> list[ReadResult]:
    return [_read(path, load_yaml)]


@register(".json")
def read_json(path: Path) -> list[ReadResult]:
    return [_read(path, load_json)]
