"""The national evaluation method (地表水环境质量评价办法（试行）) as an outside oracle, and the figures of issue 24 through
the whole pipeline: every expected value below is worked out by hand from the method's text, in our own words:

- a section's class is the worst class of its factors (single-factor method), a value at a limit is in that class;
- a river with five or more sections is judged by the shares of its sections: Ⅰ–Ⅲ ≥ 90% 优, 75–90% 良好; below 75%:
  劣Ⅴ < 20% 轻度污染, 劣Ⅴ 20–40% 中度污染, 重度污染 only when Ⅰ–Ⅲ < 60% and 劣Ⅴ ≥ 40%;
- a river with fewer sections, and a lake or reservoir however many points it has, by the class of the mean of its
  sections' (points') concentrations;
- a result below detection enters a mean at half the detection limit;
- a section's annual value is the mean of its monthly values; a month without a factor does not count for it.
"""
import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, signed_in
from riverchief import publishing, versions, water_rules
from riverchief.assessment import load_inputs
from riverchief.db import Database
from riverchief.water_report import judge_rivers, load_water, month_figures, share_judgement, ytd_means
from tiny import _frame, tiny_tables

# --- judgement by shares (≥ 5 river sections) -------------------------------------------------------------

@pytest.mark.parametrize("classes,words", [
    ([1, 2, 2, 3, 3, 3, 3, 3, 3, 4], "优"),  # 9 of 10 in Ⅰ–Ⅲ: exactly 90%
    ([2, 3, 3, 3, 3, 3, 3, 3, 4, 4], "良好"),  # 80%
    ([3, 3, 3, 4, 4, 4, 4, 4, 4, 4], "轻度污染"),  # 30% in Ⅰ–Ⅲ, no 劣Ⅴ
    ([3, 3, 3, 3, 3, 3, 3, 4, 6, 6], "中度污染"),  # 70% in Ⅰ–Ⅲ, 20% 劣Ⅴ: 中度 from 20%
    ([3, 3, 3, 3, 3, 3, 6, 6, 6, 6], "中度污染"),  # 60% in Ⅰ–Ⅲ and 40% 劣Ⅴ: not below 60%, so not 重度
    ([3, 3, 3, 3, 3, 6, 6, 6, 6, 5], "重度污染"),  # 50% in Ⅰ–Ⅲ and 40% 劣Ⅴ
    ([3, 3, 3, 6, 6], "中度污染"),  # five sections: 3 of 5 (60%) in Ⅰ–Ⅲ, 2 of 5 (40%) 劣Ⅴ — the boundary again
    ([3, 3, 4, 6, 6], "重度污染"),  # 40% in Ⅰ–Ⅲ, 40% 劣Ⅴ
])
def test_the_share_rule_of_the_method(classes, words):
    good = sum(c <= 3 for c in classes) / len(classes)
    worst = sum(c == 6 for c in classes) / len(classes)
    assert share_judgement(good, worst) == words
    sections = pd.DataFrame({"river_id": "R", "river_name": "某河", "water_body": "river", "water_class": classes,
                             "tp": 0.1, "nh3n": 0.5, "codmn": 3.0, "do": 7.0})
    judged = judge_rivers(sections).iloc[0]
    assert judged["method"] == "断面比例法" and judged["judgement"] == words


def test_fewer_than_five_sections_by_the_class_of_their_mean():
    """Two sections, TP 0.15 (Ⅲ) and 0.35 (Ⅴ): mean 0.25 → Ⅳ, 轻度污染 — not the worst section's Ⅴ."""
    sections = pd.DataFrame({"river_id": "R", "river_name": "某河", "water_body": "river", "water_class": [3, 5],
                             "tp": [0.15, 0.35], "nh3n": [0.5, 0.5], "codmn": [3.0, 3.0], "do": [7.0, 7.0]})
    judged = judge_rivers(sections).iloc[0]
    assert (judged["method"], judged["water_class"], judged["judgement"]) == ("断面均值法", 4, "轻度污染")


def test_a_reservoir_with_many_points_by_the_mean_of_its_points_at_the_lake_limits():
    """Six points of a reservoir, TP 0.04 ×3 and 0.08 ×3: mean 0.06 → Ⅳ at the lake limits (0.05 < 0.06 ≤ 0.1);
    by shares the method is not used for a lake (it would say 轻度 from 50% Ⅰ–Ⅲ as well, by another road)."""
    sections = pd.DataFrame({"river_id": "L", "river_name": "某水库", "water_body": "lake",
                             "water_class": [3, 3, 3, 4, 4, 4], "tp": [0.04] * 3 + [0.08] * 3, "nh3n": 0.2,
                             "codmn": 2.0, "do": 8.0})
    judged = judge_rivers(sections).iloc[0]
    assert (judged["method"], judged["water_class"], judged["judgement"]) == ("点位均值法", 4, "轻度污染")


