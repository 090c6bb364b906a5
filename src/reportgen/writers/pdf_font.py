"""The CJK face the PDF prints with, and the subsets of it each file embeds.

The face is Noto Serif CJK SC (Debian's fonts-noto-cjk), the serif face that stands in
for 宋体, as in the WeasyPrint engine's stylesheet; layout/measure.py measures text with
its advance widths. Each glyph's outline is flattened (cff.py) the first time a file
prints it and kept, so a batch pays for a glyph once.

The font file is read here, not by fontTools, which takes a third of a second to load
the face (a dict of its 44,000 characters, the metrics of its 65,535 glyphs, an object
for each charstring it reads): more than the rest of a short render, for the few
hundred glyphs a file prints. The file is mapped into memory and its tables read
where they lie: a character's glyph is looked up in the cmap's ranges, an advance in
the hmtx table, a charstring sliced out of the CFF table (cff.CIDFont) when its glyph
is first printed. Reading the face takes a millisecond; asking fontconfig where it is
takes ten.
"""
from __future__ import annotations

import hashlib
import mmap
import shutil
import struct
import subprocess
import sys
from array import array
from bisect import bisect_right
from functools import lru_cache
from typing import Sequence

from . import cff

FACE = "Noto Serif CJK SC"


class FontMissing(RuntimeError):
    """The face cannot be found, or is not a CFF CJK face."""


def _locate(family: str) -> tuple[str, int]:
    """The file and the index in it of a font family, by fontconfig."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontMissing("fontconfig's fc-match is not installed (apt-get install fontconfig)")
    found = subprocess.run([fc_match, "-f", "%{family}|%{file}|%{index}", f"{family}:style=Regular"],
                           capture_output=True, text=True, check=False).stdout
    families, path, index = (found.split("|") + ["", "", ""])[:3]
    if family not in families.split(","):
        raise FontMissing(f"the font {family} is not installed (apt-get install fonts-noto-cjk); "
                          "or print with --pdf-engine weasyprint, which uses any CJK font")
    return path, int(index or 0)


class _Glyphs:
    """A face's cmap, the glyph of each character (code point) it has: ranges of
    characters whose glyphs run on from a first one, searched by bisection. They are
    the format 12 subtable's groups, read in one go, where a dict of the characters
    would take a Python step for each of 44,000."""

    def __init__(self, starts: Sequence[int], ends: Sequence[int], firsts: Sequence[int]) -> None:
        self._starts, self._ends, self._firsts = starts, ends, firsts

    def get(self, code: int, default: int | None = None) -> int | None:
        """The glyph of a character, or `default` if the face has none (or .notdef)."""
        i = bisect_right(self._starts, code) - 1
        if i < 0 or code > self._ends[i]:
            return default
        return self._firsts[i] + code - self._starts[i] or default


def _format_12(table: memoryview, at: int) -> _Glyphs:
    """A format 12 subtable (any character): its groups, three 32-bit numbers each."""
    count = struct.unpack_from(">I", table, at + 12)[0]
    groups = array("I")
    groups.frombytes(table[at + 16:at + 16 + 12 * count])
    if sys.byteorder == "little":
        groups.byteswap()
    return _Glyphs(groups[0::3], groups[1::3], groups[2::3])


def _format_4(table: memoryview, at: int) -> _Glyphs:
    """A format 4 subtable (the BMP only) as ranges: a segment whose glyphs are the
    characters plus a delta is one (two if the glyph numbers wrap past 65,535), one
    whose glyphs are listed a range for each character."""
    count = struct.unpack_from(">H", table, at + 6)[0] // 2
    ends = struct.unpack_from(f">{count}H", table, at + 14)
    starts = struct.unpack_from(f">{count}H", table, at + 16 + 2 * count)
    deltas = struct.unpack_from(f">{count}H", table, at + 16 + 4 * count)
    offsets_at = at + 16 + 6 * count
    offsets = struct.unpack_from(f">{count}H", table, offsets_at)
    ranges: list[tuple[int, int, int]] = []
    for segment, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets)):
        if offset == 0:
            first = (start + delta) & 0xFFFF
            last = min(end, start + 0xFFFF - first)
            ranges.append((start, last, first))
            if last < end:
                ranges.append((last + 1, end, 0))
            continue
        listed = offsets_at + 2 * segment + offset  # the glyph of `start` (idRangeOffset)
        glyphs = struct.unpack_from(f">{end - start + 1}H", table, listed)
        ranges += [(code, code, (glyph + delta) & 0xFFFF)
                   for code, glyph in enumerate(glyphs, start) if glyph]
    ranges.sort()
    return _Glyphs([r[0] for r in ranges], [r[1] for r in ranges], [r[2] for r in ranges])


def _cmap(table: memoryview) -> _Glyphs:
    """The Windows Unicode cmap: the full one (3, 10; format 12), else the BMP's (3, 1;
    format 4)."""
    count = struct.unpack_from(">H", table, 2)[0]
    found: dict[tuple[int, int], int] = {}  # (encoding, format) → where the subtable is
    for record in range(4, 4 + 8 * count, 8):
        platform, encoding, at = struct.unpack_from(">HHI", table, record)
        if platform == 3:
            found[encoding, struct.unpack_from(">H", table, at)[0]] = at
    if (10, 12) in found:
        return _format_12(table, found[10, 12])
    if (1, 4) in found:
        return _format_4(table, found[1, 4])
    raise ValueError("no Unicode cmap (3, 10 format 12 or 3, 1 format 4)")


def _postscript_name(table: memoryview) -> str | None:
    """The name table's PostScript name (ID 6): the Windows record's (UTF-16), else the
    Macintosh one's (ASCII, as PostScript names are)."""
    count, strings = struct.unpack_from(">HH", table, 2)
    found: dict[int, bytes] = {}  # platform → the name
    for record in range(6, 6 + 12 * count, 12):
        platform, _, _, name_id, length, at = struct.unpack_from(">6H", table, record)
        if name_id == 6 and platform in (1, 3):
            found.setdefault(platform, bytes(table[strings + at:strings + at + length]))
    if 3 in found:
        return found[3].decode("utf-16-be")
    if 1 in found:
        return found[1].decode("latin-1")
    return None


