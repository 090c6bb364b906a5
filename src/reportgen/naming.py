"""File names for outputs: readable (year, kind, project), valid on Windows and Linux,
and unique within one run."""
from __future__ import annotations

import re

from .model import KIND_NAMES, Document

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f]')
# Bidi controls: "RTL\u202efdp.exe.pdf" would show as "RTLfdp.exe.pdf" read backwards
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
# Linux file systems allow 255 bytes per name; CJK takes 3 bytes a character in UTF-8.
# Keep room for "_99.docx" and the ".name.XXXX.part" of the temporary file.
_MAX_STEM_BYTES = 200


def safe_stem(text: str) -> str:
    """Given any text, return a file name stem without characters Windows or Linux
    refuse or that reorder or hide part of a name, without trailing dots or spaces,
    within the length limit, never a name Windows reserves."""
    stem = re.sub(r"\s+", " ", _FORBIDDEN.sub("_", _INVISIBLE.sub("", text))).strip(" .")
    while len(stem.encode("utf-8")) > _MAX_STEM_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(" .") or "form"
    return f"_{stem}" if stem.split(".")[0].upper() in _RESERVED else stem


def document_stem(doc: Document) -> str:
    """"2024_自评表_新疆支青稳定专项经费": year, kind and project."""
    return safe_stem(f"{doc.year}_{KIND_NAMES[doc.kind]}_{doc.project}")


def summary_stem(summary) -> str:
    """"2024_自评表汇总_上海市普陀区人力资源和社会保障局": a summary.Summary's year,
    kind and group."""
    return safe_stem(f"{summary.year}_{KIND_NAMES[summary.kind]}汇总_{summary.group}")


class NameBook:
    """Hands out output file names, numbering repeats (case-insensitively, as Windows
    compares them): two documents of the same project never overwrite each other."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, stem: str, suffix: str) -> str:
        name, n = f"{stem}.{suffix}", 1
        while name.lower() in self._taken:
            n += 1
            name = f"{stem}_{n}.{suffix}"
        self._taken.add(name.lower())
        return name
