"""Water quality (水质) for a month: sections' classes, annual means and their change, rivers judged.

SQL brings monthly and year-to-date means (from the aggregate built at publish); the rules of
riverchief.water_rules classify them; this module puts the two together for the pages.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riverchief import water_rules
from riverchief.assessment_rules import default_rules
from riverchief.dates import cn_month
from riverchief.db import Database

HEADLINE = ("tp", "nh3n")  # total phosphorus and ammonia nitrogen: the product's headline factors
# A river with at least this many sections is judged by their shares: the office's rules file says how many
# ([river_judgement]); this is the default file's.
SHARE_RULE_MIN_SECTIONS = default_rules().share_min_sections


@dataclass(frozen=True)
class WaterView:
    month: dt.date  # first day of the month
    sections: pd.DataFrame  # one row per section: the month's result, see enrich_month
    annual: pd.DataFrame  # one row per section: this year-to-date vs the same period last year
    rivers: pd.DataFrame  # one row per river: judged by the share rule (enough sections) or by the mean
    series: pd.DataFrame  # monthly means per section, all months
    attainment: pd.DataFrame  # per month: sections, meeting target, in Ⅰ–Ⅲ, 劣Ⅴ
    stories: pd.DataFrame  # per river: class of the first year and of this year (improved / worsened)
    scope: str = "全区"  # what the filters leave, in words: 全区, a township or a river
    asked: dt.date | None = None  # the month chosen, when it had no readings and `month` is the latest that has


def latest_month_with_readings(db: Database, notice: dt.date, township: str | None, river: str | None) -> dt.date | None:
    """The first day of the latest month up to the notice's with a classed result in scope; None when there is none."""
    found = db.query("latest_reading_month", month=notice.replace(day=1), township=township, river=river)["month"].iloc[0]
    return None if pd.isna(found) else pd.Timestamp(found).date()


def fallback_words(view: WaterView) -> str | None:
    """What the page and the slide say when they show an earlier month than the one chosen."""
    if view.asked is None:
        return None
    return f"{cn_month(view.asked)}尚无监测数据，以下为最近有数据的{cn_month(view.month)}"


def main_pollutants(row) -> str:
    """主要污染物: factors above the Class Ⅲ limit, worst exceedance first (at most three)."""
    found = []
    for f in water_rules.MEAN_FACTORS:
        value = row[f]
        if pd.isna(value):
            continue
        x = water_rules.exceedance(f, value, 3, row["water_body"])
        if x > 0:
            found.append((x, f"{water_rules.FACTOR_NAMES[f]}（{x:.2f}倍）"))
    return "、".join(text for _, text in sorted(found, reverse=True)[:3])


EXCEEDANCE_DECIMALS = 2


def exceeded(factor: str, value: float, water_class: int, water_body: str) -> float:
    """超标倍数 as published: (C − limit) / limit to two decimals where the value is above the limit; empty (NaN)
    where it is within it or missing — a compliant section has no multiple, not a negative one."""
    if pd.isna(value):
        return np.nan
    x = water_rules.exceedance(factor, value, water_class, water_body)
    return round(x, EXCEEDANCE_DECIMALS) if x > 0 else np.nan  # 0.2008 against 0.2 is above it: 0.0, not blank


def enrich_month(sections: pd.DataFrame) -> pd.DataFrame:
    """Add deciding factors, target met, exceedance multiples (vs Ⅲ and vs target) and main pollutants."""
    out = sections.copy()
    has = out["water_class"].notna()
    out["deciding"] = [
        "、".join(water_rules.FACTOR_NAMES[f] for f in water_rules.MEAN_FACTORS if r[f"{f}_class"] == r["water_class"]) if ok else ""
        for ok, r in zip(has, out.to_dict("records"))
    ]
    out["meets_target"] = np.where(has, out["water_class"] <= out["target_class"], pd.NA)
    for f in HEADLINE:
        out[f"{f}_x3"] = [exceeded(f, v, 3, b) for v, b in zip(out[f], out["water_body"])]
        out[f"{f}_xt"] = [exceeded(f, v, int(t), b) for v, t, b in zip(out[f], out["target_class"], out["water_body"])]
    out["main_pollutants"] = [main_pollutants(r) if ok else "" for ok, r in zip(has, out.to_dict("records"))]
    return out


