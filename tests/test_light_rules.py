"""The monthly light (docs/DOMAIN.md §3): precedence, schedule progress, tolerance edges, reasons in words."""
import datetime as dt
import re
import tempfile

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riverchief import lights, schema
from riverchief.versions import conform
from riverchief.lights import (DEFAULT_TOLERANCE, GREEN, LIGHTS, RED, YELLOW, ItemState, Light, expected_progress,
                               progress_of, with_lights)

D = dt.date
START, DEADLINE = D(2023, 1, 1), D(2023, 12, 31)
MID = D(2023, 7, 2)  # 182 of 364 days: schedule progress exactly 50%


def item(**kw) -> ItemState:
    base = dict(start=START, deadline=DEADLINE, progress=0.5)
    return ItemState(**(base | kw))


def light_for(state: ItemState, as_of: dt.date, tolerance: float = DEFAULT_TOLERANCE) -> Light:
    """Every case below runs both ways of the rule: the row rule (lights.light_for, the readable one) and the
    frame rule the publish runs (lights.with_lights) on the same item as a one-row frame. They must agree on
    the light, the reason and the schedule progress, and refuse the same bad input."""
    frame = pd.DataFrame([dict(notice_date=as_of, start_date=state.start, deadline=state.deadline,
                               done_date=state.done_date, progress=state.progress, at_risk=state.at_risk,
                               at_risk_note=state.at_risk_note, month_reported=state.month_reported,
                               override_light=state.override, override_reason=state.override_reason)])
    try:
        row = lights.light_for(state, as_of, tolerance)
    except ValueError:
        with pytest.raises(ValueError):
            with_lights(frame, tolerance)
        raise
    out = with_lights(frame, tolerance).iloc[0]
    assert (out["light"], out["light_reason"]) == (row.light, row.reason)
    assert (row.expected is None and pd.isna(out["expected"])) or out["expected"] == pytest.approx(row.expected)
    return row


def test_expected_progress_is_elapsed_share_clamped():
    assert expected_progress(START, DEADLINE, MID) == 0.5
    assert expected_progress(START, DEADLINE, D(2022, 12, 1)) == 0.0
    assert expected_progress(START, DEADLINE, D(2024, 3, 1)) == 1.0
    assert expected_progress(D(2023, 5, 1), D(2023, 5, 1), D(2023, 5, 1)) == 1.0  # a one-day item


def test_done_before_notice_is_green_with_its_date():
    light = light_for(item(progress=1.0, done_date=D(2023, 5, 20)), MID)
    assert light.light == GREEN and light.reason == "已于2023年5月20日完成"


def test_done_on_the_notice_date_is_green():
    assert light_for(item(progress=1.0, done_date=MID), MID).light == GREEN


def test_done_after_the_notice_date_does_not_count_yet():
    assert light_for(item(progress=0.1, done_date=D(2023, 8, 1)), MID).light == YELLOW


def test_done_late_is_green_once_done():
    late = item(progress=1.0, done_date=D(2024, 2, 10))
    assert light_for(late, D(2024, 1, 31)).light == RED
    assert light_for(late, D(2024, 2, 29)).light == GREEN


def test_past_deadline_not_done_is_red_with_days_overdue():
    light = light_for(item(progress=0.8), D(2024, 1, 15))
    assert light.light == RED
    assert light.reason == "截止2023年12月31日未完成，已逾期15天（完成80%）"


def test_on_the_deadline_day_it_is_not_yet_red():
    assert light_for(item(progress=0.95), DEADLINE).light == GREEN  # 95% + 10% ≥ 100%
    assert light_for(item(progress=0.85), DEADLINE).light == YELLOW
    assert light_for(item(progress=0.85), DEADLINE + dt.timedelta(days=1)).light == RED


@pytest.mark.parametrize("progress,tolerance,expected", [
    (0.40, 0.10, GREEN),  # exactly at the tolerance edge: green
    (0.39, 0.10, YELLOW),
    (0.50, 0.00, GREEN),  # exactly on schedule with no tolerance
    (0.49, 0.00, YELLOW),
    (0.30, 0.20, GREEN),
    (0.29, 0.20, YELLOW),
    (0.90, 0.10, GREEN),  # ahead of schedule
])
def test_schedule_progress_with_tolerance(progress, tolerance, expected):
    assert light_for(item(progress=progress), MID, tolerance).light == expected


