"""Text files as reportgen reads them, dumps and YAML/JSON alike: UTF-8 (with or
without a BOM), UTF-16 with its BOM, or GB18030 (GBK) as Windows tools write it.

A file is read in blocks and its text handed on in pieces that end at line breaks, so
that a reader can go through a dump of hundreds of megabytes form by form without
holding it. Telling the encoding takes a first pass over the bytes.
"""
from __future__ import annotations

import codecs
import re
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InputError

BLOCK_BYTES = 1 << 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

Source = Callable[[], Iterator[bytes]]  # gives the file's bytes in blocks, anew each call


def decode(data: bytes, file: str) -> tuple[str, str | None]:
    """Given a file's bytes, return its text and a note when it was not clean UTF-8.
    Raise InputError for an empty, binary or undecodable file."""
    chunks, note = decode_source(lambda: iter([data]), file)
    return "".join(chunks), note


def decode_file(path: Path) -> tuple[Iterator[str], str | None]:
    """Given a file, return its text in pieces (each ending at a line break, but the
    last) and a note when it was not clean UTF-8. Raise InputError as `decode` does."""
    def blocks() -> Iterator[bytes]:
        with path.open("rb") as file:
            while block := file.read(BLOCK_BYTES):
                yield block

    return decode_source(blocks, str(path))


def decode_source(source: Source, file: str) -> tuple[Iterator[str], str | None]:
    if not any(block.strip() for block in source()):
        raise InputError(file, None, "empty file: there is no form to read")
    encoding, errors, note = _encoding(source, file)
    chunks = _pieces(source(), encoding, errors)
    first = next(chunks, "")
    if len(_CONTROL.findall(first)) > max(8, len(first) // 100):
        raise InputError(file, None, "binary file, not text (control characters throughout)")
    return chain([first], chunks), note


def _encoding(source: Source, file: str) -> tuple[str, str, str | None]:
    """The codec, the error handling and the note for a file: UTF-16 by its BOM;
    UTF-8; UTF-8 with a few damaged bytes (replaced by U+FFFD, with a note: decoding
    such a file as GB18030 would turn all of it into nonsense); or GB18030."""
    head = next(source(), b"")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "replace", None
    if _decodes(source(), "utf-8-sig") is None:
        return "utf-8-sig", "strict", None
    characters = damaged = 0
    damaged_lines: list[int] = []
    line = 1
    for piece in _pieces(source(), "utf-8-sig", "replace"):
        characters += len(piece)
        if "\ufffd" in piece:
            damaged += piece.count("\ufffd")
            for at in (i for i, ch in enumerate(piece) if ch == "\ufffd"):
                number = line + piece.count("\n", 0, at)
                if len(damaged_lines) <= 5 and number not in damaged_lines:
                    damaged_lines.append(number)
        line += piece.count("\n")
    if damaged <= max(10, characters // 1000):
        shown = ", ".join(map(str, damaged_lines[:5])) + (" …" if len(damaged_lines) > 5 else "")
        return "utf-8-sig", "replace", f"bytes that are not UTF-8 replaced by \ufffd on line {shown}"
    error_line = _decodes(source(), "gb18030")
    if error_line is not None:
        raise InputError(file, f"line {error_line}", "neither UTF-8 nor GB18030 text: is this a text file?")
    return "gb18030", "strict", "not UTF-8: read as GB18030 (GBK)"


def _decodes(blocks: Iterable[bytes], encoding: str) -> int | None:
    """None when the bytes are valid in the encoding, else the line where they are not."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line = 1
    for block in chain(blocks, [b""]):
        try:
            decoder.decode(block, final=not block)
        except UnicodeDecodeError as exc:
            return line + block.count(b"\n", 0, max(exc.start, 0))
        line += block.count(b"\n")
    return None


def _pieces(blocks: Iterable[bytes], encoding: str, errors: str) -> Iterator[str]:
    """The decoded text in pieces that end at a line break (but the last)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    rest = ""
    for block in blocks:
        text = rest + decoder.decode(block)
        cut = text.rfind("\n") + 1
        if cut:
            yield text[:cut]
            rest = text[cut:]
        else:
            rest = text
    rest += decoder.decode(b"", final=True)
    if rest:
        yield rest
