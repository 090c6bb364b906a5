"""Fuzzing the source readers: mutated text, HTML, Word, Excel and PDF files never raise
out of their reader. Every case ends in documents or in errors, and each error is an
`InputError` with a message that names the file.

Each reader is called directly (`iter_text_file`, `iter_html_file`, `iter_word_file`,
`iter_excel_file`, `iter_pdf_file`) and its generator consumed. The catch-all in
`readers.iter_file` is bypassed on purpose: a reader that only survives because of it
fails here.

The cases, each derived from a deterministic seed:

- text: windows of the seed dumps in each layout the text reader detects (tabs, pipes,
  spaces, single spaces, one cell per line with or without blank lines, a PDF's stream
  order). A few lines keep a different layout. Then lines are deleted, duplicated,
  swapped or truncated, random bytes and separators are inserted, cells are split, and
  the encoding is sometimes changed;
- html: a rendered page with tags dropped or duplicated, rows and cells duplicated,
  rowspan/colspan set to huge, negative, zero or non-numeric values, tables nested in
  cells, entities and garbage added, the charset changed, and the page truncated;
- docx and xlsx: the XML parts inside the zip truncated, given garbage, and with
  elements dropped or duplicated. gridSpan/vMerge/gridBefore and merge ranges, cell
  references, types and values are changed, parts are dropped, and the zip's raw bytes
  are flipped or cut (stored or deflated);
- pdf: a rendered PDF with bytes flipped, truncated, chunks cut or repeated, numbers of
  its dictionaries changed, and incremental updates that replace the page's content
  stream (operators and numbers mutated) or the page itself (odd boxes, rotation,
  missing contents). A PDF without a text layer (an image made with Pillow) must give an
  error that mentions OCR.

REPORTGEN_FUZZ_CASES (10,000 by default) is the total number of cases. It is split over
the sources by cost, since a PDF case takes about 20 times as long as a text case and
an XLSX case 6 times: 60 % text, 28 % HTML, 6 % DOCX, 4 % XLSX and 2 % PDF
(6,000 / 2,800 / 600 / 400 / 200).
Each source is its own test. It runs all its cases and then fails once, listing each
distinct crash with its count, the case that first hit it and a copy of that input
(under the module's temporary folder). Nesting depth and merge-range sizes are bounded,
so the run time stays short: the inputs test robustness, not size.
"""
from __future__ import annotations

import io
import os
import random
import re
import time
import traceback
import zipfile
from pathlib import Path
from typing import Callable, Iterable

import pytest

from conftest import ROOT, SAMPLES, load_sample
from reportgen.errors import InputError
from reportgen.layout import layout_document
from reportgen.readers import excel, html, pdf, text, word
from reportgen.writers import write_atomic

TOTAL = int(os.environ.get("REPORTGEN_FUZZ_CASES", 10_000))
SHARES = {"html": 0.28, "docx": 0.06, "xlsx": 0.04, "pdf": 0.02}  # text: the rest
CASES = {kind: max(1, round(TOTAL * share)) for kind, share in SHARES.items()}
CASES["text"] = max(1, TOTAL - sum(CASES.values()))

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))]
# One sample of each kind, and one more tracking form, for the rendered sources
# (the quickest to read of their kind: a case costs about what its base costs).
RENDERED = [p for p in SAMPLES if p.stem.startswith(("selfeval-xinjiang", "target-bangong", "tracking-canjiren",
                                                      "tracking-zhengfu"))]
PDF_RENDERED = RENDERED[:3]

ODD_NUMBERS = ["0", "-1", "-99999", "1", "2", "3", "7", "199", "200", "201", "65535", "100000", "2147483648",
               "9" * 40, "9" * 5000, "", " ", " 2 ", "1.5", "1e3", "0x10", "abc", "NaN", "inf", "-0", "+2",
               "２", "٣", "2px", "None", "&#50;", "\x00", "3\n"]


def case_rng(kind: str, n: int) -> random.Random:
    return random.Random(f"{kind}:{n}")


def random_bytes(rng: random.Random, most: int = 8) -> bytes:
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, most)))


# ---------------------------------------------------------------- running a case

