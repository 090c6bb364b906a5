"""Department summaries computed from the seeds and from hand-made documents."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from reportgen.model import Document, Funding, FundingRow
from reportgen.readers import read_file
from reportgen.summary import competition_ranks, cross_year, in_wan_yuan, summarize

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))


def seed(prefix: str) -> list[Document]:
    return [doc for path in SEEDS if path.name.startswith(prefix) for doc in read_file(path).documents]


def test_seed_003_ranks_24_projects_all_excellent():
    docs = seed("003")
    (summary,) = summarize(docs)
    assert (summary.kind, summary.year, len(summary.projects)) == ("selfeval", 2024, 24)
    assert summary.grades == {"优": 24, "良": 0, "中": 0, "差": 0}
    first = summary.projects[0]
    assert (first.rank, first.project, first.total_score) == (1, "公车购置经费", D("100.00"))
    assert [line.rank for line in summary.projects] == competition_ranks([l.total_score for l in summary.projects])
    assert summary.budget == sum(d.funding.total.budget for d in docs)
    assert summary.executed == sum(d.funding.total.executed for d in docs)
    assert summary.rate == (summary.executed / summary.budget * 100).quantize(D("0.01"), rounding="ROUND_DOWN")
    assert summary.scores["min"] == D("90.00") and summary.scores["max"] == D("100.00")
    lowest = summary.lowest[0]
    assert (lowest.project, lowest.lost) == ("劳动监察业务经费", [("预算执行率（项目资金）", D("10.00"))])


def test_tracking_summary_lists_the_projects_that_will_not_finish():
    docs = seed("000") + seed("002")
    (summary,) = summarize(docs)
    assert (summary.kind, len(summary.projects), summary.elapsed) == ("tracking", 34, D("66.67"))
    cannot = {d.project for d in docs if "确定不能完成" in (d.outlook.budget, d.outlook.goals)}
    assert cannot == {"技能竞赛地方教育附加经费", "技能竞赛专项经费", "评价机构服务经费",
                      "人力资源企业推介用工补贴", "线上培训补贴", "职业技能补贴培训督导服务机构经费",
                      "闵行区国有企业退休人员人事档案接收保管利用项目"}
    assert cannot <= {line.project for line in summary.risks}
    rates = [line.rate for line in summary.projects]
    assert rates == sorted(rates, reverse=True)


def test_target_summary_counts_indicators_by_level():
    docs = seed("001")
    (summary,) = summarize(docs)
    assert summary.kind == "target" and len(summary.projects) == 11
    assert sum(summary.levels.values()) == sum(len(d.indicators) for d in docs)
    assert summary.budget == sum(in_wan_yuan(d.funding.total.budget, "元") for d in docs)


def test_projects_in_several_years_side_by_side():
    found = cross_year(seed("001") + seed("004"))
    assert [c.project for c in found] == ["促进就业专项资金", "职业培训基础能力建设资助", "高技能人才培养基地建设资助"]
    assert [(year, kind) for year, kind, _ in found[0].entries] == [(2020, "selfeval"), (2024, "target")]


def test_groups_by_unit_and_year():
    docs = [Document(kind="selfeval", year=year, project=f"p{n}", department="局", unit=unit,
                     funding=Funding(total=FundingRow(budget=D("10"), executed=D("5"))),
                     total_score=score)
            for n, (year, unit, score) in enumerate([(2023, "甲", D("91")), (2024, "甲", D("85")),
                                                     (2024, "乙", D("85")), (2024, "甲", D("85"))])]
    assert [(s.group, s.year, len(s.projects)) for s in summarize(docs)] == [("局", 2023, 1), ("局", 2024, 3)]
    by_unit = summarize(docs, by="unit")
    assert [(s.group, s.year) for s in by_unit] == [("乙", 2024), ("甲", 2023), ("甲", 2024)]
    tied = by_unit[2]
    assert [line.rank for line in tied.projects] == [1, 1] and tied.grades["良"] == 2


@pytest.mark.parametrize("values, ranks", [
    ([], []), ([D(1)], [1]), ([D(9), D(8), D(8), D(7)], [1, 2, 2, 4]), ([D(5)] * 3, [1, 1, 1]),
])
def test_competition_ranks(values, ranks):
    assert competition_ranks(values) == ranks
