"""The document model: one form for one project, as docs/data-model.md defines it.

In: plain data (dicts and lists from JSON or YAML). Out: `Document` objects, and back to
plain data in the contract's exact shape and key order. Money, rates and scores are
`Decimal`; they are read from and written as decimal strings, so "10.00" stays "10.00".
Every problem raises `InputError` naming the field path (`indicators[3].weight`).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

from .errors import InputError

KINDS = ("target", "tracking", "selfeval")
# 目标申报表, 跟踪表, 自评表: the short names used in file names and messages.
KIND_NAMES = {"target": "目标申报表", "tracking": "跟踪表", "selfeval": "自评表"}
AMOUNT_UNITS = ("万元", "元")
FUNDING_ROWS = ("total", "fiscal", "carryover", "other")
FUNDING_COLUMNS = ("initial", "budget", "executed", "rate", "weight", "score")


@dataclass(slots=True)
class Period:
    """跟踪时段, months as "YYYY-MM"."""

    start: str
    end: str


@dataclass(slots=True)
class FundingRow:
    initial: Decimal | None = None  # 年初预算数
    budget: Decimal | None = None  # 跟踪期/全年预算数; target: 年度资金申请总额
    executed: Decimal | None = None  # 跟踪期/全年执行数
    rate: Decimal | None = None  # 执行率(%)
    weight: Decimal | None = None  # 分值
    score: Decimal | None = None  # 得分


@dataclass(slots=True)
class Funding:
    total: FundingRow = field(default_factory=FundingRow)  # 年度资金总额
    fiscal: FundingRow = field(default_factory=FundingRow)  # 其中：当年财政拨款
    carryover: FundingRow = field(default_factory=FundingRow)  # 上年结转资金
    other: FundingRow = field(default_factory=FundingRow)  # 其他资金

    def __getitem__(self, key: str) -> FundingRow:
        """A row by its key ("total", "fiscal", …), as templates loop over them."""
        return getattr(self, key)


@dataclass(slots=True)
class Goals:
    planned: str | None = None  # 预期目标 (target: 年度总体目标)
    actual: str | None = None  # 实际完成情况


@dataclass(slots=True)
class Indicator:
    level1: str | None = None  # 一级指标
    level2: str | None = None  # 二级指标
    name: str | None = None  # 三级指标
    target: str | None = None  # 年度指标值
    planned: str | None = None  # 跟踪期计划完成值
    actual: str | None = None  # 实际完成值
    weight: Decimal | None = None  # 分值
    score: Decimal | None = None  # 得分
    deviation: str | None = None  # 偏差原因分析(及改进措施)


@dataclass(slots=True)
class Outlook:
    """绩效跟踪总体判断: 年度项目预算 / 年度绩效目标 完成可能性."""

    budget: str | None = None
    goals: str | None = None


@dataclass(slots=True)
class Source:
    file: str | None = None
    first_line: int | None = None
    last_line: int | None = None


@dataclass(slots=True)
class ParseWarning:
    """A piece of input a reader could not place: its line (when known), text and why;
    `place` says where it is in a file without lines (`Sheet1!B4`, `page 2, y 310`)."""

    line: int | None
    text: str
    reason: str
    place: str | None = None


@dataclass(slots=True)
class Document:
    kind: str
    year: int
    project: str
    period: Period | None = None
    title: str | None = None  # the form's title, where not the Shanghai template's
    department: str | None = None
    unit: str | None = None
    manager: str | None = None  # 项目负责人(及电话)
    nature: str | None = None  # 项目性质
    category: str | None = None  # 项目类别
    start_date: str | None = None  # 计划开始日期
    end_date: str | None = None  # 计划完成日期
    amount_unit: str = "万元"
    funding: Funding = field(default_factory=Funding)
    goals: Goals = field(default_factory=Goals)
    indicators: list[Indicator] = field(default_factory=list)
    total_score: Decimal | None = None  # 总分
    grade: str | None = None  # 评分等级
    outlook: Outlook | None = None
    corrective: str | None = None  # 纠偏措施
    source: Source | None = None
    warnings: list[ParseWarning] = field(default_factory=list)


# The contract's key order (docs/data-model.md), which is not the dataclass order: Python
# needs the fields without defaults first.
DOCUMENT_KEYS = (
    "kind", "year", "period", "title", "project", "department", "unit", "manager",
    "nature", "category",
    "start_date", "end_date", "amount_unit", "funding", "goals", "indicators",
    "total_score", "grade", "outlook", "corrective", "source", "warnings",
)
REQUIRED_KEYS = ("kind", "year", "project")


# ---------------------------------------------------------------- values

def parse_decimal(value: Any, where: str) -> Decimal | None:
    """Given a number as written ("13,303,150.1", "71.67%", 10, "-"), return it as a
    Decimal, or None for an empty or placeholder cell. Raise InputError otherwise."""
    if isinstance(value, str):
        try:  # the common case, a plain decimal: no clean-up needed
            number = Decimal(value)
            if number.is_finite():
                return _in_range(number, value, where)
        except InvalidOperation:
            pass
        return _decimal_as_written(value, where)
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, float):
        # floats have already lost the digits as written; only text and ints are exact
        raise InputError(None, where, f"{shown(value)} must be written as text or an integer")
    if isinstance(value, (int, Decimal)):
        if isinstance(value, Decimal) and not value.is_finite():
            raise InputError(None, where, f"{shown(value)} is not a number")
        return _in_range(Decimal(value), value, where)
    raise InputError(None, where, f"expected a number, got {_kind_of(value)}")


# The largest amounts, rates and scores a form holds, with room to spare: 10^15 yuan is
# more than any budget; 10 decimals more than any form writes. Beyond them the decimal
# arithmetic (28 digits) would fail, or a printed number run to millions of characters.
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 10


def _in_range(number: Decimal, value: Any, where: str) -> Decimal:
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if number and number.adjusted() >= MAX_INTEGER_DIGITS or exponent < -MAX_DECIMALS:
        raise InputError(None, where, f"{shown(value)} is out of range: an amount, rate or score "
                                      f"has at most {MAX_INTEGER_DIGITS} digits before the point "
                                      f"and {MAX_DECIMALS} after it")
    return number


def shown(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: text in quotes, at most `limit` characters (a
    huge value must not make a huge message), anything else by its kind."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[:limit] + f"… ({len(value):,} characters)"
        return f'"{text}"'
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        text = str(value)
        return text if len(text) <= limit else f"a number of {len(text):,} digits"
    if isinstance(value, (bool, float)):
        return repr(value)
    return _kind_of(value)


def _decimal_as_written(value: str, where: str) -> Decimal | None:
    """A number with thousands separators, a % sign or spaces, or a placeholder."""
    text = value.strip().replace(",", "").replace("，", "")
    text = text.removesuffix("%").removesuffix("％").strip()
    if text in PLACEHOLDERS:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InputError(None, where, f"{shown(value)} is not a number") from None
    if not number.is_finite():
        raise InputError(None, where, f"{shown(value)} is not a number")
    return _in_range(number, value, where)


PLACEHOLDERS = frozenset({"", "-", "—", "–", "/", "－"})


def format_decimal(value: Decimal | None) -> str | None:
    """Given a Decimal, return it as a plain decimal string with the digits it carries
    ("10.00" stays "10.00"; never exponent notation)."""
    return None if value is None else format(value, "f")


def decimal_places(value: Decimal) -> int:
    """How many decimals a number was written with ("10.00" → 2, "7" → 0)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        if _SURROGATE.search(value):  # JSON's "\ud800" alone: not a character
            raise InputError(None, where, "holds an unpaired surrogate (\\ud800–\\udfff): not Unicode text")
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    raise InputError(None, where, f"expected text, got {_kind_of(value)}")