def test_yellow_reason_says_how_far_behind():
    light = light_for(item(progress=0.25), MID)
    assert light.light == YELLOW
    assert light.reason == "截至7月2日完成25%，序时进度50%，落后25个百分点"
    assert light.expected == 0.5


def test_green_reason_on_schedule():
    assert light_for(item(progress=0.45), MID).reason == "截至7月2日完成45%，序时进度50%，按序时推进"


def test_float_sum_at_the_edge_is_green():
    # 0.65 + 0.10 is 0.7500000000000001 or 0.7499999999999999 depending on order: both green at 75%
    s, d = D(2023, 1, 1), D(2023, 1, 5)  # 4 days
    assert light_for(ItemState(start=s, deadline=d, progress=0.65), D(2023, 1, 4)).light == GREEN


def test_not_started_is_green():
    light = light_for(item(start=D(2023, 9, 1), progress=0.0), MID)
    assert light.light == GREEN and "尚未到开始时间" in light.reason


def test_at_risk_makes_green_yellow_but_never_red_green():
    assert light_for(item(progress=0.9, at_risk=True, at_risk_note="征地未完成"), MID).light == YELLOW
    assert "征地未完成" in light_for(item(progress=0.9, at_risk=True, at_risk_note="征地未完成"), MID).reason
    assert light_for(item(progress=0.5, at_risk=True), D(2024, 1, 2)).light == RED
    assert light_for(item(progress=0.1, start=D(2023, 9, 1), at_risk=True), MID).light == YELLOW


def test_done_item_flagged_at_risk_is_green():
    assert light_for(item(progress=1.0, done_date=D(2023, 6, 1), at_risk=True), MID).light == GREEN


@pytest.mark.parametrize("override", [RED, YELLOW, GREEN])
def test_override_with_reason_wins_over_everything(override):
    for state in (item(progress=1.0, done_date=D(2023, 3, 1)), item(progress=0.1), item(progress=0.5)):
        light = light_for(ItemState(**(state.__dict__ | dict(override=override, override_reason="现场核查"))),
                          D(2024, 1, 31))
        assert light.light == override and "现场核查" in light.reason and "河长办认定" in light.reason


def test_override_needs_a_reason_and_a_known_light():
    with pytest.raises(ValueError, match="须写明理由"):
        light_for(item(override=RED, override_reason="  "), MID)
    with pytest.raises(ValueError):
        light_for(item(override="blue", override_reason="x"), MID)


def test_standing_task_never_goes_red():
    standing = dict(deadline=None, progress=0.0)
    assert light_for(item(**standing, month_reported=True), D(2030, 1, 1)).light == GREEN
    light = light_for(item(**standing, month_reported=False), D(2030, 1, 1))
    assert light.light == YELLOW and "未报送" in light.reason


def test_progress_out_of_range_is_refused():
    with pytest.raises(ValueError):
        light_for(item(progress=1.2), MID)
    with pytest.raises(ValueError):
        light_for(item(progress=-0.1), MID)


@pytest.mark.parametrize("done,target,expected", [(0, 100, 0.0), (50, 200, 0.25), (3360, 3360, 1.0), (120, 100, 1.0)])
def test_progress_of_quantified_task_is_capped(done, target, expected):
    assert progress_of(done, target) == expected


@pytest.mark.parametrize("done,target", [(1, 0), (1, -5), (-1, 10)])
def test_progress_of_refuses_bad_quantities(done, target):
    with pytest.raises(ValueError):
        progress_of(done, target)


@given(st.floats(0, 1), st.floats(0, 1), st.integers(0, 500))
def test_more_progress_never_gives_a_worse_light(p1, p2, day):
    order = {GREEN: 0, YELLOW: 1, RED: 2}
    as_of = START + dt.timedelta(days=day)
    lo, hi = sorted((p1, p2))
    assert order[light_for(item(progress=hi), as_of).light] <= order[light_for(item(progress=lo), as_of).light]


