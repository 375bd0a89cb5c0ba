"""Water quality on the tiny district (hand-computed) and the river judgement rules."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from riverchief import versions
from riverchief.db import Database
from riverchief.water_report import (annual_table, attainment, enrich_month, improvement_rate, judge_rivers,
                                      load_water, main_pollutants, share_judgement, trend_of)


@pytest.fixture
def view(tiny_dir):
    return load_water(Database(versions.current_version(tiny_dir)), dt.date(2023, 6, 30), None, None)


def test_month_table_from_the_tiny_district(view):
    s1 = view.sections.set_index("section_id").loc["S1"]
    # TP (0.2 + 0.01/2) / 2 = 0.1025 → Ⅲ; NH3-N 0.5 → Ⅱ; CODMn 4 → Ⅱ; DO 7 → Ⅱ: Class Ⅲ decided by TP
    assert s1["tp"] == pytest.approx(0.1025) and s1["water_class"] == 3 and s1["deciding"] == "总磷"
    assert bool(s1["meets_target"]) and pd.isna(s1["tp_x3"]) and s1["main_pollutants"] == ""
    s2 = view.sections.set_index("section_id").loc["S2"]
    assert pd.isna(s2["water_class"])  # the reservoir has no June 2023 sample


def test_exceedance_against_target_and_main_pollutants():
    frame = pd.DataFrame([dict(section_id="X", water_body="lake", target_class=2, tp=0.06, nh3n=2.5, codmn=3.0,
                               do=8.0, tp_class=4, nh3n_class=6, codmn_class=2, do_class=1, water_class=6)])
    row = enrich_month(frame).iloc[0]
    assert row["tp_xt"] == pytest.approx((0.06 - 0.025) / 0.025)  # lake Class Ⅱ TP limit
    assert row["tp_x3"] == pytest.approx(0.2) and row["nh3n_x3"] == pytest.approx(1.5)
    assert row["deciding"] == "氨氮" and not row["meets_target"]
    assert main_pollutants(row) == "氨氮（1.50倍）、总磷（0.20倍）"


@pytest.mark.parametrize("last,this,rate", [(0.4, 0.2, 0.5), (0.2, 0.3, -0.5), (0.1, 0.1, 0.0)])
def test_improvement_rate(last, this, rate):
    assert improvement_rate(last, this) == pytest.approx(rate)


@pytest.mark.parametrize("last,this", [(0, 0.1), (None, 0.1), (0.1, np.nan)])
def test_improvement_rate_undefined(last, this):
    assert np.isnan(improvement_rate(last, this))


@pytest.mark.parametrize("good,worst,word", [
    (1.0, 0, "优"), (0.9, 0, "优"), (0.89, 0, "良好"), (0.75, 0, "良好"), (0.74, 0.19, "轻度污染"),
    (0.5, 0.2, "中度污染"), (0.5, 0.39, "中度污染"), (0.4, 0.4, "重度污染"),
])
def test_share_judgement_edges(good, worst, word):
    assert share_judgement(good, worst) == word


def _annual(classes, river="R", body="river", tp=0.1):
    return pd.DataFrame([dict(section_id=f"S{i}", river_id=river, river_name="某河", water_body=body,
                              water_class=c, tp=tp, nh3n=0.3, codmn=3.0, do=8.0) for i, c in enumerate(classes)])


def test_rivers_with_five_sections_use_the_share_rule():
    judged = judge_rivers(_annual([2, 3, 3, 4, 3])).iloc[0]  # 4 of 5 in Ⅰ–Ⅲ: 80% → 良好
    assert judged["method"] == "断面比例法" and judged["judgement"] == "良好" and judged["share_good"] == 0.8


def test_how_many_sections_call_for_the_share_rule_is_the_rules_value():
    two = _annual([2, 4], tp=0.25)  # by default too few for shares: the class of the mean, Ⅳ
    assert judge_rivers(two).iloc[0]["method"] == "断面均值法"
    judged = judge_rivers(two, min_sections=2).iloc[0]  # a district that judges two sections by shares: 1 of 2 in Ⅰ–Ⅲ
    assert judged["method"] == "断面比例法" and judged["share_good"] == 0.5 and judged["judgement"] == "轻度污染"
    assert pd.isna(judged["water_class"])
    five = judge_rivers(_annual([2, 3, 3, 4, 3]), min_sections=6).iloc[0]  # and five sections short of six: the mean
    assert five["method"] == "断面均值法"
    assert judge_rivers(_annual([3, 3], body="lake"), min_sections=2).iloc[0]["method"] == "点位均值法"  # lakes: always


def test_load_water_judges_rivers_by_the_number_it_is_given(tiny_dir):
    db = Database(versions.current_version(tiny_dir))
    assert load_water(db, dt.date(2023, 6, 30), None, None).rivers.set_index("river_id").loc["R1", "method"] == "断面均值法"
    one = load_water(db, dt.date(2023, 6, 30), None, None, share_min_sections=1).rivers.set_index("river_id").loc["R1"]
    assert one["method"] == "断面比例法" and one["share_good"] == 1.0 and one["judgement"] == "优"  # S1 is Ⅲ


def test_rivers_with_fewer_sections_use_the_mean():
    judged = judge_rivers(_annual([2, 4], tp=0.25)).iloc[0]  # mean TP 0.25 → Ⅳ
    assert judged["method"] == "断面均值法" and judged["water_class"] == 4 and judged["judgement"] == "轻度污染"
    lake = judge_rivers(_annual([3], body="lake", tp=0.08)).iloc[0]
    assert lake["water_class"] == 4  # lake TP limits


def test_annual_table_compares_the_same_period():
    years = pd.DataFrame([
        dict(section_id="S", section_name="断面", river_id="R", river_name="河", water_body="river", target_class=3,
             year=y, months=6, n=6, tp=tp, nh3n=nh3n, codmn=3.0, do=8.0)
        for y, tp, nh3n in ((2023, 0.35, 1.8), (2024, 0.18, 0.9))])
    row = annual_table(years, 2024).iloc[0]
    assert row["water_class_last"] == 5 and row["water_class"] == 3 and bool(row["meets_target"])
    assert row["tp_rate"] == pytest.approx((0.35 - 0.18) / 0.35) and row["nh3n_rate"] == pytest.approx(0.5)


def test_attainment_counts_per_month():
    series = pd.DataFrame([dict(section_id=s, month=m, water_class=c, target_class=t) for s, m, c, t in (
        ("A", "2024-01", 3, 3), ("B", "2024-01", 4, 3), ("C", "2024-01", 6, 5), ("A", "2024-02", 2, 3))])
    att = attainment(series).set_index("month")
    assert att.loc["2024-01", ["sections", "met", "good", "worst"]].tolist() == [3, 1, 1, 1]
    assert att.loc["2024-02", "met_share"] == 1.0


def test_trend_of_a_river_averages_its_sections_and_years():
    series = pd.DataFrame([dict(section_id=s, river_id="R", month=pd.Timestamp(m), tp=tp, nh3n=1.0, tp_bdl_n=0,
                                nh3n_bdl_n=0) for s, m, tp in (("A", "2024-01-01", 0.1), ("B", "2024-01-01", 0.3),
                                                              ("A", "2024-02-01", 0.2), ("B", "2024-02-01", 0.2))])
    t = trend_of(series, river_id="R")
    assert t["tp"].tolist() == pytest.approx([0.2, 0.2]) and t["tp_year"].tolist() == pytest.approx([0.2, 0.2])


def test_demo_tells_the_bulletin_story(demo_dir):
    view = load_water(Database(versions.current_version(demo_dir)), dt.date(2024, 12, 31), None, None)
    stories = view.stories.set_index("river_name")
    assert stories.loc["清溪河", "water_class_first"] == 5 and stories.loc["清溪河", "water_class"] == 3
    assert stories.loc["白沙河", "water_class_first"] == 5 and stories.loc["白沙河", "water_class"] == 3
    assert (stories["change"] == "变差").sum() >= 2
    main = view.rivers.set_index("river_name").loc["玉带河"]
    assert main["sections"] == 5 and main["method"] == "断面比例法"


def test_latest_month_with_readings_up_to_the_notice(tiny_late_water_dir):
    from riverchief.water_report import latest_month_with_readings

    db = Database(versions.current_version(tiny_late_water_dir))
    june, april = dt.date(2023, 6, 30), dt.date(2023, 4, 1)
    assert latest_month_with_readings(db, june, None, None) == april  # not S2's January 2024: after the notice
    assert latest_month_with_readings(db, june, "T1", None) == april
    assert latest_month_with_readings(db, june, None, "R2") is None  # the reservoir has nothing up to June 2023
    assert latest_month_with_readings(db, dt.date(2024, 1, 31), None, "R2") == dt.date(2024, 1, 1)
    assert latest_month_with_readings(db, dt.date(2023, 3, 31), None, None) is None


def test_water_of_a_month_without_readings_is_the_latest_month_with_them(tiny_late_water_dir):
    from riverchief.water_report import fallback_words

    db = Database(versions.current_version(tiny_late_water_dir))
    view = load_water(db, dt.date(2023, 6, 30), None, None)
    assert view.month == dt.date(2023, 4, 1) and view.asked == dt.date(2023, 6, 1)
    assert view.sections.set_index("section_id").loc["S1", "water_class"] == 3  # the June samples, in April
    assert fallback_words(view) == "2023年6月尚无监测数据，以下为最近有数据的2023年4月"
    same = load_water(db, dt.date(2023, 4, 30), None, None)
    assert same.asked is None and fallback_words(same) is None
    nothing = load_water(db, dt.date(2023, 6, 30), None, "R2")
    assert nothing.asked is None and nothing.sections["water_class"].isna().all()


def test_exceedance_is_published_only_above_the_limit_to_two_decimals():
    """水质_表1.xlsx showed -0.3900000000000001 as the 超标倍数 of a compliant section."""
    from riverchief.water_report import exceeded

    assert pd.isna(exceeded("tp", 0.122, 3, "river"))  # (0.122 − 0.2) / 0.2 = −0.39: within the limit, no multiple
    assert pd.isna(exceeded("tp", 0.2, 3, "river"))  # at the limit is within it
    assert exceeded("tp", 0.2781, 3, "river") == 0.39  # 0.3905 to two decimals, not 0.39050000000000007
    assert exceeded("nh3n", 2.5, 3, "river") == 1.5 and pd.isna(exceeded("tp", float("nan"), 3, "river"))
    assert exceeded("tp", 0.2008, 3, "river") == 0.0  # 0.4% above the limit: above it, never a blank
