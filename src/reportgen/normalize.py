"""Text clean-up shared by the readers: what OCR and PDF copying leave in a cell.

`clean` turns a cell into the text docs/data-model.md stores: LaTeX and HTML become plain
text, `>=`/`<=` become `≥`/`≤`, full-width brackets and `％` become half-width, runs of
white space collapse to one space. `close_value` also closes up a target or value
written with spaces (`≥ 240.00 (天)` → `≥240.00(天)`). `label_key` is what a label is
recognised by, whatever wrapping or punctuation the dump gave it (`其中:当年财政 拨款`).
"""
from __future__ import annotations

import html
import re

_LATEX = (
    (re.compile(r"\\geq?\b|\\geqslant\b"), "≥"),
    (re.compile(r"\\leq?\b|\\leqslant\b"), "≤"),
    (re.compile(r"\\neq?\b"), "≠"),
    (re.compile(r"\\times\b"), "×"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\text\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\[,;! ]"), " "),
)
_TAG = re.compile(r"</?[a-zA-Z][^<>\n\t]*>")
# An operator, a number and a unit written apart: "≥ 240.00 (天)", "= 0.00 (次)".
_SPACED_VALUE = re.compile(r"([≥≤=<>])?\s*([+-]?\d+(?:\.\d+)?)\s*(\([^()]*\)|%)?")


def clean(text: str) -> str:
    """Given a cell as dumped, return its text as the model stores it."""
    return collapse_spaces(unescape(clean_marks(text)))


def clean_marks(text: str) -> str:
    """LaTeX, tags, full-width marks and operators: all of `clean` that never adds or
    removes a line break or tab, so a reader may run it over a whole file at once."""
    if "$" in text or "\\" in text:
        text = _latex(text)
    if "<" in text:
        text = _TAG.sub("", text)
    return _half_width(text).replace(">=", "≥").replace("<=", "≤")


def unescape(text: str) -> str:
    """HTML entities of one cell as the characters they stand for (`&amp;` → `&`)."""
    return html.unescape(text) if "&" in text else text


def collapse_spaces(text: str) -> str:
    """Runs of white space as one space, none at either end."""
    return " ".join(text.split())


def _half_width(text: str) -> str:
    # three replaces: several times faster than str.translate on CJK text
    return text.replace("（", "(").replace("）", ")").replace("％", "%")


def _latex(text: str) -> str:
    for pattern, replacement in _LATEX:
        text = pattern.sub(replacement, text)
    return text.replace("$", "")


def close_value(text: str) -> str:
    """Given a target or value cell (through `clean`), return it closed up where it is
    an operator, a number and a unit written apart."""
    if " " not in text:
        return text
    match = _SPACED_VALUE.fullmatch(text)
    return "".join(part for part in match.groups() if part) if match else text


def label_key(text: str) -> str:
    """Given a cell, return the key its label is recognised by: no spaces, colons or
    commas, half-width brackets (`其中：当年财政 拨款` → `其中当年财政拨款`)."""
    return key_of_clean(collapse_spaces(_half_width(text)))


def key_of_clean(text: str) -> str:
    """`label_key` of a cell already through `clean` (single spaces, half-width)."""
    return text.replace(" ", "").replace(":", "").replace("：", "").replace(",", "").replace("，", "")
