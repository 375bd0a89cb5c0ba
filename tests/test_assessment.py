"""The assessment rules case by case, the rules file, and the score of the tiny district by hand."""
import dataclasses
import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from riverchief import versions
from riverchief.assessment import (COMPONENTS, AssessmentInputs, breakdown, load_inputs, score_units, water_index,
                                   water_points)
from riverchief.assessment_rules import RulesError, default_rules, load_rules, parse_rules, rules_dir, save_rules
from riverchief.db import Database
from tiny import N2

RULES = default_rules()


def inputs(lights=(), rating="好", complaints=0, water=(), kind="镇街", notices=12):
    """One unit 'U' with the given per-notice (red, yellow) lights, rating, complaints and water means."""
    rows = [dict(unit_id="U", notice_date=dt.date(2024, m + 1, 1), items=5, red=r, yellow=y)
            for m, (r, y) in enumerate(lights)] or [dict(unit_id="U", notice_date=dt.date(2024, 1, 1), items=0,
                                                            red=0, yellow=0)]
    return AssessmentInputs(
        year=2024, notice=dt.date(2024, 12, 31),
        units=pd.DataFrame([dict(unit_id="U", unit_name="某镇", unit_kind=kind, rating=rating, complaints=complaints)]),
        lights=pd.DataFrame(rows),
        water=pd.DataFrame([dict(unit_id="U", year=y, sections=1, tp=tp, nh3n=n) for y, tp, n in water],
                           columns=["unit_id", "year", "sections", "tp", "nh3n"]))


def score(**kw) -> pd.Series:
    return score_units(inputs(**kw), RULES).iloc[0]


def test_two_yellow_lights_cost_nothing_the_third_costs():
    assert score(lights=[(0, 1), (0, 1)])["p_yellow"] == 0
    assert score(lights=[(0, 1), (0, 1), (0, 1)])["p_yellow"] == -1
    assert score(lights=[(0, 2), (0, 3)])["p_yellow"] == -3


def test_red_lights_count_per_notice():
    s = score(lights=[(1, 0), (1, 0), (1, 0)])  # the same item red on three notices: three red lights
    assert s["red_n"] == 3 and s["p_red"] == -6


def test_all_green_bonus_and_one_yellow_takes_it_away():
    assert score(lights=[(0, 0)] * 12)["p_all_green"] == 2
    assert score(lights=[(0, 0)] * 11 + [(0, 1)])["p_all_green"] == 0
    assert score()["p_all_green"] == 0  # no items this year: nothing to be green about


@pytest.mark.parametrize("rating,points", [("好", 0), ("较好", -1), ("一般", -2), (None, 0)])
def test_ratings_map_to_points(rating, points):
    assert score(rating=rating)["p_rating"] == points


def test_complaints_cost_each():
    assert score(complaints=3)["p_complaint"] == -3


def test_decline_in_water_deducts():
    s = score(water=[(2023, 0.20, 0.8), (2024, 0.24, 0.9)])
    assert s["water_index"] < 0 and s["p_water"] == -3


def test_improvement_scores_proportionally_and_respects_the_cap():
    s = score(water=[(2023, 0.20, 1.0), (2024, 0.18, 0.9)])  # both 10% better → index 0.1 → 1 point
    assert s["water_index"] == pytest.approx(0.1) and s["p_water"] == pytest.approx(1.0)
    s = score(water=[(2023, 0.40, 2.0), (2024, 0.20, 1.0)])  # 50% better → 5 points, capped at 3
    assert s["p_water"] == 3


def test_clean_sections_are_not_scored_on_noise():
    index, note = water_index(0.03, 0.045, 0.2, 0.24, RULES)  # both below the floors last year
    assert pd.isna(index) and "已较清洁" in note and water_points(index, RULES) == 0
    index, _ = water_index(0.03, 0.06, 1.0, 0.8, RULES)  # TP left out, NH3-N 20% better
    assert index == pytest.approx(0.2)


def test_no_sections_no_water_points():
    s = score()
    assert s["p_water"] == 0 and "无监测断面" in s["water_note"]


def test_totals_equal_the_sum_of_their_parts():
    s = score(lights=[(1, 2), (2, 3), (0, 1)], rating="一般", complaints=2, water=[(2023, 0.3, 1.2), (2024, 0.33, 1.3)])
    assert s["total"] == pytest.approx(s["base"] + sum(s[c] for c in COMPONENTS))
    assert s["total"] == pytest.approx(100 - 6 - 4 + 0 - 3 - 2 - 2)


