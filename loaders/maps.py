"""Map files from the office: GeoJSON, zipped Shapefile or GeoPackage, in any coordinate system
(CGCS2000 EPSG:4490 and its Gauss-Krüger zones included), reprojected to WGS84; invalid geometries
repaired. A polygon layer updates township boundaries, a line layer river courses, matched by name."""
from __future__ import annotations

import difflib
import io
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely

from loaders.read import ReadError

MAP_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
MAX_ZIP_MEMBERS = 200
MAX_UNZIPPED = 300 * 1024 * 1024
MAX_RATIO = 200  # uncompressed ÷ compressed: beyond this a zip is treated as a bomb
NAME_COLUMNS = ("名称", "name", "NAME", "Name", "镇街", "镇街名称", "河流名称", "河名", "XZQMC", "MC", "HLMC")


def _safe_unzip(name: str, data: bytes, folder: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = z.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ReadError(f"{name}：压缩包内文件过多（{len(members)}个，上限{MAX_ZIP_MEMBERS}个）")
        total = sum(m.file_size for m in members)
        if total > MAX_UNZIPPED or total > MAX_RATIO * max(len(data), 1):
            raise ReadError(f"{name}：压缩包解压后过大（{total / 1024 / 1024:.0f} MB），已拒绝")
        for m in members:
            target = (folder / m.filename).resolve()
            if not str(target).startswith(str(folder.resolve())):
                raise ReadError(f"{name}：压缩包内含非法路径 {m.filename}")
        z.extractall(folder)


def read_map(name: str, data: bytes) -> tuple[gpd.GeoDataFrame, int]:
    """The layer in WGS84 lon/lat and how many invalid geometries were repaired."""
    lower = name.lower()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if lower.endswith(".zip"):
            _safe_unzip(name, data, folder)
            shapes = sorted(folder.rglob("*.shp"))
            if not shapes:
                raise ReadError(f"{name}：压缩包中没有 .shp 文件")
            path = shapes[0]
            encoding = path.with_suffix(".cpg").read_text().strip() if path.with_suffix(".cpg").exists() else None
        else:
            path = folder / Path(name).name
            path.write_bytes(data)
            encoding = None
        try:
            layer = gpd.read_file(path, encoding=encoding) if encoding else gpd.read_file(path)
        except Exception as exc:  # pyogrio/GDAL errors
            raise ReadError(f"{name}：无法读取地图文件（{exc}）") from exc
    if layer.empty:
        raise ReadError(f"{name}：地图文件中没有要素")
    if layer.crs is None:
        minx, miny, maxx, maxy = layer.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise ReadError(f"{name}：缺少坐标系信息（.prj），坐标也不是经纬度，无法确定位置")
        layer = layer.set_crs(4326)
    layer = layer.to_crs(4326)
    invalid = ~layer.geometry.is_valid
    layer.loc[invalid, "geometry"] = shapely.make_valid(layer.loc[invalid, "geometry"].values)
    return layer, int(invalid.sum())


def name_column(layer: gpd.GeoDataFrame) -> str | None:
    return next((c for c in NAME_COLUMNS if c in layer.columns), None)


def geometry_kind(layer: gpd.GeoDataFrame) -> str:
    types = set(layer.geometry.geom_type)
    if types <= {"Polygon", "MultiPolygon"}:
        return "townships"
    if types <= {"LineString", "MultiLineString"}:
        return "rivers"
    raise ReadError(f"地图图层的几何类型为 {'、'.join(sorted(types))}：应为面（镇街边界）或线（河流）")


def match_names(names, known: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """{name in file: id} and [(unknown name, suggestion)]."""
    found, unknown = {}, []
    for n in names:
        n = str(n).strip()
        if n in known:
            found[n] = known[n]
        else:
            near = difflib.get_close_matches(n, list(known), n=1, cutoff=0.5)
            unknown.append((n, near[0] if near else ""))
    return found, unknown
