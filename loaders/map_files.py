"""Map files from the office: GeoJSON, zipped Shapefile or GeoPackage, in any coordinate system
(CGCS2000 EPSG:4490 and its Gauss-Krüger zones included), reprojected to WGS84; invalid geometries
repaired. The district outline, township boundaries (polygons) or river courses (lines), matched by name.

A file without a coordinate system is never assumed to be WGS84 unless its numbers are degrees: the
system is taken from the file name (`EPSG:4524`, `CGCS2000 3度带36带`, `中央经线108`), else from the
zone number that Gauss-Krüger eastings carry (36,500,000), and the preview says so; else it is asked for.
"""
from __future__ import annotations

import difflib
import io
import re
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from loaders.convert import plain
from loaders.read import MAX_BYTES, ReadError

MAP_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".kml", ".kmz")
MAX_ZIP_MEMBERS = 200
MAX_UNZIPPED = 300 * 1024 * 1024
MAX_RATIO = 200  # uncompressed ÷ compressed: beyond this a zip is treated as a bomb
MAX_FEATURES = 20_000  # a district's townships and rivers are hundreds; more is not a layer meant for this
NAME_COLUMNS = ("名称", "name", "NAME", "Name", "镇街", "镇街名称", "河流名称", "河名", "XZQMC", "MC", "HLMC", "区县名称",
                "乡镇名称", "行政区名称", "ZLDWMC", "QXMC", "XZMC")
KINDS = {"district": "行政区界", "townships": "镇街边界", "rivers": "河流走向"}


def _safe_unzip(name: str, data: bytes, folder: Path) -> None:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReadError("不是有效的压缩包") from None
    with z:
        members = z.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ReadError(f"压缩包内文件过多（{len(members)}个，上限{MAX_ZIP_MEMBERS}个）")
        total = sum(m.file_size for m in members)
        if total > MAX_UNZIPPED or total > MAX_RATIO * max(len(data), 1):
            raise ReadError(f"压缩包解压后过大（{total / 1024 / 1024:.0f} MB），已拒绝")
        for m in members:
            target = (folder / m.filename).resolve()
            if not str(target).startswith(str(folder.resolve())):
                raise ReadError(f"压缩包内含非法路径 {m.filename}")
        z.extractall(folder)


def crs_from_name(name: str) -> int | None:
    """The EPSG code a file name states: EPSG:4524, CGCS2000_3度带36带, CGCS2000 6度带18带, 中央经线108."""
    text = plain(name).upper()
    m = re.search(r"EPSG[:_\-]?(\d{4,5})", text)
    if m:
        return int(m[1])
    m = re.search(r"3度(?:分)?带(?:第)?(\d{2})(?:号)?带?", text)
    if m and 25 <= int(m[1]) <= 45:
        return 4488 + int(m[1])  # CGCS2000 / 3-degree Gauss-Kruger zone 25..45 = EPSG:4513..4533
    m = re.search(r"6度(?:分)?带(?:第)?(\d{2})(?:号)?带?", text)
    if m and 13 <= int(m[1]) <= 23:
        return 4478 + int(m[1])  # CGCS2000 / Gauss-Kruger zone 13..23 = EPSG:4491..4501
    m = re.search(r"(?:中央经线|中央子午线|CM)(\d{2,3})", text)
    if m and int(m[1]) in range(75, 136, 3):
        return 4534 + (int(m[1]) - 75) // 3  # CGCS2000 / 3-degree Gauss-Kruger CM 75E..135E = EPSG:4534..4554
    if "CGCS2000" in text or "4490" in text:
        return 4490
    return None


