"""Numbers print as zh_CN writes them: Babel's pattern for the locale is the reference the
fast formatter is held to."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import parse_pattern
from hypothesis import given, strategies as st

from reportgen.layout import format_number

ZH_CN = Locale.parse("zh_CN")


def babel_text(value: Decimal, places: int) -> str:
    pattern = parse_pattern("#,##0" + ("." + "0" * places if places else ""))
    rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return pattern.apply(rounded, ZH_CN, decimal_quantization=False)


@given(st.decimals(min_value=-10**15, max_value=10**15, places=6, allow_nan=False), st.integers(0, 4))
def test_numbers_print_as_babels_zh_cn_pattern(value, places):
    assert format_number(value, places) == babel_text(value, places)


def test_examples():
    assert format_number(Decimal("13303150.1")) == "13,303,150.10"
    assert format_number(Decimal("-0.004")) == babel_text(Decimal("-0.004"), 2)
    assert format_number(Decimal("0.005")) == "0.01"  # half up, not to even
    assert format_number(None) == ""
