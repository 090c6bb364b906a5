"""The two PDF engines: the builtin one (the default) on every seed form and sample, and
WeasyPrint's against it on the same forms, with the pages of both side by side."""
from __future__ import annotations

import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from conftest import SAMPLES, load_sample, pdf_text
from reportgen.layout import layout_document, layout_summary
from reportgen.readers import read_file
from reportgen.summary import summarize
from reportgen.writers import write_atomic

ROOT = Path(__file__).resolve().parent.parent
UPDATE = os.environ.get("REPORTGEN_UPDATE_SNAPSHOTS") == "1"
SIDE_BY_SIDE = Path(__file__).parent / ("snapshots/engines" if UPDATE else "results/engines")


def fonts_of(pdf: Path) -> list[str]:
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return listed.splitlines()[2:]


def page_text(pdf: Path, page: int) -> str:
    return "".join(subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())


def test_every_form_embeds_one_cjk_subset_and_repeats_the_heads_on_every_page(seed_outputs):
    """The default engine, on the 72 seed forms and the 7 samples: one font, a CJK subset
    embedded with its text mapping; as many pages as laid out; on every page after
    the first, the column heads the layout repeats there."""
    _, docs = seed_outputs
    continued = 0
    for doc, files in docs:
        pdf = files["pdf"]
        (font,) = fonts_of(pdf)
        name, *_ = font.split()
        assert "+" in name and "CJK" in name and font.split()[-5:-2] == ["yes", "yes", "yes"], font
        page = layout_document(doc).grid
        for number, table in enumerate(page.tables, 1):
            text = page_text(pdf, number)
            heads = [c.text for c in table.cells if c.row < max(table.repeated, 1) and c.text]
            if number > 1:
                assert table.repeated and heads, (doc.project, number)
                continued += 1
            for head in heads:
                assert "".join(head.split()) in text, (doc.project, number, head)
        assert len(pdf_pages(pdf)) == page.page_count
    assert continued >= 2  # the seeds have forms over two pages


def text_counts(pdf: Path) -> Counter:
    return Counter("".join(pdf_text(pdf, layout=False).split()))


FORMS = [("001", "职业培训基础能力建设资助"), ("004", "促进就业专项资金"), ("000", "青年就业见习补贴")]


def seed_doc(prefix: str, project: str):
    path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return next(d for d in read_file(path).documents if d.project == project)


SEEDS_DIR = ROOT / "tests" / "data" / "seeds"


@pytest.mark.parametrize("case", [p.stem for p in SAMPLES] + [f"{p}-{name}" for p, name in FORMS])
def test_both_engines_print_the_same_text_on_the_same_pages(case, tmp_path):
    if case in {p.stem for p in SAMPLES}:
        doc = load_sample(ROOT / "samples" / f"{case}.yaml")
    else:
        doc = seed_doc(*case.split("-", 1))
    laid_out = layout_document(doc)
    pdfs = {}
    for engine in ("builtin", "weasyprint"):
        pdfs[engine] = tmp_path / f"{engine}.pdf"
        write_atomic(pdfs[engine], "pdf", [laid_out], engine)
    pages = {engine: len(pdf_pages(pdf)) for engine, pdf in pdfs.items()}
    assert pages["builtin"] == pages["weasyprint"] == laid_out.grid.page_count
    assert text_counts(pdfs["builtin"]) == text_counts(pdfs["weasyprint"])


def pdf_pages(pdf: Path) -> list[str]:
    return pdf_text(pdf, layout=False).split("\f")[:-1]


def side_by_side(pdfs: dict[str, Path], stem: str, tmp_path: Path) -> Path:
    """Each page of the two engines' PDFs next to each other (builtin left), at 60 dpi."""
    SIDE_BY_SIDE.mkdir(parents=True, exist_ok=True)
    columns = []
    for engine, pdf in pdfs.items():
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / engine)], check=True)
        columns.append(sorted(tmp_path.glob(f"{engine}-*.png")))
    rows = [[Image.open(p) for p in pair] for pair in zip(*columns)]
    width = max(sum(im.width for im in row) + 10 for row in rows)
    height = sum(max(im.height for im in row) + 10 for row in rows)
    sheet = Image.new("RGB", (width, height), "white")
    y = 0
    for row in rows:
        x = 0
        for im in row:
            sheet.paste(im, (x, y))
            x += im.width + 10
        y += max(im.height for im in row) + 10
    out = SIDE_BY_SIDE / f"{stem}.png"
    sheet.save(out, optimize=True)
    return out


def test_side_by_side_pages_of_a_form_and_a_summary(tmp_path):
    """Written for people to look at (committed under tests/snapshots/engines/): the
    builtin engine's pages left, WeasyPrint's right."""
    (summary,) = summarize(read_file(next(SEEDS_DIR.glob("003_*.txt"))).documents)
    import datetime as dt

    cases = {"seed-selfeval-cujin-jiuye": layout_document(seed_doc("004", "促进就业专项资金")),
             "summary-selfeval": layout_summary(summary, generated=dt.date(2026, 1, 1))}
    for stem, laid_out in cases.items():
        folder = tmp_path / stem
        folder.mkdir()
        pdfs = {engine: folder / f"{engine}.pdf" for engine in ("builtin", "weasyprint")}
        for engine, pdf in pdfs.items():
            write_atomic(pdf, "pdf", [laid_out], engine)
        image = side_by_side(pdfs, stem, folder)
        assert Image.open(image).width > 1000