def source_words(row) -> str:
    """Where a section's month came from, e.g. `自动（28天）` or `总磷手工（1次）、氨氮自动（30天）`."""
    said = {}
    for f in HEADLINE:
        src = row.get(f"{f}_src")
        if isinstance(src, str) and src:
            n = row.get(f"{f}_n")
            count = "" if n is None or pd.isna(n) else f"（{int(n)}{'天' if src == water_rules.AUTOMATIC else '次'}）"
            said[f] = src + count
    if not said:
        return ""
    if len(set(said.values())) == 1:
        return next(iter(said.values()))
    return "、".join(water_rules.FACTOR_NAMES[f] + s for f, s in said.items())


def improvement_rate(last: float, this: float) -> float:
    """Year-on-year improvement of a factor: (C_last − C_this) / C_last; positive is better."""
    if last is None or this is None or pd.isna(last) or pd.isna(this) or last <= 0:
        return np.nan
    return (last - this) / last


@dataclass(frozen=True)
class Change:
    """A figure of this period beside the same period last year. The figure is over every section with a
    value now; the change is measured on the sections with a value in both years only (the same sections,
    so a section added or dropped this year moves neither side)."""

    value: float  # this period, every section with a value
    sections: int
    this: float | None = None  # this period, the sections measured in both years
    last: float | None = None  # last year's same period, the same sections
    paired: int = 0

    @property
    def delta(self) -> float | None:
        return None if self.last is None or self.this is None else self.this - self.last

    @property
    def rate(self) -> float | None:
        """Improvement rate (C_last − C_this) / C_last (positive is better); None where it cannot be had."""
        r = improvement_rate(self.last, self.this)
        return None if pd.isna(r) else float(r)


def _change(now: pd.Series, before: pd.Series, value=lambda s: float(s.mean())) -> Change:
    has = now.notna()
    both = has & before.notna()
    if not both.any():
        return Change(value(now[has]) if has.any() else float("nan"), int(has.sum()))
    return Change(value(now[has]), int(has.sum()), value(now[both]), value(before[both]), int(both.sum()))


def month_figures(sections: pd.DataFrame) -> dict[str, Change]:
    """The month's key figures (enrich_month rows): share meeting the target, share in Ⅰ–Ⅲ, number 劣Ⅴ —
    each against the same month last year on the same sections."""
    m = sections[sections["water_class"].notna()]
    now, last = m["water_class"].astype(float), m["last_year_class"].astype(float)
    target = m["target_class"].astype(float)
    share = lambda hit, c: hit.astype(float).where(c.notna())  # noqa: E731  (NaN where not measured)
    return {"met": _change(share(now <= target, now), share(last <= target, last)),
            "good": _change(share(now <= 3, now), share(last <= 3, last)),
            "worst": _change(share(now == 6, now), share(last == 6, last), value=lambda v: float(v.sum()))}


def ytd_means(annual: pd.DataFrame) -> dict[str, Change]:
    """The year-to-date mean of TP and NH3-N over the sections (mean of their annual means), against last year's
    same months on the sections measured in both years."""
    return {f: _change(annual[f], annual[f"{f}_last"]) for f in HEADLINE}


def trend_change(trend: pd.DataFrame, factor: str, year: int, upto_month: int) -> tuple[float | None, str]:
    """(this year's mean of the months up to `upto_month`, the change on the same months last year in words) for
    a trend line (`trend_of`): the same months compared, never a part year with a whole one."""
    months = pd.to_datetime(trend["month"]).dt.month
    this = trend.loc[(trend["year"] == year) & (months <= upto_month), factor].dropna()
    last = trend.loc[(trend["year"] == year - 1) & (months <= upto_month), factor].dropna()
    if this.empty:
        return None, ""
    if last.empty or last.mean() <= 0:
        return float(this.mean()), ""
    change = (this.mean() - last.mean()) / last.mean()
    return float(this.mean()), f'，较上年同期{"下降" if change < 0 else "上升"}{abs(change):.1%}'