def _kind_of(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", bool: "true/false", float: "a float"}
    return names.get(type(value), type(value).__name__)


_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_ASCII_DIGITS = re.compile(r"\s*\d{1,9}\s*", re.ASCII)  # not ²⁰²⁴: int() refuses those


def _month(value: Any, where: str) -> str:
    text = _text(value, where)
    match = _MONTH.fullmatch(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(None, where, f"{shown(value)} is not a month written YYYY-MM")
    return text  # type: ignore[return-value]


def parse_date(value: Any, where: str) -> str | None:
    text = _text(value, where)
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(None, where, f"{shown(text)} is not a date written YYYY-MM-DD") from None


def _year(value: Any, where: str) -> int:
    text = _text(value, where)
    if text is None or not _ASCII_DIGITS.fullmatch(text) or not 1900 <= int(text) <= 2200:
        raise InputError(None, where, f"{shown(value)} is not a year")
    return int(text)


def _int(value: Any, where: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9):
        return value
    if isinstance(value, str) and _ASCII_DIGITS.fullmatch(value):
        return int(value)
    raise InputError(None, where, f"{shown(value)} is not a whole number")


# ---------------------------------------------------------------- plain data → model

class _Fields:
    """Reads one mapping of the input, refusing unknown keys, with paths for messages."""

    def __init__(self, data: Any, path: str, keys: tuple[str, ...]):
        if not isinstance(data, Mapping):
            raise InputError(None, path or None, f"expected a mapping, got {_kind_of(data)}")
        unknown = [str(k)[:40] for k in data if k not in keys]
        if unknown:
            raise InputError(None, self._join(path, unknown[0]),
                             f"unknown field (expected one of: {', '.join(keys)})")
        self.data, self.path = data, path

    @staticmethod
    def _join(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def get(self, key: str, convert: Callable[[Any, str], Any]) -> Any:
        return convert(self.data.get(key), self._join(self.path, key))

    def where(self, key: str) -> str:
        return self._join(self.path, key)


def _funding_row(data: Any, where: str) -> FundingRow:
    if data is None:
        return FundingRow()
    row = _Fields(data, where, FUNDING_COLUMNS)
    return FundingRow(**{key: row.get(key, parse_decimal) for key in FUNDING_COLUMNS})


def _funding(data: Any, where: str) -> Funding:
    if data is None:
        return Funding()
    rows = _Fields(data, where, FUNDING_ROWS)
    return Funding(**{key: rows.get(key, _funding_row) for key in FUNDING_ROWS})


def _goals(data: Any, where: str) -> Goals:
    if data is None:
        return Goals()
    goals = _Fields(data, where, ("planned", "actual"))
    return Goals(planned=goals.get("planned", _text), actual=goals.get("actual", _text))


_INDICATOR_DECIMALS = ("weight", "score")


def _indicator(data: Any, where: str) -> Indicator:
    keys = tuple(f.name for f in fields(Indicator))
    row = _Fields(data, where, keys)
    return Indicator(**{
        key: row.get(key, parse_decimal if key in _INDICATOR_DECIMALS else _text)
        for key in keys
    })


def _indicators(data: Any, where: str) -> list[Indicator]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError(None, where, f"expected a list, got {_kind_of(data)}")
    return [_indicator(item, f"{where}[{i}]") for i, item in enumerate(data)]


def _period(data: Any, where: str) -> Period | None:
    if data is None:
        return None
    period = _Fields(data, where, ("start", "end"))
    return Period(start=period.get("start", _month), end=period.get("end", _month))


def _outlook(data: Any, where: str) -> Outlook | None:
    if data is None:
        return None
    outlook = _Fields(data, where, ("budget", "goals"))
    return Outlook(budget=outlook.get("budget", _text), goals=outlook.get("goals", _text))


def _source(data: Any, where: str) -> Source | None:
    if data is None:
        return None
    source = _Fields(data, where, ("file", "first_line", "last_line"))
    return Source(file=source.get("file", _text), first_line=source.get("first_line", _int),
                  last_line=source.get("last_line", _int))


def _warnings(data: Any, where: str) -> list[ParseWarning]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError(None, where, f"expected a list, got {_kind_of(data)}")
    result = []
    for i, item in enumerate(data):
        warning = _Fields(item, f"{where}[{i}]", ("line", "text", "reason", "place"))
        result.append(ParseWarning(line=warning.get("line", _int),
                                   text=warning.get("text", _text) or "",
                                   reason=warning.get("reason", _text) or "",
                                   place=warning.get("place", _text)))
    return result


def _kind(value: Any, where: str) -> str:
    if value not in KINDS:
        raise InputError(None, where, f'{shown(value)} is not one of {", ".join(KINDS)}')
    return value


def _amount_unit(value: Any, where: str) -> str:
    if value is None:
        return "万元"
    if value not in AMOUNT_UNITS:
        raise InputError(None, where, f'{shown(value)} is not one of {", ".join(AMOUNT_UNITS)}')
    return value


def _required_text(value: Any, where: str) -> str:
    text = _text(value, where)
    if not text or not text.strip():
        raise InputError(None, where, "must not be empty")
    return text


_CONVERTERS: dict[str, Callable[[Any, str], Any]] = {
    "kind": _kind, "year": _year, "period": _period, "project": _required_text,
    "title": _text, "department": _text, "unit": _text, "manager": _text, "nature": _text, "category": _text,
    "start_date": parse_date, "end_date": parse_date, "amount_unit": _amount_unit,
    "funding": _funding, "goals": _goals, "indicators": _indicators,
    "total_score": parse_decimal, "grade": _text, "outlook": _outlook,
    "corrective": _text, "source": _source, "warnings": _warnings,
}


def document_from_dict(data: Any, path: str = "") -> Document:
    """Given one document as plain data, return the Document, or raise InputError naming
    the first bad field's path."""
    doc = _Fields(data, path, DOCUMENT_KEYS)
    for key in REQUIRED_KEYS:
        if key not in data:
            raise InputError(None, doc.where(key), "required field is missing")
    return Document(**{key: doc.get(key, convert) for key, convert in _CONVERTERS.items()})


# ---------------------------------------------------------------- model → plain data

def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def document_to_dict(doc: Document) -> dict[str, Any]:
    """Given a Document, return it as plain data in the contract's key order, absent
    values as None and decimals as strings."""
    return {key: _plain(getattr(doc, key)) for key in DOCUMENT_KEYS}


# ---------------------------------------------------------------- target expressions

@dataclass(frozen=True)
class Target:
    """The structure of a 年度指标值: `≥300.00(人次)` → op ">=", value 300.00, unit "人次".
    Qualitative targets ("及时", "建立健全") have op, value and unit None."""

    op: str | None
    value: Decimal | None
    unit: str | None


_OPS = {"≥": ">=", "≤": "<=", ">=": ">=", "<=": "<=", "=": "=", ">": ">", "<": "<"}
_NUMBER = r"(?P<value>[+-]?\d+(?:\.\d+)?)"
_WITH_OP = re.compile(r"\s*(?P<op>>=|<=|≥|≤|=|>|<)\s*" + _NUMBER + r"\s*(?P<unit>.*?)\s*")
# Without an operator only a plain number with a bracketed unit or % counts: "12月底前"
# is a date phrase, not the number 12.
_BARE = re.compile(r"\s*" + _NUMBER + r"\s*(?P<unit>\([^()]*\)|%)?\s*")


def parse_target(text: str | None) -> Target:
    """Given a target as written, return its operator, value and unit."""
    match = _WITH_OP.fullmatch(text or "") or _BARE.fullmatch(text or "")
    if not match:
        return Target(None, None, None)
    op = match.groupdict().get("op")
    unit = (match.group("unit") or "").strip()
    if unit.startswith("(") and unit.endswith(")"):
        unit = unit[1:-1].strip()
    return Target(_OPS[op] if op else None, Decimal(match.group("value")), unit or None)