class Crashes:
    """The failures of one source's cases, grouped by exception type and the line that
    raised it. The first input of each group is kept as a file."""

    def __init__(self, folder: Path, kind: str):
        self.folder, self.kind = folder, kind
        self.groups: dict[str, list] = {}  # signature → [count, first case, its file, trace]

    def run(self, reader: Callable[[Path], Iterable], path: Path, data: bytes, n: int) -> None:
        path.write_bytes(data)
        try:
            for part in reader(path):
                for error in part.errors:
                    problem = self.bad_error(error, path)
                    if problem:
                        self.add(problem, n, path, problem)
        except Exception as exc:
            frames = traceback.extract_tb(exc.__traceback__)
            where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
            ours = [f for f in frames if "/reportgen/" in f.filename]
            own = f" via {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else ""
            trace = "".join(traceback.format_exception(exc)[-6:])
            self.add(f"{type(exc).__module__}.{type(exc).__name__} at {where}{own}", n, path, trace)

    @staticmethod
    def bad_error(error: object, path: Path) -> str | None:
        if not isinstance(error, InputError):
            return f"an error that is no InputError: {type(error).__name__}: {error!r}"
        if error.file != str(path) or not str(error).startswith(f"{path}: ") or not (error.problem or "").strip():
            return f"an error that does not name the file, or says nothing: {str(error)!r}"
        return None

    def add(self, signature: str, n: int, path: Path, trace: str) -> None:
        group = self.groups.get(signature)
        if group is not None:
            group[0] += 1
            return
        kept = self.folder / "crashes" / f"{self.kind}-{n}{path.suffix}"
        kept.parent.mkdir(exist_ok=True)
        kept.write_bytes(path.read_bytes())
        self.groups[signature] = [1, n, kept, trace]

    def check(self, cases: int) -> None:
        if not self.groups:
            return
        report = [f"{sum(g[0] for g in self.groups.values())} of {cases} {self.kind} cases failed, "
                  f"{len(self.groups)} distinct failures:"]
        for signature, (count, n, kept, trace) in self.groups.items():
            report.append(f"\n- {signature}: {count} cases, first case {n}, input kept at {kept}\n{trace}")
        pytest.fail("\n".join(report), pytrace=False)


# ---------------------------------------------------------------- the inputs, rendered once

@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict:
    """Samples rendered to HTML, DOCX, XLSX and PDF, and a PDF without a text layer."""
    folder = tmp_path_factory.mktemp("fuzz-sources")
    out: dict = {"folder": folder, "html": [], "docx": [], "xlsx": [], "pdf": []}
    for path in RENDERED:
        laid_out = layout_document(load_sample(path))
        for fmt in ("html", "docx", "xlsx", "pdf"):
            if fmt == "pdf" and path not in PDF_RENDERED:
                continue
            target = folder / f"{path.stem}.{fmt}"
            write_atomic(target, fmt, [laid_out])
            data = target.read_bytes()
            if fmt == "html":
                out[fmt].append(data.decode("utf-8"))
            elif fmt == "pdf":
                out[fmt].append(pdf_parts(data))
            else:
                with zipfile.ZipFile(io.BytesIO(data)) as package:  # the time of writing fixed
                    out[fmt].append({name: _TIMESTAMP.sub(b"2024-01-01T00:00:00Z", package.read(name))
                                     for name in package.namelist()})
    out["scan"] = scanned_pdf()
    return out


_TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")  # docProps/core.xml's dates


def scanned_pdf() -> bytes:
    """A PDF of one page that is an image: no text layer, as a scan without OCR."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (620, 400), "white")
    draw = ImageDraw.Draw(image)
    for y in range(40, 400, 40):
        draw.line([(20, y), (600, y)], fill="black", width=2)
    draw.text((30, 10), "项目名称 (a picture of text, not text)", fill="black")
    buffer = io.BytesIO()
    fixed = time.strptime("2024-01-01", "%Y-%m-%d")  # the same bytes every run
    image.save(buffer, "PDF", resolution=72, creationDate=fixed, modDate=fixed)
    return buffer.getvalue()


# ---------------------------------------------------------------- text

TEXT_LAYOUTS = ("tabs", "pipes", "spaces", "space", "cells", "lines", "stream")
ODD_LINES = ["|", "||||", " | | |", "|---|---|---|", "# 财政项目支出绩效自评表", "## 财政项目支出绩效跟踪表",
             "项目名称", "项目名称\t", "\u3000", "\xa0", " ", "\t\t\t", "&nbsp;&amp;&#0;&#x110000;&bogus;",
             r"$\geq 90.00(\%)$", "(2024年度)", "跟踪时段：（ 2024年1月 至 2024年8月 ）", "绩 效 指 标", "标",
             "\f", "\x00\x01\x1b[2J", "\u202e\u200b\ufeff", "9" * 400, "一级指标\t二级指标\t三级指标",
             "总分\t\t100\t98.5"]


def text_window(rng: random.Random) -> list[str]:
    """About one or two forms of a seed, from a random line or from a form's start."""
    lines = rng.choice(SEED_TEXTS).split("\n")
    if rng.random() < 0.5:
        starts = [i for i, line in enumerate(lines) if line.startswith("项目名称")]
        start = max(0, rng.choice(starts) - rng.randint(0, 4))
    else:
        start = rng.randrange(len(lines))
    return lines[start:start + rng.randint(1, 45)]


