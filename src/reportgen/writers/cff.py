"""CFF font subsets, built by hand: the glyphs a PDF prints, from a CID-keyed CFF face
(the Noto CJK faces), in a millisecond.

A general subsetter (fontTools, HarfBuzz) spends 3–13 ms on a form's 200 distinct
characters of a 65,535-glyph CJK face: it works out subroutine closures and layout
tables a PDF never reads. Here each glyph's charstring is flattened once, its
subroutine calls replaced by their bodies (`flatten`), and a subset is the flattened
charstrings of its glyphs put behind a minimal CID-keyed header (`cid_font`). The
subset has no subroutines, so a glyph is the same bytes in every file and the work per
file is only joining them.

The face is read the same way, in place (`CIDFont`): its INDEXes and DICTs where they
lie in the file, a charstring or a subroutine sliced out only when a glyph is printed.
Its Private DICTs (hints, widths) go into the subset as the face states them, less
their local subroutines.

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


def _value(code: bytes, at: int) -> int:
    """The value of the number of a charstring at `at`."""
    b0 = code[at]
    if b0 == 28:
        return struct.unpack_from(">h", code, at + 1)[0]
    if b0 <= 246:
        return b0 - 139
    if b0 <= 250:
        return (b0 - 247) * 256 + code[at + 1] + 108
    if b0 <= 254:
        return -(b0 - 251) * 256 - code[at + 1] - 108
    return struct.unpack_from(">i", code, at + 1)[0] >> 16  # 255: a 16.16 fixed-point number


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
        """Copy code into out, calls inlined; True once the glyph has ended. Numbers and
        the operators that need nothing done are stepped over, then copied a run at a
        time where an operator needs something done (a call, a return, the end): a
        Python step per byte would take half as long again."""
        if depth > 10:  # Type 2 allows ten levels of nesting
            raise ValueError("charstring subroutines nested deeper than 10")
        pos, end = 0, len(code)
        copied = 0  # code[:copied] is in out
        number = -1  # where the last number of the code starts
        args = self.args
        while pos < end:
            b0 = code[pos]
            if b0 >= 32:
                number = pos
                pos += 1 if b0 <= 246 else 2 if b0 <= 254 else 5
                args += 1
                continue
            if b0 == 28:
                number = pos
                pos += 3
                args += 1
                continue
            if b0 == _CALLSUBR or b0 == _CALLGSUBR:
                self._copy(code, copied, pos, number)
                del self.out[self.last_start:]  # the subroutine number goes; its body comes
                self.args = args - 1
                subrs, offset = ((self.local, self.local_bias) if b0 == _CALLSUBR
                                 else (self.global_, self.global_bias))
                if self.run(subrs[self.last_number + offset], depth + 1):
                    return True
                args = self.args
                pos = copied = pos + 1
                continue
            if b0 == _RETURN:
                break
            if b0 == _ESCAPE:
                pos += 2
            elif b0 in _STEMS:
                self.stems += args // 2
                pos += 1
            elif b0 == _HINTMASK or b0 == _CNTRMASK:
                self.stems += args // 2  # stems stated just before: an implied vstem
                pos += 1 + (self.stems + 7) // 8
            else:
                pos += 1
                if b0 == _ENDCHAR:
                    self.out += code[copied:pos]
                    return True
            args = 0
        if pos > end:
            raise ValueError("a charstring cut short")
        self._copy(code, copied, pos, number)
        self.args = args
        return False

    def _copy(self, code: bytes, start: int, end: int, number: int) -> None:
        """Copy code[start:end] into out, noting where its last number lands."""
        if number >= start:
            self.last_start, self.last_number = len(self.out) + number - start, _value(code, number)
        self.out += code[start:end]


def flatten(charstring: bytes, local: Sequence[bytes], global_: Sequence[bytes]) -> bytes:
    """Given a Type 2 charstring and the subroutines it may call (its font dict's local
    ones, the font's global ones), return it with no subroutine call."""
    flattener = _Flattener(local, global_)
    flattener.run(charstring)
    return bytes(flattener.out)


# ------------------------------------------------------------------ reading a font

# DICT operators read (12 x is 1200 + x)
_FONT_BBOX, _CHARSTRINGS, _PRIVATE, _SUBRS = 5, 17, 18, 19
_ROS, _FD_ARRAY, _FD_SELECT = 1230, 1236, 1237


class _Index(Sequence[bytes]):
    """A CFF INDEX of a font file, each item sliced from the file when asked for: of a
    CJK face's 65,535 charstrings a file prints a few hundred, and the others are never
    read, nor their offsets."""

    def __init__(self, data: memoryview, at: int) -> None:
        self._data = data
        self._count = count = struct.unpack_from(">H", data, at)[0]
        if count == 0:
            self._size = self._offsets = self._base = self._mask = 0
            self.end = at + 2  # where what follows the INDEX starts
            return
        self._size = size = data[at + 2]
        if not 1 <= size <= 4:
            raise ValueError(f"a CFF INDEX with {size}-byte offsets")
        self._offsets = at + 3
        self._mask = (1 << 8 * size) - 1
        self._base = self._offsets + (count + 1) * size - 1  # offsets count from 1
        self.end = self._base + self._offset(count)
        if self.end > len(data):
            raise ValueError("a CFF INDEX runs past the end of its table")

    def _offset(self, number: int) -> int:
        # the four bytes that end with the offset, less those before it: one reading for
        # every offset size (before the first offset are the INDEX's count and size)
        at = self._offsets + (number + 1) * self._size - 4
        return struct.unpack_from(">I", self._data, at)[0] & self._mask

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, number):  # type: ignore[override]
        if not 0 <= number < self._count:  # not from the end: a negative number is a fault
            raise IndexError(f"item {number} of a CFF INDEX of {self._count}")
        return bytes(self._data[self._base + self._offset(number):self._base + self._offset(number + 1)])


