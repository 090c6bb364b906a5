"""PNG snapshots of one form and one summary per kind, committed under tests/snapshots/
for review.

The test fails when a form's page count or page size changes. After a deliberate layout
change, refresh the snapshots and review the PNGs in the diff:

    REPORTGEN_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_snapshots.py
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, load_sample
from reportgen.layout import layout_document, layout_summary
from reportgen.readers import read_file
from reportgen.rules import with_grade
from reportgen.summary import summarize
from reportgen.writers import write_atomic

SNAPSHOTS = Path(__file__).parent / "snapshots"
EXPECTED = SNAPSHOTS / "pages.json"
# one form per kind from the samples, and from the seeds the forms that run over a page
# (a 自评表 and a 申报表) or ran over it before (the 跟踪表, now shrunk onto one)
FORMS = ["selfeval-xinjiang-zhiqing", "selfeval-zhiye-peixun-2020", "tracking-zhengfu-goumai-fuzhu-fuwu",
         "target-cujin-jiuye-zhuanxiang-zijin"]
SEED_FORMS = {"seed-selfeval-cujin-jiuye": ("004", "促进就业专项资金"),
              "seed-target-zhiye-peixun": ("001", "职业培训基础能力建设资助"),
              "seed-tracking-qingnian-jianxi": ("000", "青年就业见习补贴")}
SEEDS = ROOT / "tests" / "data" / "seeds"
GENERATED = dt.date(2026, 1, 1)  # the date summaries print, fixed so snapshots stay put
UPDATE = os.environ.get("REPORTGEN_UPDATE_SNAPSHOTS") == "1"


def page_sizes(pdf: Path) -> list[list[float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    return [[float(w), float(h)] for w, h in
            re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)]


def to_png(pdf: Path, folder: Path, stem: str) -> list[Path]:
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / stem)], check=True)
    return sorted(folder.glob(f"{stem}-*.png"))


# one summary per kind, from the seeds
SUMMARIES = {"summary-selfeval": "003", "summary-tracking": "000 002", "summary-target": "001"}


@pytest.mark.parametrize("stem", FORMS)
def test_page_count_and_size_are_unchanged(stem, tmp_path):
    pdf = tmp_path / f"{stem}.pdf"
    # as `reportgen render` prints it: a missing 评分等级 filled in from the bands
    write_atomic(pdf, "pdf", [layout_document(with_grade(load_sample(ROOT / "samples" / f"{stem}.yaml")))])
    compare_with_snapshots(stem, pdf)


@pytest.mark.parametrize("stem", SEED_FORMS)
def test_seed_form_pages_are_unchanged(stem, tmp_path):
    prefix, project = SEED_FORMS[stem]
    doc = next(d for d in read_file(next(SEEDS.glob(f"{prefix}_*.txt"))).documents if d.project == project)
    pdf = tmp_path / f"{stem}.pdf"
    write_atomic(pdf, "pdf", [layout_document(doc)])
    compare_with_snapshots(stem, pdf)


@pytest.mark.parametrize("stem", SUMMARIES)
def test_summary_pages_are_unchanged(stem, tmp_path):
    seeds = [next(SEEDS.glob(f"{prefix}_*.txt")) for prefix in SUMMARIES[stem].split()]
    (summary,) = summarize(doc for path in seeds for doc in read_file(path).documents)
    pdf = tmp_path / f"{stem}.pdf"
    write_atomic(pdf, "pdf", [layout_summary(summary, generated=GENERATED)])
    compare_with_snapshots(stem, pdf)


def compare_with_snapshots(stem: str, pdf: Path) -> None:
    sizes = page_sizes(pdf)
    results = Path(__file__).parent / ("snapshots" if UPDATE else "results")
    results.mkdir(exist_ok=True)
    pngs = to_png(pdf, results, stem)
    assert len(pngs) == len(sizes) > 0
    expected = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
    if UPDATE:
        expected[stem] = sizes
        EXPECTED.write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    assert sizes == expected[stem], f"page count or size changed; see tests/results/{stem}-*.png"
    assert len(list(SNAPSHOTS.glob(f"{stem}-*.png"))) == len(sizes)