def test_tiny_district_scored_by_hand(tiny_dir):
    scores = score_units(load_inputs(Database(versions.current_version(tiny_dir)), N2), RULES).set_index("unit_id")
    # 甲镇: A red on N2, E red on N2 → -4; rated 较好 → -1; S1 has no 2022 readings → no water points
    assert scores.loc["T1", ["red_n", "p_red", "p_rating", "total"]].tolist() == [2, -4, -1, 95]
    # 乙街道: D yellow on N1, red on N2 → -2; 1 counted complaint (C1; C2 was rectified) → -1; rated 好
    assert scores.loc["T2", ["p_red", "p_yellow", "p_complaint", "total"]].tolist() == [-2, 0, -1, 97]
    # 区水利局: B yellow twice (free), C green; rated 一般 → -2
    assert scores.loc["D1", ["p_yellow", "p_all_green", "total"]].tolist() == [0, 0, 98]
    assert scores.loc["T2", "rank"] == 1 and scores.loc["T1", "rank"] == 2
    long = breakdown(scores.reset_index(), RULES)
    assert long[long["component"] == "总分"]["points"].tolist() == scores["total"].tolist()


def test_rules_file_round_trip_and_what_a_change_does():
    text = RULES.to_toml()
    assert parse_rules(text) == RULES
    harsher = parse_rules(text.replace("points = -2.0", "points = -5.0", 1))
    assert harsher.red_points == -5
    base = score_units(inputs(lights=[(1, 0)]), RULES).iloc[0]["total"]
    assert score_units(inputs(lights=[(1, 0)]), harsher).iloc[0]["total"] == base - 3


@pytest.mark.parametrize("edit,message", [
    (lambda t: t + "\n[[[", "格式错误"),
    (lambda t: t.replace("points = -2.0", "points = 2.0", 1), "扣分项"),
    (lambda t: t.replace('"一般" = -2.0', '"差" = -2.0'), "三档评价"),
    (lambda t: t.replace("free = 2", "free = 1.5"), "整数"),
    (lambda t: t.replace("free = 2", 'free = "两个"'), "数字"),
    (lambda t: t.replace('"较好" = -1.0', '"较好" = -3.0'), "好 ≥ 较好 ≥ 一般"),
    (lambda t: t.replace("base = 100.0\n", ""), "缺少规则项 base"),
])
def test_bad_rules_are_refused_in_chinese(edit, message):
    with pytest.raises(RulesError, match=message):
        parse_rules(edit(RULES.to_toml()))


def test_a_bad_rules_file_keeps_the_last_good_rules(tmp_path):
    assert load_rules(tmp_path).source == "默认规则"
    good = RULES.to_toml().replace("points = -2.0", "points = -4.0", 1)
    rules_dir(tmp_path).mkdir()
    (rules_dir(tmp_path) / "assessment.toml").write_text(good, encoding="utf-8")
    assert load_rules(tmp_path).rules.red_points == -4
    (rules_dir(tmp_path) / "assessment.toml").write_text("base = [", encoding="utf-8")
    loaded = load_rules(tmp_path)
    assert loaded.rules.red_points == -4 and loaded.error and "格式错误" in loaded.error
    assert loaded.source == "上一次有效的规则文件"


def test_saving_rules_is_recorded(tmp_path):
    with pytest.raises(RulesError, match="操作人"):
        save_rules(tmp_path, RULES, " ")
    path = save_rules(tmp_path, RULES.__class__(**{**RULES.__dict__, "red_points": -3.0}), "河长办 赵某")
    assert load_rules(tmp_path).rules.red_points == -3
    history = list((rules_dir(tmp_path) / "history").iterdir())
    assert len(history) == 1 and "河长办 赵某" in history[0].read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith("# 由 河长办 赵某")


# --- the district's policy in the same file: patrols a month, the share rule's sections, the warning's pace ---

def _without(text: str, *tables: str) -> str:
    """The rules text as a file saved before these tables existed."""
    for table in tables:
        text = re.sub(rf"^\[{table}\]\n(?:[^\[\n].*\n)*\n?", "", text, flags=re.M)
    return text


def test_the_default_policy_is_what_the_pages_used_before_it_was_a_rule():
    assert RULES.patrols_required == {"区级": 1, "镇级": 2, "村级": 4}
    assert (RULES.share_min_sections, RULES.pace_notices) == (5, 3)


