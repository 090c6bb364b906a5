"""Text (.txt, .md): forms copied out of PDFs, web pages and Word files, as rows of cells.

The text is decoded (readers/decoding.py), then its layout is found from its first
lines, since the same form comes in several (docs/dump-quirks.md):

- `tabs`: a row per line, cells separated by tabs (the Shanghai seeds, Excel copies);
- `pipes`: a row per line, `a | b | … |`, with `||` for an empty or spanned cell;
- `spaces`: a row per line, cells separated by runs of two or more spaces;
- `space`: a row per line, cells separated by single spaces (a web page's table copied
  as text): cut at every space outside brackets (names hold spaces: `( ≥**个 )`),
  pieces of a known label joined again (`绩 效 指 标`);
- `cells`: one cell per line, cells separated by blank lines (a Word or web table
  copied cell by cell), and `lines`: one cell per line, or each ending in ` |`: rows
  rebuilt by readers/regroup.py;
- `stream`: a whole form on one line, as a PDF's text comes in stream order: read by
  readers/stream.py.

Rows come with their line numbers; a file of any size is read in pieces.
"""
from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from ..normalize import clean, clean_marks, label_key
from . import register
from .decoding import decode_file
from .forms import FormsResult, iter_documents, no_cycle_collection
from .labels import FUNDING_HEAD, KNOWN_KEYS, ROW_LABELS
from .rows import Row, has_partial_label, join_lines

LAYOUT_NAMES = {"tabs": "cells separated by tabs", "pipes": "cells separated by `|`",
                "spaces": "cells separated by runs of spaces",
                "space": "cells separated by single spaces",
                "cells": "one cell per line, blank lines between cells",
                "lines": "one cell per line",
                "stream": "a whole form on one line (a PDF's text in stream order)"}
_SAMPLE_LINES = 400


def detect_layout(text: str) -> str:
    """Given the start of a text, return its layout (see the module docstring)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:_SAMPLE_LINES]
    filled = [line.strip() for line in lines if line.strip()]
    if not filled:
        return "tabs"
    n = len(filled)
    if any(_labels_in(line) >= 4 for line in filled if "\t" not in line and "|" not in line):
        return "stream"
    if sum("\t" in line for line in filled) >= 0.3 * n:
        return "tabs"
    pipe_lines = [line for line in filled if line.endswith("|") or " | " in line]
    if len(pipe_lines) >= 0.3 * n:
        widths = sorted(len([c for c in line.split("|") if c.strip()]) for line in pipe_lines)
        return "lines" if widths[len(widths) // 2] <= 1 else "pipes"
    inner = lines[next(i for i, line in enumerate(lines) if line.strip()):]
    while not inner[-1].strip():
        inner.pop()
    if sum(1 for line in inner if not line.strip()) >= 0.3 * len(inner):
        return "cells"
    if sum(bool(_SPACE_RUN.search(line)) for line in filled) >= 0.3 * n:
        return "spaces"
    if sum(" " in line for line in filled) >= 0.3 * n:
        return "space"
    return "lines"


def _labels_in(line: str) -> int:
    """How many distinct row labels a line's space-separated words are."""
    if len(line) < 60:
        return 0
    return len({key for key in (label_key(w) for w in line.split()) if key in ROW_LABELS})


def iter_rows(pieces: Iterable[str], layout: str) -> Iterator[Row]:
    """Given a text in pieces that end at line breaks, and its layout, return its rows
    (the `stream` layout's lines are rows of one cell each, for readers/stream.py)."""
    if layout in ("cells", "lines"):
        from .regroup import regroup
        yield from regroup(_cells(pieces, paragraphs=layout == "cells"))
        return
    transform = _TRANSFORMS.get(layout)
    first = 1
    for piece in pieces:
        yield from _rows(transform(piece) if transform else piece, first)
        first += piece.count("\n") + piece.count("\r") - piece.count("\r\n")


# ---------------------------------------------------------------- rows of a line