@given(st.floats(0, 1), st.integers(366, 2000))
def test_after_the_deadline_only_done_is_not_red(progress, day):
    as_of = START + dt.timedelta(days=day)
    assert light_for(item(progress=progress), as_of).light == RED


def test_with_lights_on_a_frame_handles_missing_values():
    frame = pd.DataFrame([
        dict(notice_date=MID, start_date=START, deadline=DEADLINE, progress=0.2, done_date=None, at_risk=None,
             at_risk_note=None, month_reported=None, override_light=None, override_reason=None),
        dict(notice_date=MID, start_date=START, deadline=pd.NaT, progress=0.0, done_date=pd.NaT, at_risk=False,
             at_risk_note=None, month_reported=False, override_light=None, override_reason=None),
        dict(notice_date=pd.Timestamp(MID), start_date=pd.Timestamp(START), deadline=pd.Timestamp(DEADLINE),
             progress=0.2, done_date=None, at_risk=False, at_risk_note=None, month_reported=None,
             override_light="green", override_reason="特殊情况"),
    ])
    out = with_lights(frame)
    assert out["light"].tolist() == [YELLOW, YELLOW, GREEN]
    assert out["expected"].iloc[0] == 0.5


# The frame rule (with_lights, what publish runs) against the row rule (light_for), on generated frames
# that cover every step of the precedence and its edges: they must agree on the light, the reason and the
# schedule progress, row by row.
_dates = st.one_of(st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)))
_rows = st.fixed_dictionaries(dict(
    notice_date=st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)), start_date=_dates, deadline=_dates,
    done_date=_dates, progress=st.sampled_from([0.0, 0.1, 0.25, 0.4, 0.5, 0.65, 0.9, 0.95, 1.0]),
    at_risk=st.one_of(st.none(), st.booleans()), at_risk_note=st.one_of(st.none(), st.sampled_from(["资金未到位"])),
    month_reported=st.one_of(st.none(), st.booleans()),
    override_light=st.one_of(st.none(), st.none(), st.none(), st.sampled_from(list(LIGHTS))),
    override_reason=st.sampled_from(["现场核查与上报不符"])))


@settings(max_examples=60, deadline=None)
@given(st.lists(_rows, min_size=1, max_size=25), st.sampled_from([0.0, 0.1, 0.15]))
def test_the_frame_rule_is_the_row_rule(rows, tolerance):
    frame = pd.DataFrame(rows)
    out = with_lights(frame, tolerance)
    for row, light, reason, expected in zip(rows, out["light"], out["light_reason"], out["expected"]):
        one = lights.light_for(ItemState(start=row["start_date"], deadline=row["deadline"], progress=row["progress"],
                                         done_date=row["done_date"], at_risk=bool(row["at_risk"]),
                                         at_risk_note=row["at_risk_note"],
                                         month_reported=bool(row["month_reported"]),
                                         override=row["override_light"], override_reason=row["override_reason"]),
                               row["notice_date"], tolerance)
        assert (light, reason) == (one.light, one.reason)
        assert (one.expected is None and pd.isna(expected)) or expected == pytest.approx(one.expected)


def test_the_frame_rule_at_the_float_edge_is_green_too():
    frame = pd.DataFrame([dict(notice_date=dt.date(2024, 1, 6), start_date=dt.date(2024, 1, 1),
                               deadline=dt.date(2024, 1, 11), done_date=None, progress=0.4)])
    out = with_lights(frame, 0.1)  # 0.4 + 0.1 is 0.5000000000000001 or 0.49999…: either way on schedule
    assert out["light"].tolist() == [GREEN] and out["expected"].tolist() == [0.5]


def test_without_a_start_date_the_schedule_runs_from_the_deadline():
    assert expected_progress(None, DEADLINE, MID) == 0.0 and expected_progress(None, DEADLINE, DEADLINE) == 1.0
    assert light_for(item(start=None, progress=0.0), MID).expected == 0.0


# --- one meaning of "reported", reasons whose arithmetic holds, lights kept at their notice (issue 24) --------

