"""Text files as reportgen reads them, dumps and YAML/JSON alike: UTF-8 (with or
without a BOM), UTF-16 with its BOM, or GB18030 (GBK) as Windows tools write it."""
from __future__ import annotations

import codecs
import re

from ..errors import InputError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, file: str) -> tuple[str, str | None]:
    """Given a dump's bytes, return its text and a note when it was not clean UTF-8.
    Raise InputError for an empty or binary file."""
    if not data.strip():
        raise InputError(file, None, "empty file: there is no form to read")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, note = data.decode("utf-16", errors="replace"), None
    else:
        text, note = _decode_8bit(data, file)
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise InputError(file, None, "binary file, not text (control characters throughout)")
    return text, note


def _decode_8bit(data: bytes, file: str) -> tuple[str, str | None]:
    """UTF-8; or UTF-8 with a few damaged bytes (replaced by U+FFFD, with a note: decoding
    such a file as GB18030 would turn all of it into nonsense); or GB18030 (GBK)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="replace")
    damaged = text.count("\ufffd")
    if damaged <= max(10, len(text) // 1000):
        lines = sorted({text.count("\n", 0, i) + 1 for i, ch in enumerate(text) if ch == "\ufffd"})
        shown = ", ".join(map(str, lines[:5])) + (" …" if len(lines) > 5 else "")
        return text, f"bytes that are not UTF-8 replaced by \ufffd on line {shown}"
    try:
        return data.decode("gb18030"), "not UTF-8: read as GB18030 (GBK)"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(file, f"line {line}",
                         "neither UTF-8 nor GB18030 text: is this a text file?") from None
