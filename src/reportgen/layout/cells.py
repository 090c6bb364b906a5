"""The cells the templates are made of, as functions every template can call.

Classes: label (a field name), head (a column heading), text (free text, left),
center (short values), num (numbers, right; the value itself in data-value, so the
Excel writer stores a number). Row classes, set in the templates: heads (column heads,
repeated on every page a table continues on), closing (rows that never start a page).

These were Jinja macros; as Python they cost a twentieth as much (a form calls them a
hundred times, and a Jinja macro call is some 35 µs), and a template uses them the same
way: `{{ label("项目名称") }}{{ text(doc.project, 7) }}`.
"""
from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from ..model import format_decimal
from .numbers import format_count, format_number, format_signed

_TO_ESCAPE = re.compile("[&<>\"']")
SIGNOFF = "填报人：　　　　审核人：　　　　负责人：　　　　单位（盖章）：　　　　日期：　　年　月　日"


def _spans(colspan: int, rowspan: int, field: str = "") -> str:
    """The attributes after a cell's class: its spans, and the document field it shows
    (what the web page highlights a finding on)."""
    return ((f' colspan="{colspan}"' if colspan > 1 else "")
            + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            + (f' data-field="{_content(field)}"' if field else ""))


def _content(value: Any) -> str:
    """Text as cell content: escaped; markup kept (render_template drops what XML
    cannot hold, from the whole page)."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    text = str(value)
    # most texts hold nothing to escape: spared the Markup escape() would make of them
    return html.escape(text) if _TO_ESCAPE.search(text) else text


def label(text: Any, colspan: int = 1, rowspan: int = 1) -> Markup:
    return Markup(f'<th class="label"{_spans(colspan, rowspan)}>{_content(text)}</th>')


def head(text: Any, colspan: int = 1, rowspan: int = 1) -> Markup:
    return Markup(f'<th class="head"{_spans(colspan, rowspan)}>{_content(text)}</th>')


def text(value: Any, colspan: int = 1, cls: str = "text", rowspan: int = 1, field: str = "") -> Markup:
    return Markup(f'<td class="{_content(cls)}"{_spans(colspan, rowspan, field)}>{_content(value)}</td>')


def num(value: Decimal | None, colspan: int = 1, rowspan: int = 1, field: str = "") -> Markup:
    """An amount, rate or score: printed with 2 decimals, the exact value kept."""
    data = f' data-value="{format_decimal(value)}"' if value is not None else ""
    return Markup(f'<td class="num"{_spans(colspan, rowspan, field)}{data}>{format_number(value)}</td>')


def count(value: int | None) -> Markup:
    """A count or a rank: a whole number."""
    data = f' data-value="{value}"' if value is not None else ""
    return Markup(f'<td class="num"{data}>{format_count(value)}</td>')


def signed(value: Decimal | None) -> Markup:
    """A difference: the sign always shown."""
    data = f' data-value="{format_decimal(value)}"' if value is not None else ""
    return Markup(f'<td class="num signed"{data}>{format_signed(value)}</td>')


def colgroup(widths: list) -> Markup:
    return Markup("<colgroup>" + "".join(f'<col style="width: {_content(w)}%">' for w in widths)
                  + "</colgroup>")


def levels(row: Any, field: str = "") -> Markup:
    """An indicator's 一级/二级 cells, merged over the rows that share them; `field`
    names the indicator ("indicators[3]") where they start."""
    out = ""
    if row.level1_span:
        out += (f'<th class="label"{_spans(1, row.level1_span, field and field + ".level1")}>'
                f'{_content(row.indicator.level1 or "")}</th>')
    if row.level2_span:
        out += (f'<th class="label"{_spans(1, row.level2_span, field and field + ".level2")}>'
                f'{_content(row.indicator.level2 or "")}</th>')
    return Markup(out)


def signoff() -> Markup:
    """The sign-off line finance offices print under a summary."""
    return Markup(f'<p class="signoff">{SIGNOFF}</p>')


CELLS = {f.__name__: f for f in (label, head, text, num, count, signed, colgroup, levels, signoff)}
