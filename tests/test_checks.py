"""reportgen check: one hand-made document per finding, a clean document with none, and
the seeds' own oddities."""
from __future__ import annotations

import json
from copy import deepcopy
from decimal import Decimal as D
from pathlib import Path

import pytest

from reportgen.checks import check_document
from reportgen.cli import main
from reportgen.model import (Document, Funding, FundingRow, Goals, Indicator, Outlook,
                             ParseWarning, Period)
from reportgen.readers import read_file
from reportgen.rules import (execution_rates, funding_score, grade_for, load_rules,
                             time_elapsed)

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))


def selfeval() -> Document:
    """A clean 自评表: weights 10 + 90, scores adding up, every rule kept."""
    return Document(
        kind="selfeval", year=2024, project="测试项目", department="某局", unit="某中心",
        funding=Funding(total=FundingRow(D("100.00"), D("80.00"), D("76.00"), D("95.00"), D("10.00"), D("9.50")),
                        fiscal=FundingRow(D("100.00"), D("80.00"), D("76.00"), D("95.00")),
                        carryover=FundingRow(D("0.00"), D("0.00"), D("0.00"), D("0.00")),
                        other=FundingRow(D("0.00"), D("0.00"), D("0.00"), D("0.00"))),
        goals=Goals("按计划完成", "已完成"),
        indicators=[
            Indicator("产出指标", "数量指标", "培训人次", "≥300.00(人次)", None, "320.00(人次)", D("40.00"), D("40.00"), ""),
            Indicator("产出指标", "质量指标", "培训合格率", "≥90.00(%)", None, "85.00(%)", D("20.00"), D("18.89"), "部分学员未通过"),
            Indicator("效益指标", "社会效益指标", "就业能力", "提升", None, "达成指标", D("20.00"), D("18.00"), "效果待观察"),
            Indicator("满意度指标", "服务对象满意度指标", "学员满意度", "≥90.00(%)", None, "95.00(%)", D("10.00"), D("10.00"), ""),
        ],
        total_score=D("96.39"), grade="优")


def tracking() -> Document:
    """A clean 跟踪表 of 1–8月."""
    return Document(
        kind="tracking", year=2024, period=Period("2024-01", "2024-08"), project="跟踪项目",
        funding=Funding(total=FundingRow(D("50.00"), D("50.00"), D("35.00"), D("70.00")),
                        fiscal=FundingRow(D("50.00"), D("50.00"), D("35.00"), D("70.00")),
                        carryover=FundingRow(D("0.00"), D("0.00"), D("0.00"), D("0.00")),
                        other=FundingRow(D("0.00"), D("0.00"), D("0.00"), D("0.00"))),
        goals=Goals("按计划完成", "进展顺利"),
        indicators=[Indicator("产出指标", "数量指标", "活动场次", "≥12.00(场)", "8", "8", None, None, "")],
        outlook=Outlook("确定能完成", "确定能完成"), corrective="")


def codes(doc: Document, rules=None) -> list[tuple[str, str, str]]:
    return [(f.severity, f.code, f.field) for f in check_document(doc, rules or load_rules())]


@pytest.mark.parametrize("make", [selfeval, tracking])
def test_a_clean_document_has_no_finding(make):
    assert codes(make()) == []


def test_a_clean_target_form_has_no_finding():
    doc = Document(kind="target", year=2024, project="申报项目", amount_unit="元",
                   funding=Funding(total=FundingRow(budget=D("850000.00")),
                                   fiscal=FundingRow(budget=D("850000.00")),
                                   carryover=FundingRow(budget=D("0.00")), other=FundingRow(budget=D("0.00"))),
                   goals=Goals("保障办公用房正常使用", None),
                   indicators=[Indicator("产出指标", "数量指标", "修缮面积", "≥500.00(平方米)")])
    assert codes(doc) == []


def test_execution_rate_that_is_not_executed_over_budget():
    doc = selfeval()
    doc.funding.total.rate = D("93.00")
    assert ("error", "funding.rate", "funding.total.rate") in codes(doc)