@pytest.mark.parametrize("factor,value,body,cls", [
    ("tp", 0.2, "river", 3), ("tp", 0.2001, "river", 4), ("tp", 0.05, "lake", 3), ("tp", 0.4001, "river", 6),
    ("nh3n", 1.0, "river", 3), ("nh3n", 0.15, "river", 1), ("do", 5.0, "river", 3), ("do", 1.9, "river", 6),
])
def test_single_factor_classes_at_their_limits(factor, value, body, cls):
    assert water_rules.factor_class(factor, value, body) == cls


# --- through the pipeline: a one-section district ----------------------------------------------------------

def _reading(month, day=10, hour=10, tp=None, nh3n=None, method="手工", tp_bdl=False):
    return dict(section_id="S1", sampled_at=dt.datetime(2023, month, day, hour), tp=tp, tp_bdl=tp_bdl, nh3n=nh3n,
                nh3n_bdl=False, codmn=None, codmn_bdl=False, do=None, method=method)


def _district(root, readings, rule=None, lists=True, shapes=("district", "townships", "rivers")):
    tables = tiny_tables()
    for name in {"district", "townships", "rivers"} - set(shapes):  # an office without that outline yet
        tables[name] = tables[name].assign(geom_wkt=None)
    tables["sections"] = tables["sections"][tables["sections"]["section_id"] == "S1"]
    tables["readings"] = _frame("readings", readings)
    if not lists:
        for name in ("items", "problems", "supervision"):
            tables[name] = tables[name].iloc[0:0]
    else:  # a March notice too, so the month of the issue's figure can be chosen
        march = tables["items"][tables["items"]["notice_date"] == tables["items"]["notice_date"].min()]
        tables["items"] = pd.concat([march.assign(notice_date=dt.date(2023, 3, 31)), tables["items"]], ignore_index=True)
    publishing.publish(root, tables, source="测试", created_by="tests", water_rule=rule)
    return versions.current_version(root)


ISSUE = [_reading(1, tp=0.30, nh3n=0.50), _reading(2, nh3n=0.70), _reading(3, tp=0.10, nh3n=0.30)]


def test_a_month_without_tp_does_not_pull_the_tp_mean_down(tmp_path):
    """January TP 0.30, February NH3-N only, March TP 0.10: the TP mean of 1–3月 is (0.30 + 0.10) / 2 = 0.200 (it
    was 0.133 with February counted), the NH3-N mean (0.5 + 0.7 + 0.3) / 3 = 0.500."""
    version = _district(tmp_path, ISSUE)
    view = load_water(Database(version), dt.date(2023, 3, 31), None, None)
    means = ytd_means(view.annual)
    assert means["tp"].value == pytest.approx(0.2) and means["nh3n"].value == pytest.approx(0.5)
    row = view.annual.iloc[0]
    assert (row["tp_months"], row["nh3n_months"]) == (2, 3)


