"""The year-end assessment (考核): each unit's score from its lights, water, rating and complaints.

score_units is pure: it takes the counted facts and the rules and returns every component, so the
total always equals base + the sum of its parts, and each part can be traced to its rows (evidence).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riverchief.assessment_rules import Rules
from riverchief.db import Database

COMPONENTS = ("p_red", "p_yellow", "p_all_green", "p_water", "p_rating", "p_complaint", "p_cap", "p_bonus_cap")
_DEDUCTION_OF = {"red": "p_red", "yellow": "p_yellow", "water": "p_water", "rating": "p_rating",
                 "complaint": "p_complaint"}


@dataclass(frozen=True)
class AssessmentInputs:
    year: int
    notice: dt.date  # counted up to this notice
    units: pd.DataFrame  # unit_id, unit_name, unit_kind, rating, complaints
    lights: pd.DataFrame  # unit_id, notice_date, items, red, yellow
    water: pd.DataFrame  # unit_id, year, sections, tp, nh3n


def load_inputs(db: Database, notice: dt.date) -> AssessmentInputs:
    year = notice.year
    return AssessmentInputs(
        year=year, notice=notice,
        units=db.query("assessment_inputs", year=year),
        lights=db.query("assessment_lights", year=year, notice=notice),
        water=db.query("assessment_water", year=year, upto=notice.month),
    )


def water_index(tp_last, tp, nh3n_last, nh3n, rules: Rules) -> tuple[float, str]:
    """Mean improvement rate of TP and NH3-N, leaving out a factor already below its floor last year.

    Returns (index or NaN when nothing is scored, the reason in words)."""
    rates, notes = [], []
    for name, last, this, floor in (("总磷", tp_last, tp, rules.tp_floor), ("氨氮", nh3n_last, nh3n, rules.nh3n_floor)):
        if pd.isna(last) or pd.isna(this):
            notes.append(f"{name}缺少两年数据")
        elif last <= floor:
            notes.append(f"{name}上年{last:.3f}≤{floor}，已较清洁，不计分")
        else:
            rate = (last - this) / last
            rates.append(rate)
            notes.append(f"{name}{last:.3f}→{this:.3f}，改善率{rate:+.1%}")
    return (float(np.mean(rates)) if rates else float("nan")), "；".join(notes)


def water_points(index: float, rules: Rules) -> float:
    if pd.isna(index):
        return 0.0
    if index < -rules.water_decline_threshold:
        return rules.water_decline_points
    if index > 0:
        return min(rules.water_cap, index * rules.water_weight)
    return 0.0


def score_units(inputs: AssessmentInputs, rules: Rules) -> pd.DataFrame:
    lights = inputs.lights.groupby("unit_id").agg(notices=("notice_date", "nunique"), red_n=("red", "sum"),
                                                   yellow_n=("yellow", "sum"), items=("items", "max"))
    w = inputs.water.pivot_table(index="unit_id", columns="year", values=["tp", "nh3n"])
    out = inputs.units.set_index("unit_id").join(lights)
    out[["notices", "red_n", "yellow_n", "items"]] = out[["notices", "red_n", "yellow_n", "items"]].fillna(0).astype(int)
    rows = []
    for unit_id, r in out.iterrows():
        get = lambda f, y: w.loc[unit_id, (f, y)] if (unit_id in w.index and (f, y) in w.columns) else np.nan  # noqa: E731
        index, note = water_index(get("tp", inputs.year - 1), get("tp", inputs.year), get("nh3n", inputs.year - 1),
                                  get("nh3n", inputs.year), rules)
        if unit_id not in w.index:
            note = "辖区无监测断面，不计水质分"
        rating = r["rating"] if isinstance(r["rating"], str) else None
        rows.append({
            "unit_id": unit_id, "water_index": index, "water_note": note,
            "p_red": r["red_n"] * rules.red_points,
            "p_yellow": max(0, r["yellow_n"] - rules.yellow_free) * rules.yellow_points,
            "p_all_green": rules.all_green_points if r["items"] > 0 and r["red_n"] == 0 and r["yellow_n"] == 0 else 0.0,
            "p_water": water_points(index, rules),
            "p_rating": rules.rating_points[rating] if rating else 0.0,
            "p_complaint": int(r["complaints"]) * rules.complaint_points,
        })
    scored = out.join(pd.DataFrame(rows).set_index("unit_id")).reset_index()
    capped = [caps(r, rules) for r in scored.to_dict("records")]
    scored["p_cap"] = [c[0] for c in capped]
    scored["p_bonus_cap"] = [c[1] for c in capped]
    scored["cap_note"] = [c[2] for c in capped]
    scored["base"] = rules.base
    scored["total"] = scored["base"] + scored[list(COMPONENTS)].sum(axis=1)
    scored["rank"] = scored.groupby("unit_kind")["total"].rank(ascending=False, method="min").astype(int)
    return scored.sort_values(["unit_kind", "rank", "unit_id"]).reset_index(drop=True)


def _deduction(row, rule: str) -> float:
    """A deduction's points (≤ 0); water counts here only when it deducts (its improvement is a bonus)."""
    return min(0.0, float(row[_DEDUCTION_OF[rule]]))


