"""The Jinja environment the form and summary templates render in: the user's folder
first (`--templates`), then the shipped templates; filters print numbers as the forms
do; autoescaping keeps any markup in the data as plain text. `render_template` renders
one."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from ..model import Indicator, format_decimal
from ..rules import total_weight
from .numbers import format_count, format_month, format_number, format_signed

FUNDING_LABELS = (
    ("total", "年度资金总额"),
    ("fiscal", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)

# Characters XML 1.0 forbids: Word and Excel refuse a file that holds one.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def strip_illegal_xml(text: str) -> str:
    """Given text, return it without the control characters XML cannot carry."""
    return _XML_ILLEGAL.sub("", text)


@dataclass
class IndicatorRow:
    """An indicator with the row spans of its 一级/二级 cells (0: merged into the row above)."""

    indicator: Indicator
    level1_span: int
    level2_span: int


def indicator_rows(indicators: list[Indicator]) -> list[IndicatorRow]:
    """Given indicators in form order, return them with the spans that merge runs of the
    same 一级 name, and runs of the same 二级 name within one 一级 run."""
    rows = [IndicatorRow(item, 0, 0) for item in indicators]
    start1 = start2 = 0
    for i in range(1, len(indicators) + 1):
        new1 = i == len(indicators) or indicators[i].level1 != indicators[i - 1].level1
        if new1 or indicators[i].level2 != indicators[i - 1].level2:
            rows[start2].level2_span = i - start2
            start2 = i
        if new1:
            rows[start1].level1_span = i - start1
            start1 = i
    return rows


def package_dir(name: str) -> Path:
    """The folder of a data package shipped with reportgen (templates, styles)."""
    return Path(str(resources.files(f"reportgen.{name}")))


@lru_cache(maxsize=8)
def environment(template_dir: str | None = None) -> jinja2.Environment:
    """The Jinja environment: templates from `template_dir` first, then the shipped ones."""
    dirs = ([template_dir] if template_dir else []) + [str(package_dir("templates"))]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs), autoescape=True,
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.filters.update(number=format_number, count=format_count, signed=format_signed,
                       plain=format_decimal, month=format_month, dec=Decimal)
    from .cells import CELLS  # (cells.py uses format_decimal and the numbers, from here)

    env.globals.update(CELLS, total_weight=total_weight, funding_labels=FUNDING_LABELS,
                       indicator_rows=indicator_rows)
    return env


def render_template(template_dir: str | None, name: str, **context: Any) -> str:
    """The HTML a template renders, without the characters XML cannot hold (stripped
    once, from the whole page, rather than value by value)."""
    return strip_illegal_xml(environment(template_dir).get_template(name).render(**context))
