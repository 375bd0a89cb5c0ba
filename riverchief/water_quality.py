"""Water quality (水质) for a month: sections' classes, annual means and their change, rivers judged.

SQL brings monthly and year-to-date means (from the aggregate built at publish); the rules of
riverchief.water classify them; this module puts the two together for the pages.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riverchief import water
from riverchief.db import Database

HEADLINE = ("tp", "nh3n")  # total phosphorus and ammonia nitrogen: the product's headline factors
SHARE_RULE_MIN_SECTIONS = 5


@dataclass(frozen=True)
class WaterView:
    month: dt.date  # first day of the month
    sections: pd.DataFrame  # one row per section: the month's result, see enrich_month
    annual: pd.DataFrame  # one row per section: this year-to-date vs the same period last year
    rivers: pd.DataFrame  # one row per river: judged by the share rule (≥5 sections) or by the mean
    series: pd.DataFrame  # monthly means per section, all months
    attainment: pd.DataFrame  # per month: sections, meeting target, in Ⅰ–Ⅲ, 劣Ⅴ
    stories: pd.DataFrame  # per river: class of the first year and of this year (improved / worsened)


def main_pollutants(row) -> str:
    """主要污染物: factors above the Class Ⅲ limit, worst exceedance first (at most three)."""
    found = []
    for f in water.MEAN_FACTORS:
        value = row[f]
        if pd.isna(value):
            continue
        x = water.exceedance(f, value, 3, row["water_body"])
        if x > 0:
            found.append((x, f"{water.FACTOR_NAMES[f]}（{x:.2f}倍）"))
    return "、".join(text for _, text in sorted(found, reverse=True)[:3])


def enrich_month(sections: pd.DataFrame) -> pd.DataFrame:
    """Add deciding factors, target met, exceedance multiples (vs Ⅲ and vs target) and main pollutants."""
    out = sections.copy()
    has = out["water_class"].notna()
    out["deciding"] = [
        "、".join(water.FACTOR_NAMES[f] for f in water.MEAN_FACTORS if r[f"{f}_class"] == r["water_class"]) if ok else ""
        for ok, r in zip(has, out.to_dict("records"))
    ]
    out["meets_target"] = np.where(has, out["water_class"] <= out["target_class"], pd.NA)
    for f in HEADLINE:
        out[f"{f}_x3"] = [water.exceedance(f, v, 3, b) if pd.notna(v) else np.nan
                          for v, b in zip(out[f], out["water_body"])]
        out[f"{f}_xt"] = [water.exceedance(f, v, int(t), b) if pd.notna(v) else np.nan
                          for v, t, b in zip(out[f], out["target_class"], out["water_body"])]
    out["main_pollutants"] = [main_pollutants(r) if ok else "" for ok, r in zip(has, out.to_dict("records"))]
    return out


def improvement_rate(last: float, this: float) -> float:
    """Year-on-year improvement of a factor: (C_last − C_this) / C_last; positive is better."""
    if last is None or this is None or pd.isna(last) or pd.isna(this) or last <= 0:
        return np.nan
    return (last - this) / last


def annual_table(section_years: pd.DataFrame, year: int) -> pd.DataFrame:
    """This year-to-date against the same period last year, classed, with improvement rates."""
    classed = water.classify_frame(section_years, section_years["water_body"])
    this = classed[classed["year"] == year].set_index("section_id")
    last = classed[classed["year"] == year - 1].set_index("section_id")
    out = this.join(last[["tp", "nh3n", "codmn", "do", "water_class"]], suffixes=("", "_last"))
    for f in HEADLINE:
        out[f"{f}_rate"] = [improvement_rate(a, b) for a, b in zip(out[f"{f}_last"], out[f])]
    out["meets_target"] = out["water_class"] <= out["target_class"]
    return out.reset_index()


def share_judgement(share_good: float, share_worst: float) -> str:
    """A river or lake with ≥5 sections, by its share of sections in Ⅰ–Ⅲ and in 劣Ⅴ."""
    if share_good >= 0.9:
        return "优"
    if share_good >= 0.75:
        return "良好"
    if share_worst < 0.2:
        return "轻度污染"
    if share_worst < 0.4:
        return "中度污染"
    return "重度污染"


def _class_of_means(frame: pd.DataFrame, keys: list[str], **extra) -> pd.DataFrame:
    """Per group: the mean of each factor over its sections, classed (its body by `water.judged_body`),
    all groups at once."""
    means = frame.assign(_lake=frame["water_body"] == water.LAKE).groupby(keys, sort=False).agg(
        **{f: (f, "mean") for f in water.MEAN_FACTORS}, _lakes=("_lake", "sum"), _n=("_lake", "size"),
        **extra).reset_index()
    return water.classify_frame(means, water.judged_body(means["_lakes"], means["_n"]))


def judge_rivers(annual: pd.DataFrame) -> pd.DataFrame:
    """Each river's water quality: the share rule with ≥5 sections, else the class of its mean."""
    columns = ["river_id", "river_name", "sections", "method", "water_class", "share_good", "judgement"]
    order = annual[["river_id", "river_name"]].drop_duplicates()  # rivers in the order they come
    judged = annual[annual["water_class"].notna()]
    if judged.empty:
        return pd.DataFrame(columns=columns)
    judged = judged.assign(_good=judged["water_class"] <= 3, _worst=judged["water_class"] == 6)
    c = _class_of_means(judged, ["river_id", "river_name"], sections=("water_class", "size"),
                        share_good=("_good", "mean"), share_worst=("_worst", "mean"))
    share = c["sections"] >= SHARE_RULE_MIN_SECTIONS
    out = c.assign(
        method=np.where(share, "断面比例法", "断面均值法"),
        water_class=np.where(share, np.nan, c["water_class"]),
        judgement=[share_judgement(g, w) if by_share else water.CLASS_WORDS[int(k)]
                   for by_share, g, w, k in zip(share, c["share_good"], c["share_worst"], c["water_class"])])
    return order.merge(out[columns], on=["river_id", "river_name"])[columns].reset_index(drop=True)