@given(st.fixed_dictionaries({level: st.integers(1, 60) for level in ("区级", "镇级", "村级")}),
       st.integers(1, 50), st.integers(1, 24))
def test_the_policy_round_trips_through_the_file(patrols, share_min, pace):
    rules = dataclasses.replace(RULES, patrols_required=patrols, share_min_sections=share_min, pace_notices=pace)
    back = parse_rules(rules.to_toml())
    assert back == rules
    assert (back.patrols_required, back.share_min_sections, back.pace_notices) == (patrols, share_min, pace)


def test_a_rules_file_saved_before_the_policy_existed_takes_the_defaults(tmp_path):
    old = _without(RULES.to_toml().replace("points = -2.0", "points = -4.0", 1), "patrols", "river_judgement",
                   "outlook")
    assert "patrols" not in old and "pace_notices" not in old and "share_min_sections" not in old
    rules_dir(tmp_path).mkdir()
    (rules_dir(tmp_path) / "assessment.toml").write_text(old, encoding="utf-8")
    loaded = load_rules(tmp_path)
    assert loaded.error is None and loaded.rules.red_points == -4  # the office's own points, read
    assert loaded.rules.patrols_required == {"区级": 1, "镇级": 2, "村级": 4}
    assert (loaded.rules.share_min_sections, loaded.rules.pace_notices) == (5, 3)
    only_pace = parse_rules(_without(RULES.to_toml().replace("pace_notices = 3", "pace_notices = 6"), "patrols"))
    assert only_pace.pace_notices == 6 and only_pace.patrols_required == {"区级": 1, "镇级": 2, "村级": 4}


@pytest.mark.parametrize("edit,message", [
    (lambda t: t.replace('"镇级" = 2', '"镇级" = 0'), "规则项 patrols.镇级 应为正数"),
    (lambda t: t.replace('"村级" = 4', '"村级" = -4'), "规则项 patrols.村级 应为正数"),
    (lambda t: t.replace('"区级" = 1', '"区级" = 1.5'), "规则项 patrols.区级 应为整数"),
    (lambda t: t.replace('"区级" = 1', '"区级" = "一次"'), "规则项 patrols.区级 应为数字"),
    (lambda t: t.replace('"村级" = 4\n', ""), "缺少规则项 patrols.村级"),
    (lambda t: t.replace('"村级" = 4', '"乡级" = 4'), "patrols 中的“乡级”不是河长层级"),
    (lambda t: "patrols = 4\n" + _without(t, "patrols"), "规则项 patrols 应为各级河长每月应巡河次数"),
    (lambda t: t.replace("share_min_sections = 5", "share_min_sections = 0"),
     "规则项 river_judgement.share_min_sections 应为正数"),
    (lambda t: t.replace("share_min_sections = 5", 'share_min_sections = "五"'),
     "规则项 river_judgement.share_min_sections 应为数字"),
    (lambda t: t.replace("share_min_sections = 5", "share_min = 5"), "缺少规则项 river_judgement.share_min_sections"),
    (lambda t: t.replace("pace_notices = 3", "pace_notices = -3"), "规则项 outlook.pace_notices 应为正数"),
    (lambda t: t.replace("pace_notices = 3", "pace_notices = 2.5"), "规则项 outlook.pace_notices 应为整数"),
    (lambda t: t.replace("pace_notices = 3", "pace_notices = true"), "规则项 outlook.pace_notices 应为数字"),
])
def test_a_bad_policy_value_is_refused_in_chinese_naming_its_key(edit, message):
    text = edit(RULES.to_toml())
    assert text != RULES.to_toml()
    with pytest.raises(RulesError, match=re.escape(message)):
        parse_rules(text)


# --- sections with full marks: deductions stop at zero (扣完为止), bonus points have their own cap --------

def _rules(text_sections: str, cap: float = 5.0):
    body = RULES.to_toml().split("[[section]]")[0]
    body = body.replace("[bonus]\ncap = 5.0\n", "")
    return parse_rules(body + text_sections + f"\n[bonus]\ncap = {cap}\n")


def test_a_section_deducts_at_most_its_full_marks():
    s = score(lights=[(2, 4)] * 12)  # 24 red lights (−48) and 48 yellow (−46): 94 points, section has 40
    assert (s["p_red"], s["p_yellow"]) == (-48, -46)
    assert s["p_cap"] == 54 and s["total"] == 60
    assert "三张清单落实扣分已达本项上限40分（按规则应扣94分，扣完为止）" in s["cap_note"]