def _rows(text: str, first: int = 1) -> list[Row]:
    """Given a tab-separated text (or a piece of it starting at line `first`), return
    its lines that hold anything, as rows. The clean-up runs over the whole text at once
    (line by line, it was the reader's main cost); none of it crosses a line break or a
    tab."""
    if "\r" in text:  # CR LF or CR: one line break each
        text = _LINE_BREAK.sub("\n", text)
    raws = text.split("\n")  # only line breaks: str.splitlines also splits at \f
    body = _SPACES.sub(" ", clean_marks(_HEADINGS.sub("", text) if "#" in text else text))
    # no space at the edge of a cell (runs are single spaces by now)
    body = body.replace(" \t", "\t").replace("\t ", "\t").replace(" \n", "\n").replace("\n ", "\n").strip(" ")
    keys = _KEY_NOISE.sub("", body)
    if "分" in keys or ")" in keys:
        keys = _KEY_SUFFIX.sub("", keys)
    return [row
            for no, (raw, line, key_line) in enumerate(zip(raws, body.split("\n"), keys.split("\n")), start=first)
            if line and not line.isspace() and (row := _line(no, raw, line, key_line)).cells]


def _line(no: int, raw: str, line: str, key_line: str) -> Row:
    key_parts: list[str] | None
    if "&" in line:  # entities may stand for spaces or marks: clean those cells anew
        parts = [clean(cell) if "&" in cell else cell for cell in line.split("\t")]
        key_parts = [label_key(cell) for cell in parts]
    else:
        parts, key_parts = line.split("\t"), None if key_line == line else key_line.split("\t")
    cells = [(pos, cell) for pos, cell in enumerate(parts) if cell]
    # a line without spaces, colons or commas is its own key line
    keys = [cell for _, cell in cells] if key_parts is None else [key_parts[pos] for pos, _ in cells]
    return Row(no, raw.replace("\t", " ⇥ ") if "|" in raw else raw, cells, keys,
               keys[0] if keys else "", has_partial_label(key_line))


_HEADINGS = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_SPACES = re.compile(r"[^\S\t\n]+")  # runs of white space other than the separators
_KEY_NOISE = re.compile(r"[ :：,，]")  # what label_key drops, the rest being done
_LINE_BREAK = re.compile(r"\r\n?")
# What labels.without_weight and labels.column_key drop, at a cell's end: 产出指标(50分),
# 成本指标(0-20)分, 全年预算数(A)
_KEY_SUFFIX = re.compile(r"\((?:\d+(?:\.\d+)?(?:-\d+)?分?|[A-Z][A-Z/×*]*)\)分?(?=[\t\n]|$)")


# ---------------------------------------------------------------- layouts as tabs

_MARKDOWN_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$", re.MULTILINE)
_SPACE_RUN = re.compile(r"(?<=\S)[ \u3000\xa0]{2,}(?=\S)")


def _pipes_as_tabs(text: str) -> str:
    """`a | b | c |` rows as tab rows (a markdown table's rule lines dropped)."""
    if "--" in text:
        text = _MARKDOWN_RULE.sub("", text)
    return text.replace("|", "\t")


def _space_runs_as_tabs(text: str) -> str:
    return _SPACE_RUN.sub("\t", text)


def _spaces_as_tabs(text: str) -> str:
    return "\n".join("\t".join(split_at_spaces(line)) if " " in line.strip() else line
                     for line in text.split("\n"))


def split_at_spaces(line: str) -> list[str]:
    """Given a row whose cells are separated by single spaces, return its cells: cut at
    every space outside brackets, then the pieces of a known label joined (`绩 效 指
    标`, `项目 名称`). A space inside a cell that is no label cannot be told from a
    separator: such cells come apart, and the recogniser reports what it cannot place."""
    words: list[str] = []
    depth = 0
    for word in line.split():
        if depth > 0 and words:
            words[-1] += " " + word
        else:
            words.append(word)
        depth = max(0, depth + word.count("(") + word.count("（") - word.count(")") - word.count("）"))
    return _join_label_pieces(words)