# A real number's nibbles (5176, table 5); 0xD is reserved, 0xF ends the number.
_REAL_NIBBLES = (*"0123456789.E", "E-", "?", "-")


def _dict_entries(data: bytes) -> list[tuple[int, list[float], bytes]]:
    """A DICT's entries in order: each operator, its operands, and the bytes that state
    them both."""
    entries: list[tuple[int, list[float], bytes]] = []
    operands: list[float] = []
    start = pos = 0
    while pos < len(data):
        b0 = data[pos]
        if b0 <= 21:
            op, pos = (1200 + data[pos + 1], pos + 2) if b0 == 12 else (b0, pos + 1)
            entries.append((op, operands, data[start:pos]))
            operands, start = [], pos
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            pos += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + data[pos + 1] + 108)
            pos += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - data[pos + 1] - 108)
            pos += 2
        elif b0 == 28:
            operands.append(struct.unpack_from(">h", data, pos + 1)[0])
            pos += 3
        elif b0 == 29:
            operands.append(struct.unpack_from(">i", data, pos + 1)[0])
            pos += 5
        elif b0 == 30:
            value, pos = _real(data, pos + 1)
            operands.append(value)
        else:
            raise ValueError(f"byte {b0} in a CFF DICT")
    if operands:
        raise ValueError("a CFF DICT ends in operands with no operator")
    return entries


def _real(data: bytes, pos: int) -> tuple[float, int]:
    """The real number of a DICT whose nibbles start at pos, and where the DICT goes on."""
    text = ""
    while True:
        byte = data[pos]
        pos += 1
        for nibble in (byte >> 4, byte & 0xF):
            if nibble == 0xF:
                return float(text), pos
            text += _REAL_NIBBLES[nibble]


def _operands(data: bytes) -> dict[int, list[float]]:
    """A DICT's operands by operator."""
    return {op: operands for op, operands, _ in _dict_entries(data)}