def test_a_section_exactly_at_its_marks_gives_nothing_back():
    s = score(lights=[(20, 0)])  # 20 red lights: −40, the section's full marks exactly
    assert s["p_cap"] == 0 and s["total"] == 60 and s["cap_note"] == ""


def test_each_section_caps_on_its_own():
    rules = _rules('''
[[section]]
name = "清单"
full = 60.0
rules = ["red", "yellow"]

[[section]]
name = "监督"
full = 2.0
rules = ["complaint", "water"]

[[section]]
name = "评价"
full = 38.0
rules = ["rating"]
''')
    s = score_units(inputs(lights=[(1, 0)], complaints=5, rating="一般"), rules).iloc[0]
    assert (s["p_red"], s["p_complaint"], s["p_rating"]) == (-2, -5, -2)
    assert s["p_cap"] == 3 and s["total"] == 100 - 2 - 2 - 2  # complaints count 2 of their 5
    assert s["cap_note"].startswith("监督扣分已达本项上限2分")


def test_bonus_points_stop_at_their_cap_and_a_decline_is_a_deduction_not_a_bonus():
    rules = _rules(RULES.to_toml()[RULES.to_toml().index("[[section]]"):].split("[bonus]")[0], cap=2.5)
    s = score_units(inputs(lights=[(0, 0)] * 12, water=[(2023, 0.2, 1.0), (2024, 0.1, 0.5)]), rules).iloc[0]
    assert s["p_all_green"] == 2 and s["p_water"] == 3  # +2 all green, +3 water (50% better, capped at 3)
    assert s["p_bonus_cap"] == -2.5 and s["total"] == 102.5
    worse = score_units(inputs(lights=[(0, 0)] * 12, water=[(2023, 0.1, 0.5), (2024, 0.2, 1.0)]), rules).iloc[0]
    assert worse["p_water"] == -3 and worse["p_bonus_cap"] == 0 and worse["total"] == 99


def test_the_total_is_always_the_sum_of_sections_and_bonus():
    from riverchief.assessment import bonus_points, section_scores

    # by hand: 3 red and 5 yellow on every notice cost 72 + 58, but 三张清单落实 deducts at most its 40; 20 complaints
    # at most 社会监督's 10; 一般 −2 of 20 → 0 + 30 + 18 + 0 = 48. Nothing at all: 100. All green: 100 + 2 = 102.
    for kw, total in ((dict(lights=[(3, 5)] * 12, complaints=20, rating="一般"), 48), (dict(), 100),
                      (dict(lights=[(0, 0)] * 12), 102)):
        s = score(**kw)
        assert s["total"] == pytest.approx(total)
        sections = section_scores(s, RULES)
        assert s["total"] == pytest.approx(sum(x["score"] for x in sections) + min(bonus_points(s), RULES.bonus_cap))
        assert s["total"] == pytest.approx(s["base"] + sum(s[c] for c in COMPONENTS))
        assert all(0 <= x["score"] <= x["full"] for x in sections)


@pytest.mark.parametrize("sections,message", [
    ('[[section]]\nname = "甲"\nfull = 100.0\nrules = ["red", "yellow", "water", "rating"]\n', "重复举报 不属于任何部分"),
    ('[[section]]\nname = "甲"\nfull = 50.0\nrules = ["red", "yellow", "water", "rating", "complaint"]\n',
     "满分之和为50分"),
    ('[[section]]\nname = "甲"\nfull = 50.0\nrules = ["red", "yellow"]\n[[section]]\nname = "乙"\nfull = 50.0\n'
     'rules = ["red", "water", "rating", "complaint"]\n', "同时属于"),
    ('[[section]]\nname = "甲"\nfull = 100.0\nrules = ["red", "yellow", "water", "rating", "complaint", "lateness"]\n',
     "“lateness”不是扣分项"),
    ('[[section]]\nfull = 100.0\nrules = ["red"]\n', "缺少名称"),
])
def test_sections_not_understood_say_why(sections, message):
    with pytest.raises(RulesError, match=message):
        _rules(sections)


def test_a_rules_file_from_before_sections_keeps_working():
    old = RULES.to_toml().split("[[section]]")[0].replace("[bonus]\ncap = 5.0\n", "")
    rules = parse_rules(old)
    assert [s.name for s in rules.sections] == ["全部扣分项"] and rules.sections[0].full == 100
    s = score_units(inputs(lights=[(40, 40)]), rules).iloc[0]
    assert s["total"] == 0 and s["p_cap"] > 0  # the whole score, still never below zero