def test_funding_rows_that_do_not_add_up_and_executed_over_budget():
    doc = tracking()  # 零工市场运营费: 0.04 spent from a carry-over of 0.00
    doc.funding.carryover.executed = D("0.04")
    doc.funding.total.executed = D("35.04")
    doc.funding.total.rate = D("70.08")
    found = codes(doc)
    assert ("warning", "funding.over", "funding.carryover.executed") in found
    doc.funding.total.budget = D("60.00")
    assert ("error", "funding.sum", "funding.total.budget") in codes(doc)


def test_weights_not_100_and_score_above_weight():
    doc = selfeval()
    doc.indicators[3].weight = D("5.00")
    assert ("error", "weights.total", "indicators") in codes(doc)
    doc = selfeval()
    doc.indicators[1].score = D("21.00")
    assert ("error", "score.over", "indicators[1].score") in codes(doc)


def test_scores_that_do_not_add_up_and_a_wrong_grade():
    doc = selfeval()
    doc.total_score = D("97.00")
    assert ("error", "score.sum", "total_score") in codes(doc)
    doc = selfeval()
    doc.grade = "良"
    assert ("error", "grade", "grade") in codes(doc)


def test_funding_score_against_the_execution_rate():
    doc = selfeval()
    doc.funding.total.score = D("10.00")
    doc.total_score = D("96.89")
    assert ("warning", "score.funding", "funding.total.score") in codes(doc)


def test_score_far_from_the_rule_and_a_tier_boundary():
    doc = selfeval()
    doc.indicators[1].score = D("12.00")  # 85 of 90 suggests 18.89
    doc.total_score = D("89.50")
    doc.grade = "良"
    assert ("warning", "score.rule", "indicators[1].score") in codes(doc)
    doc = selfeval()
    doc.indicators[2].actual = "部分达成指标并具有一定效果"  # 8 of 10: the 部分达成 band ends below 80%
    doc.indicators[2].weight, doc.indicators[2].score = D("10.00"), D("8.00")
    doc.indicators[0].weight = D("50.00")
    doc.total_score = D("86.39")
    doc.grade = "良"
    assert ("info", "score.rule", "indicators[2].score") in codes(doc)


def test_missed_target_with_full_marks_or_without_a_reason():
    doc = selfeval()
    doc.indicators[1].score = D("20.00")
    doc.total_score = D("97.50")
    assert ("warning", "target.missed_full", "indicators[1].score") in codes(doc)
    doc = selfeval()
    doc.indicators[1].deviation = ""
    assert ("warning", "deviation.missing", "indicators[1].deviation") in codes(doc)


def test_tracking_lag_outlook_and_deviation():
    doc = tracking()
    doc.funding.total.executed = doc.funding.fiscal.executed = D("10.00")
    doc.funding.total.rate = doc.funding.fiscal.rate = D("20.00")  # 1–8月: 66.67% of the year
    assert ("warning", "tracking.lag", "funding.total.rate") in codes(doc)
    doc = tracking()
    doc.outlook.budget = "确定不能完成"
    doc.corrective = "无"
    assert ("warning", "corrective.missing", "corrective") in codes(doc)
    doc = tracking()
    doc.indicators[0].actual = "6"
    assert ("warning", "deviation.missing", "indicators[0].deviation") in codes(doc)


def test_text_oddities():
    doc = tracking()
    doc.goals.actual = "734.24"
    doc.indicators.append(Indicator("产出指标", "数量指标", "", "≥1(个)", "1", "1", None, None, ""))
    doc.indicators.append(deepcopy(doc.indicators[0]))
    doc.indicators.append(Indicator("产出指标", "进度指标", "完成时间", "及时", "及时", "及时", None, None, ""))
    found = codes(doc)
    assert ("warning", "goals.number", "goals.actual") in found
    assert ("error", "indicator.name", "indicators[1].name") in found
    assert ("warning", "indicator.duplicate", "indicators[0]") in found
    assert ("warning", "indicator.level2", "indicators[3].level2") in found


def test_budget_rate_indicator_against_the_form_rate():
    doc = selfeval()  # 劳动监察业务经费: the indicator claims 90% while nothing was spent
    doc.indicators.insert(0, Indicator("成本指标", "经济成本指标", "预算执行率", "≥90.00(%)", None,
                                       "90.00(%)", D("0"), D("0"), ""))
    doc.funding.total.rate = D("50.00")
    assert ("warning", "indicator.budget_rate", "indicators[0].actual") in codes(doc)