def annual_table(section_years: pd.DataFrame, year: int) -> pd.DataFrame:
    """This year-to-date against the same period last year, classed, with improvement rates."""
    classed = water_rules.classify_frame(section_years, section_years["water_body"])
    this = classed[classed["year"] == year].set_index("section_id")
    last = classed[classed["year"] == year - 1].set_index("section_id")
    out = this.join(last[["tp", "nh3n", "codmn", "do", "water_class"]], suffixes=("", "_last"))
    for f in HEADLINE:
        out[f"{f}_rate"] = [improvement_rate(a, b) for a, b in zip(out[f"{f}_last"], out[f])]
    out["meets_target"] = out["water_class"] <= out["target_class"]
    return out.reset_index()


def share_judgement(share_good: float, share_worst: float) -> str:
    """A river with enough sections (the rules' share_min_sections, by default 5), by its share of sections in
    Ⅰ–Ⅲ and in 劣Ⅴ (地表水环境质量评价办法: 优 ≥90%, 良好 75–90%; below 75%: 轻度 劣Ⅴ <20%, 中度 劣Ⅴ 20–40%, 重度
    only when Ⅰ–Ⅲ <60% and 劣Ⅴ ≥40% — a river with 60% in Ⅰ–Ⅲ and 40% 劣Ⅴ is not 重度, it is 中度)."""
    eps = 1e-9  # shares are ratios of counts: 3/5 must equal 0.6
    if share_good >= 0.9 - eps:
        return "优"
    if share_good >= 0.75 - eps:
        return "良好"
    if share_worst < 0.2 - eps:
        return "轻度污染"
    if share_good < 0.6 - eps and share_worst >= 0.4 - eps:
        return "重度污染"
    return "中度污染"


def _class_of_means(frame: pd.DataFrame, keys: list[str], **extra) -> pd.DataFrame:
    """Per group: the mean of each factor over its sections, classed (its body by `water_rules.judged_body`),
    all groups at once."""
    means = frame.assign(_lake=frame["water_body"] == water_rules.LAKE).groupby(keys, sort=False).agg(
        **{f: (f, "mean") for f in water_rules.MEAN_FACTORS}, _lakes=("_lake", "sum"), _n=("_lake", "size"),
        **extra).reset_index()
    return water_rules.classify_frame(means, water_rules.judged_body(means["_lakes"], means["_n"]))


def judge_rivers(annual: pd.DataFrame, min_sections: int = SHARE_RULE_MIN_SECTIONS) -> pd.DataFrame:
    """Each river's water quality: the share rule with at least `min_sections` sections, else the class of its
    mean."""
    columns = ["river_id", "river_name", "sections", "method", "water_class", "share_good", "judgement"]
    order = annual[["river_id", "river_name"]].drop_duplicates()  # rivers in the order they come
    judged = annual[annual["water_class"].notna()]
    if judged.empty:
        return pd.DataFrame(columns=columns)
    judged = judged.assign(_good=judged["water_class"] <= 3, _worst=judged["water_class"] == 6)
    c = _class_of_means(judged, ["river_id", "river_name"], sections=("water_class", "size"),
                        share_good=("_good", "mean"), share_worst=("_worst", "mean"))
    lake = c["_lakes"] == c["_n"]  # a lake or reservoir: always by the mean of its points (评价办法)
    share = (c["sections"] >= min_sections) & ~lake
    out = c.assign(
        method=np.where(share, "断面比例法", np.where(lake, "点位均值法", "断面均值法")),
        water_class=np.where(share, np.nan, c["water_class"]),
        judgement=[share_judgement(g, w) if by_share else water_rules.CLASS_WORDS[int(k)]
                   for by_share, g, w, k in zip(share, c["share_good"], c["share_worst"], c["water_class"])])
    return order.merge(out[columns], on=["river_id", "river_name"])[columns].reset_index(drop=True)


