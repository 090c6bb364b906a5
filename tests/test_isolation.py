"""Every file starts clean: one process renders summaries and forms one after another,
and no file may carry a part, an image or a text of another (issue 8: a summary DOCX
held the charts of the summaries written before it)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import SAMPLES, load_sample
from reportgen.layout import layout_cross_year, layout_document, layout_summary
from reportgen.readers import read_file
from reportgen.summary import cross_year, summarize
from reportgen.writers import write_atomic

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
R_EMBED = re.compile(rb'r:embed="([^"]+)"')


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Summaries of every seed, the cross-year table and every sample, written in one
    process in that order, each in DOCX and XLSX: {stem: (texts it shows, files)}."""
    out = tmp_path_factory.mktemp("isolation")
    docs = [doc for path in SEEDS for doc in read_file(path).documents]
    pages = [(f"summary{i}", layout_summary(s)) for i, s in enumerate(summarize(docs))]
    pages.append(("crossyear", layout_cross_year(cross_year(docs))))
    pages += [(path.stem, layout_document(load_sample(path))) for path in SAMPLES]
    result = {}
    for stem, laid_out in pages:
        files = {fmt: out / f"{stem}.{fmt}" for fmt in ("docx", "xlsx")}
        for fmt, path in files.items():
            write_atomic(path, fmt, [laid_out])
        result[stem] = (own_texts(laid_out), files)
    return result


def own_texts(laid_out) -> set[str]:
    grid = laid_out.grid
    texts = {grid.title, grid.subtitle, laid_out.name}
    texts.update(cell.text for table in grid.tables for cell in table.cells)
    return {t for t in texts if len(t) >= 6}  # long enough to be specific to a document


def package_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist()
                       if name.endswith((".xml", ".rels")))


def test_each_docx_holds_exactly_the_images_its_body_draws(written):
    for stem, (_, files) in written.items():
        with zipfile.ZipFile(files["docx"]) as package:
            media = [n for n in package.namelist() if n.startswith("word/media/")]
            body = package.read("word/document.xml")
            rels = package.read("word/_rels/document.xml.rels").decode()
        drawn = R_EMBED.findall(body)
        targets = {rid: re.search(rf'Id="{rid.decode()}"[^>]*Target="([^"]+)"', rels)
                   or re.search(rf'Target="([^"]+)"[^>]*Id="{rid.decode()}"', rels) for rid in drawn}
        assert len(media) == len(drawn) == len({m.group(1) for m in targets.values()}), stem
        assert rels.count("relationships/image") == len(drawn), stem


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_no_file_holds_a_text_of_another_document(written, fmt):
    for stem, (mine, files) in written.items():
        package = package_text(files[fmt])
        others = {t for other, (texts, _) in written.items() if other != stem for t in texts} - mine
        # another document's text, unless it is part of one of this one's own
        leaked = [t for t in others if t in package and not any(t in m for m in mine)]
        assert not leaked, f"{stem}.{fmt} holds {leaked[:3]}"


def test_each_xlsx_holds_only_its_own_charts(written):
    for stem, (_, files) in written.items():
        with zipfile.ZipFile(files["xlsx"]) as package:
            charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
            drawings = "".join(package.read(n).decode() for n in package.namelist()
                               if n.startswith("xl/drawings/_rels/"))
        assert len(charts) == drawings.count("relationships/chart"), stem