def relayout(line: str, layout: str, rng: random.Random) -> list[str]:
    """A tab-separated line in another layout (it may become several lines)."""
    cells = line.split("\t")
    if layout == "tabs" or not line.strip():
        return [line]
    if layout == "pipes":
        return [" | ".join(cells) + " |"]
    if layout == "spaces":
        out = ""
        for cell in cells:
            out += (cell + " " * rng.randint(2, 4)) if cell else " " * rng.randint(2, 6)
        return [out.rstrip()]
    if layout == "space":
        return [" ".join(cell for cell in cells if cell)]
    if layout == "cells":  # a cell, then a blank line; an empty cell as one space
        return [piece for cell in cells for piece in (cell or " ", "")]
    if layout == "lines":
        end = " |" if rng.random() < 0.3 else ""
        return [cell + end for cell in cells if cell]
    raise ValueError(layout)


def text_case(n: int) -> tuple[str, bytes]:
    rng = case_rng("text", n)
    window = text_window(rng)
    layout = rng.choice(TEXT_LAYOUTS)
    lines: list[str] = []
    if layout == "stream":  # runs of rows, each run one line of cells joined by spaces
        i = 0
        while i < len(window):
            run = window[i:i + rng.randint(3, 40)]
            lines.append(" ".join(cell for line in run for cell in line.split("\t") if cell.strip()))
            i += len(run)
    else:
        for line in window:
            other = layout if rng.random() < 0.85 else rng.choice(TEXT_LAYOUTS[:-1])
            lines += relayout(line, other, rng)
    encoding = rng.choice(["utf-8"] * 8 + ["gb18030", "utf-8-sig"])
    raw = [line.encode(encoding, "replace") for line in lines]
    separators = {"tabs": b"\t", "pipes": b" | ", "spaces": b"   ", "space": b" ", "cells": b"\n\n",
                  "lines": b"\n", "stream": b" "}
    for _ in range(rng.randint(1, 5)):
        if not raw:
            break
        i, j = rng.randrange(len(raw)), rng.randrange(len(raw))
        at = rng.randrange(len(raw[i]) + 1)
        kind = rng.randrange(10)
        if kind == 0:
            del raw[i]
        elif kind == 1:
            raw[j:j] = [raw[i]] * rng.randint(1, 3)
        elif kind == 2:
            raw[i], raw[j] = raw[j], raw[i]
        elif kind == 3:
            raw = raw[:i]
        elif kind == 4:
            raw[i] = raw[i][:at] + random_bytes(rng) + raw[i][at:]
        elif kind == 5:  # a cell split in two, by this layout's separator or another's
            sep = separators[layout] if rng.random() < 0.7 else rng.choice(list(separators.values()))
            raw[i] = raw[i][:at] + sep + raw[i][at:]
        elif kind == 6:  # a line cut, maybe inside a character
            raw[i] = raw[i][:at]
        elif kind == 7:
            raw.insert(j, rng.choice(ODD_LINES).encode(encoding, "replace"))
        elif kind == 8:
            raw.insert(j, rng.choice([b"", b" ", b"\t", b"\r", b"\xa0"]))
        else:  # two lines joined
            if i + 1 < len(raw):
                raw[i:i + 2] = [raw[i] + rng.choice([b"", b" ", b"\t", b"  "]) + raw[i + 1]]
    newline = rng.choice([b"\n"] * 6 + [b"\r\n", b"\r"])
    data = newline.join(raw)
    if rng.random() < 0.1:
        data = data[:rng.randrange(len(data) + 1)]
    if rng.random() < 0.03:
        data = data.decode(encoding, "replace").encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]))
    return rng.choice([".txt"] * 4 + [".md"]), data


def test_text_in_every_layout_never_raises(tmp_path):
    crashes = Crashes(tmp_path, "text")
    for n in range(CASES["text"]):
        suffix, data = text_case(n)
        crashes.run(text.iter_text_file, tmp_path / f"case{suffix}", data, n)
    crashes.check(CASES["text"])


def test_every_text_layout_is_fuzzed():
    """The relaid windows are read in the layout they were made in (most of them): the
    fuzzing reaches each layout's code, not only the tabs reader."""
    seen = {layout: 0 for layout in TEXT_LAYOUTS}
    for n in range(400):
        rng = case_rng("layouts", n)
        layout = TEXT_LAYOUTS[n % len(TEXT_LAYOUTS)]
        window = text_window(rng)
        if layout == "stream":
            lines = [" ".join(c for line in window for c in line.split("\t") if c.strip())]
        else:
            lines = [piece for line in window for piece in relayout(line, layout, rng)]
        seen[text.detect_layout("\n".join(lines))] += 1
    assert all(seen[layout] for layout in TEXT_LAYOUTS), seen


# ---------------------------------------------------------------- HTML