def _offset_in(operands: dict[int, list[float]], op: int, name: str) -> int:
    if op not in operands:
        raise ValueError(f"a CFF DICT with no {name}")
    return int(operands[op][-1])


class CIDFont:
    """A CID-keyed CFF font (an OpenType font's 'CFF ' table), what a subset needs of
    it: its charstrings and subroutines, each read when called for, each glyph's font
    dict, and each font dict's Private DICT."""

    def __init__(self, data: memoryview) -> None:
        if data[0] != 1:
            raise ValueError(f"CFF version {data[0]}, not 1")
        names = _Index(data, data[2])  # after the header, whose size it states
        tops = _Index(data, names.end)
        strings = _Index(data, tops.end)
        self.global_subrs = _Index(data, strings.end)
        top = _operands(tops[0])
        if _ROS not in top:
            raise ValueError("not a CID-keyed CFF font")
        self.bbox = tuple(int(v) for v in top.get(_FONT_BBOX, (0, 0, 0, 0)))
        self.charstrings = _Index(data, _offset_in(top, _CHARSTRINGS, "CharStrings"))
        self.local_subrs: list[Sequence[bytes]] = []
        self.privates: list[bytes] = []
        for font_dict in _Index(data, _offset_in(top, _FD_ARRAY, "FDArray")):
            self._read_private(data, _operands(font_dict))
        self.font_dict_of = _font_dict_select(data, _offset_in(top, _FD_SELECT, "FDSelect"),
                                              len(self.charstrings), len(self.privates))

    def _read_private(self, data: memoryview, font_dict: dict[int, list[float]]) -> None:
        """A font dict's local subroutines, and its Private DICT as it is but for the
        entry of those (a subset has none): the hints and widths the face states."""
        if len(font_dict.get(_PRIVATE, ())) != 2:
            raise ValueError("a font dict with no Private DICT")
        size, at = (int(v) for v in font_dict[_PRIVATE])
        if at + size > len(data):
            raise ValueError("a Private DICT runs past the end of the CFF table")
        entries = _dict_entries(bytes(data[at:at + size]))
        subrs = [operands[-1] for op, operands, _ in entries if op == _SUBRS]  # from the DICT
        self.local_subrs.append(_Index(data, at + int(subrs[0])) if subrs else ())
        self.privates.append(b"".join(raw for op, _, raw in entries if op != _SUBRS))


def _font_dict_select(data: memoryview, at: int, glyphs: int, font_dicts: int) -> bytes:
    """The FDSelect: the index of each glyph's font dict, a byte a glyph."""
    if data[at] == 0:
        select = bytes(data[at + 1:at + 1 + glyphs])
    elif data[at] == 3:  # ranges: the first glyph of each and its font dict, then the end
        ranges = struct.unpack_from(">H", data, at + 1)[0]
        fields = struct.unpack_from(">" + "HB" * ranges + "H", data, at + 3)
        firsts, indices = fields[0::2], fields[1::2]
        if firsts[0] != 0:
            raise ValueError("an FDSelect whose ranges do not start at glyph 0")
        select = b"".join(bytes([index]) * (end - first)
                          for first, index, end in zip(firsts, indices, firsts[1:]))
    else:
        raise ValueError(f"FDSelect format {data[at]}")
    if len(select) != glyphs:
        raise ValueError(f"an FDSelect of {len(select)} glyphs for {glyphs}")
    if select.translate(None, bytes(range(font_dicts))):  # what is left is no font dict's
        raise ValueError("an FDSelect names a font dict the FDArray does not have")
    return select


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


def _number(value: int) -> bytes:
    """An integer in a DICT, in its shortest form."""
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


def _offset(value: int) -> bytes:
    """An offset in a DICT, always five bytes: a DICT's size must not depend on the
    offsets it holds, since they depend on its size."""
    return b"\x1d" + struct.pack(">i", value)


def _op(code: int) -> bytes:
    return bytes([12, code - 1200]) if code >= 1200 else bytes([code])


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

