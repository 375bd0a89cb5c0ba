"""Optional tile layers under the vector map, for offices that have a tile source.

By default there are none: the district, townships and rivers are the base map, and nothing is
requested from outside. Set RIVERBOARD_TILES to
  - `tianditu` (with RIVERBOARD_TIANDITU_KEY): 天地图 vector tiles, WGS84/CGCS2000;
  - `gaode`: 高德 tiles, which are in GCJ-02 — every shape is converted to GCJ-02 to sit on them;
  - a URL template with {z}/{x}/{y} (an intranet tile server, or OpenStreetMap's), with optional
    RIVERBOARD_TILES_ATTR (attribution) and RIVERBOARD_TILES_GCJ02=1 if the tiles are GCJ-02.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


class TileConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str
    subdomains: str = "abc"
    gcj02: bool = False


def tiles_from_env(env: dict | None = None) -> Tiles | None:
    env = os.environ if env is None else env
    choice = (env.get("RIVERBOARD_TILES") or "").strip()
    if choice.lower() in ("", "none", "off"):
        return None
    if choice.lower() == "tianditu":
        key = (env.get("RIVERBOARD_TIANDITU_KEY") or "").strip()
        if not key:
            raise TileConfigError("RIVERBOARD_TILES=tianditu 需要同时设置 RIVERBOARD_TIANDITU_KEY（天地图密钥 tk）")
        return Tiles(url="https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                         "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
                         f"&TILECOL={{x}}&tk={key}", attribution="天地图", subdomains="01234567")
    if choice.lower() == "gaode":
        return Tiles(url="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                         "&x={x}&y={y}&z={z}", attribution="高德地图", subdomains="1234", gcj02=True)
    if all(part in choice for part in ("{z}", "{x}", "{y}")):
        return Tiles(url=choice, attribution=env.get("RIVERBOARD_TILES_ATTR") or "底图",
                     gcj02=(env.get("RIVERBOARD_TILES_GCJ02") or "") in ("1", "true", "yes"))
    raise TileConfigError(f"无法识别的底图设置 RIVERBOARD_TILES={choice!r}：应为 tianditu、gaode 或含 {{z}}/{{x}}/{{y}} 的地址模板")