_TAG = re.compile(r"<[^<>]*>")
_CELL_OPEN = re.compile(r"<t[dh]\b[^<>]*>")
SMALL_TABLE = ('<table><tr><td rowspan="{0}">项目名称</td><td colspan="{1}">嵌套</td></tr>'
               '<tr><td>{2}</td></tr></table>')
GARBAGE_HTML = ["&nbsp;", "&#0;", "&#x110000;", "&#xD800;", "&bogus", "<!--", "-->", "<![CDATA[", "<?xml ?>",
                "<script>", "</table>", "<table>", "<tr>", "<td>", "</td></tr>", "<br>", "<br/>" * 30,
                "<p>项目名称</p>", "<th colspan=3>", "\x00", "\ufffe", "<svg><td>x</td></svg>", "<tbody>",
                "<caption>标题</caption>", "<colgroup span=99999>", '<td rowspan="2" rowspan="3">']


def html_case(pages: list[str], n: int) -> bytes:
    rng = case_rng("html", n)
    page = rng.choice(pages)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(11)
        tags = list(_TAG.finditer(page))
        if kind == 0 and tags:  # a tag dropped
            tag = rng.choice(tags)
            page = page[:tag.start()] + page[tag.end():]
        elif kind == 1 and tags:  # a tag repeated elsewhere
            tag, at = rng.choice(tags), rng.choice(tags).start()
            page = page[:at] + tag.group() * rng.randint(1, 3) + page[at:]
        elif kind == 2:  # a row or a cell repeated
            found = list(re.finditer(rng.choice([r"<tr\b.*?</tr>", r"<t[dh]\b.*?</t[dh]>"]), page, re.S))
            if found:
                chunk = rng.choice(found)
                page = page[:chunk.end()] + chunk.group() * rng.randint(1, 3) + page[chunk.end():]
        elif kind in (3, 4):  # odd spans
            for _ in range(rng.randint(1, 3)):
                cells = list(_CELL_OPEN.finditer(page))
                if not cells:
                    break
                cell = rng.choice(cells)
                attribute = rng.choice(["rowspan", "colspan"])
                opened = re.sub(rf'\s{attribute}="[^"]*"', "", cell.group())
                value = rng.choice(ODD_NUMBERS)
                quoted = rng.choice([f'"{value}"', f"'{value}'", value.replace(" ", "") or '""'])
                page = page[:cell.start()] + opened[:-1] + f" {attribute}={quoted}>" + page[cell.end():]
        elif kind == 5:  # a table inside a cell: a small one, or the form's own table
            ends = [m.start() for m in re.finditer(r"</td>", page)]
            if ends:
                at = rng.choice(ends)
                whole = re.search(r"<table\b.*?</table>", page, re.S)
                inner = whole.group() if whole and rng.random() < 0.3 else SMALL_TABLE.format(
                    rng.choice(ODD_NUMBERS), rng.choice(ODD_NUMBERS), rng.choice(["", "95", "≥90%"]))
                page = page[:at] + inner + page[at:]
        elif kind == 6:
            page = page[:rng.randrange(len(page) + 1)]
        elif kind == 7:
            at = rng.randrange(len(page) + 1)
            page = page[:at] + rng.choice(GARBAGE_HTML) + page[at:]
        elif kind == 8:  # another declared charset, or none
            page = page.replace('charset="utf-8"', rng.choice(
                ['charset="gb2312"', 'charset="gbk"', 'charset="utf-16"', 'charset="bogus-8"', "",
                 'charset=""', 'charset="latin-1"', 'http-equiv="Content-Type" content="text/html; charset=big5"']))
        elif kind == 9:  # every closing tag of a kind left out
            page = page.replace(rng.choice(["</td>", "</th>", "</tr>", "</table>", "</tbody>"]), "")
        else:  # cells renamed
            page = re.sub(r"<(/?)td\b", lambda m: f"<{m.group(1)}{rng.choice(['td', 'th', 'TD', 'tdx', 'div'])}",
                          page, count=rng.randint(1, 20))
    data = page.encode(rng.choice(["utf-8"] * 9 + ["gb18030"]), "replace")
    if rng.random() < 0.1:
        data = flip(rng, data, rng.randint(1, 20))
    return data


def test_html_never_raises(sources, tmp_path):
    crashes = Crashes(tmp_path, "html")
    for n in range(CASES["html"]):
        crashes.run(html.iter_html_file, tmp_path / "case.html", html_case(sources["html"], n), n)
    crashes.check(CASES["html"])


# ---------------------------------------------------------------- DOCX and XLSX

