"""Map layers into the data: the district outline, township boundaries or river courses, matched by name."""
from __future__ import annotations

import shapely

from loaders import map_files
from loaders.filling import NEAR_KM
from loaders.issues import Issue
from loaders.merge import change_row
from loaders.names import name_key
from loaders.read import ReadError

def _apply_layer(name: str, layer, repaired: int, tables: dict, issues: list[Issue], map_kind: str | None,
                 details: list) -> dict | None:
    """Replace the shapes of the district (its outline), townships (polygons) or rivers (lines) the layer names."""
    district = tables["district"]
    try:
        target = map_files.geometry_kind(layer, map_kind, district["name"].tolist(), tables["townships"]["name"].tolist())
    except ReadError as exc:
        issues.append(Issue(name, None, None, None, str(exc)))
        return None
    if target == "district":
        if district.empty:
            issues.append(Issue(name, None, None, None, "还没有本区名称，无法导入行政区界"))
            return None
        outline = map_files.dissolve(layer)
        updated = district.copy()
        old = updated.at[0, "geom_wkt"]
        updated.at[0, "geom_wkt"] = outline
        tables["district"] = updated
        changed = int(old != outline)
        if changed:
            details.append({"table": "行政区界", "action": "修改", "what": str(updated.at[0, "name"]), "change": "更新区界"})
        return change_row("行政区界", name, len(layer), changed=changed, unchanged=1 - changed)
    outline = district["geom_wkt"].dropna()
    if len(outline) and target != "district":
        km = shapely.from_wkt(outline.iloc[0]).distance(shapely.union_all(layer.geometry.values)) * 111
        if km > NEAR_KM:
            issues.append(Issue(name, None, None, None, f"地图位置距本区约{km:.0f}公里，坐标系或经纬度可能不对，请核对"))
            return None
    frame = tables[target]
    key = "township_id" if target == "townships" else "river_id"
    column = map_files.name_column(layer, frame["name"].tolist())
    if column is None:
        issues.append(Issue(name, None, None, None, "地图图层中找不到名称字段：应有一列写着"
                            + ("镇街" if target == "townships" else "河流") + "名称（如“名称”“NAME”）"))
        return None
    found, unknown = map_files.match_names(layer[column], {name_key(n): i for n, i in zip(frame["name"], frame[key])}, name_key)
    for n, near in unknown:
        hint = f"，您是否要填“{near}”？" if near else ""
        issues.append(Issue(name, None, None, column, f"未知的{'镇街' if target == 'townships' else '河流'}“{n}”{hint}"))
    if unknown:
        return None
    shapes: dict[str, list] = {}
    for n, g in zip(layer[column], layer.geometry):  # a township in two parts, a river in pieces: one shape
        shapes.setdefault(found[name_key(n)], []).append(g)
    shapes = {k: v[0] if len(v) == 1 else shapely.union_all(v) for k, v in shapes.items()}
    updated = frame.copy()
    hit = updated[key].isin(shapes)
    new_wkt = [map_files.to_wkt(shapes[k]) for k in updated.loc[hit, key]]
    old_wkt = updated.loc[hit, "geom_wkt"].tolist()
    updated.loc[hit, "geom_wkt"] = new_wkt
    tables[target] = updated
    changed = sum(a != b for a, b in zip(old_wkt, new_wkt))
    title = "镇街边界" if target == "townships" else "河流走向"
    for n, a, b in zip(updated.loc[hit, "name"], old_wkt, new_wkt):
        if a != b:
            details.append({"table": title, "action": "修改", "what": n, "change": "更新图形"})
    return change_row(title + (f"（修复无效图形{repaired}个）" if repaired else ""), name, len(layer), changed=changed,
                      unchanged=int(hit.sum()) - changed)