def _join_label_pieces(words: list[str]) -> list[str]:
    """Runs of short words that together make a known label, joined."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if out and words[i] in _AMOUNT_UNITS and FUNDING_HEAD.match(label_key(out[-1])):
            out[-1] += words[i]  # 项目资金 (元)
            i += 1
            continue
        for j in range(min(len(words), i + 8), i + 1, -1):
            run = words[i:j]
            if all(len(w) <= 4 for w in run) and label_key("".join(run)) in KNOWN_KEYS \
                    and label_key(run[0]) not in KNOWN_KEYS:
                out.append("".join(run))
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    return out


_AMOUNT_UNITS = ("(元)", "(万元)", "（元）", "（万元）")
_TRANSFORMS = {"pipes": _pipes_as_tabs, "spaces": _space_runs_as_tabs, "space": _spaces_as_tabs,
               "stream": None, "tabs": None}


# ---------------------------------------------------------------- one cell per line

def _cells(pieces: Iterable[str], paragraphs: bool) -> Iterator[tuple[int, str, int]]:
    """Given a text with one cell per line, return its cells as (line, text): cells
    separated by blank lines are the lines between them, joined (a cell wrapped in its
    box), with the number of their last line too; a line of white space only is an empty cell; where no blank line separates
    them, each line is a cell, and a line of `|` only holds one empty cell per `|`."""
    lines = _numbered_lines(pieces)
    pending: list[tuple[int, str]] = []
    for no, line in lines:
        stripped = line.strip(" \t\r\u3000")
        ends_cell = line.rstrip().endswith("|")
        if not line:
            if pending:
                yield _joined(pending)
                pending = []
            continue
        if not stripped or stripped.replace("\xa0", "") == "":
            if pending:
                yield _joined(pending)
                pending = []
            yield no, "", no
            continue
        if ends_cell:
            if pending:
                yield _joined(pending)
                pending = []
            if set(stripped) <= {"|", " "}:
                for _ in range(stripped.count("|")):
                    yield no, "", no
            else:
                yield no, stripped.rstrip("|").strip(), no
            continue
        if paragraphs:
            pending.append((no, stripped))
        else:
            yield no, stripped, no
    if pending:
        yield _joined(pending)


def _joined(lines: list[tuple[int, str]]) -> tuple[int, str, int]:
    """The lines of one cell as one text, with its first and last line's numbers."""
    return lines[0][0], join_lines(line for _, line in lines), lines[-1][0]


def _numbered_lines(pieces: Iterable[str]) -> Iterator[tuple[int, str]]:
    no = 0
    carry = ""
    for piece in pieces:
        piece = carry + piece
        parts = _LINE_BREAK.sub("\n", piece).split("\n")
        carry = parts.pop()
        for part in parts:
            no += 1
            yield no, part
    if carry:
        yield no + 1, carry



# ---------------------------------------------------------------- reading

def read_text(name: str, text: str, note: str | None = None) -> FormsResult:
    """Given a text's name and content, return its documents (pure: no file access)."""
    whole = FormsResult()
    with no_cycle_collection():  # over the whole: the documents gathered make no cycles
        for part in iter_text(name, [text], note):
            whole.extend(part)
    return whole


def iter_text(name: str, pieces: Iterable[str], note: str | None = None) -> Iterator[FormsResult]:
    """Given a text's name and content in pieces, return it read form by form."""
    pieces = iter(pieces)
    first = next(pieces, "")
    layout = detect_layout(first)
    everything = itertools.chain([first], pieces)
    if layout == "stream":
        from .stream import stream_rows
        rows: Iterable[Row] = stream_rows(iter_rows(everything, "tabs"))
    else:
        rows = iter_rows(everything, layout)
    yield from iter_documents(name, rows, LAYOUT_NAMES[layout], note)


@register(".txt", ".md")
def iter_text_file(path: Path) -> Iterator[FormsResult]:
    """A text file read form by form (see iter_text)."""
    try:
        pieces, note = decode_file(path)
    except InputError as exc:
        yield FormsResult(errors=[exc])
        return
    yield from iter_text(str(path), pieces, note)