def river_stories(section_years: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per river, the class of its sections' mean in the first year of data and in `year`."""
    if section_years.empty:
        return pd.DataFrame(columns=["river_id", "river_name", "year", "water_class", "tp", "nh3n", "water_class_first",
                                     "tp_first", "nh3n_first", "first_year", "change"])
    first_year = int(section_years["year"].min())
    both = section_years.groupby("section_id")["year"].transform(lambda y: {first_year, year} <= set(y))
    section_years = section_years[both | (first_year == year)]  # the same sections in both years, as every change
    if section_years.empty:
        return river_stories(section_years, year)
    frame = _class_of_means(section_years, ["river_id", "river_name", "year"]).sort_values(
        ["river_id", "river_name", "year"])[["river_id", "river_name", "year", "water_class", "tp", "nh3n"]]
    frame["water_class"] = frame["water_class"].astype(int)
    first = frame[frame["year"] == first_year].set_index("river_id")
    now = frame[frame["year"] == year].set_index("river_id")
    out = now.join(first[["water_class", "tp", "nh3n"]], suffixes=("", "_first"), how="inner")
    out["first_year"] = first_year
    out["change"] = np.sign(out["water_class_first"] - out["water_class"]).map({1: "改善", 0: "持平", -1: "变差"})
    return out.reset_index().sort_values(["change", "water_class"])


def attainment(series: pd.DataFrame) -> pd.DataFrame:
    """Per month: how many sections reported, met their target, were in Ⅰ–Ⅲ, were 劣Ⅴ (sections with a class that
    month only, as `month_figures` counts them)."""
    series = series[series["water_class"].notna()]
    g = series.assign(met=series["water_class"] <= series["target_class"], good=series["water_class"] <= 3,
                      worst=series["water_class"] == 6).groupby("month")
    out = g.agg(sections=("section_id", "count"), met=("met", "sum"), good=("good", "sum"), worst=("worst", "sum"))
    out["met_share"] = out["met"] / out["sections"]
    out["good_share"] = out["good"] / out["sections"]
    return out.reset_index()


def load_water(db: Database, notice: dt.date, township: str | None, river: str | None,
               share_min_sections: int = SHARE_RULE_MIN_SECTIONS) -> WaterView:
    """The water of the notice's month; when that month has no readings in scope (yet), of the latest month before
    it that has (`asked` keeps the month chosen), so a page never shows a month of nothing as the state of the water.
    Rivers with at least `share_min_sections` sections are judged by the share rule."""
    month, asked = notice.replace(day=1), None
    params = dict(township=township, river=river)
    sections = enrich_month(db.query("water_sections_month", month=month, **params))
    if sections["water_class"].isna().all():
        latest = latest_month_with_readings(db, notice, township, river)
        if latest is not None:
            month, asked = latest, month
            sections = enrich_month(db.query("water_sections_month", month=month, **params))
    section_years = db.query("water_section_years", upto=month.month, **params)
    annual = annual_table(section_years, month.year)
    series = db.query("water_monthly_series", **params)
    return WaterView(
        month=month, sections=sections, annual=annual, rivers=judge_rivers(annual, share_min_sections), series=series,
        attainment=attainment(series), stories=river_stories(section_years, month.year),
        scope=_scope_name(sections, township, river), asked=asked,
    )


def _scope_name(sections: pd.DataFrame, township: str | None, river: str | None) -> str:
    """全区, or the river / township the filters chose (by the name its sections carry)."""
    for chosen, column, id_column in ((river, "river_name", "river_id"), (township, "township_name", "township_id")):
        if chosen:
            names = sections.loc[sections[id_column] == chosen, column].dropna()
            return str(names.iloc[0]) if len(names) else "所选范围"
    return "全区"


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
