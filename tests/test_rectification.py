"""整改进度 counts against hand-computed fixtures, and the SQL on the tiny district."""
import datetime as dt

import pandas as pd
import pytest

from riverchief import rectification as R
from riverchief import publishing, versions
from riverchief.board import Filters
from riverchief.db import Database
from tiny import N2, tiny_tables

D = dt.date


def problems(rows):
    cols = ["problem_id", "source", "chief_level", "severity", "status", "found_date", "rectified_date", "closed_date",
            "days_overdue", "days_to_rectify", "unit_name", "township_name"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


P = problems([
    ("a", "巡河", "村级", "一般", "已销号", D(2024, 1, 5), D(2024, 1, 20), D(2024, 2, 1), None, 15, "甲镇", "甲镇"),
    ("b", "巡河", "镇级", "较重", "已整改", D(2024, 2, 5), D(2024, 3, 7), None, None, 31, "甲镇", "甲镇"),
    ("c", "群众举报", None, "一般", "整改中", D(2024, 3, 1), None, None, 45, None, "乙镇", "乙镇"),
    ("d", "督察反馈", None, "严重", "已交办", D(2024, 6, 25), None, None, None, None, "乙镇", "乙镇"),
    ("e", "巡河", "区级", "严重", "反弹重办", D(2024, 1, 2), None, None, 200, None, "乙镇", "乙镇"),
])


def test_flow_counts_each_stage():
    assert R.flow(P).set_index("stage")["n"].to_dict() == {"发现": 5, "已交办": 5, "整改中": 4, "已整改": 2, "已销号": 1}


def test_by_source():
    src = R.by_source(P).set_index("source")
    assert src.loc["巡河"].tolist() == [3, 2, 1] and src.loc["群众举报"].tolist() == [1, 0, 1]
    assert list(src.index) == ["巡河", "督察反馈", "群众举报"]  # in the page's order, absent sources dropped


@pytest.mark.parametrize("days,bucket", [(None, None), (0, None), (1, "1–30天"), (30, "1–30天"), (31, "31–90天"),
                                         (90, "31–90天"), (180, "91–180天"), (181, "180天以上")])
def test_overdue_buckets(days, bucket):
    assert R.overdue_bucket(days) == bucket


def test_overdue_counts():
    assert R.overdue(P).set_index("bucket")["n"].to_dict() == {"1–30天": 0, "31–90天": 1, "91–180天": 0,
                                                                "180天以上": 1}


def test_rectify_time_median_and_spread():
    t = R.rectify_time(P).set_index("unit_name").loc["甲镇"]
    assert t["n"] == 2 and t["median"] == 23 and t["p25"] == 19 and t["p75"] == 27 and t["max"] == 31


def test_completion_ranked():
    c = R.completion(P, "township_name").set_index("township_name")
    assert c.loc["甲镇", "rate"] == 1.0 and c.loc["乙镇", "rate"] == 0.0 and c.loc["甲镇", "rank"] == 1


def test_found_by_level_counts_serious():
    lv = R.found_by_level(P).set_index("chief_level")
    assert lv.loc["区级"].tolist() == [1, 1] and lv.loc["镇级"].tolist() == [1, 1] and lv.loc["村级"].tolist() == [1, 0]


def test_patrol_compliance_and_silent_chiefs():
    patrols = pd.DataFrame([dict(chief="张", chief_level="镇级", patrols=10, problems_reported=0),
                            dict(chief="李", chief_level="村级", patrols=30, problems_reported=2),
                            dict(chief="王", chief_level="区级", patrols=0, problems_reported=0)])
    out = R.patrol_compliance(patrols, months=6).set_index("chief")
    assert out.loc["张", "required"] == 12 and out.loc["李", "required"] == 24 and out.loc["王", "required"] == 6
    assert out.loc["李", "rate"] == 1.25 and bool(out.loc["张", "silent"]) and not out.loc["王", "silent"]


def test_task_figures():
    tasks = pd.DataFrame([
        dict(notice_date=pd.Timestamp(2024, 6, 30), item_id="t1", river_name="一号河", target_qty=100.0, target_unit="米",
             done_qty=50.0, progress=0.5, planned=0.6, done_date=None),
        dict(notice_date=pd.Timestamp(2024, 6, 30), item_id="t2", river_name="一号河", target_qty=10.0, target_unit="亩",
             done_qty=10.0, progress=1.0, planned=1.0, done_date=D(2024, 6, 1)),
        dict(notice_date=pd.Timestamp(2024, 5, 31), item_id="t1", river_name="一号河", target_qty=100.0, target_unit="米",
             done_qty=30.0, progress=0.3, planned=0.4, done_date=None),
    ])
    now = tasks[tasks["notice_date"] == pd.Timestamp(2024, 6, 30)]
    assert R.overall_progress(now) == 0.75
    q = R.quantities(now).set_index("target_unit")
    assert q.loc["米", ["target", "planned", "done"]].tolist() == [100, 60, 50]
    curve = R.s_curve(tasks)
    assert curve["actual"].tolist() == [0.3, 0.75] and curve["planned"].tolist() == [0.4, 0.8]
    by = R.progress_by(now, "river_name").iloc[0]
    assert by["tasks"] == 2 and by["done"] == 1 and by["behind"] == pytest.approx(0.05)


def test_progress_sql_on_the_tiny_district(tiny_dir):
    prog = R.load_progress(Database(versions.current_version(tiny_dir)), N2, Filters())
    assert prog.problems["problem_id"].tolist() == ["P1"] and prog.lookbacks["result"].tolist() == ["巩固"]
    # tasks A, B, E (standing tasks excluded; none here) on both notices
    assert sorted(prog.tasks["item_id"].unique()) == ["A", "B", "E"]
    b_june = prog.tasks[(prog.tasks["item_id"] == "B") & (prog.tasks["notice_date"] == pd.Timestamp(N2))].iloc[0]
    assert b_june["planned"] == pytest.approx(180 / 364)
    assert prog.exposed.empty  # D is a prominent problem but not exposed
    patrols = prog.patrols.set_index("chief")
    assert patrols.loc["张三", ["patrols", "problems_reported"]].tolist() == [2, 1]


def test_the_patrols_required_are_the_rules_value_on_the_tiny_district(tiny_dir):
    """张三 (镇级) patrolled twice in June and 李四 (村级) once: against 2 and 4 a month by default, six months so far;
    a district that asks twice as much finds them twice as short."""
    patrols = R.load_progress(Database(versions.current_version(tiny_dir)), N2, Filters()).patrols
    usual = R.patrol_compliance(patrols, N2.month).set_index("chief")
    assert usual.loc["张三", "required"] == 12 and usual.loc["李四", "required"] == 24
    doubled = R.patrol_compliance(patrols, N2.month, {"区级": 2, "镇级": 4, "村级": 8}).set_index("chief")
    assert doubled.loc["张三", "required"] == 24 and doubled.loc["李四", "required"] == 48
    assert doubled.loc["张三", "rate"] == pytest.approx(usual.loc["张三", "rate"] / 2) == pytest.approx(2 / 24)


def test_a_version_from_before_every_plan_was_stored_still_draws_the_plan(tiny_dir):
    """Versions published by earlier releases kept the schedule progress only where it decided the light: the
    plan line of red and overridden tasks is worked out by the same formula, equal to what is stored now."""
    version = versions.current_version(tiny_dir)
    now = R.load_progress(Database(version), N2, Filters()).tasks
    for part in (version.path / "items").glob("*/*.parquet"):  # make the stored rows look like an old release's
        items = pd.read_parquet(part)
        items.loc[items["light"] == "red", "expected"] = float("nan")
        items.to_parquet(part, index=False)
    old = Database(version).query("task_progress", notice=N2, year=2023, township=None, river=None, unit=None)
    assert old["planned"].isna().any()
    assert R.load_progress(Database(version), N2, Filters()).tasks["planned"].tolist() == pytest.approx(
        now["planned"].tolist())


def test_suspected_relapse_same_problem_same_place(tmp_path):
    tables = tiny_tables()
    base = tables["problems"].iloc[0].to_dict()
    again = {**base, "problem_id": "P2", "found_date": D(2023, 6, 25), "lon": base["lon"] + 0.001}  # ~100 m away
    far = {**base, "problem_id": "P3", "found_date": D(2023, 6, 26), "lon": base["lon"] + 0.01}  # ~1 km away
    closed = {**base, "rectified_date": D(2023, 6, 10), "closed_date": D(2023, 6, 15), "progress": 1.0, "status": "已销号"}
    tables["problems"] = pd.DataFrame([closed, again, far])
    publishing.publish(tmp_path, tables, source="测试", created_by="tests")
    prog = R.load_progress(Database(versions.current_version(tmp_path)), N2, Filters())
    s = prog.suspected
    assert s[["closed_problem", "new_problem", "days_after_closing"]].values.tolist() == [["P1", "P2", 10]]
    assert 90 <= s["metres_apart"].iloc[0] <= 120


def test_demo_look_back_at_bulletin_scale(demo_dir):
    prog = R.load_progress(Database(versions.current_version(demo_dir)), D(2023, 12, 31), Filters())
    assert len(prog.lookbacks) == 32 and (prog.lookbacks["result"] == "反弹").sum() == 2
    assert len(prog.suspected) >= 1
    exposed = prog.exposed
    assert len(exposed) == 10 and exposed["done_date"].notna().sum() == 7
    relapsed = Database(versions.current_version(demo_dir)).execute(
        "SELECT count(DISTINCT problem_id) n FROM problems WHERE status = '反弹重办'")
    assert relapsed["n"][0] >= 2  # a relapse re-opens the problem in the snapshots


def test_a_units_patrols_are_those_in_its_township_and_on_the_rivers_it_leads(tmp_path):
    tables = tiny_tables()
    tables["rivers"].loc[tables["rivers"]["river_id"] == "R2", "lead_unit_id"] = "D1"
    publishing.publish(tmp_path, tables, source="测试", created_by="tests")
    db = Database(versions.current_version(tmp_path))
    chiefs = lambda unit: sorted(R.load_progress(db, N2, Filters(unit=unit)).patrols["chief"])  # noqa: E731
    assert chiefs("T1") == ["张三"]  # a township: its own township's chiefs
    assert chiefs("T2") == ["李四"]
    assert chiefs("D1") == ["李四"]  # a department: the rivers it leads
    assert chiefs(None) == sorted(["张三", "李四"])


def test_behind_schedule_is_the_light_rule_s_own_comparison():
    """70% done against an 80% schedule with a 10% tolerance is on schedule by the light rule (green), so the
    progress page does not count it behind (0.7 + 0.1 is 0.7999… in floating point: the page once said behind)."""
    from riverchief.rectification import behind_schedule

    tasks = pd.DataFrame({"progress": [0.7, 0.69, 1.0], "planned": [0.8, 0.8, 1.0]})
    assert behind_schedule(tasks, 0.10) == 1
    assert behind_schedule(tasks.iloc[0:0], 0.10) == 0