def river_stories(section_years: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per river, the class of its sections' mean in the first year of data and in `year`."""
    if section_years.empty:
        frame = pd.DataFrame(columns=["river_id", "river_name", "year", "water_class", "tp", "nh3n"])
        return frame.assign(first_year=[], first_class=[], change=[])
    frame = _class_of_means(section_years, ["river_id", "river_name", "year"]).sort_values(
        ["river_id", "river_name", "year"])[["river_id", "river_name", "year", "water_class", "tp", "nh3n"]]
    frame["water_class"] = frame["water_class"].astype(int)
    first_year = int(frame["year"].min())
    first = frame[frame["year"] == first_year].set_index("river_id")
    now = frame[frame["year"] == year].set_index("river_id")
    out = now.join(first[["water_class", "tp", "nh3n"]], suffixes=("", "_first"), how="inner")
    out["first_year"] = first_year
    out["change"] = np.sign(out["water_class_first"] - out["water_class"]).map({1: "改善", 0: "持平", -1: "变差"})
    return out.reset_index().sort_values(["change", "water_class"])


def attainment(series: pd.DataFrame) -> pd.DataFrame:
    """Per month: how many sections reported, met their target, were in Ⅰ–Ⅲ, were 劣Ⅴ."""
    g = series.assign(met=series["water_class"] <= series["target_class"], good=series["water_class"] <= 3,
                      worst=series["water_class"] == 6).groupby("month")
    out = g.agg(sections=("section_id", "count"), met=("met", "sum"), good=("good", "sum"), worst=("worst", "sum"))
    out["met_share"] = out["met"] / out["sections"]
    out["good_share"] = out["good"] / out["sections"]
    return out.reset_index()


def load_water(db: Database, notice: dt.date, township: str | None, river: str | None) -> WaterView:
    month = notice.replace(day=1)
    params = dict(township=township, river=river)
    sections = enrich_month(db.query("water_sections_month", month=month, **params))
    section_years = db.query("water_section_years", upto=month.month, **params)
    annual = annual_table(section_years, month.year)
    series = db.query("water_monthly_series", **params)
    return WaterView(
        month=month, sections=sections, annual=annual, rivers=judge_rivers(annual), series=series,
        attainment=attainment(series), stories=river_stories(section_years, month.year),
    )


def trend_of(series: pd.DataFrame, section_id: str | None = None, river_id: str | None = None) -> pd.DataFrame:
    """Monthly TP and NH3-N of one section, or the mean of a river's sections, with annual means."""
    if section_id is not None:
        data = series[series["section_id"] == section_id]
    else:
        data = series[series["river_id"] == river_id]
    monthly = data.groupby("month", as_index=False).agg(tp=("tp", "mean"), nh3n=("nh3n", "mean"),
                                                        bdl=("tp_bdl_n", "sum"), nh3n_bdl=("nh3n_bdl_n", "sum"))
    monthly["year"] = pd.to_datetime(monthly["month"]).dt.year
    annual = monthly.groupby("year")[["tp", "nh3n"]].transform("mean")
    monthly["tp_year"], monthly["nh3n_year"] = annual["tp"], annual["nh3n"]
    return monthly