def bonus_points(row) -> float:
    return float(row["p_all_green"]) + max(0.0, float(row["p_water"]))


def section_scores(row, rules: Rules) -> list[dict]:
    """Each section of one unit: full marks, what its rules deducted, what counts (扣完为止) and its score."""
    out = []
    for sec in rules.sections:
        deducted = -sum(_deduction(row, r) for r in sec.rules)
        counted = min(deducted, sec.full)
        out.append(dict(section=sec.name, full=sec.full, deducted=deducted, counted=counted, score=sec.full - counted,
                        capped=deducted > sec.full + 1e-9))
    return out


def caps(row, rules: Rules) -> tuple[float, float, str]:
    """(points given back by sections that hit their full marks, bonus beyond its cap taken off, in words)."""
    back, notes = 0.0, []
    for sec in section_scores(row, rules):
        if sec["capped"]:
            back += sec["deducted"] - sec["full"]
            notes.append(f"{sec['section']}扣分已达本项上限{sec['full']:g}分（按规则应扣{sec['deducted']:g}分，扣完为止）")
    bonus = bonus_points(row)
    cut = max(0.0, bonus - rules.bonus_cap)
    if cut:
        notes.append(f"加分合计{bonus:g}分，超过上限{rules.bonus_cap:g}分")
    return back, -cut, "；".join(notes)


COMPONENT_NAMES = {"p_red": "红灯", "p_yellow": "黄灯", "p_all_green": "全年全绿", "p_water": "水质",
                   "p_rating": "河长评价", "p_complaint": "重复举报", "p_cap": "扣完为止", "p_bonus_cap": "加分封顶"}


def explain(row, rules: Rules) -> dict[str, str]:
    """Each component of one unit's score in words: the count and the rule that made its points."""
    rating = row["rating"] if isinstance(row["rating"], str) else None
    return {
        "p_red": f"红灯{row['red_n']}次 × {rules.red_points:g}分",
        "p_yellow": f"黄灯{row['yellow_n']}次，前{rules.yellow_free}次不扣分，"
                    f"{max(0, row['yellow_n'] - rules.yellow_free)}次 × {rules.yellow_points:g}分",
        "p_all_green": (f"全年{row['notices']}期通报全部绿灯，加{rules.all_green_points:g}分" if row["p_all_green"]
                        else ("本年无清单事项" if row["items"] == 0 else "有红灯或黄灯，不加分")),
        "p_water": row["water_note"] + (f"；综合改善率{row['water_index']:+.1%}" if pd.notna(row["water_index"]) else ""),
        "p_rating": f"评价“{rating}”" if rating else "未评价，不扣分",
        "p_complaint": f"重复举报仍未整改或造成负面影响{int(row['complaints'])}件 × {rules.complaint_points:g}分",
        "p_cap": row["cap_note"] if row["p_cap"] else "各部分扣分均未超过本部分满分",
        "p_bonus_cap": row["cap_note"].split("；")[-1] if row["p_bonus_cap"] else
        (f"加分合计未超过上限{rules.bonus_cap:g}分" if pd.notna(rules.bonus_cap) else "加分不设上限"),
    }


def breakdown(scores: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Long form: one row per unit and component, with points and the explanation (for export)."""
    rows = []
    for _, r in scores.iterrows():
        words = explain(r, rules)
        rows.append(dict(unit_name=r["unit_name"], unit_kind=r["unit_kind"], component="满分", points=r["base"],
                         explanation="各部分满分之和"))
        rows += [dict(unit_name=r["unit_name"], unit_kind=r["unit_kind"], component=COMPONENT_NAMES[c],
                      points=float(r[c]), explanation=words[c]) for c in COMPONENTS]
        rows += [dict(unit_name=r["unit_name"], unit_kind=r["unit_kind"], component=f"（部分）{x['section']}",
                      points=x["score"], explanation=f"满分{x['full']:g}，按规则应扣{x['deducted']:g}，实扣{x['counted']:g}"
                      + ("（扣完为止）" if x["capped"] else "")) for x in section_scores(r, rules)]
        rows.append(dict(unit_name=r["unit_name"], unit_kind=r["unit_kind"], component="总分", points=r["total"],
                         explanation="满分 + 各项之和 = 各部分得分之和 + 加分"))
    return pd.DataFrame(rows)
