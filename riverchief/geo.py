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

from riverchief import water
from riverchief.db import Database
from riverchief.water_quality import enrich_month

SIMPLIFY_DEGREES = 0.0003  # ≈ 30 m: invisible at district zoom, a fraction of the vertices
RIVER_WIDTH = {"区级": 4.0, "镇级": 2.2, "村级": 1.4}


@dataclass(frozen=True)
class MapData:
    areas: pd.DataFrame  # kind (district / township), id, name, geometry (simplified shapely)
    rivers: pd.DataFrame  # river_id, name, level, worst_class, mean_class, worst_light, geometry, ...
    sections: pd.DataFrame  # the month's section table (enrich_month) with last year's TP
    problems: pd.DataFrame  # open problems on the notice, with light
    bounds: tuple[float, float, float, float]  # the district's (minx, miny, maxx, maxy)


def simplified(wkts: pd.Series, tolerance: float = SIMPLIFY_DEGREES) -> list:
    geoms = shapely.from_wkt(wkts.to_numpy())
    return list(shapely.set_precision(shapely.simplify(geoms, tolerance, preserve_topology=True), 1e-5))


def mean_class(rivers: pd.DataFrame) -> pd.Series:
    """Class of the mean concentrations of a river's sections (NaN where it has none this month)."""
    has = rivers["sections"].fillna(0) > 0
    out = pd.Series(float("nan"), index=rivers.index)
    if has.any():
        classed = water.classify_frame(rivers.loc[has, list(water.MEAN_FACTORS)], rivers.loc[has, "water_body"])
        out[has] = classed["water_class"].astype(float)
    return out


def load_map(db: Database, notice: dt.date) -> MapData:
    month = notice.replace(day=1)
    areas = db.query("map_areas")
    areas["geometry"] = simplified(areas["geom_wkt"])
    rivers = db.query("map_rivers", month=month, notice=notice)
    rivers["geometry"] = simplified(rivers["geom_wkt"])
    rivers["mean_class"] = mean_class(rivers)
    sections = enrich_month(db.query("water_sections_month", month=month, township=None, river=None))
    district = areas.loc[areas["kind"] == "district", "geometry"].iloc[0]
    return MapData(areas=areas.drop(columns="geom_wkt"), rivers=rivers.drop(columns="geom_wkt"),
                   sections=sections, problems=db.query("map_problems", notice=notice), bounds=district.bounds)


def to_gcj02(geometry):
    """A shapely geometry in GCJ-02 (for Gaode tiles); stored data stays WGS84."""
    return shapely.transform(geometry, lambda xy: np.array([coordTransform.wgs84_to_gcj02(x, y) for x, y in xy]))


def feature(geometry, properties: dict) -> dict:
    return {"type": "Feature", "geometry": mapping(geometry), "properties": properties}
