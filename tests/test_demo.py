"""The demo district is at the bulletin's scale, labelled as demo, deterministic and life-like."""
import datetime as dt

import pandas as pd
import pytest
import shapely

from loaders.demo import build_tables
from riverchief import versions
from riverchief.db import Database


@pytest.fixture(scope="module")
def db(demo_dir):
    return Database(versions.current_version(demo_dir))


def q(db, sql, **params):
    return db.execute(sql, **params)


def test_demo_is_labelled_and_has_24_monthly_snapshots(demo_dir):
    v = versions.current_version(demo_dir)
    assert v.is_demo and "示例" in v.manifest["source"] and "示例" in v.manifest["district"]
    assert len(v.notices) >= 24
    assert all((v.path / "items" / f"notice={d}").is_dir() for d in v.notices)


def test_units_and_rivers_at_district_scale(db):
    kinds = q(db, "SELECT kind, count(*) n FROM units GROUP BY kind").set_index("kind")["n"]
    assert kinds["镇街"] >= 24 and kinds["部门"] >= 10
    levels = q(db, "SELECT level, count(*) n FROM rivers GROUP BY level").set_index("level")["n"]
    assert levels["区级"] >= 26 and levels.drop("区级").sum() >= 20
    assert q(db, "SELECT count(*) n FROM rivers WHERE level = '区级' AND (chief IS NULL OR lead_unit_id IS NULL)")["n"][0] == 0


def test_three_lists_at_bulletin_scale(db):
    per_year = q(db, "SELECT list_year, list, count(DISTINCT item_id) n FROM items GROUP BY ALL")
    for year in (2023, 2024):
        n = per_year[per_year["list_year"] == year].set_index("list")["n"]
        assert n["major"] == 8 and n["task"] >= 170 and n["problem"] >= 10
    funds = q(db, "SELECT sum(funds_wan) s FROM items WHERE list = 'major' AND list_year = 2023 AND notice_date = '2023-12-31'")
    assert funds["s"][0] == 10067  # the bulletin's 10,067万元


def test_2023_quantified_targets_match_the_bulletin(db):
    totals = q(db, """SELECT target_unit, title LIKE '%河道整治' AS channel, title LIKE '%浮岛%' AS island,
                             title LIKE '%水生植物%' AS plants, title LIKE '%退化林%' AS forest, sum(target_qty) s
                      FROM items WHERE list_year = 2023 AND notice_date = '2023-12-31' AND target_qty IS NOT NULL
                      GROUP BY ALL""")
    assert totals.loc[totals["channel"], "s"].item() == 3360
    assert totals.loc[totals["island"], "s"].item() == 10700
    assert totals.loc[totals["plants"], "s"].item() == 2700
    assert totals.loc[totals["forest"], "s"].item() == 1200
    assert {"米", "平方米", "亩", "公里"} <= set(totals["target_unit"])


def test_exposed_problems_2023_seven_rectified_three_in_progress(db):
    status = q(db, "SELECT status, count(*) n FROM items WHERE list = 'problem' AND list_year = 2023 "
                   "AND notice_date = '2023-12-31' AND exposed GROUP BY status").set_index("status")["n"]
    assert status.get("已整改", 0) + status.get("已销号", 0) == 7 and status["整改中"] == 3


def test_other_problems_from_every_source(db):
    per = q(db, "SELECT year(found_date) y, source, count(DISTINCT problem_id) n FROM problems GROUP BY ALL")
    for year in (2023, 2024):
        n = per[per["y"] == year].set_index("source")["n"]
        assert n.sum() >= 200 and set(n.index) == {"巡河", "群众举报", "督察反馈"}


def test_items_finish_slip_and_go_red(db):
    lights = q(db, "SELECT notice_date, light, count(*) n FROM items GROUP BY ALL")
    reds = lights[lights["light"] == "red"].set_index("notice_date")["n"]
    assert reds.max() >= 3 and (lights[lights["light"] == "yellow"]["n"] > 0).all()
    late = q(db, "SELECT count(DISTINCT item_id) n FROM items WHERE done_date > deadline")
    assert late["n"][0] > 0  # finished, but late (red, then green)
    carried = q(db, "SELECT count(DISTINCT item_id) n FROM items WHERE list_year = 2023 AND notice_date > '2023-12-31'")
    assert carried["n"][0] > 0  # unfinished items stay on next year's notices until done
    assert q(db, "SELECT count(*) n FROM items WHERE override_light IS NOT NULL")["n"][0] >= 2
    assert q(db, "SELECT count(*) n FROM items WHERE at_risk")["n"][0] > 0
    assert q(db, "SELECT count(*) n FROM items WHERE deadline IS NULL")["n"][0] > 0  # standing tasks


