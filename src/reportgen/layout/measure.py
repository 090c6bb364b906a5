"""Page geometry and text measure: how wide a text prints, how many lines it takes in a
cell, how tall a row is. The three writers print with these figures (styles/form.css
for the PDF, writers/docx.py and writers/xlsx.py), so a form measured here breaks over
pages at the same rows in each.

Widths are advance widths of Noto Serif CJK SC, the face the PDF prints with on Linux,
or of Times New Roman where that is wider; 宋体 in Word is no wider. A text measured to
fit one line therefore fits it in all three formats.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MM_PER_PT = 25.4 / 72
BODY_PT = 9.0  # the table text
TITLE_PT = 18.0
SUBTITLE_PT = 10.5
HEADING_PT = 12.0
NOTE_PT = 9.0
LINE_HEIGHT = 1.25  # of the font size
CELL_PAD_X_MM = 1.2
CELL_PAD_Y_MM = 0.7
BORDER_PT = 0.6

# A4, and the margins of styles/form.css: (left and right, top and bottom), mm
PAGE_MM = {"portrait": (210.0, 297.0), "landscape": (297.0, 210.0)}
MARGIN_MM = {"portrait": (15.0, 15.0), "landscape": (15.0, 10.0)}
# space below the title and the subtitle, mm (form.css h1 and p.subtitle)
TITLE_GAP_MM = 1.0
SUBTITLE_GAP_MM = 2.0


@dataclass(frozen=True)
class Area:
    """The printable area of a page, mm."""

    width: float
    height: float


def printable(orientation: str) -> Area:
    (width, height), (side, top) = PAGE_MM[orientation], MARGIN_MM[orientation]
    return Area(width - 2 * side, height - 2 * top)


def title_height_mm(has_subtitle: bool = True) -> float:
    """The title and subtitle lines above a form's first table."""
    height = TITLE_PT * LINE_HEIGHT * MM_PER_PT + TITLE_GAP_MM
    if has_subtitle:
        height += SUBTITLE_PT * LINE_HEIGHT * MM_PER_PT + SUBTITLE_GAP_MM
    return height


# Advance widths of U+0020 to U+007E in thousandths of an em: the wider of Noto Serif
# CJK SC and Times New Roman (Liberation Serif) for each character.
_ASCII = (256, 333, 408, 574, 550, 923, 779, 196, 364, 364, 500, 580, 327, 346, 327, 352,
          557, 500, 558, 557, 555, 558, 558, 549, 558, 562, 327, 327, 580, 580, 580, 444,
          921, 722, 670, 691, 770, 652, 629, 741, 853, 405, 402, 731, 625, 975, 796, 767,
          641, 767, 715, 567, 659, 797, 722, 1053, 722, 722, 611, 344, 352, 344, 580, 563,
          435, 557, 638, 538, 629, 546, 388, 566, 663, 332, 311, 607, 334, 974, 661, 596,
          638, 607, 462, 473, 367, 653, 548, 838, 564, 552, 498, 480, 316, 480, 580)
# Narrow characters outside ASCII that forms use; everything else counts a full em.
_OTHER = {"·": 327, "—": 890, "–": 500, "×": 580, "÷": 580, "°": 400}
# Characters a line may not start with (closing punctuation): both Word and the PDF
# engine carry the character before them over to the next line with them.
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕…%‰,.;:?!)]}")


# advance widths by character, in em
_EM = {chr(32 + i): width / 1000 for i, width in enumerate(_ASCII)} | {
    char: width / 1000 for char, width in _OTHER.items()}


@lru_cache(maxsize=8192)
def line_em(line: str) -> float:
    """The width of one line of text (no line breaks), in em."""
    get = _EM.get
    return sum(get(c, 1.0) for c in line)


def text_em(text: str) -> float:
    """The width of a text's longest line, in em."""
    return max((line_em(line) for line in text.split("\n")), default=0.0)


# Few entries: the pieces of a long line take some 10 KB, and those who ask (break_lines,
# longest_unit_em) keep their own answers. With 4,096 a worker grew 25 MB over its first
# 4,000 forms; with 256, 3 MB, at the same speed.
@lru_cache(maxsize=256)
def _pieces(line: str) -> tuple[tuple[str, float], ...]:
    """A line as the pieces it may break between, with their widths in em: a run of
    Latin letters and digits stays whole (as Word keeps a word), and so does a number
    with its decimal point or thousands comma (96.44, 22,466.91); closing punctuation
    stays with the character before it, any other character stands alone."""
    pieces: list[list] = []
    word = False
    get = _EM.get
    for char in line:
        width = get(char, 1.0)
        latin = char.isascii() and char.isalnum()
        if pieces and (char in _NO_LINE_START or (latin and word)):
            pieces[-1][0] += char
            pieces[-1][1] += width
        else:
            pieces.append([char, width])
        word = latin or (char in ".," and pieces[-1][0][-2:-1].isdigit())
    return tuple((text, width) for text, width in pieces)


@lru_cache(maxsize=8192)
def break_lines(text: str, width_em: float) -> tuple[str, ...]:
    """A text as the lines it is printed in when wrapped in a line `width_em` wide: the
    one place line breaks are decided, for the row heights of every format and for the
    lines the PDF prints."""
    width_em += 1e-6  # a text exactly as wide as its line fits it
    lines: list[str] = []
    for line in text.split("\n"):
        if line_em(line) <= width_em:
            lines.append(line)
            continue
        current, used = "", 0.0
        for piece, width in _pieces(line):
            if used + width > width_em and used > 0:
                lines.append(current)
                current, used = "", 0.0
            if width <= width_em:
                current += piece
                used += width
                continue
            for char in piece:  # a word wider than the line breaks where it must
                char_width = _EM.get(char, 1.0)
                if used + char_width > width_em and used > 0:
                    lines.append(current)
                    current, used = "", 0.0
                current += char
                used += char_width
        lines.append(current)
    return tuple(lines)


def lines_of(text: str, width_em: float) -> int:
    """How many lines a text takes when wrapped in a line `width_em` wide."""
    return len(break_lines(text, width_em))


@lru_cache(maxsize=8192)
def longest_unit_em(text: str) -> float:
    """The widest piece of a text that cannot break (a word, a character)."""
    return max((width for line in text.split("\n") for _, width in _pieces(line)), default=0.0)


def cell_extra_mm() -> float:
    """The width a cell adds to its text: padding on both sides and a border."""
    return 2 * CELL_PAD_X_MM + BORDER_PT * MM_PER_PT


def row_height_pt(lines: int, size_pt: float) -> float:
    """The height of a row whose tallest cell has `lines` lines: the lines, the padding
    above and below, and one border."""
    return lines * size_pt * LINE_HEIGHT + 2 * CELL_PAD_Y_MM / MM_PER_PT + BORDER_PT