def test_a_standing_task_with_no_report_is_not_reported():
    """No report this month (nothing said either way) is "not reported": yellow, as the monthly round counts it."""
    assert lights.light_for(ItemState(start=START, deadline=None, progress=0.3), MID).light == YELLOW
    frame = pd.DataFrame([dict(notice_date=MID, start_date=START, deadline=None, progress=0.3, month_reported=None)])
    out = with_lights(frame).iloc[0]
    assert (out["light"], out["light_reason"]) == (YELLOW, "长期坚持任务，本月工作未报送完成")


@pytest.mark.parametrize("progress,as_of,said", [
    (0.124, D(2023, 9, 1), "完成12%，序时进度67%，落后55个百分点"),  # 66.8 − 12.4 = 54.4: rounded alone it said 54
    (0.125, D(2023, 9, 1), "完成12%，序时进度67%，落后55个百分点"),  # 12.5% prints as 12%
    (0.334, D(2023, 12, 1), "完成33%，序时进度92%，落后59个百分点"),  # 91.8 − 33.4 = 58.4
    (0.0, D(2023, 9, 1), "完成0%，序时进度67%，落后67个百分点"),
])
def test_the_reason_s_arithmetic_holds_on_the_printed_figures(progress, as_of, said):
    light = light_for(item(progress=progress), as_of, tolerance=0.0)
    assert light.reason.endswith(said)
    done, planned, behind = (int(x) for x in re.findall(r"(\d+)(?:%|个百分点)", light.reason))
    assert planned - done == behind


def _rows(**kw):
    base = dict(notice_date=MID, item_id="T1", start_date=START, deadline=DEADLINE, done_date=None, progress=0.42,
                at_risk=False, at_risk_note=None, month_reported=None, override_light=None, override_reason=None)
    return pd.DataFrame([base | kw])


def test_a_light_keeps_the_rule_it_was_given_by_when_its_facts_did_not_change():
    first = lights.keep_lights(_rows(), None, 0.10, "item_id")  # 42% + 10% ≥ 50%: green
    assert first["light"].iloc[0] == GREEN and first["lit_with"].iloc[0] == f"{lights.RULE_EDITION}版规则，容差10%"
    stricter = lights.keep_lights(_rows(), first, 0.05, "item_id")  # a tolerance changed since: kept
    assert (stricter["light"].iloc[0], stricter["lit_with"].iloc[0]) == (GREEN, first["lit_with"].iloc[0])
    relit = lights.keep_lights(_rows(), first, 0.05, "item_id", relight=(MID,))  # the office re-lights: yellow
    assert (relit["light"].iloc[0], relit["lit_with"].iloc[0]) == (YELLOW, f"{lights.RULE_EDITION}版规则，容差5%")
    changed = lights.keep_lights(_rows(progress=0.2), first, 0.05, "item_id")  # new facts: today's rule
    assert changed["light"].iloc[0] == YELLOW
    other = lights.keep_lights(_rows(notice_date=D(2023, 8, 31)), first, 0.05, "item_id")  # another notice
    assert other["lit_with"].iloc[0].endswith("容差5%")


@given(st.lists(st.tuples(st.floats(0, 1), st.sampled_from([None, True, False]), st.booleans()), min_size=1, max_size=8))
@settings(max_examples=40, deadline=None)
def test_facts_digest_is_the_same_after_a_parquet_round_trip(rows):
    frame = pd.DataFrame([dict(notice_date=MID, item_id=f"T{k}", start_date=START, deadline=DEADLINE if d else None,
                               done_date=None, progress=p, at_risk=False, at_risk_note=None, month_reported=r,
                               override_light=None, override_reason=None) for k, (p, r, d) in enumerate(rows)])
    lit = lights.keep_lights(frame, None, 0.1, "item_id")
    with tempfile.TemporaryDirectory() as d:  # written with the types the store writes, read back
        pq.write_table(conform("items", lit.reindex(columns=schema.TABLES["items"].names)), f"{d}/x.parquet")
        back = pd.read_parquet(f"{d}/x.parquet")
    assert (lights.facts_digest(back) == lights.facts_digest(frame)).all()