def test_sections_readings_and_water_stories(db):
    sections = q(db, "SELECT water_body, count(*) n FROM sections GROUP BY ALL").set_index("water_body")["n"]
    assert sections.sum() >= 24 and sections["lake"] >= 2
    span = q(db, "SELECT min(sampled_at) a, max(sampled_at) b, count(DISTINCT year(sampled_at)) y FROM readings")
    assert span["y"][0] >= 3
    assert q(db, "SELECT count(*) n FROM readings WHERE tp_bdl OR nh3n_bdl")["n"][0] > 0
    annual = q(db, """SELECT r.name, year(month) y, avg(tp) tp FROM readings_monthly JOIN sections s USING (section_id)
                      JOIN rivers r USING (river_id) WHERE s.water_body = 'river' GROUP BY ALL""")
    by = annual.pivot(index="name", columns="y", values="tp")
    improved = by[(by[2021] > 0.3) & (by[2024] <= 0.2)]  # Class Ⅴ (or worse) to Ⅲ on total phosphorus
    worsened = by[(by[2021] <= 0.2) & (by[2024] > 0.2)]
    assert len(improved) >= 2 and len(worsened) >= 2


def test_geometry_townships_tile_the_district(db):
    district = shapely.from_wkt(q(db, "SELECT geom_wkt FROM district")["geom_wkt"][0])
    towns = shapely.from_wkt(q(db, "SELECT geom_wkt FROM townships")["geom_wkt"]).tolist()
    union = shapely.union_all(towns)
    assert abs(union.area - district.area) / district.area < 1e-3
    assert sum(t.area for t in towns) == pytest.approx(union.area, rel=1e-6)  # no overlaps
    rivers = shapely.from_wkt(q(db, "SELECT geom_wkt FROM rivers")["geom_wkt"]).tolist()
    assert all(district.buffer(1e-4).contains(r) for r in rivers)
    pts = q(db, "SELECT s.lon, s.lat, r.geom_wkt FROM sections s JOIN rivers r USING (river_id)")
    for row in pts.itertuples():
        assert shapely.from_wkt(row.geom_wkt).distance(shapely.Point(row.lon, row.lat)) < 1e-4


def test_demo_is_deterministic():
    a, b = build_tables(7), build_tables(7)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not build_tables(8)["items"].equals(a["items"])


def test_a_year_of_the_demo_reads_like_the_bulletin(db):
    """The demo's 2024 against the bulletin's district year (渝简报147号, docs/DOMAIN.md §4): a handful of red lights
    a notice, about 6 units losing points for lights and 8 for water, 7 townships and 4 departments rated
    较好, supervision of the same order (since 2022: 45 instructions, 6 interviews, 8 reminders), and every
    unit's score plausible under the default rules."""
    from riverchief.assessment import load_inputs, score_units
    from riverchief.assessment_rules import default_rules

    reds = q(db, "SELECT notice_date, count(*) FILTER (light = 'red') n FROM items "
                 "WHERE year(notice_date) = 2024 GROUP BY ALL")["n"]
    assert reds.max() <= 8 and 1 <= reds.mean() <= 5, list(reds)
    scores = score_units(load_inputs(db, dt.date(2024, 12, 31)), default_rules())
    lights = int(((scores["p_red"] < 0) | (scores["p_yellow"] < 0)).sum())
    water = int((scores["p_water"] < 0).sum())
    assert 4 <= lights <= 9 and 5 <= water <= 11, (lights, water)
    fair = scores[scores["rating"] == "较好"].groupby("unit_kind").size().to_dict()
    assert fair == {"镇街": 7, "部门": 4}
    assert scores["total"].min() >= 75 and 95 <= scores["total"].mean() <= 100, scores["total"].describe()
    n = dict(q(db, "SELECT kind, count(*) n FROM supervision WHERE year(notice_date) >= 2023 GROUP BY kind")
             .itertuples(index=False))
    assert 20 <= n["批示"] <= 60 and 2 <= n["约谈"] <= 10 and 4 <= n["提醒"] <= 14, n