def test_the_figure_is_the_same_on_every_page(monkeypatch, tmp_path):
    _district(tmp_path, ISSUE)
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tmp_path))
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "office")
    at.query_params["month"] = "2023-03"
    at.run()
    at.switch_page("app_pages/water.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    assert shown["总磷均值"] == "0.200" and shown["氨氮均值"] == "0.500"  # mg/L, 1–3月: the caption under them
    ahead = at.dataframe[3].value.set_index(["section_name", "factor_name"])
    assert ahead.loc[("一号河断面", "总磷"), "mean"] == pytest.approx(0.2)  # 达标形势: the same mean
    assert ahead.loc[("一号河断面", "总磷"), "months"] == 2
    at.switch_page("app_pages/score.py").run()  # the township's 水质明细 of its score
    assert not at.exception, [e.value for e in at.exception]


def test_the_township_water_of_the_score_uses_the_same_mean_on_the_same_sections(tmp_path):
    """T1 has S1; last year only S1's January TP 0.40 (a section of last year's subset). This year's TP 0.200 against
    0.400: the comparison is on S1 in both years; a second section measured this year only moves neither side."""
    last = [dict(_reading(1, tp=0.40, nh3n=0.5), sampled_at=dt.datetime(2022, 1, 10))]
    version = _district(tmp_path, ISSUE + last)
    water_in = load_inputs(Database(version), dt.date(2023, 3, 31)).water.set_index(["unit_id", "year"])
    assert water_in.loc[("T1", 2023), "tp"] == pytest.approx(0.2)
    assert water_in.loc[("T1", 2022), "tp"] == pytest.approx(0.4)


def test_changes_compare_the_same_sections():
    """Two sections this month (one met, one not: 50%); last year only the one that met was measured (100%): the
    change is measured on that section alone (met both years: +0.0%), never 50% − 100%."""
    sections = pd.DataFrame({"water_class": [3, 5], "target_class": [3, 3], "last_year_class": [3, None]})
    met = month_figures(sections)["met"]
    assert met.value == 0.5 and met.delta == 0.0 and met.paired == 1
    annual = pd.DataFrame({"tp": [0.1, 0.3], "tp_last": [0.2, None], "nh3n": [0.5, 0.5], "nh3n_last": [None, None]})
    tp = ytd_means(annual)["tp"]
    assert tp.value == pytest.approx(0.2) and tp.this == pytest.approx(0.1) and tp.rate == pytest.approx(0.5)
    assert ytd_means(annual)["nh3n"].delta is None  # nothing to compare with: no change said


# --- readings by source ------------------------------------------------------------------------------------

def _station(month, days, tp):
    return [_reading(month, day=d, hour=h, tp=tp, nh3n=0.2, method="自动") for d in range(1, days + 1)
            for h in range(0, 24, 4)]


def test_the_month_s_value_follows_the_stated_rule_not_the_average_of_everything(tmp_path):
    """April: one manual sample TP 0.30 and a station with 30 days at 0.10 (180 values). Averaging everything gave
    (0.30 + 180 × 0.10) / 181 = 0.101; the rule 自动监测为主 takes the station's 0.100 (30 valid days ≥ 20); May's
    station has 10 days only: the manual 0.30 counts. 仅用手工 takes 0.30 both months."""
    rows = [_reading(4, tp=0.30, nh3n=0.3), _reading(5, tp=0.30, nh3n=0.3)] + _station(4, 30, 0.10) + _station(5, 10, 0.10)
    version = _district(tmp_path, rows)
    assert version.manifest["water_rule"] == {"kind": "auto_first", "min_days": 20}
    monthly = Database(version).execute("SELECT month, tp, tp_src, tp_n FROM readings_monthly ORDER BY month")
    assert monthly["tp"].tolist() == pytest.approx([0.10, 0.30])
    assert monthly["tp_src"].tolist() == ["自动", "手工"] and monthly["tp_n"].tolist() == [30, 1]
    manual = _district(tmp_path / "manual", rows, rule=water_rules.MonthlyRule(water_rules.MANUAL_ONLY))
    again = Database(manual).execute("SELECT tp, tp_src FROM readings_monthly ORDER BY month")
    assert again["tp"].tolist() == pytest.approx([0.30, 0.30]) and set(again["tp_src"]) == {"手工"}


def test_below_detection_at_half_the_limit_in_a_mean(tmp_path):
    version = _district(tmp_path, [_reading(6, tp=0.01, tp_bdl=True, nh3n=0.2), _reading(6, day=20, tp=0.2, nh3n=0.2)])
    tp = Database(version).execute("SELECT tp, tp_bdl_n FROM readings_monthly").iloc[0]
    assert tp["tp"] == pytest.approx((0.005 + 0.2) / 2) and tp["tp_bdl_n"] == 1


@pytest.mark.parametrize("shapes", [("district", "townships", "rivers"), (), ("townships",), ("district", "rivers")])
def test_the_water_page_opens_on_readings_alone(monkeypatch, tmp_path, shapes):
    """An office that brings its readings before any list: 水质 and 河流地图 open on the readings' months — with
    every outline, none, or some of them."""
    version = _district(tmp_path, ISSUE, lists=False, shapes=shapes)
    assert version.notices == []
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tmp_path))
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "office")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("app_pages/water.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "水质 · 2023年3月 · 全区"
    assert {m.label: m.value for m in at.metric}["总磷均值"] == "0.200"
    at.switch_page("app_pages/river_map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "河流地图 · 2023年3月 · 全区"  # a month of readings, not a notice
    at.switch_page("app_pages/no_lists.py").run()  # the pages that need lists still say to bring them first
    assert any("尚无通报" in t.value for t in at.title)