def _tables(data: memoryview, index: int) -> dict[str, memoryview]:
    """The tables of a font file's face `index`, by tag: of a collection (.ttc), or of
    a file of one face (.otf, index 0)."""
    at = 0
    if data[:4] == b"ttcf":
        count = struct.unpack_from(">I", data, 8)[0]
        if not 0 <= index < count:
            raise ValueError(f"no face {index} in a collection of {count}")
        at = struct.unpack_from(">I", data, 12 + 4 * index)[0]
    elif index != 0:
        raise ValueError(f"no face {index} in a file of one")
    if data[at:at + 4] != b"OTTO":
        raise ValueError("not an OpenType font with CFF outlines")
    count = struct.unpack_from(">H", data, at + 4)[0]
    tables: dict[str, memoryview] = {}
    for record in range(at + 12, at + 12 + 16 * count, 16):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, record)
        if offset + length > len(data):
            raise ValueError(f"the {tag.decode('latin-1')!r} table runs past the end of the file")
        tables[tag.decode("latin-1")] = data[offset:offset + length]
    missing = {"cmap", "hhea", "hmtx", "OS/2", "name", "CFF "} - tables.keys()
    if missing:
        raise ValueError("no " + ", ".join(sorted(missing)) + " table")
    return tables


class Face:
    """A CID-keyed CFF face: its glyphs by character, their advances (thousandths of an
    em), and the flattened outline of each glyph printed so far."""

    def __init__(self, path: str, index: int = 0) -> None:
        try:
            with open(path, "rb") as file:
                # mapped, not read: of the file's 26 MB a render touches a few hundred kB
                data = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
            self._read(_tables(data, index))
        except (OSError, ValueError, IndexError, struct.error) as exc:
            raise FontMissing(f"the PDF's face {path} (face {index}) is unusable: {exc}; "
                              "print with --pdf-engine weasyprint") from exc
        self._flat: dict[int, tuple[bytes, int]] = {}

    def _read(self, tables: dict[str, memoryview]) -> None:
        self._cff = cff.CIDFont(tables["CFF "])
        self.glyph_of = _cmap(tables["cmap"])
        self.name = (_postscript_name(tables["name"]) or FACE).replace(" ", "")
        self.bbox = self._cff.bbox
        os2 = tables["OS/2"]
        self.ascent, self.descent = struct.unpack_from(">hh", os2, 68)  # sTypoAscender, sTypoDescender
        self.cap_height = struct.unpack_from(">h", os2, 88)[0] if os2[1] >= 2 else 700  # since version 2
        self._hmtx = tables["hmtx"]
        # numberOfHMetrics: the glyphs past the last advance listed have that advance
        self._last_metric = struct.unpack_from(">H", tables["hhea"], 34)[0] - 1
        if not 0 <= self._last_metric < len(self._hmtx) // 4:
            raise ValueError("the hhea table lists more advances than the hmtx table holds")

    def advance(self, glyph: int) -> int:
        """A glyph's advance width, from its entry in the hmtx table."""
        return struct.unpack_from(">H", self._hmtx, 4 * min(glyph, self._last_metric))[0]

    def outline(self, glyph: int) -> tuple[bytes, int]:
        """A glyph's charstring with no subroutine call, and its font dict's index."""
        flat = self._flat.get(glyph)
        if flat is None:
            font = self._cff
            fd = font.font_dict_of[glyph]
            code = cff.flatten(font.charstrings[glyph], font.local_subrs[fd], font.global_subrs)
            flat = self._flat[glyph] = (code, fd)
        return flat

    def subset(self, glyphs: Sequence[int]) -> bytes:
        """A CFF font of the glyphs given, in that order after the .notdef: glyph i of
        the list has CID i + 1."""
        outlines = [self.outline(0)] + [self.outline(glyph) for glyph in glyphs]
        used = sorted({fd for _, fd in outlines})
        position = {fd: index for index, fd in enumerate(used)}
        return cff.cid_font(self.name, self.bbox, [code for code, _ in outlines],
                            [position[fd] for _, fd in outlines], [self._cff.privates[fd] for fd in used])


@lru_cache(maxsize=1)
def face() -> Face:
    """The PDF's face, read on first use."""
    return Face(*_locate(FACE))


def subset_tag(glyphs: Sequence[int]) -> str:
    """Six capital letters naming a subset (PDF 32000, 9.6.4): the same glyphs, the
    same name."""
    digest = hashlib.blake2b(repr(tuple(glyphs)).encode("ascii"), digest_size=6).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest)
