"""The PDF's face as pdf_font.py and cff.py read it, against fontTools reading the same
file: the glyph of each character, each glyph's advance, and in a subset each glyph's
outline, width and hints as the face has them."""
from __future__ import annotations

import random
import struct
from io import BytesIO
from pathlib import Path

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.misc.psCharStrings import T2CharString
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from conftest import ROOT
from reportgen.model import document_to_dict
from reportgen.readers import read_file
from reportgen.writers import pdf_font

SEEDS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def located() -> tuple[str, int]:
    return pdf_font._locate(pdf_font.FACE)


@pytest.fixture(scope="module")
def reference(located) -> TTFont:
    path, index = located
    return TTFont(path, fontNumber=index)


def _characters(value, found: set[str]) -> set[str]:
    if isinstance(value, str):
        found.update(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _characters(key, found)
            _characters(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _characters(item, found)
    return found


@pytest.fixture(scope="module")
def codes(reference) -> list[int]:
    """Every character of the seeds' documents, 2,000 others of the face, and a few it
    does not have."""
    found: set[str] = set()
    for path in SEEDS:
        for document in read_file(path).documents:
            _characters(document_to_dict(document), found)
    assert len(found) > 500
    cmap = reference.getBestCmap()
    others = random.Random(6).sample(sorted(cmap.keys() - {ord(char) for char in found}), 2000)
    absent = [0xE000, 0xF8FF, 0x10FFFF, max(cmap) + 1, 0]
    assert not any(code in cmap for code in absent)
    return sorted({ord(char) for char in found} | set(others)) + absent


def test_every_character_has_the_glyph_fonttools_gives(reference, codes):
    face = pdf_font.face()
    cmap = reference.getBestCmap()
    for code, name in cmap.items():
        assert face.glyph_of.get(code) == (reference.getGlyphID(name) or None), hex(code)
    for code in codes:
        if code not in cmap:
            assert face.glyph_of.get(code) is None, hex(code)


def test_the_bmp_cmap_gives_the_same_glyphs(reference):
    """Format 4, what a face without a format 12 subtable is read by: this face has both."""
    raw = memoryview(reference.reader["cmap"])
    records = struct.unpack_from(">H", raw, 2)[0]
    (at,) = [offset for platform, encoding, offset in
             (struct.unpack_from(">HHI", raw, 4 + 8 * record) for record in range(records))
             if (platform, encoding) == (3, 1)]
    glyphs = pdf_font._format_4(raw, at)
    bmp = reference["cmap"].getcmap(3, 1).cmap
    for code in range(0x10000):
        expected = reference.getGlyphID(bmp[code]) if code in bmp else 0
        assert glyphs.get(code) == (expected or None), hex(code)
    assert glyphs.get(0x20000) is None


def test_a_bmp_cmap_by_delta_wraps_past_the_last_glyph_and_one_by_list_skips_notdef():
    segments = [(0x41, 0x44, (65534 - 0x41) & 0xFFFF, 0),  # glyphs 65534, 65535, 0, 1
                (0x100, 0x102, 1, 4),  # glyphs listed after the idRangeOffsets: 7, 0, 9, plus 1
                (0xFFFF, 0xFFFF, 1, 0)]
    starts, ends, deltas, offsets = zip(*segments)
    table = (struct.pack(">7H", 4, 0, 0, 6, 4, 1, 2) + struct.pack(">3H", *ends) + b"\0\0"
             + struct.pack(">3H", *starts) + struct.pack(">3H", *deltas) + struct.pack(">3H", *offsets)
             + struct.pack(">3H", 7, 0, 9))
    glyphs = pdf_font._format_4(memoryview(table), 0)
    assert [glyphs.get(code) for code in range(0x40, 0x46)] == [None, 65534, 65535, None, 1, None]
    assert [glyphs.get(code) for code in range(0xFF, 0x104)] == [None, 8, None, 10, None]
    assert glyphs.get(0xFFFF) is None


def test_every_glyph_has_the_advance_fonttools_gives(reference):
    face = pdf_font.face()
    metrics, order = reference["hmtx"].metrics, reference.getGlyphOrder()
    assert reference["hhea"].numberOfHMetrics < len(order)  # the last advance is repeated
    assert [face.advance(glyph) for glyph in range(len(order))] == [metrics[name][0] for name in order]


def test_the_face_is_named_and_measured_as_fonttools_reads_it(reference):
    face = pdf_font.face()
    assert face.name == reference["name"].getDebugName(6) == "NotoSerifCJKsc-Regular"
    assert face.bbox == tuple(reference["CFF "].cff.topDictIndex[0].FontBBox)
    os2 = reference["OS/2"]
    assert (face.ascent, face.descent, face.cap_height) == (os2.sTypoAscender, os2.sTypoDescender,
                                                           os2.sCapHeight)


def _drawn(charstring) -> tuple[list, float]:
    pen = RecordingPen()
    charstring.draw(pen)
    return pen.value, charstring.width


def test_the_subset_draws_each_glyph_as_the_face_does(reference, codes):
    """The subset's flattened charstrings draw what the face's own draw, at the same
    width, and its Private DICTs keep the face's hints and nominal and default widths."""
    face = pdf_font.face()
    top = reference["CFF "].cff.topDictIndex[0]
    order = reference.getGlyphOrder()
    glyphs = sorted({glyph for glyph in map(face.glyph_of.get, codes) if glyph})
    first_of_each_font_dict = {}
    for glyph in range(len(order)):
        first_of_each_font_dict.setdefault(top.FDSelect[glyph], glyph)
    glyphs += sorted(set(first_of_each_font_dict.values()) - set(glyphs) - {0})
    assert len(glyphs) > 2500
    fonts = CFFFontSet()
    fonts.decompile(BytesIO(face.subset(glyphs)), None)
    subset = fonts.topDictIndex[0]
    assert subset.CharStrings.charStrings.keys() == set(subset.charset)
    for cid, glyph in enumerate([0] + glyphs):
        drawn = _drawn(subset.CharStrings[subset.charset[cid]])
        assert drawn == _drawn(top.CharStrings[order[glyph]]), (cid, glyph)
    font_dicts = set()
    for cid, glyph in enumerate([0] + glyphs):
        ours, theirs = subset.FDArray[subset.FDSelect[cid]].Private, top.FDArray[top.FDSelect[glyph]].Private
        assert ours.rawDict == {key: value for key, value in theirs.rawDict.items() if key != "Subrs"}
        font_dicts.add(top.FDSelect[glyph])
    assert len(font_dicts) == len(top.FDArray)
    assert any("BlueValues" in fd.Private.rawDict and "defaultWidthX" in fd.Private.rawDict
               for fd in subset.FDArray)


def test_a_face_of_its_own_file_reads_as_in_the_collection(located, tmp_path):
    path, index = located
    otf = tmp_path / "face.otf"
    TTFont(path, fontNumber=index, lazy=True).save(otf, reorderTables=False)
    alone, face = pdf_font.Face(str(otf)), pdf_font.face()
    assert (alone.name, alone.bbox, alone.ascent, alone.descent) == (face.name, face.bbox, face.ascent,
                                                                     face.descent)
    for char in "预算绩效自评表A1％":
        glyph = face.glyph_of.get(ord(char))
        assert alone.glyph_of.get(ord(char)) == glyph
        assert alone.advance(glyph) == face.advance(glyph) and alone.outline(glyph) == face.outline(glyph)


def _built(path: Path, cff: bool) -> Path:
    """A one-glyph font: CFF but not CID-keyed, or TrueType."""
    builder = FontBuilder(1000, isTTF=not cff)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    if cff:
        builder.setupCFF("Test-Regular", {"FullName": "Test"}, {".notdef": T2CharString(program=["endchar"])}, {})
    else:
        builder.setupGlyf({".notdef": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0)})
    builder.setupHorizontalHeader()
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(path)
    return path


def test_a_damaged_or_unfit_font_is_named_in_what_is_wrong(located, tmp_path):
    path, index = located
    truncated = tmp_path / "truncated.ttc"
    truncated.write_bytes(Path(path).read_bytes()[:200_000])
    empty = tmp_path / "empty.otf"
    empty.write_bytes(b"")
    cases = [(str(truncated), index, "past the end"), (str(empty), 0, "empty"),
             (str(tmp_path / "none.otf"), 0, "No such file"), (path, 99, "no face 99"),
             (str(_built(tmp_path / "plain.otf", cff=True)), 0, "not a CID-keyed CFF font"),
             (str(_built(tmp_path / "glyf.ttf", cff=False)), 0, "not an OpenType font with CFF outlines")]
    for file, number, why in cases:
        with pytest.raises(pdf_font.FontMissing) as raised:
            pdf_font.Face(file, number)
        assert file in str(raised.value) and why in str(raised.value) and "weasyprint" in str(raised.value)