def test_reader_warnings_are_findings_on_their_line():
    doc = selfeval()
    doc.warnings = [ParseWarning(176, "90.00(%)\t90.00(%)\t10.00\t10.00", "a row of values without an indicator name")]
    (finding,) = check_document(doc)
    assert (finding.severity, finding.code, finding.line) == ("warning", "parse", 176)


def test_rules_file_overrides_a_threshold(tmp_path):
    doc = tracking()
    doc.funding.total.executed = doc.funding.fiscal.executed = D("25.00")
    doc.funding.total.rate = doc.funding.fiscal.rate = D("50.00")
    assert ("warning", "tracking.lag", "funding.total.rate") in codes(doc)
    lenient = tmp_path / "region.toml"
    lenient.write_text('[tracking]\nlag_tolerance = "20"\n', encoding="utf-8")
    assert codes(doc, load_rules(lenient)) == []


def test_a_bad_rules_file_is_named(tmp_path, capsys):
    bad = tmp_path / "region.toml"
    bad.write_text('[tracking]\nlag = "20"\n', encoding="utf-8")
    assert main(["check", str(SEEDS[0]), "--rules", str(bad)]) == 2
    assert f"Error: {bad}: tracking.lag: unknown rule" in capsys.readouterr().err


# ---------------------------------------------------------------- the seeds

@pytest.fixture(scope="module")
def seed_docs():
    return [doc for path in SEEDS for doc in read_file(path).documents]


def test_seed_rates_scores_and_grades_recompute(seed_docs):
    rules = load_rules()
    rates = scores = grades = 0
    for doc in seed_docs:
        for key in ("total", "fiscal", "carryover", "other"):
            row = getattr(doc.funding, key)
            computed = execution_rates(row.executed, row.budget) if row.executed is not None and row.budget else None
            if computed and row.rate is not None:
                assert min(abs(row.rate - c) for c in computed) <= rules.rate_tolerance, (doc.project, key)
                rates += 1
        total = doc.funding.total
        if doc.kind == "selfeval" and total.score is not None:
            assert abs(funding_score(total.rate, total.weight) - total.score) <= rules.funding_score_tolerance
            scores += 1
        if doc.grade:
            assert grade_for(doc.total_score) == doc.grade
            grades += 1
    assert (rates, scores, grades) == (119, 26, 24)
    assert funding_score(D("85.35"), D("10")) == D("8.54")
    assert execution_rates(D("28.27"), D("28.47"))[0] == D("99.29")
    assert time_elapsed(Period("2024-01", "2024-08")) == D("66.67")


def test_check_on_the_seeds_reports_their_oddities(capsys):
    assert main(["check", *map(str, SEEDS), "--format", "json"]) == 1  # 004's 总分 do not add up
    findings = json.loads(capsys.readouterr().out)
    said = {(f["document"].split(" ", 2)[2], f["code"], f["line"]) for f in findings}
    assert ("残疾人就业保障金", "goals.number", 15) in said
    assert ("零工市场运营费", "funding.over", 357) in said
    assert ("“靠谱职”就业服务信息化平台", "parse", 176) in said
    assert ("劳动监察业务经费", "indicator.budget_rate", 194) in said
    errors = {(f["document"], f["code"]) for f in findings if f["severity"] == "error"}
    assert errors == {("2024 跟踪表 残疾人就业保障金", "funding.sum"),
                      ("2020 自评表 促进就业专项资金", "score.sum"),
                      ("2020 自评表 高技能人才培养基地建设资助", "score.sum")}


def test_check_text_output_and_exit_status(tmp_path, capsys):
    clean = tmp_path / "clean.json"
    from reportgen.model import document_to_dict
    clean.write_text(json.dumps([document_to_dict(selfeval())], ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(clean)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "1 documents: 0 errors, 0 warnings, 0 infos" in captured.err
    assert main(["check", str(SEEDS[4])]) == 1
    out = capsys.readouterr().out
    assert f"{SEEDS[4]}:66: error: 2020 自评表 促进就业专项资金: total_score: 总分 97 与各项得分之和 97.2 不符 [score.sum]" in out
