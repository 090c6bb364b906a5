"""Numbers, months and dates as the forms print them (zh_CN).

Amounts, rates and scores print with two decimals, as official forms do, rounded half
up; the exact value stays in the document, and in the XLSX cell behind the print.
zh_CN groups thousands by commas with a point for decimals, which is what Python's own
format does: Babel's pattern for zh_CN gives the same text (the tests hold it to that)
at ten times the cost, and a form prints some seventy numbers.
"""
from __future__ import annotations

import datetime as _dt
from decimal import ROUND_HALF_UP, Decimal

PRINTED_PLACES = 2


def format_number(value: Decimal | None, places: int = PRINTED_PLACES) -> str:
    """Given a number, return it as printed: thousands separated, `places` decimals
    ("13303150.1" → "13,303,150.10")."""
    if value is None:
        return ""
    rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{rounded:,.{places}f}"


def format_count(value: int | Decimal | None) -> str:
    """A count (projects, ranks, findings): a whole number, thousands separated."""
    return "" if value is None else format_number(Decimal(value), 0)


def format_signed(value: Decimal | None) -> str:
    """A difference, with its sign always shown ("+5.33", "-20.10")."""
    if value is None:
        return ""
    text = format_number(value)
    return text if text.startswith("-") or text == format_number(Decimal(0)) else "+" + text


def format_month(value: str) -> str:
    """"2024-08" → "2024年8月", as the 跟踪时段 line writes it."""
    year, month = value.split("-")
    return f"{year}年{int(month)}月"


def format_date(day: _dt.date) -> str:
    """A date as Chinese documents write it: "2026年12月1日"."""
    return f"{day.year}年{day.month}月{day.day}日"

