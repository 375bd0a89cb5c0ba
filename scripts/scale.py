"""A district k times the demo, for the benchmark: the demo's tables replicated with fresh ids (every `*_id`
and id-list column prefixed per copy, so references stay whole), names numbered, and each copy's map
shifted beside the others. `replicate(build_tables(), 10)` is the "10×" district of docs/benchmarks.md;
`province(build_tables())` is the province: 60 districts' worth of lists, four times the demo's items in each,
and automatic stations every 4 hours for five years at every section (about 22 million readings)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

ID_LISTS = ("co_unit_ids", "co_river_ids")
NAMED = ("townships", "units", "rivers", "sections")


def _prefix(values: pd.Series, tag: str, listed: bool = False) -> pd.Series:
    if listed:
        return values.map(lambda v: v if v is None or v != v else "、".join(f"{tag}{x}" for x in str(v).split("、")))
    return values.map(lambda v: v if v is None or v != v else f"{tag}{v}")


def _copy(name: str, frame: pd.DataFrame, k: int) -> pd.DataFrame:
    out = frame.copy()
    tag = f"X{k}-"
    for col in out.columns:
        if col.endswith("_id") or col in ID_LISTS:
            out[col] = _prefix(out[col], tag, col in ID_LISTS)
    if name in NAMED and "name" in out.columns:
        out["name"] = out["name"] + f"{k}"
    dx, dy = 1.1 * (k % 8), 0.9 * (k // 8)  # copies side by side, eight to a row
    if "geom_wkt" in out.columns:
        out["geom_wkt"] = out["geom_wkt"].map(
            lambda w: w if w is None or w != w else shapely.affinity.translate(shapely.from_wkt(w), dx, dy).wkt)
    if "lon" in out.columns:
        out["lon"], out["lat"] = out["lon"] + dx, out["lat"] + dy
    return out


def replicate(tables: dict[str, pd.DataFrame], k: int) -> dict[str, pd.DataFrame]:
    """The tables k times over (copy 0 is the original); one district row, the first copy's outline."""
    if k <= 1:
        return tables
    return {name: frame if name == "district" else
            pd.concat([frame] + [_copy(name, frame, c) for c in range(1, k)], ignore_index=True)
            for name, frame in tables.items()}


PROVINCE_DISTRICTS = 60  # 1,680 townships, 4,200 rivers, 2,040 sections
PROVINCE_ITEM_COPIES = 4  # ~94,000 items, ~1.1 million item rows over 24 notices
AUTO_YEARS = (2020, 2024)  # automatic stations, every 4 hours


def province(tables: dict[str, pd.DataFrame], districts: int = PROVINCE_DISTRICTS,
             item_copies: int = PROVINCE_ITEM_COPIES, years: tuple[int, int] = AUTO_YEARS) -> dict[str, pd.DataFrame]:
    """The demo replicated `districts` times, each district's items `item_copies` times (the copies are other
    items of the same units and rivers), and readings every 4 hours at every section over `years`."""
    out = replicate(tables, districts)
    items = out["items"]
    out["items"] = pd.concat([items] + [items.assign(item_id=items["item_id"] + f"-{j}") for j in range(1, item_copies)],
                             ignore_index=True)
    manual = out["readings"][out["readings"]["method"] != "自动"]
    out["readings"] = pd.concat([manual, automatic_readings(manual, years)], ignore_index=True)
    return out


def automatic_readings(manual: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """Every 4 hours at every section that has monthly readings: the month's manual value (the same calendar
    month of the nearest year with one) times noise, so the monthly means keep each river's story."""
    rng = np.random.default_rng(7)
    manual = manual[manual["method"] != "自动"]  # the demo's own stations are replaced by these
    m = manual.assign(year=manual["sampled_at"].dt.year, month=manual["sampled_at"].dt.month)
    base = m.groupby(["section_id", "year", "month"])[["tp", "nh3n", "codmn", "do"]].mean()
    sections = base.index.get_level_values(0).unique()
    manual_years = sorted(base.index.get_level_values(1).unique())
    stamps = pd.date_range(f"{years[0]}-01-01 02:00", f"{years[1]}-12-31 22:00", freq="4h")
    n_s, n_t = len(sections), len(stamps)
    year = np.clip(stamps.year.to_numpy(), manual_years[0], manual_years[-1])
    full = base.reindex(pd.MultiIndex.from_product([sections, manual_years, range(1, 13)]))
    full = full.groupby(level=[0, 2]).transform(lambda c: c.fillna(c.mean()))  # a month a year missed
    cube = {f: full[f].to_numpy().reshape(n_s, len(manual_years), 12) for f in ("tp", "nh3n", "codmn", "do")}
    yi, mi = np.searchsorted(manual_years, year), stamps.month.to_numpy() - 1
    noise = {"tp": 0.25, "nh3n": 0.3, "codmn": 0.1, "do": 0.08}
    values = {f: (cube[f][:, yi, mi] * rng.lognormal(0, noise[f], (n_s, n_t))).ravel() for f in cube}
    return pd.DataFrame({
        "section_id": np.repeat(sections.to_numpy(dtype=object), n_t),
        "sampled_at": np.tile(stamps.to_numpy(), n_s),
        "tp": values["tp"].round(3), "tp_bdl": False, "nh3n": values["nh3n"].round(3), "nh3n_bdl": False,
        "codmn": values["codmn"].round(1), "codmn_bdl": False, "do": values["do"].round(1), "method": "自动",
    })
