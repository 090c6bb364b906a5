"""The CJK face the PDF prints with, and the subsets of it each file embeds.

The face is Noto Serif CJK SC (Debian's fonts-noto-cjk), the serif face that stands in
for 宋体, as in the WeasyPrint engine's stylesheet; layout/measure.py measures text with
its advance widths. It is loaded once a process; each glyph's outline is flattened
(cff.py) the first time a file prints it and kept, so a batch pays for a glyph once.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
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


class _Bytecodes(Sequence[bytes]):
    """A subroutine INDEX as the raw charstrings it holds, read only where called."""

    def __init__(self, subrs) -> None:
        self._subrs = subrs

    def __len__(self) -> int:
        return len(self._subrs) if self._subrs is not None else 0

    def __getitem__(self, number):  # type: ignore[override]
        return self._subrs[number].bytecode


class Face:
    """A CID-keyed CFF face: its glyphs by character, their advances (thousandths of an
    em), and the flattened outline of each glyph printed so far."""

    def __init__(self, font) -> None:
        table = font["CFF "].cff
        self._top = top = table.topDictIndex[0]
        if not hasattr(top, "ROS"):
            raise FontMissing("the PDF's face is not a CID-keyed CFF font; "
                              "print with --pdf-engine weasyprint")
        self._global = _Bytecodes(table.GlobalSubrs)
        ids = top.CharStrings.charStrings
        self.glyph_of: dict[int, int] = {code: ids[name] for code, name in font.getBestCmap().items()}
        self.name = (font["name"].getDebugName(6) or FACE).replace(" ", "")
        self.bbox = tuple(int(v) for v in top.FontBBox)
        os2 = font["OS/2"]
        self.ascent, self.descent = os2.sTypoAscender, os2.sTypoDescender
        self.cap_height = getattr(os2, "sCapHeight", 700)
        self._metrics = font["hmtx"].metrics
        self._names = font.getGlyphOrder()
        self._flat: dict[int, tuple[bytes, int]] = {}
        self._privates: dict[int, bytes] = {}

    def advance(self, glyph: int) -> int:
        return self._metrics[self._names[glyph]][0]

    def outline(self, glyph: int) -> tuple[bytes, int]:
        """A glyph's charstring with no subroutine call, and its font dict's index."""
        flat = self._flat.get(glyph)
        if flat is None:
            fd = self._top.FDSelect[glyph]
            local = _Bytecodes(getattr(self._top.FDArray[fd].Private, "Subrs", None))
            code = self._top.CharStrings.charStringsIndex[glyph].bytecode
            flat = self._flat[glyph] = (cff.flatten(code, local, self._global), fd)
        return flat

    def subset(self, glyphs: Sequence[int]) -> bytes:
        """A CFF font of the glyphs given, in that order after the .notdef: glyph i of
        the list has CID i + 1."""
        outlines = [self.outline(0)] + [self.outline(glyph) for glyph in glyphs]
        used = sorted({fd for _, fd in outlines})
        position = {fd: index for index, fd in enumerate(used)}
        return cff.cid_font(self.name, self.bbox, [code for code, _ in outlines],
                            [position[fd] for _, fd in outlines], [self._private(fd) for fd in used])

    def _private(self, fd: int) -> bytes:
        private = self._privates.get(fd)
        if private is None:
            private = self._privates[fd] = cff.private_dict(self._top.FDArray[fd].Private.rawDict)
        return private


@lru_cache(maxsize=1)
def face() -> Face:
    """The PDF's face, loaded on first use."""
    from fontTools.ttLib import TTFont

    path, index = _locate(FACE)
    return Face(TTFont(path, fontNumber=index, lazy=True))


def subset_tag(glyphs: Sequence[int]) -> str:
    """Six capital letters naming a subset (PDF 32000, 9.6.4): the same glyphs, the
    same name."""
    digest = hashlib.blake2b(repr(tuple(glyphs)).encode("ascii"), digest_size=6).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest)