def flip(rng: random.Random, data: bytes, count: int) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def set_attribute(rng: random.Random, xml: bytes, element: bytes, attribute: bytes, values: list) -> bytes:
    """One random occurrence of an element given another value of an attribute."""
    found = list(re.finditer(rb"<" + element + rb"\b[^<>]*?/?>", xml))
    if not found:
        return xml
    tag = rng.choice(found)
    value = rng.choice(values)
    if isinstance(value, str):
        value = value.encode("utf-8")
    attr = re.compile(rb"\s" + re.escape(attribute) + rb'="[^"]*"')
    if value is None:  # the attribute removed
        new = attr.sub(b"", tag.group())
    elif attr.search(tag.group()):
        new = attr.sub(b" " + attribute + b'="' + value.replace(b'"', b"&quot;") + b'"', tag.group(), count=1)
    else:
        new = re.sub(rb"(/?>)$", b" " + attribute + b'="' + value.replace(b'"', b"&quot;") + b'"' + rb"\1",
                     tag.group())
    return xml[:tag.start()] + new + xml[tag.end():]


def xml_mutation(rng: random.Random, xml: bytes, elements: list[bytes]) -> bytes:
    """A mutation any XML part may get: truncation, garbage, an element dropped or
    repeated, a tag dropped."""
    kind = rng.randrange(6)
    if kind == 0:
        return xml[:rng.randrange(len(xml) + 1)]
    if kind == 1:
        at = rng.randrange(len(xml) + 1)
        return xml[:at] + rng.choice([random_bytes(rng, 20), b"<", b"&", b"&bogus;", b"]]>", b"<!DOCTYPE x [",
                                      b"\xef\xbb\xbf", b"\x00", b"<x:y/>"]) + xml[at:]
    if kind in (2, 3):  # an element (non-greedy: may cut across nested ones) dropped or repeated
        element = rng.choice(elements)
        found = list(re.finditer(rb"<" + element + rb"\b[^<>]*?(?:/>|>.*?</" + element + rb">)", xml, re.S))
        if not found:
            return xml
        chunk = rng.choice(found)
        if kind == 2:
            return xml[:chunk.start()] + xml[chunk.end():]
        return xml[:chunk.end()] + chunk.group() * rng.randint(1, 3) + xml[chunk.end():]
    tags = list(re.finditer(rb"<[^<>]*>", xml))
    if not tags:
        return xml
    tag = rng.choice(tags)
    if kind == 4:
        return xml[:tag.start()] + xml[tag.end():]
    return xml[:tag.start()] + flip(rng, tag.group(), rng.randint(1, 3)) + xml[tag.end():]


def zipped(rng: random.Random, parts: dict[str, bytes]) -> bytes:
    """The parts as a package (stored or deflated), sometimes with its raw bytes
    flipped or cut."""
    buffer = io.BytesIO()
    method = rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
    with zipfile.ZipFile(buffer, "w", method) as package:
        for name, data in parts.items():  # a fixed date: the same bytes every run
            package.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, compress_type=method)
    data = buffer.getvalue()
    roll = rng.random()
    if roll < 0.15:
        data = flip(rng, data, rng.randint(1, 30))
    elif roll < 0.2:
        data = data[:rng.randrange(len(data) + 1)]
    return data


def package_case(kind: str, packages: list[dict[str, bytes]], n: int, main: str,
                 specific: Callable[[random.Random, bytes], bytes], elements: list[bytes]) -> bytes:
    rng = case_rng(kind, n)
    parts = dict(rng.choice(packages))
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.05 and len(parts) > 1:
            del parts[rng.choice(sorted(parts))]
            continue
        name = main if roll < 0.8 and main in parts else rng.choice(sorted(parts))
        if name == main and rng.random() < 0.6:
            parts[name] = specific(rng, parts[name])
        else:
            parts[name] = xml_mutation(rng, parts[name], elements)
    return zipped(rng, parts)


W_SPANS = ODD_NUMBERS + ["restart", "continue", "bogus", None]
W_TABLE = re.compile(rb"<w:tbl>.*?</w:tbl>", re.S)


def docx_mutation(rng: random.Random, xml: bytes) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:
        return set_attribute(rng, xml, b"w:gridSpan", b"w:val", W_SPANS)
    if kind == 1:
        return set_attribute(rng, xml, b"w:vMerge", b"w:val", W_SPANS)
    if kind == 2:  # a span or merge where there was none
        found = [m.end() for m in re.finditer(rb"<w:tcPr>", xml)]
        if not found:
            return xml
        at = rng.choice(found)
        value = rng.choice(ODD_NUMBERS).encode("utf-8").replace(b'"', b"")
        inserted = rng.choice([b'<w:gridSpan w:val="' + value + b'"/>', b"<w:vMerge/>",
                               b'<w:vMerge w:val="restart"/>', b'<w:vMerge w:val="' + value + b'"/>'])
        return xml[:at] + inserted + xml[at:]
    if kind == 3:  # columns skipped at a row's start
        value = rng.choice(ODD_NUMBERS).encode("utf-8").replace(b'"', b"")
        return xml.replace(b"<w:trPr>", b'<w:trPr><w:gridBefore w:val="' + value + b'"/>', rng.randint(1, 5))
    if kind == 4:  # the form's table nested in one of its cells
        table = W_TABLE.search(xml)
        ends = [m.start() for m in re.finditer(rb"</w:tc>", xml)]
        if not table or not ends:
            return xml
        at = rng.choice(ends)
        return xml[:at] + table.group() + b"<w:p/>" + xml[at:]
    # a cell's text replaced by odd text
    texts = list(re.finditer(rb"(<w:t\b[^>]*>)([^<]*)(</w:t>)", xml))
    if not texts:
        return xml
    t = rng.choice(texts)
    odd = rng.choice(["", "项目名称", "&amp;", "&#0;", "\u202e", "9" * 400, "绩效\n指标", "≥90%"]).encode("utf-8")
    return xml[:t.start(2)] + odd + xml[t.end(2):]


