"""Early warning: the next notice's yellow and red items, its track record on the data's past, and what
the rest of the year's water must average — case by case, then on the demo."""
import datetime as dt

import pandas as pd
import pytest

from riverchief import outlook, versions
from riverchief.board import Filters
from riverchief.db import Database

d = dt.date


def history(*notices, start=d(2024, 1, 1), deadline=d(2024, 12, 31), done=None, lights=None):
    """One item's rows: (notice date, progress) pairs, lit green unless said."""
    return pd.DataFrame([dict(item_id="X", notice_date=n, title="某任务", list="task", unit_id="U", unit_name="某镇",
                              start_date=start, deadline=deadline, progress=p, done_date=done,
                              light=(lights or {}).get(n, "green")) for n, p in notices])


def test_a_deadline_before_the_next_notice_means_red():
    h = history((d(2024, 5, 31), 0.8), deadline=d(2024, 6, 15))
    light, reason = outlook.forecast(h, d(2024, 6, 30))
    assert light == "red" and reason.startswith("完成时限2024年6月15日早于下期通报，目前完成80%，")
    assert reason.endswith("届时将逾期")


def test_done_items_red_items_and_standing_tasks_are_not_warned():
    assert outlook.forecast(history((d(2024, 5, 31), 1.0), deadline=d(2024, 6, 15), done=d(2024, 5, 20)),
                            d(2024, 6, 30)) is None
    assert outlook.forecast(history((d(2024, 5, 31), 0.1), lights={d(2024, 5, 31): "red"}), d(2024, 6, 30)) is None
    assert outlook.forecast(history((d(2024, 5, 31), 0.1), deadline=None), d(2024, 6, 30)) is None


def test_a_slow_pace_falling_behind_next_months_schedule_means_yellow():
    # 2% a month over three months, at 30% on 31 May: about 32% by 30 June; schedule 49.6% − 10% tolerance
    h = history((d(2024, 2, 29), 0.24), (d(2024, 3, 31), 0.26), (d(2024, 4, 30), 0.28), (d(2024, 5, 31), 0.30))
    light, reason = outlook.forecast(h, d(2024, 6, 30))
    assert light == "yellow" and reason == "按近3个月进度，下月预计完成32%，序时进度50%"


def test_keeping_pace_is_no_warning_and_the_tolerance_counts():
    on_pace = history((d(2024, 2, 29), 0.16), (d(2024, 3, 31), 0.24), (d(2024, 4, 30), 0.33), (d(2024, 5, 31), 0.41))
    assert outlook.forecast(on_pace, d(2024, 6, 30)) is None  # ~0.49 by June: on schedule
    edge = history((d(2024, 3, 31), 0.24), (d(2024, 4, 30), 0.30), (d(2024, 5, 31), 0.36))  # 6 points a month
    assert outlook.forecast(edge, d(2024, 6, 30), tolerance=0.10) is None  # ≈0.42 + 0.10 ≥ 0.496
    assert outlook.forecast(edge, d(2024, 6, 30), tolerance=0.0)[0] == "yellow"


def test_one_month_of_an_items_life_is_no_ground_for_a_yellow_but_a_deadline_is():
    young = history((d(2024, 5, 31), 0.02), start=d(2024, 5, 1), deadline=d(2024, 9, 30))
    assert outlook.forecast(young, d(2024, 6, 30)) is None
    due = history((d(2024, 5, 31), 0.2), start=d(2024, 5, 1), deadline=d(2024, 6, 15))
    assert outlook.forecast(due, d(2024, 6, 30))[0] == "red"


def test_an_item_due_before_the_next_notice_that_its_pace_finishes_is_not_warned():
    fast = history((d(2024, 3, 31), 0.5), (d(2024, 4, 30), 0.7), (d(2024, 5, 31), 0.9), deadline=d(2024, 6, 15))
    assert outlook.forecast(fast, d(2024, 6, 30)) is None  # 20 points a month: done by mid-June
    slow = history((d(2024, 3, 31), 0.7), (d(2024, 4, 30), 0.75), (d(2024, 5, 31), 0.8), deadline=d(2024, 6, 15))
    light, reason = outlook.forecast(slow, d(2024, 6, 30))
    assert light == "red" and reason.endswith("按近2个月进度下月预计完成85%，届时将逾期")


