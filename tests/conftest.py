"""Shared fixtures: the samples, and every sample rendered once to all three formats."""
from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.layout import LaidOut, layout_document
from reportgen.model import Document, document_to_dict
from reportgen.readers import read_file
from reportgen.writers import write_atomic

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
FORMATS = ("pdf", "docx", "xlsx")


def load_sample(path: Path) -> Document:
    result = read_file(path)
    assert not result.errors, result.errors
    (doc,) = result.documents
    return doc


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, tuple[Document, LaidOut, dict[str, Path]]]:
    """Every sample, by file stem: its document, its layout and its three files."""
    out = tmp_path_factory.mktemp("rendered")
    result = {}
    for path in SAMPLES:
        doc = load_sample(path)
        laid_out = layout_document(doc)
        files = {}
        for fmt in FORMATS:
            files[fmt] = out / f"{path.stem}.{fmt}"
            write_atomic(files[fmt], fmt, [laid_out])
        result[path.stem] = (doc, laid_out, files)
    return result


SEEDS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory) -> tuple[Path, list[tuple[Document, dict[str, Path]]]]:
    """Every seed form and sample rendered by `reportgen render` to PDF, DOCX, XLSX and
    HTML, once: the folder, and each document with its files (named as render names
    them)."""
    from reportgen.cli import main
    from reportgen.naming import NameBook, document_stem

    out = tmp_path_factory.mktemp("seed-outputs")
    inputs = [*SEEDS, *SAMPLES]
    assert main(["render", *map(str, inputs), "-o", str(out), "--to", "pdf,docx,xlsx,html"]) == 0
    names, docs = NameBook(), []
    for path in inputs:
        for doc in read_file(path).documents:
            stem = document_stem(doc)
            docs.append((doc, {fmt: out / names.claim(stem, fmt) for fmt in ("pdf", "docx", "xlsx", "html")}))
    return out, docs


def comparable(doc: Document, fmt: str = "") -> dict:
    """A document's fields as a printed form keeps them: numbers as decimals (3.5 and
    3.50 print alike), an absent text as an empty one (the form prints an empty cell
    for both), and in a PDF no white space (a space at a line's end cannot be seen)."""
    data = document_to_dict(doc)
    data.pop("source"), data.pop("warnings")

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if value is None:
            return ""
        if isinstance(value, str):
            try:
                return Decimal(value)
            except ArithmeticError:
                return "".join(value.split()) if fmt == "pdf" else value
        return value
    return plain(data)


def pdf_text(path: Path, layout: bool = True) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdf_blocks(path: Path) -> list[tuple[int, float, float, str]]:
    """The text blocks of a PDF as pdftotext finds them (a cell's text, mostly): page,
    top, bottom and text without white space."""
    from lxml import etree

    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                         check=True).stdout
    tree = etree.fromstring(xml.replace(b' xmlns="http://www.w3.org/1999/xhtml"', b""))
    return [(number, float(block.get("yMin")), float(block.get("yMax")),
             "".join("".join(word.text or "" for word in block.iter("word")).split()))
            for number, page in enumerate(tree.iter("page"), 1) for block in page.iter("block")]