def test_docx_never_raises(sources, tmp_path):
    crashes = Crashes(tmp_path, "docx")
    elements = [b"w:tc", b"w:tr", b"w:tbl", b"w:p", b"w:tcPr", b"w:sectPr", b"Override", b"Relationship"]
    for n in range(CASES["docx"]):
        data = package_case("docx", sources["docx"], n, "word/document.xml", docx_mutation, elements)
        crashes.run(word.iter_word_file, tmp_path / "case.docx", data, n)
    crashes.check(CASES["docx"])


def small_range(rng: random.Random) -> str:
    """A merge range of at most 30 columns by 100 rows (a huge one costs its size in
    merged cells: that is a size test, not a robustness one), or a malformed one."""
    if rng.random() < 0.3:
        return rng.choice(["", "A1", "A0:B1", "B2:A1", "ZZZZ1:A1", "A1:B", "1:2", "A:B", "A1:B2:C3", "a1:b2", "A-1:B2",
                           "A1 B2", "XFD1048576:XFD1048576", "A1048577:A1048578", "$A$1:$B$2", "A1:A1", "\u2460:B2"])
    col, row = rng.randint(1, 20), rng.randint(1, 40)
    from openpyxl.utils import get_column_letter
    return f"{get_column_letter(col)}{row}:{get_column_letter(col + rng.randint(0, 10))}{row + rng.randint(0, 60)}"


def xlsx_mutation(rng: random.Random, xml: bytes) -> bytes:
    kind = rng.randrange(7)
    if kind == 0:
        return set_attribute(rng, xml, b"mergeCell", b"ref", [small_range(rng)])
    if kind == 1:  # a new merge range
        at = xml.find(b"</mergeCells>")
        return xml if at < 0 else xml[:at] + f'<mergeCell ref="{small_range(rng)}"/>'.encode() + xml[at:]
    if kind == 2:
        refs = ["A0", "A1", "ZZZZZ1", "XFD1048576", "A1048577", "-1", "", "1A", "B", "a2", "$B$2", "C3:C4"]
        return set_attribute(rng, xml, rng.choice([b"c", b"row"]), b"r", refs + ODD_NUMBERS[:12])
    if kind == 3:
        return set_attribute(rng, xml, b"c", b"t", ["s", "b", "e", "d", "n", "str", "inlineStr", "bogus", "", None])
    if kind == 4:  # a value where there was none or another value
        values = [b"1e999", b"nan", b"-inf", b"abc", b"9" * 400, b"0.1", b"-0", b"2024-13-45", b"1", b"99999999999",
                  b"#DIV/0!", b"TRUE", b""]
        empty = list(re.finditer(rb"<c\b[^<>]*?>(</c>)", xml))
        if not empty:
            return xml
        cell = rng.choice(empty)
        return xml[:cell.start(1)] + b"<v>" + rng.choice(values) + b"</v>" + xml[cell.start(1):]
    if kind == 5:
        return set_attribute(rng, xml, b"c", b"s", ODD_NUMBERS[:14])
    return set_attribute(rng, xml, b"dimension", b"ref", [small_range(rng), "", "A1:XFD1048576", "bogus"])


def xlsx_other(rng: random.Random, parts: dict[str, bytes]) -> None:
    """The workbook's and styles' parts changed: hidden sheets, odd number formats."""
    if "xl/workbook.xml" in parts and rng.random() < 0.5:
        parts["xl/workbook.xml"] = set_attribute(rng, parts["xl/workbook.xml"], b"sheet", b"state",
                                                 ["hidden", "veryHidden", "visible", "bogus", "", None])
    elif "xl/styles.xml" in parts:
        parts["xl/styles.xml"] = set_attribute(rng, parts["xl/styles.xml"], b"xf", b"numFmtId",
                                               ["9", "10", "14", "22", "49", "164", "999", "-1", "x"])


