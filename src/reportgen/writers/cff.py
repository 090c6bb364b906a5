"""CFF font subsets, built by hand: the glyphs a PDF prints, from a CID-keyed CFF face
(the Noto CJK faces), in a millisecond.

A general subsetter (fontTools, HarfBuzz) spends 3–13 ms on a form's 200 distinct
characters of a 65,535-glyph CJK face: it works out subroutine closures and layout
tables a PDF never reads. Here each glyph's charstring is flattened once, its
subroutine calls replaced by their bodies (`flatten`), and a subset is the flattened
charstrings of its glyphs put behind a minimal CID-keyed header (`cid_font`). The
subset has no subroutines, so a glyph is the same bytes in every file and the work per
file is only joining them.

The formats: Adobe Technical Notes #5176 (CFF) and #5177 (Type 2 charstrings).
"""
from __future__ import annotations

import struct
from typing import Sequence

_ESCAPE, _HINTMASK, _CNTRMASK = 12, 19, 20
_CALLSUBR, _CALLGSUBR, _RETURN, _ENDCHAR = 10, 29, 11, 14
_STEMS = frozenset({1, 3, 18, 23})  # hstem, vstem, hstemhm, vstemhm


def bias(count: int) -> int:
    """What a charstring adds to a subroutine number (Type 2, section 4.7)."""
    return 107 if count < 1240 else 1131 if count < 33900 else 32768


class _Flattener:
    """One glyph's charstring with every subroutine call replaced by the subroutine."""

    def __init__(self, local: Sequence[bytes], global_: Sequence[bytes]) -> None:
        self.local, self.global_ = local, global_
        self.local_bias, self.global_bias = bias(len(local)), bias(len(global_))
        self.out = bytearray()
        self.stems = 0  # hints declared so far: they set the length of a hintmask
        self.args = 0  # numbers on the stack
        self.last_number = 0  # value of the last number, and where it starts in out
        self.last_start = 0

    def run(self, code: bytes, depth: int = 0) -> bool:
        """Copy code into out, calls inlined; True once the glyph has ended."""
        if depth > 10:  # Type 2 allows ten levels of nesting
            raise ValueError("charstring subroutines nested deeper than 10")
        out, pos, end = self.out, 0, len(code)
        while pos < end:
            b0 = code[pos]
            if b0 >= 32 or b0 == 28:
                start = pos
                if b0 <= 246 and b0 != 28:
                    value, pos = b0 - 139, pos + 1
                elif b0 <= 250 and b0 != 28:
                    value, pos = (b0 - 247) * 256 + code[pos + 1] + 108, pos + 2
                elif b0 <= 254 and b0 != 28:
                    value, pos = -(b0 - 251) * 256 - code[pos + 1] - 108, pos + 2
                elif b0 == 28:
                    value, pos = struct.unpack_from(">h", code, pos + 1)[0], pos + 3
                else:  # 255: a 16.16 fixed-point number
                    value, pos = struct.unpack_from(">i", code, pos + 1)[0] >> 16, pos + 5
                self.last_start = len(out)
                self.last_number = value
                out += code[start:pos]
                self.args += 1
                continue
            if b0 in (_CALLSUBR, _CALLGSUBR):
                del out[self.last_start:]  # the subroutine number goes; its body comes
                self.args -= 1
                subrs, offset = ((self.local, self.local_bias) if b0 == _CALLSUBR
                                 else (self.global_, self.global_bias))
                if self.run(subrs[self.last_number + offset], depth + 1):
                    return True
                pos += 1
                continue
            if b0 == _RETURN:
                return False
            if b0 == _ESCAPE:
                out += code[pos:pos + 2]
                pos += 2
                self.args = 0
                continue
            if b0 in _STEMS:
                self.stems += self.args // 2
            elif b0 in (_HINTMASK, _CNTRMASK):
                self.stems += self.args // 2  # stems stated just before: an implied vstem
                length = (self.stems + 7) // 8
                out += code[pos:pos + 1 + length]
                pos += 1 + length
                self.args = 0
                continue
            out.append(b0)
            pos += 1
            self.args = 0
            if b0 == _ENDCHAR:
                return True
        return False


def flatten(charstring: bytes, local: Sequence[bytes], global_: Sequence[bytes]) -> bytes:
    """Given a Type 2 charstring and the subroutines it may call (its font dict's local
    ones, the font's global ones), return it with no subroutine call."""
    flattener = _Flattener(local, global_)
    flattener.run(charstring)
    return bytes(flattener.out)


# ------------------------------------------------------------------ writing a font

def _index(items: Sequence[bytes]) -> bytes:
    """A CFF INDEX: count, offset size, offsets from 1, the data."""
    if not items:
        return b"\x00\x00"
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    size = 1 if offsets[-1] < 0x100 else 2 if offsets[-1] < 0x10000 else 3 if offsets[-1] < 0x1000000 else 4
    packed = b"".join(offset.to_bytes(size, "big") for offset in offsets)
    return struct.pack(">HB", len(items), size) + packed + b"".join(items)


