"""The year's chain: seed 001's 11 申报表 derived into their 跟踪表 and 自评表, carried
over as written, weights as the rules suggest, rendered to valid files."""
from __future__ import annotations

from decimal import Decimal

import docx
import pytest
from openpyxl import load_workbook

from conftest import SEEDS, pdf_text
from reportgen.cli import main
from reportgen.readers import read_file

SEED = next(p for p in SEEDS if p.name.startswith("001_"))


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    out = tmp_path_factory.mktemp("derived")
    assert main(["derive", "tracking", str(SEED), "-o", str(out), "--period", "2024-01..2024-08"]) == 0
    assert main(["derive", "selfeval", str(SEED), "-o", str(out)]) == 0
    targets = read_file(SEED).documents
    return out, targets, {kind: read_file(out / f"{SEED.stem}-{name}.xlsx").documents
                          for kind, name in (("tracking", "跟踪表"), ("selfeval", "自评表"))}


def levels(doc):
    return [(i.level1, i.level2, i.name, i.target) for i in doc.indicators]


@pytest.mark.parametrize("kind", ["tracking", "selfeval"])
def test_the_indicators_and_targets_are_the_target_forms(derived, kind):
    _, targets, made = derived
    assert len(targets) == 11 and all(t.kind == "target" for t in targets)
    assert [(d.kind, d.project, d.department, d.unit) for d in made[kind]] == \
        [(kind, t.project, t.department, t.unit) for t in targets]
    for target, doc in zip(targets, made[kind]):
        assert levels(doc) == levels(target)
        assert doc.funding.total.budget == target.funding.total.budget
        assert doc.goals.planned == target.goals.planned
        assert all(not i.actual for i in doc.indicators)


def test_the_tracking_forms_have_their_period(derived):
    _, _, made = derived
    assert {(d.period.start, d.period.end, d.year) for d in made["tracking"]} == {("2024-01", "2024-08", 2024)}


def test_the_self_evaluations_start_with_the_suggested_weights(derived):
    _, _, made = derived
    for doc in made["selfeval"]:
        assert doc.funding.total.weight == Decimal(10)
        assert doc.funding.total.weight + sum(i.weight for i in doc.indicators) == Decimal(100)
        by_level = {}
        for i in doc.indicators:
            by_level[i.level1] = by_level.get(i.level1, 0) + i.weight
        if set(by_level) == {"产出指标", "效益指标", "满意度指标"}:
            assert by_level == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


def test_the_derived_forms_render(derived, tmp_path):
    out, _, made = derived
    assert main(["render", str(out / f"{SEED.stem}-跟踪表.xlsx"), str(out / f"{SEED.stem}-自评表.xlsx"),
                 "-o", str(tmp_path)]) == 0
    for kind, docs in made.items():
        for doc in docs[:3]:
            stem = f"2024_{'跟踪表' if kind == 'tracking' else '自评表'}_{doc.project}"
            assert doc.project in "".join(pdf_text(tmp_path / f"{stem}.pdf", layout=False).split())
            assert any(doc.project in c.text for t in docx.Document(tmp_path / f"{stem}.docx").tables
                       for row in t.rows for c in row.cells)
            assert load_workbook(tmp_path / f"{stem}.xlsx").worksheets[0].max_row > 10


def test_derived_as_fill_in_forms(derived, tmp_path):
    """`--to form`: a fill-in form per 自评表, what was carried over printed and locked, the
    cells to fill (实际完成值, 得分, 执行数) and the suggested 分值 open."""
    _, targets, _ = derived
    assert main(["derive", "selfeval", str(SEED), "-o", str(tmp_path), "--to", "form"]) == 0
    files = sorted(tmp_path.glob("*.xlsx"))
    assert len(files) == 11
    by_project = {read_file(f).documents[0].project: f for f in files}
    for target in targets:
        doc = read_file(by_project[target.project]).documents[0]
        assert levels(doc) == levels(target)
        sheet = load_workbook(by_project[target.project]).worksheets[0]
        at = {str(c.value): (c.row, c.column) for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
        heads_row = at["一级指标"][0]
        heads = {str(c.value): c.column for c in sheet[heads_row] if c.value}
        first = heads_row + 1
        assert sheet.cell(first, heads["三级指标"]).protection.locked is True
        for head in ("实际完成值", "分值", "得分"):
            assert sheet.cell(first, heads[head]).protection.locked is False, head