def test_xlsx_never_raises(sources, tmp_path):
    crashes = Crashes(tmp_path, "xlsx")
    elements = [b"c", b"row", b"mergeCell", b"mergeCells", b"sheetData", b"is", b"sheet", b"xf", b"Override",
                b"Relationship", b"numFmt", b"cols"]

    for n in range(CASES["xlsx"]):
        rng = case_rng("xlsx-parts", n)
        packages = sources["xlsx"]
        if rng.random() < 0.15:  # the workbook or styles changed, the sheet as it is
            parts = dict(rng.choice(packages))
            xlsx_other(rng, parts)
            packages = [parts]
        data = package_case("xlsx", packages, n, "xl/worksheets/sheet1.xml", xlsx_mutation, elements)
        crashes.run(excel.iter_excel_file, tmp_path / "case.xlsx", data, n)
    crashes.check(CASES["xlsx"])


# ---------------------------------------------------------------- PDF

def pdf_parts(data: bytes) -> dict:
    """A rendered PDF and what its incremental updates need: its first page's object
    and attributes, its content stream decoded, its trailer and its last xref's place."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    page = next(PDFPage.create_pages(document))
    contents = page.attrs["Contents"]
    trailer = document.xrefs[0].get_trailer()
    return {"data": data, "page": page.pageid, "attrs": dict(page.attrs),
            "contents_id": contents.objid, "contents": contents.resolve().get_data(),
            "root": trailer["Root"].objid, "size": trailer["Size"],
            "startxref": int(re.findall(rb"startxref\s+(\d+)", data)[-1])}


def pdf_object(value: object) -> bytes:
    """A pdfminer object written as PDF."""
    from pdfminer.pdftypes import PDFObjRef
    from pdfminer.psparser import PSLiteral

    if isinstance(value, PDFObjRef):
        return b"%d 0 R" % value.objid
    if isinstance(value, PSLiteral):
        return b"/" + (value.name if isinstance(value.name, bytes) else str(value.name).encode())
    if isinstance(value, dict):
        return b"<<" + b"".join(b"/" + k.encode() + b" " + pdf_object(v) for k, v in value.items()) + b">>"
    if isinstance(value, (list, tuple)):
        return b"[" + b" ".join(pdf_object(v) for v in value) + b"]"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, (int, float)):
        return repr(value).encode()
    if isinstance(value, bytes):
        return b"<" + value.hex().encode() + b">"
    if isinstance(value, str):  # raw PDF text, for the mutations
        return value.encode("latin-1", "replace")
    return b"null"


def incremental_update(parts: dict, objects: dict[int, bytes]) -> bytes:
    """The PDF with objects replaced by an appended revision (a classic xref section
    whose /Prev is the original cross-reference stream)."""
    out = bytearray(parts["data"])
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for number in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    out += b"trailer\n<</Size %d/Root %d 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (
        max(parts["size"], max(offsets) + 1), parts["root"], parts["startxref"], xref)
    return bytes(out)


ODD_PDF_NUMBERS = ["0", "-1", "1e308", "-1e308", "99999999999999999999", "nan", "1.#INF", "0.0000001", "-0",
                   "841.889764", "4294967296", "--5", "1..2", "/Name", "()", "<>", "[]", "null", "true"]
ODD_OPERATORS = [b"BT", b"ET", b"Tj", b"TJ", b"(unterminated", b"<abc", b"[", b"]", b"/F99 12 Tf", b"q", b"Q",
                 b"0 0 99999999 99999999 re f", b"-1e308 1e308 m 1e308 -1e308 l S", b"1 0 0 0 0 0 cm",
                 b"BT /a0 9 Tf 1 0 0 1 100 100 Tm (X) Tj ET", b"Do", b"/Im1 Do", b"BI /W 1 /H 1 ID x EI",
                 b"%comment", b"\x00\xff", b"0 0 0 0 re W n", b"0 Tr", b"7 Tr", b"0 Tz", b"1e10 TL T*"]


def content_mutation(rng: random.Random, content: bytes) -> bytes:
    lines = content.split(b"\n")
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(6)
        i = rng.randrange(len(lines)) if lines else 0
        if kind == 0 and lines:  # a number changed
            numbers = list(re.finditer(rb"-?\d+(?:\.\d+)?", lines[i]))
            if numbers:
                m = rng.choice(numbers)
                lines[i] = lines[i][:m.start()] + rng.choice(ODD_PDF_NUMBERS).encode() + lines[i][m.end():]
        elif kind == 1 and lines:
            del lines[i:i + rng.randint(1, 50)]
        elif kind == 2 and lines:
            size = rng.randint(1, 40)
            lines[i:i] = lines[i:i + size] * rng.randint(1, 3)
        elif kind == 3:
            lines.insert(i, rng.choice(ODD_OPERATORS))
        elif kind == 4:
            lines = lines[:i]
        elif lines:
            lines[i] = flip(rng, lines[i], 1)
    return b"\n".join(lines)


def page_mutation(rng: random.Random, attrs: dict) -> dict:
    attrs = dict(attrs)
    for _ in range(rng.randint(1, 3)):
        key = rng.choice(["MediaBox", "CropBox", "TrimBox", "Rotate", "Contents", "Resources", "UserUnit"])
        roll = rng.random()
        if roll < 0.2:
            attrs.pop(key, None)
        elif key.endswith("Box"):
            box = [rng.choice([0, 0, 10, -100, 595.28, 841.89, 1e9, -1e9, 1e-9]) for _ in range(4)]
            attrs[key] = box if roll < 0.8 else rng.choice(["[0 0]", "[0 0 a b]", "null", "5", "[1e400 0 1 1]"])
        elif key == "Rotate":
            attrs[key] = rng.choice([90, 180, 270, -90, 45, 360, 3600, 1.5, "/R"])
        elif key == "UserUnit":
            attrs[key] = rng.choice([0, -1, 1e-9, 100, "/U"])
        else:  # pointing at another object, or at nothing
            attrs[key] = rng.choice(["1 0 R", "2 0 R", "999 0 R", "null", "[]", "[5 0 R 5 0 R]", "(text)", "<<>>"])
    return attrs


_DICT_NUMBER = re.compile(rb"(/(?:Length|Count|Size|W|Index|Prev|N|First|Root|Rotate)\s*\[?\s*|startxref\s+)(-?\d+)")


def pdf_case(bases: list[dict], scan: bytes, n: int) -> bytes:
    rng = case_rng("pdf", n)
    if rng.random() < 0.05:
        data = scan
        return flip(rng, data, rng.randint(1, 10)) if rng.random() < 0.7 else data[:rng.randrange(len(data))]
    parts = rng.choice(bases)
    data = parts["data"]
    roll = rng.random()
    if roll < 0.25:
        return flip(rng, data, rng.randint(1, 20))
    if roll < 0.35:
        return data[:rng.randrange(len(data))]
    if roll < 0.42:
        i, j = sorted(rng.randrange(len(data)) for _ in range(2))
        j = min(j, i + 5000)
        return data[:i] + data[j:] if rng.random() < 0.5 else data[:j] + data[i:j] + data[j:]
    if roll < 0.52:  # a number of a dictionary changed (/Length, /Count, /W, /Size, startxref, …)
        found = list(_DICT_NUMBER.finditer(data))
        if found:
            m = rng.choice(found)
            return data[:m.start(2)] + rng.choice(ODD_PDF_NUMBERS).encode() + data[m.end(2):]
        return data
    objects = {}
    if roll < 0.85 or rng.random() < 0.5:
        content = content_mutation(rng, parts["contents"])
        objects[parts["contents_id"]] = b"<</Length %d>>\nstream\n" % len(content) + content + b"\nendstream"
    if roll >= 0.85:
        objects[parts["page"]] = pdf_object(page_mutation(rng, parts["attrs"]))
    updated = incremental_update(parts, objects)
    return flip(rng, updated, rng.randint(1, 5)) if rng.random() < 0.1 else updated


def test_pdf_never_raises(sources, tmp_path):
    crashes = Crashes(tmp_path, "pdf")
    for n in range(CASES["pdf"]):
        crashes.run(pdf.iter_pdf_file, tmp_path / "case.pdf", pdf_case(sources["pdf"], sources["scan"], n), n)
    crashes.check(CASES["pdf"])


def test_the_incremental_update_is_read_like_the_original(sources, tmp_path):
    """The PDF cases' revisions are read: the same content in an appended revision
    gives the same documents, so mutated content really reaches the reader."""
    parts = sources["pdf"][0]
    original, updated = tmp_path / "original.pdf", tmp_path / "updated.pdf"
    original.write_bytes(parts["data"])
    content = parts["contents"]
    updated.write_bytes(incremental_update(parts, {
        parts["contents_id"]: b"<</Length %d>>\nstream\n" % len(content) + content + b"\nendstream"}))
    first = [doc for part in pdf.iter_pdf_file(original) for doc in part.documents]
    second = [doc for part in pdf.iter_pdf_file(updated) for doc in part.documents]
    assert first and [d.project for d in first] == [d.project for d in second]


def test_a_pdf_without_a_text_layer_asks_for_ocr(sources, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(sources["scan"])
    parts = list(pdf.iter_pdf_file(path))
    assert not [doc for part in parts for doc in part.documents]
    errors = [error for part in parts for error in part.errors]
    assert len(errors) == 1
    (error,) = errors
    assert isinstance(error, InputError) and str(error).startswith(f"{path}: ")
    assert "OCR" in str(error)
