"""A district k times the demo, for the benchmark: the demo's tables replicated with fresh ids (every `*_id`
and id-list column prefixed per copy, so references stay whole), names numbered, and each copy's map
shifted beside the others. `replicate(build_tables(), 10)` is the "10×" district of docs/benchmarks.md."""
from __future__ import annotations

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