def _number(value: float) -> bytes:
    """A number in a DICT: an integer in its shortest form, else a real in nibbles."""
    if isinstance(value, bool) or (isinstance(value, float) and value.is_integer()):
        value = int(value)
    if isinstance(value, int):
        if -107 <= value <= 107:
            return bytes([value + 139])
        if 108 <= value <= 1131:
            value -= 108
            return bytes([(value >> 8) + 247, value & 0xFF])
        if -1131 <= value <= -108:
            value = -value - 108
            return bytes([(value >> 8) + 251, value & 0xFF])
        if -32768 <= value <= 32767:
            return b"\x1c" + struct.pack(">h", value)
        return b"\x1d" + struct.pack(">i", value)
    return _real(value)


def _real(value: float) -> bytes:
    """A real number in a DICT: its decimal digits, two to a byte (5176, table 5)."""
    text = repr(float(value)).upper().replace("E-", "C").replace("E+", "B").replace("E", "B")
    codes = {".": 0xA, "B": 0xB, "C": 0xC, "-": 0xE}
    nibbles = [int(char) if char.isdigit() else codes[char] for char in text] + [0xF]
    if len(nibbles) % 2:
        nibbles.append(0xF)
    return b"\x1e" + bytes(nibbles[i] << 4 | nibbles[i + 1] for i in range(0, len(nibbles), 2))


def _offset(value: int) -> bytes:
    """An offset in a DICT, always five bytes: a DICT's size must not depend on the
    offsets it holds, since they depend on its size."""
    return b"\x1d" + struct.pack(">i", value)


def _op(code: int) -> bytes:
    return bytes([12, code - 1200]) if code >= 1200 else bytes([code])


# Private DICT keys (fontTools' names) and their operators; arrays stored as deltas.
_PRIVATE = {"BlueValues": 6, "OtherBlues": 7, "FamilyBlues": 8, "FamilyOtherBlues": 9,
            "StdHW": 10, "StdVW": 11, "BlueScale": 1209, "BlueShift": 1210, "BlueFuzz": 1211,
            "StemSnapH": 1212, "StemSnapV": 1213, "ForceBold": 1214, "LanguageGroup": 1217,
            "ExpansionFactor": 1218, "initialRandomSeed": 1219, "defaultWidthX": 20,
            "nominalWidthX": 21}
_DELTAS = frozenset({"BlueValues", "OtherBlues", "FamilyBlues", "FamilyOtherBlues",
                     "StemSnapH", "StemSnapV"})


def private_dict(values: dict[str, object]) -> bytes:
    """A Private DICT from its values (fontTools' rawDict), without local subroutines."""
    out = bytearray()
    for key, code in _PRIVATE.items():
        if key not in values:
            continue
        value = values[key]
        if key in _DELTAS:
            previous = 0
            for item in value:  # type: ignore[attr-defined]
                out += _number(item - previous)
                previous = item
        else:
            out += _number(value)  # type: ignore[arg-type]
        out += _op(code)
    return bytes(out)


def cid_font(name: str, bbox: Sequence[int], charstrings: Sequence[bytes],
             font_dicts: Sequence[int], privates: Sequence[bytes]) -> bytes:
    """Given glyphs (flattened charstrings, glyph 0 the .notdef) and, for each, the
    index of its Private DICT in `privates`, return a CID-keyed CFF font whose CID
    of each glyph is its index: what a PDF's CIDFontType0C font embeds."""
    count = len(charstrings)
    strings = [b"Adobe", b"Identity"]  # SIDs 391 and 392, the first after the standard ones
    header = b"\x01\x00\x04\x04"
    names = _index([name.encode("ascii")])
    string_index = _index(strings)
    global_subrs = _index([])
    charset = b"\x00" + b"".join(struct.pack(">H", cid) for cid in range(1, count))
    fd_select = b"\x00" + bytes(font_dicts)
    glyphs = _index(charstrings)

    def top(charset_at: int, fd_select_at: int, charstrings_at: int, fd_array_at: int) -> bytes:
        return (_number(391) + _number(392) + _number(0) + _op(1230)  # ROS Adobe-Identity-0
                + b"".join(_number(v) for v in bbox) + _op(5)  # FontBBox
                + _number(count) + _op(1234)  # CIDCount
                + _offset(charset_at) + _op(15) + _offset(fd_select_at) + _op(1237)
                + _offset(charstrings_at) + _op(17) + _offset(fd_array_at) + _op(1236))

    top_size = len(_index([top(0, 0, 0, 0)]))
    charset_at = len(header) + len(names) + top_size + len(string_index) + len(global_subrs)
    fd_select_at = charset_at + len(charset)
    charstrings_at = fd_select_at + len(fd_select)
    fd_array_at = charstrings_at + len(glyphs)

    def font_dict(size: int, at: int) -> bytes:
        return _offset(size) + _offset(at) + _op(18)

    fd_array_size = len(_index([font_dict(0, 0) for _ in privates]))
    at = fd_array_at + fd_array_size
    dicts = []
    for private in privates:
        dicts.append(font_dict(len(private), at))
        at += len(private)
    return b"".join([header, names, _index([top(charset_at, fd_select_at, charstrings_at, fd_array_at)]),
                     string_index, global_subrs, charset, fd_select, glyphs, _index(dicts), *privates])

