"""GB 3838-2002 classes: every limit, both sides of it, river vs lake TP, DO the other way, 劣Ⅴ."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from riverchief import water_rules
from riverchief.water_rules import LAKE, RIVER, factor_class
from riverchief.water_report import enrich_month

# (factor, water body, value, class) — the table of docs/DOMAIN.md §5, at each limit and just past it.
CASES = [
    # total phosphorus, rivers: 0.02 / 0.1 / 0.2 / 0.3 / 0.4
    ("tp", RIVER, 0.0, 1), ("tp", RIVER, 0.02, 1), ("tp", RIVER, 0.021, 2), ("tp", RIVER, 0.1, 2),
    ("tp", RIVER, 0.101, 3), ("tp", RIVER, 0.2, 3), ("tp", RIVER, 0.201, 4), ("tp", RIVER, 0.3, 4),
    ("tp", RIVER, 0.301, 5), ("tp", RIVER, 0.4, 5), ("tp", RIVER, 0.401, 6), ("tp", RIVER, 3.0, 6),
    # total phosphorus, lakes and reservoirs: 0.01 / 0.025 / 0.05 / 0.1 / 0.2
    ("tp", LAKE, 0.01, 1), ("tp", LAKE, 0.011, 2), ("tp", LAKE, 0.025, 2), ("tp", LAKE, 0.026, 3),
    ("tp", LAKE, 0.05, 3), ("tp", LAKE, 0.051, 4), ("tp", LAKE, 0.1, 4), ("tp", LAKE, 0.101, 5),
    ("tp", LAKE, 0.2, 5), ("tp", LAKE, 0.201, 6),
    # ammonia nitrogen: 0.15 / 0.5 / 1.0 / 1.5 / 2.0 (same for lakes)
    ("nh3n", RIVER, 0.15, 1), ("nh3n", RIVER, 0.151, 2), ("nh3n", RIVER, 0.5, 2), ("nh3n", RIVER, 0.51, 3),
    ("nh3n", RIVER, 1.0, 3), ("nh3n", RIVER, 1.01, 4), ("nh3n", RIVER, 1.5, 4), ("nh3n", RIVER, 1.51, 5),
    ("nh3n", RIVER, 2.0, 5), ("nh3n", RIVER, 2.01, 6), ("nh3n", LAKE, 1.0, 3),
    # permanganate index: 2 / 4 / 6 / 10 / 15
    ("codmn", RIVER, 2, 1), ("codmn", RIVER, 2.1, 2), ("codmn", RIVER, 4, 2), ("codmn", RIVER, 6, 3),
    ("codmn", RIVER, 6.1, 4), ("codmn", RIVER, 10, 4), ("codmn", RIVER, 15, 5), ("codmn", RIVER, 15.1, 6),
    # COD: 15 / 15 / 20 / 30 / 40 — Ⅰ and Ⅱ share a limit, so 15 is Ⅰ
    ("cod", RIVER, 15, 1), ("cod", RIVER, 15.1, 3), ("cod", RIVER, 20, 3), ("cod", RIVER, 30, 4),
    ("cod", RIVER, 40, 5), ("cod", RIVER, 40.5, 6),
    # BOD5: 3 / 3 / 4 / 6 / 10
    ("bod5", RIVER, 3, 1), ("bod5", RIVER, 3.1, 3), ("bod5", RIVER, 4, 3), ("bod5", RIVER, 6, 4),
    ("bod5", RIVER, 10, 5), ("bod5", RIVER, 10.1, 6),
    # dissolved oxygen counts the other way: at or above 7.5 / 6 / 5 / 3 / 2
    ("do", RIVER, 9.0, 1), ("do", RIVER, 7.5, 1), ("do", RIVER, 7.49, 2), ("do", RIVER, 6, 2),
    ("do", RIVER, 5.99, 3), ("do", RIVER, 5, 3), ("do", RIVER, 4.9, 4), ("do", RIVER, 3, 4),
    ("do", RIVER, 2.99, 5), ("do", RIVER, 2, 5), ("do", RIVER, 1.99, 6), ("do", RIVER, 0, 6),
]


@pytest.mark.parametrize("factor,body,value,expected", CASES)
def test_factor_class_at_and_past_each_limit(factor, body, value, expected):
    assert factor_class(factor, value, body) == expected


def test_float_noise_at_a_limit_stays_in_the_class():
    # a mean computed as 0.1 + 0.2 is 0.30000000000000004: still Class Ⅳ for river TP
    assert factor_class("tp", 0.1 + 0.2, RIVER) == 4
    assert factor_class("nh3n", (0.7 + 0.8) / 1.5 * 1.5, RIVER) == 4


def test_vectorised_classes_match_and_mark_missing_as_zero():
    values = [0.02, 0.2, float("nan"), 0.45]
    assert water_rules.factor_classes("tp", values, RIVER).tolist() == [1, 3, 0, 6]


@pytest.mark.parametrize("bad", [-0.01, -5])
def test_negative_concentration_is_refused(bad):
    with pytest.raises(ValueError, match="浓度不能为负数"):
        factor_class("tp", bad)


def test_unknown_factor_and_water_body_are_refused():
    with pytest.raises(ValueError):
        factor_class("tn", 1.0)  # total nitrogen is reported for rivers, not classed
    with pytest.raises(ValueError):
        factor_class("tp", 0.1, "sea")
    with pytest.raises(ValueError):
        factor_class("tp", None)


def _classed(rows: list[dict], body: str = RIVER) -> list[tuple[int, str]]:
    """The class and deciding factors of samples, the way the pages get them (classify_frame, enrich_month)."""
    frame = pd.DataFrame([{f: r.get(f, np.nan) for f in water_rules.MEAN_FACTORS} for r in rows])
    classed = water_rules.classify_frame(frame, [body] * len(rows)).assign(water_body=body, target_class=3)
    out = enrich_month(classed)
    return list(zip(out["water_class"].astype(int), out["deciding"]))


def test_a_sample_is_its_worst_factor_and_names_it():
    assert _classed([{"tp": 0.15, "nh3n": 1.2, "codmn": 3.0, "do": 8.0}]) == [(4, "氨氮")]


def test_every_deciding_factor_is_named_on_a_tie():
    assert _classed([{"tp": 0.25, "nh3n": 1.2, "do": 8.0}]) == [(4, "总磷、氨氮")]


def test_low_oxygen_decides():
    assert _classed([{"tp": 0.05, "nh3n": 0.3, "do": 2.5}]) == [(5, "溶解氧")]


def test_same_tp_is_worse_in_a_lake():
    sample = [{"tp": 0.08, "nh3n": 0.3}]
    assert _classed(sample, RIVER) == [(2, "总磷、氨氮")]
    assert _classed(sample, LAKE) == [(4, "总磷")]


def test_worse_than_v():
    assert _classed([{"tp": 0.5, "nh3n": 0.1}]) == [(water_rules.WORSE_THAN_V, "总磷")]


@pytest.mark.parametrize("lakes,sections,body", [(0, 0, RIVER), (0, 3, RIVER), (2, 3, RIVER), (3, 3, LAKE), (1, 1, LAKE)])
def test_a_river_is_judged_a_lake_only_when_all_its_sections_are(lakes, sections, body):
    assert water_rules.judged_body([lakes], [sections])[0] == body
    assert water_rules.body_of([LAKE] * lakes + [RIVER] * (sections - lakes)) == body


def test_the_lake_limits_are_chosen_for_tp_only():
    assert water_rules.limits("tp", LAKE) == water_rules.LIMITS["tp_lake"]
    assert water_rules.limits("nh3n", LAKE) == water_rules.limits("nh3n", RIVER) == water_rules.LIMITS["nh3n"]
    with pytest.raises(ValueError):
        water_rules.limits("tp_lake")


@pytest.mark.parametrize("factor,value,cls,expected", [
    ("tp", 0.3, 3, 0.5), ("tp", 0.2, 3, 0.0), ("tp", 0.1, 3, -0.5), ("nh3n", 2.5, 3, 1.5), ("do", 4.0, 3, 0.2),
])
def test_exceedance_multiple(factor, value, cls, expected):
    assert math.isclose(water_rules.exceedance(factor, value, cls), expected, abs_tol=1e-12)


def test_exceedance_against_lake_limit():
    assert math.isclose(water_rules.exceedance("tp", 0.1, 3, LAKE), 1.0)


@given(st.sampled_from(["tp", "nh3n", "codmn", "cod", "bod5"]), st.sampled_from([RIVER, LAKE]),
       st.floats(0, 50, allow_nan=False), st.floats(0, 50, allow_nan=False))
def test_more_pollutant_never_gives_a_better_class(factor, body, a, b):
    lo, hi = sorted((a, b))
    assert factor_class(factor, lo, body) <= factor_class(factor, hi, body)


@given(st.floats(0, 20, allow_nan=False), st.floats(0, 20, allow_nan=False))
def test_more_oxygen_never_gives_a_worse_class(a, b):
    lo, hi = sorted((a, b))
    assert factor_class("do", hi) <= factor_class("do", lo)


@given(st.sampled_from(list(water_rules.CLASSED_FACTORS)), st.integers(1, 5))
def test_every_limit_value_is_in_its_own_class(factor, cls):
    limits = water_rules.LIMITS[factor]
    # where two classes share a limit (COD, BOD5 Ⅰ/Ⅱ) the value belongs to the better one
    assert factor_class(factor, limits[cls - 1]) == limits.index(limits[cls - 1]) + 1


def test_class_limits_are_the_standard():
    # Pinned against GB 3838-2002 Table 1 (several copies online are wrong).
    assert water_rules.LIMITS["tp"] == (0.02, 0.1, 0.2, 0.3, 0.4)
    assert water_rules.LIMITS["tp_lake"] == (0.01, 0.025, 0.05, 0.1, 0.2)
    assert water_rules.LIMITS["nh3n"] == (0.15, 0.5, 1.0, 1.5, 2.0)
    assert water_rules.LIMITS["do"] == (7.5, 6, 5, 3, 2)
    assert np.all(np.diff(water_rules.LIMITS["codmn"]) > 0)
