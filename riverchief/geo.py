"""What the river map draws, as plain data: simplified shapes, river colours, section and problem points.

Coordinates are stored in WGS84; `to_gcj02` converts them only for Gaode (AMap) tiles.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import coordTransform
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from riverchief import water_rules
from riverchief.db import Database
from riverchief.water_report import enrich_month

SIMPLIFY_DEGREES = 0.0003  # ≈ 30 m: invisible at district zoom, a fraction of the vertices
RIVER_WIDTH = {"区级": 4.0, "镇级": 2.2, "村级": 1.4}  # rivers of a higher chief are drawn as 区级


@dataclass(frozen=True)
class MapData:
    areas: pd.DataFrame  # kind (district / township), id, name, geometry (simplified shapely)
    rivers: pd.DataFrame  # river_id, name, level, worst_class, mean_class, worst_light, geometry, ...
    sections: pd.DataFrame  # the month's section table (enrich_month) with last year's TP
    problems: pd.DataFrame  # open problems on the notice, with light
    bounds: tuple[float, float, float, float] | None  # the district's (minx, miny, maxx, maxy); None: nothing to draw
    unshaped: dict[str, list[str]]  # names of townships and rivers that have no shape yet (listed, not drawn)


def simplified(wkts: pd.Series, tolerance: float = SIMPLIFY_DEGREES) -> list:
    """Simplified shapes; None where a row has no shape (a township or river imported from Excel only)."""
    # A column with no shape at all reads back as float NaN; an empty or damaged text is no shape either.
    texts = np.array([w if isinstance(w, str) and w.strip() else None for w in wkts], dtype=object)
    geoms = shapely.from_wkt(texts, on_invalid="ignore")
    geoms = np.where(shapely.is_empty(geoms) | shapely.is_missing(geoms), None, geoms)
    out = shapely.set_precision(shapely.simplify(geoms, tolerance, preserve_topology=True), 1e-5)
    return [None if g is None or g.is_empty else g for g in out]


def mean_class(rivers: pd.DataFrame) -> pd.Series:
    """Class of the mean concentrations of a river's sections (NaN where it has none this month)."""
    has = rivers["sections"].fillna(0) > 0
    out = pd.Series(float("nan"), index=rivers.index)
    if has.any():
        judged = rivers.loc[has]
        classed = water_rules.classify_frame(judged[list(water_rules.MEAN_FACTORS)],
                                       water_rules.judged_body(judged["lake_sections"], judged["sections"]))
        out[has] = classed["water_class"].astype(float)
    return out


def load_map(db: Database, notice: dt.date) -> MapData:
    """What the map draws. Rows without a shape are left out of the drawing and named in `unshaped`."""
    month = notice.replace(day=1)
    areas = db.query("map_areas")
    areas["geometry"] = simplified(areas["geom_wkt"])
    rivers = db.query("map_rivers", month=month, notice=notice)
    rivers["geometry"] = simplified(rivers["geom_wkt"])
    rivers["mean_class"] = mean_class(rivers)
    sections = enrich_month(db.query("water_sections_month", month=month, township=None, river=None))
    problems = db.query("map_problems", notice=notice)
    unshaped = {"township": areas.loc[(areas["kind"] == "township") & areas["geometry"].isna(), "name"].tolist(),
                "river": rivers.loc[rivers["geometry"].isna(), "name"].tolist()}
    areas, rivers = areas[areas["geometry"].notna()], rivers[rivers["geometry"].notna()]
    return MapData(areas=areas.drop(columns="geom_wkt"), rivers=rivers.drop(columns="geom_wkt"), sections=sections,
                   problems=problems, bounds=_bounds(areas, rivers, sections, problems), unshaped=unshaped)


def _bounds(areas: pd.DataFrame, rivers: pd.DataFrame, sections: pd.DataFrame, problems: pd.DataFrame):
    """The district outline's extent, else the extent of whatever has a place."""
    district = areas.loc[areas["kind"] == "district", "geometry"].dropna()
    if len(district):
        return district.iloc[0].bounds
    shapes = list(areas["geometry"]) + list(rivers["geometry"])
    shapes += list(shapely.points(sections[["lon", "lat"]].to_numpy())) if len(sections) else []
    shapes += list(shapely.points(problems[["lon", "lat"]].to_numpy())) if len(problems) else []
    if not shapes:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(shapes)
    pad = 0.01
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)


def to_gcj02(geometry):
    """A shapely geometry in GCJ-02 (for Gaode tiles); stored data stays WGS84."""
    return shapely.transform(geometry, lambda xy: np.array([coordTransform.wgs84_to_gcj02(x, y) for x, y in xy]))


def feature(geometry, properties: dict) -> dict:
    return {"type": "Feature", "geometry": mapping(geometry), "properties": properties}
