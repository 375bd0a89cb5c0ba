"""The board's SQL on the tiny district (tests/tiny.py): every number worked out by hand."""
import datetime as dt

import pandas as pd
import pytest

from riverchief import versions
from riverchief.board import Filters, headline, load_board
from riverchief.db import Database
from tiny import N1, N2


@pytest.fixture
def db(tiny_dir):
    return Database(versions.current_version(tiny_dir))


def counts(board):
    return dict(zip(board.totals["light"], board.totals["n"])), dict(zip(board.totals["light"], board.totals["prev_n"]))


def test_totals_and_change_on_the_previous_notice(db):
    board = load_board(db, N2, Filters())
    now, before = counts(board)
    assert now == {"red": 3, "yellow": 1, "green": 1}
    assert before == {"red": 0, "yellow": 2, "green": 3}
    assert board.prev_notice == N1


def test_first_notice_has_no_previous(db):
    board = load_board(db, N1, Filters())
    assert board.prev_notice is None
    assert counts(board)[1] == {"red": 0, "yellow": 0, "green": 0}


@pytest.mark.parametrize("filters,expected", [
    (Filters(township="T1"), {"red": 2, "yellow": 0, "green": 1}),
    (Filters(river="R2"), {"red": 1, "yellow": 1, "green": 0}),
    (Filters(list="task"), {"red": 2, "yellow": 1, "green": 0}),
    (Filters(list="major"), {"red": 0, "yellow": 0, "green": 1}),
    (Filters(unit="D1"), {"red": 0, "yellow": 1, "green": 1}),
    (Filters(township="T1", list="problem"), {"red": 0, "yellow": 0, "green": 0}),
])
def test_filters_narrow_the_totals(db, filters, expected):
    assert counts(load_board(db, N2, filters))[0] == expected


def test_lights_by_unit_worst_first(db):
    by_unit = load_board(db, N2, Filters()).by_unit
    rows = by_unit.set_index("unit_name")[["red", "yellow", "green", "prev_red"]].to_dict("index")
    assert list(by_unit["unit_name"]) == ["甲镇", "乙街道", "区水利局"]
    assert rows["甲镇"] == {"red": 2, "yellow": 0, "green": 0, "prev_red": 0}
    assert rows["区水利局"] == {"red": 0, "yellow": 1, "green": 1, "prev_red": 0}


def test_lights_by_list(db):
    by_list = load_board(db, N2, Filters()).by_list.set_index("list")
    assert by_list.loc["task"].to_dict() == {"red": 2, "yellow": 1, "green": 0}
    assert list(by_list.index) == ["major", "task", "problem"]


def test_flagged_items_overdue_runs_and_reasons(db):
    flagged = load_board(db, N2, Filters()).flagged.set_index("item_id")
    assert list(flagged.index) == ["A", "D", "E", "B"]  # red by days overdue, then yellow
    assert flagged.loc["A", "days_overdue"] == 30 and flagged.loc["D", "days_overdue"] == 15
    assert flagged.loc["B", "notices_in_light"] == 2 and flagged.loc["A", "notices_in_light"] == 1
    assert bool(flagged.loc["E", "overridden"]) and "现场核查与上报不符" in flagged.loc["E", "light_reason"]
    assert flagged.loc["A", "unit_name"] == "甲镇" and flagged.loc["B", "unit_name"] == "区水利局"
    assert flagged.loc["A", "light_reason"] == "截止2023年5月31日未完成，已逾期30天（完成95%）"


def test_headline_names_the_change_and_the_worst_unit(db):
    assert headline(load_board(db, N2, Filters())) == "红灯3项、黄灯1项，红灯较上月增加3项，红灯集中在甲镇（2项）、乙街道（1项）"
    assert headline(load_board(db, N2, Filters(list="major"))) == "全部事项亮绿灯"
    assert headline(load_board(db, N2, Filters(township="T1", list="problem"))) == "所选范围内本期没有事项"


def test_monthly_readings_aggregate_half_detection_limit_and_classes(db):
    monthly = db.execute("SELECT * FROM readings_monthly").set_index("section_id")
    s1, s2 = monthly.loc["S1"], monthly.loc["S2"]
    assert s1["tp"] == pytest.approx(0.1025) and s1["tp_bdl_n"] == 1
    assert (s1["tp_class"], s1["nh3n_class"], s1["do_class"], s1["water_class"]) == (3, 2, 2, 3)
    assert s2["tp_class"] == 4 and s2["water_class"] == 4  # lake TP limits


def test_parameters_are_bound_not_formatted(db):
    # a filter value that would break a formatted query is just a value that matches nothing
    board = load_board(db, N2, Filters(township="T1' OR '1'='1"))
    assert counts(board)[0] == {"red": 0, "yellow": 0, "green": 0}


def test_a_large_query_through_arrow_gives_the_same_rows_as_the_usual_way(db):
    params = dict(notice=N2, township=None, river=None, list=None, unit=None)
    usual, large = db.query("item_trajectory", **params), db.query_large("item_trajectory", **params)
    assert list(usual.columns) == list(large.columns) and len(usual) == len(large) > 0
    for col in usual.columns:
        a, b = usual[col], large[col]
        if pd.api.types.is_datetime64_any_dtype(a):  # microseconds one way, milliseconds the other
            a, b = a.astype("datetime64[us]"), b.astype("datetime64[us]")
        pd.testing.assert_series_equal(a, b, check_dtype=False, obj=col)


def test_every_dated_task_has_its_schedule_progress_whatever_its_light(db):
    """The plan line of 整改进度 reads the schedule progress stored at publish, for red and overridden tasks
    too (A is overdue, E overridden to red): worked out by hand from the dates."""
    tasks = db.query("task_progress", township=None, river=None, unit=None, year=2023, notice=N2)
    now = tasks[tasks["notice_date"] == pd.Timestamp(N2)].set_index("item_id")
    assert now.loc["A", "light"] == "red" and now.loc["A", "planned"] == 1.0
    assert now.loc["E", "light"] == "red" and now.loc["E", "planned"] == pytest.approx((N2 - dt.date(2023, 1, 1)).days / 364)
    assert now.loc["B", "planned"] == now.loc["E", "planned"]