def test_an_item_without_a_start_date_is_timed_as_the_light_rule_times_it():
    """No start date: the light rule times it from its deadline (schedule 0% until then, so green). The warning once
    timed it against a schedule of 100% and warned yellow where the rule says green."""
    h = history((d(2024, 3, 31), 0.1), (d(2024, 4, 30), 0.1), (d(2024, 5, 31), 0.1), start=None)
    assert outlook.forecast(h, d(2024, 6, 30)) is None


def test_a_yellow_item_getting_yellow_again_is_not_news():
    h = history((d(2024, 4, 30), 0.1), (d(2024, 5, 31), 0.1), lights={d(2024, 5, 31): "yellow"})
    assert outlook.forecast(h, d(2024, 6, 30)) is None


def test_progress_never_goes_backwards_in_a_forecast():
    h = history((d(2024, 3, 31), 0.5), (d(2024, 4, 30), 0.5), (d(2024, 5, 31), 0.3))  # reported lower: not extended down
    light, reason = outlook.forecast(h, d(2024, 6, 30))
    assert light == "yellow" and "下月预计完成30%" in reason


def test_how_many_notices_the_pace_looks_back_on_is_the_rules_value():
    # 10 points a month until April, then 1: over three notices (Feb–May) about 7 points a month, 43% by June, within
    # the tolerance of the 50% schedule; over the last notice alone 1 point, 37%: yellow.
    h = history((d(2024, 1, 31), 0.05), (d(2024, 2, 29), 0.15), (d(2024, 3, 31), 0.25), (d(2024, 4, 30), 0.35),
                (d(2024, 5, 31), 0.36))
    assert outlook.forecast(h, d(2024, 6, 30)) is None
    assert outlook.forecast(h, d(2024, 6, 30), pace_notices=3) is None
    light, reason = outlook.forecast(h, d(2024, 6, 30), pace_notices=1)
    assert light == "yellow" and reason == "按近1个月进度，下月预计完成37%，序时进度50%"
    assert outlook.forecast(h, d(2024, 6, 30), pace_notices=4) is None  # since January: 43.7%
    both = pd.concat([h, history((d(2024, 6, 30), 0.37), lights={d(2024, 6, 30): "yellow"})])
    assert outlook.replay(both).foreseen == 0 and outlook.replay(both, pace_notices=1).foreseen == 1


def test_the_track_record_counts_hits_and_misses():
    rows = pd.concat([
        history((d(2024, 3, 31), 0.09), (d(2024, 4, 30), 0.1), (d(2024, 5, 31), 0.12), (d(2024, 6, 30), 0.13),
                lights={d(2024, 6, 30): "yellow"}),  # warned on 31 May and turned yellow: a hit
        history((d(2024, 3, 31), 0.2), (d(2024, 4, 30), 0.3), (d(2024, 5, 31), 0.4), (d(2024, 6, 30), 0.5))
        .assign(item_id="Y"),  # quiet
        history((d(2024, 3, 31), 0.2), (d(2024, 4, 30), 0.3), (d(2024, 5, 31), 0.42), (d(2024, 6, 30), 0.42),
                lights={d(2024, 6, 30): "yellow"}).assign(item_id="Z"),  # turned yellow unwarned: a miss
    ])
    record = outlook.replay(rows)
    assert (record.notices, record.came_true, record.turned, record.foreseen) == (3, 1, 2, 1)
    assert record.recall == 0.5 and record.precision == 1.0


def test_the_warning_on_the_demo_is_worth_reading(demo_dir):
    version = versions.current_version(demo_dir)
    db = Database(version)
    trajectory = db.query("item_trajectory", notice=max(version.notices), **Filters().params())
    said = outlook.warnings(trajectory, d(2024, 7, 31))
    assert len(said) and set(said["predicted"]) <= {"red", "yellow"}
    assert said["reason"].str.len().min() > 10
    record = outlook.replay(trajectory)  # a warning list of a few items a month, right more often than not by chance
    assert record.warned >= 20 and record.precision >= 0.3 and record.foreseen > 0


# --- water: what the rest of the year must average ------------------------------------------------