def crs_from_eastings(layer: gpd.GeoDataFrame) -> int | None:
    """Gauss-Krüger eastings written with their zone number in front (36,500,000 m): that zone."""
    minx, miny, maxx, maxy = layer.total_bounds
    zone_min, zone_max = int(minx // 1_000_000), int(maxx // 1_000_000)
    if zone_min != zone_max or not (1_000_000 <= miny <= 6_000_000):
        return None
    if 25 <= zone_min <= 45:
        return 4488 + zone_min
    if 13 <= zone_min <= 23:
        return 4478 + zone_min
    return None


def read_map(name: str, data: bytes, crs: str | None = None) -> tuple[gpd.GeoDataFrame, int, str]:
    """The layer in WGS84 lon/lat, how many invalid geometries were repaired, and how its system was found."""
    lower = name.lower()
    if len(data) > MAX_BYTES:
        raise ReadError(f"地图文件超过 {MAX_BYTES // 1024 // 1024} MB（可先在 GIS 软件中简化图形）")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if lower.endswith((".zip", ".kmz")):  # a zipped Shapefile; a KMZ is a zip holding doc.kml
            _safe_unzip(name, data, folder)
            shapes = sorted(folder.rglob("*.shp")) or sorted(folder.rglob("*.kml"))
            if not shapes:
                raise ReadError("压缩包中没有 .shp 或 .kml 文件")
            path = shapes[0]
            cpg = path.with_suffix(".cpg")
            encoding = (cpg.read_bytes().decode("ascii", "ignore").strip() if cpg.exists()
                        else dbf_encoding(path.with_suffix(".dbf")) if path.suffix == ".shp" else None)
        else:
            path = folder / ("layer" + Path(lower).suffix)
            path.write_bytes(data)
            encoding = None
        try:
            layer = _read_layers(path, encoding)
        except Exception:  # pyogrio/GDAL errors
            raise ReadError("无法读取地图文件（文件损坏或格式不符）") from None
    if layer.empty:
        raise ReadError("地图文件中没有要素")
    if len(layer) > MAX_FEATURES:
        raise ReadError(f"地图文件中有 {len(layer):,} 个要素，超过上限 {MAX_FEATURES:,} 个：本系统只需要区界、镇街和河流")
    layer = layer[layer.geometry.notna() & ~layer.geometry.is_empty]
    how = ""
    if crs:
        try:
            layer = layer.set_crs(CRS.from_user_input(crs), allow_override=True)
        except CRSError:
            raise ReadError(f"无法识别坐标系“{crs}”，应写作 EPSG:4524 这样的编号") from None
        how = f"坐标系按指定的 {crs} 换算"
    elif layer.crs is None or (layer.crs.to_epsg() == 4326 and not _degrees(layer)):
        # GeoJSON without a crs member is read as WGS84 by GDAL: believe it only if the numbers are degrees
        named = crs_from_name(name)
        zoned = crs_from_eastings(layer)
        if named:
            layer = layer.set_crs(named, allow_override=True)
            how = f"坐标系按文件名中的说明取 EPSG:{named}（{CRS.from_epsg(named).name}）"
        elif zoned:
            layer = layer.set_crs(zoned, allow_override=True)
            how = f"文件未写坐标系，按坐标中的带号推断为 EPSG:{zoned}（{CRS.from_epsg(zoned).name}），请核对地图位置"
        elif _degrees(layer):
            layer = layer.set_crs(4326, allow_override=True)
        else:
            raise ReadError("文件没有写明坐标系，坐标也不是经纬度，无法确定位置。请在文件名中写明（如"
                            "“镇街界线_EPSG4524.geojson”或“CGCS2000 3度带36带”），或导入时指定坐标系")
    try:
        layer = layer.to_crs(4326)
    except Exception:
        raise ReadError("坐标无法换算为经纬度，请核对坐标系") from None
    if not _degrees(layer) or not _in_china(layer):
        raise ReadError("换算后的位置不在中国境内，坐标系可能不对，请核对")
    invalid = ~layer.geometry.is_valid
    layer.loc[invalid, "geometry"] = shapely.make_valid(layer.loc[invalid, "geometry"].values)
    return layer, int(invalid.sum()), how


def _read_layers(path: Path, encoding: str | None) -> gpd.GeoDataFrame:
    """Every layer of the file as one (a KML exported from a field app keeps each folder as a layer)."""
    kwargs = {"encoding": encoding} if encoding else {}
    names = [n for n, _ in pyogrio.list_layers(path)] if path.suffix == ".kml" else [None]
    layers = [gpd.read_file(path, layer=n, **kwargs) if n else gpd.read_file(path, **kwargs) for n in names]
    layers = [la for la in layers if len(la)] or layers[:1]
    return gpd.GeoDataFrame(pd.concat(layers, ignore_index=True), crs=layers[0].crs) if len(layers) > 1 else layers[0]


def dbf_encoding(path: Path) -> str | None:
    """A .dbf's text encoding when no .cpg says it: UTF-8 if its records read as UTF-8, else GB18030 (GBK and
    GB2312 are within it) — the two a Chinese GIS file is written in."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = int.from_bytes(data[8:10], "little") if len(data) >= 10 else 0
    records = data[header:]
    if all(b < 0x80 for b in records):
        return None
    try:
        records.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        return "GB18030"


def _degrees(layer: gpd.GeoDataFrame) -> bool:
    minx, miny, maxx, maxy = layer.total_bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def _in_china(layer: gpd.GeoDataFrame) -> bool:
    minx, miny, maxx, maxy = layer.total_bounds
    return 73 <= minx and maxx <= 136 and 3 <= miny and maxy <= 54


def _text_columns(layer: gpd.GeoDataFrame) -> list[str]:
    return [c for c in layer.columns if c != layer.geometry.name and pd.api.types.is_string_dtype(layer[c])]


def name_column(layer: gpd.GeoDataFrame, known: list[str] | None = None) -> str | None:
    """The field holding names: a usual name field, else the text column whose values match known names best."""
    for c in NAME_COLUMNS:
        if c in layer.columns:
            return c
    texts = _text_columns(layer)
    if known:
        keys = {plain(k) for k in known if k}
        scored = sorted(((layer[c].dropna().map(lambda v: plain(v) in keys).mean(), c) for c in texts), reverse=True)
        if scored and scored[0][0] > 0:
            return scored[0][1]
    return texts[0] if len(texts) == 1 else None


def geometry_kind(layer: gpd.GeoDataFrame, kind: str | None, districts: list[str], townships: list[str]) -> str:
    """district, townships or rivers: as told, else lines are rivers, and polygons the district when the
    layer is one shape named for the district (or names no township), else townships."""
    if kind:
        return kind
    types = set(layer.geometry.geom_type)
    if types <= {"LineString", "MultiLineString"}:
        return "rivers"
    if not types <= {"Polygon", "MultiPolygon"}:
        raise ReadError(f"地图图层的几何类型为 {'、'.join(sorted(types))}：应为面（区界、镇街边界）或线（河流）")
    column = name_column(layer, districts + townships)
    names = {plain(v) for v in layer[column].dropna()} if column else set()
    district_keys = {plain(d) for d in districts if d}
    if names and names <= district_keys:
        return "district"
    if len(layer) == 1 and not names & {plain(t) for t in townships}:
        return "district"
    return "townships"


def dissolve(layer: gpd.GeoDataFrame) -> str:
    return to_wkt(shapely.union_all(layer.geometry.values))


def to_wkt(geometry) -> str:
    return shapely.set_precision(geometry, 1e-6).wkt


def match_names(names, known: dict[str, str], key=plain) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """{name key: id} and [(unknown name, suggestion)]."""
    found, unknown = {}, []
    for n in names:
        k = key(n)
        if k in known:
            found[k] = known[k]
        else:
            near = difflib.get_close_matches(k, list(known), n=1, cutoff=0.5)
            unknown.append((str(n).strip(), near[0] if near else ""))
    return found, unknown