@pytest.mark.parametrize("so_far,left,before,need,words,reachable", [
    ([0.2] * 7, 5, [0.1, 0.12], 0.2, "剩余5个月均值需≤0.200 mg/L方能达标", True),
    ([0.25] * 7, 5, [0.1, 0.12], 0.13, "剩余5个月均值需≤0.130 mg/L方能达标", True),
    ([0.25] * 7, 5, [0.15, 0.2], 0.13, "低于近三年同期最低值0.150，预计无法达标", False),
    ([0.6] * 7, 5, [0.1], -0.36, "已无法达标（前7个月已超出全年限值）", False),
    ([0.15] * 12, 0, [], None, "全年均值0.150，已达标", True),
    ([0.25] * 12, 0, [], None, "全年均值0.250，未达标", False),  # the sentence holds no 无法达标: still not met
    ([], 5, [], None, "本年尚无监测数据", True),
])
def test_what_the_rest_of_the_year_must_average(so_far, left, before, need, words, reachable):
    got, said, can = outlook.remaining_target(so_far, 0.2, left, before)
    assert (got is None) == (need is None) and (need is None or got == pytest.approx(need))
    assert words in said and can is reachable


def _series(rows):
    return pd.DataFrame([dict(section_id=s, section_name=s, river_name="某河", water_body=b, target_class=t,
                              month=d(2024, m, 1), tp=tp, nh3n=0.5) for s, b, t, m, tp in rows])


def test_the_scope_row_is_named_for_the_scope_and_takes_the_sections_target():
    """Under a township filter the first row names the township (not 全区), and its target is the sections' own
    (Ⅱ here), not an assumed Ⅲ; lake sections are left out of a river mean."""
    series = _series([("A", "river", 2, 1, 0.09), ("B", "river", 2, 1, 0.11), ("L", "lake", 3, 1, 0.5)])
    out = outlook.water_outlook(outlook.with_scope(series, "甲镇"), 2024, 1)
    first = out.iloc[0]
    assert first["section_name"] == "甲镇河流断面均值" and first["aggregate"] and first["target_class"] == 2
    assert first["limit"] == 0.1 and first["mean"] == pytest.approx(0.1)
    mixed = _series([("A", "river", 2, 1, 0.09), ("B", "river", 3, 1, 0.11)])
    named = outlook.water_outlook(outlook.with_scope(mixed, "全区"), 2024, 1).iloc[0]["section_name"]
    assert named == "全区河流断面均值（目标不一，按最严的Ⅱ类）"


def test_a_month_without_the_factor_does_not_count_in_the_year_s_mean():
    series = _series([("A", "river", 3, 1, 0.3), ("A", "river", 3, 2, None), ("A", "river", 3, 3, 0.1)])
    tp = outlook.water_outlook(series, 2024, 3).set_index("factor").loc["tp"]
    assert tp["months"] == 2 and tp["mean"] == pytest.approx(0.2)


def test_water_outlook_per_section_uses_the_target_class_and_the_lake_limits():
    monthly = pd.DataFrame([dict(section_id="S", section_name="水库坝前", river_name="某库", water_body="lake",
                                 target_class=3, month=d(2024, m, 1), tp=0.06, nh3n=0.5) for m in range(1, 8)] +
                           [dict(section_id="S", section_name="水库坝前", river_name="某库", water_body="lake",
                                 target_class=3, month=d(2023, m, 1), tp=0.05, nh3n=0.4) for m in range(8, 13)])
    out = outlook.water_outlook(monthly, 2024, 7).set_index("factor")
    assert out.loc["tp", "limit"] == 0.05 and out.loc["nh3n", "limit"] == 1.0  # Ⅲ类 of a lake: TP 0.05
    assert out.loc["tp", "need"] == pytest.approx((0.05 * 12 - 0.06 * 7) / 5)
    assert not out.loc["tp", "reachable"] and out.loc["nh3n", "reachable"]  # 0.036 < last year's 0.05


def test_the_record_up_to_a_month_is_the_replay_of_the_rows_up_to_that_month(demo_dir):
    version = versions.current_version(demo_dir)
    db = Database(version)
    everything = db.query("item_trajectory", notice=max(version.notices), **Filters().params())
    pairs = outlook.replay_pairs(everything)
    for month in (version.notices[3], version.notices[12], version.notices[-1]):
        upto = db.query("item_trajectory", notice=month, **Filters().params())
        assert outlook.record_upto(pairs, month) == outlook.replay(upto)
    assert outlook.record_upto(pairs, version.notices[0]).notices == 0
