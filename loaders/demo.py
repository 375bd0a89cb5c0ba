"""The demo district (示例数据): a fictional district at the scale of the Tongliang bulletin.

Deterministic for a seed. Everything here is invented: names, places, people and figures.
Lists of 2023 and 2024 (8 major projects, 178 tasks, 10 exposed problems a year, the 2023 figures of
the bulletin), 24 monthly notices, ~250 other problems a year and four years of monthly readings,
in which two rivers improve from Class Ⅴ to Ⅲ and two get worse.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point, Polygon

from riverchief import publishing, versions
from riverchief.dates import month_end
from riverchief.lights import with_lights
from riverchief.rectification import PATROLS_REQUIRED

DISTRICT = {"code": "000001", "name": "清溪区（示例）"}
CENTRE = (106.05, 29.85)
YEARS_OF_LISTS = (2023, 2024)
READING_YEARS = (2021, 2022, 2023, 2024)

TOWNS = [
    "白鹤镇", "柳溪镇", "石门镇", "青龙镇", "金竹镇", "双河镇", "太平镇", "兴隆镇", "永安镇", "龙泉镇",
    "高峰镇", "福禄镇", "平滩镇", "三星镇", "回龙镇", "丰乐镇", "临江镇", "东林镇", "西岭镇", "南屏镇",
    "凤凰镇", "长乐镇", "桃源镇", "水口镇",
]
STREETS = ["玉带街道", "文庙街道", "锦江街道", "新城街道"]
DEPARTMENTS = [
    "区水利局", "区生态环境局", "区住房城乡建委", "区农业农村委", "区城市管理局", "区规划自然资源局",
    "区林业局", "区交通局", "区发展改革委", "区财政局", "区公安分局", "区卫生健康委",
]
DISTRICT_RIVERS = [
    "玉带河", "清溪河", "白沙河", "石门河", "柳溪河", "青龙河", "金竹溪", "双河", "太平溪", "兴隆河",
    "永安河", "龙泉溪", "高峰河", "福禄溪", "平滩河", "三星河", "回龙溪", "丰乐河", "临江河", "东林溪",
    "西岭河", "南屏溪", "凤凰河", "长乐溪", "桃源河", "水口河",
]
RESERVOIRS = ["玉龙水库", "青山水库", "白云湖", "双龙湖"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["建国", "志强", "海燕", "晓东", "红梅", "国庆", "丽华", "永红", "德明", "春林", "文斌", "秀英"]

# Quantified task kinds: (title pattern, unit, lead department, 2023 total from the bulletin or None).
TASK_KINDS = [
    ("{r}河道整治", "米", "区水利局", 3360),
    ("{r}生态浮岛建设", "平方米", "区生态环境局", 10700),
    ("{r}水生植物种植", "平方米", "区生态环境局", 2700),
    ("{r}沿岸退化林修复", "亩", "区林业局", 1200),
    ("{r}流域污水管网建设", "公里", "区住房城乡建委", None),
    ("{r}入河排污口规范整治", "个", "区生态环境局", None),
    ("{r}岸线生态护坡建设", "米", "区水利局", None),
    ("{r}农村生活污水处理设施建设", "座", "区农业农村委", None),
    ("{r}畜禽养殖粪污资源化利用", "户", "区农业农村委", None),
]
COUNTED = {"个", "座", "户"}  # units counted in whole numbers
STANDING_KINDS = ["{r}河道清漂保洁", "{r}巡河护河常态化", "{r}“四乱”问题动态清零"]
MAJOR_2023 = [
    ("玉带河流域综合治理工程", 3200), ("城区雨污分流改造工程", 2150), ("清溪河水环境综合整治工程", 1500),
    ("镇级污水处理厂提标改造", 1100), ("农村生活污水治理三年行动", 850), ("玉龙水库饮用水水源地保护工程", 620),
    ("畜禽养殖污染综合整治", 400), ("白沙河生态修复工程", 247),
]
MAJOR_2024 = [
    ("玉带河城区段生态缓冲带建设", 2800), ("工业园区污水管网完善工程", 1900), ("场镇污水管网补短板工程", 1650),
    ("石门河流域面源污染治理", 980), ("青山水库库周环境整治", 760), ("河湖“清四乱”专项行动", 300),
    ("幸福河湖建设试点（柳溪河）", 1200), ("智慧河长平台建设", 480),
]
PROBLEM_KINDS = [
    "{t}{r}沿岸生活污水直排", "{r}河道内倾倒建筑垃圾", "{t}养殖场粪污直排{r}", "{r}岸边违规堆放渣土",
    "{t}{r}违规设置排污口", "{r}河道管理范围内违章建筑", "{t}餐饮废水偷排{r}", "{r}河道非法采砂",
    "{t}工业园区雨水管混排污水入{r}", "{r}沿岸生活垃圾乱堆乱倒",
]
OTHER_PROBLEM_KINDS = [
    "河面漂浮物未及时清理", "岸边生活垃圾堆放", "排污口异味", "河道内种植农作物", "沿河养殖污水渗漏",
    "河岸护栏损坏", "河长公示牌信息未更新", "河道淤积", "岸坡垮塌", "私设排污管道", "河道内堆放杂物",
    "沿河违规洗车废水", "农药包装废弃物丢弃", "病死畜禽丢弃河道",
]
RISK_NOTES = ["征地协调未完成", "资金尚未到位", "汛期影响施工", "设计方案调整", "涉及管线迁改"]


def _notices() -> list[dt.date]:
    return [month_end(year, month) for year in YEARS_OF_LISTS for month in range(1, 13)]


def _person(rng: np.random.Generator) -> str:
    return SURNAMES[rng.integers(len(SURNAMES))] + GIVEN[rng.integers(len(GIVEN))]


# --- geometry --------------------------------------------------------------------------------------

def _district_polygon(rng) -> Polygon:
    theta = np.linspace(0, 2 * np.pi, 160, endpoint=False)
    r = 1 + 0.12 * np.sin(3 * theta + 0.7) + 0.07 * np.cos(5 * theta + 1.9) + 0.03 * np.sin(11 * theta)
    r *= 1 + rng.normal(0, 0.008, len(theta))
    x = CENTRE[0] + 0.30 * r * np.cos(theta)
    y = CENTRE[1] + 0.22 * r * np.sin(theta)
    return Polygon(np.column_stack([x, y])).buffer(0)


def _townships(rng, district: Polygon) -> list[Polygon]:
    """Voronoi cells of seeds inside the district: they tile it exactly. Streets sit in the centre."""
    minx, miny, maxx, maxy = district.bounds
    seeds = [Point(CENTRE[0] + dx, CENTRE[1] + dy) for dx, dy in ((-.03, .02), (.03, .02), (-.02, -.025), (.03, -.02))]
    while len(seeds) < len(STREETS) + len(TOWNS):
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if district.buffer(-0.02).contains(p) and all(p.distance(q) > 0.065 for q in seeds):
            seeds.append(p)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=district.envelope.buffer(0.2))
    by_seed = []
    for s in seeds:
        cell = next(c for c in cells.geoms if c.contains(s))
        by_seed.append(cell.intersection(district))
    return by_seed


def _meander(rng, a: Point, b: Point, amp: float, waves: float) -> LineString:
    t = np.linspace(0, 1, 60)
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy)
    nx, ny = -dy / length, dx / length
    phase = rng.uniform(0, np.pi)
    offset = amp * length * np.sin(waves * np.pi * t + phase) * np.sin(np.pi * t)
    offset += np.cumsum(rng.normal(0, amp * length * 0.03, len(t))) * np.sin(np.pi * t)
    return LineString(np.column_stack([a.x + dx * t + nx * offset, a.y + dy * t + ny * offset]))


def _longest(geom) -> LineString:
    if geom.geom_type == "LineString":
        return geom
    return max(geom.geoms, key=lambda g: g.length)


def _rivers_geometry(rng, district: Polygon, n_district: int, n_township: int) -> list[LineString]:
    inner = district.buffer(-0.01)
    main = _longest(_meander(rng, Point(CENTRE[0] - 0.38, CENTRE[1] + 0.14),
                             Point(CENTRE[0] + 0.38, CENTRE[1] - 0.16), 0.08, 3.0).intersection(district))
    lines = [main]
    while len(lines) < n_district + n_township:
        township_level = len(lines) >= n_district
        host = lines[0] if (not township_level and rng.random() < 0.6) else lines[rng.integers(len(lines))]
        mouth = host.interpolate(rng.uniform(0.1, 0.9), normalized=True)
        reach = rng.uniform(0.025, 0.06) if township_level else rng.uniform(0.09, 0.2)
        angle = rng.uniform(0, 2 * np.pi)
        source = Point(mouth.x + reach * math.cos(angle), mouth.y + reach * math.sin(angle))
        if not inner.contains(source):
            continue
        line = _meander(rng, source, mouth, 0.12, rng.uniform(1.5, 3.5))
        if line.difference(host.buffer(0.004)).length < 0.8 * line.length:
            continue  # runs along its host instead of into it
        lines.append(_longest(line.intersection(district)))
    return lines


def _km(line: LineString) -> float:
    """Length in km on a local equirectangular approximation (good to <1% at district scale)."""
    xy = np.asarray(line.coords)
    kx = 111.32 * math.cos(math.radians(CENTRE[1]))
    return float(np.sum(np.hypot(np.diff(xy[:, 0]) * kx, np.diff(xy[:, 1]) * 110.57)))


def _township_of(point: Point, townships: list[Polygon]) -> int:
    return min(range(len(townships)), key=lambda i: townships[i].distance(point))


# --- reference tables ------------------------------------------------------------------------------

def _reference(rng):
    district = _district_polygon(rng)
    town_polys = _townships(rng, district)
    names = STREETS + TOWNS
    townships = pd.DataFrame({
        "township_id": [f"T{i + 1:02d}" for i in range(len(names))],
        "name": names,
        "kind": ["街道" if n.endswith("街道") else "镇" for n in names],
        "geom_wkt": [p.wkt for p in town_polys],
    })
    units = pd.concat([
        pd.DataFrame({"unit_id": townships["township_id"], "name": names, "kind": "镇街",
                      "township_id": townships["township_id"]}),
        pd.DataFrame({"unit_id": [f"D{i + 1:02d}" for i in range(len(DEPARTMENTS))], "name": DEPARTMENTS,
                      "kind": "部门", "township_id": None}),
    ], ignore_index=True)
    dept = dict(zip(DEPARTMENTS, units.loc[units["kind"] == "部门", "unit_id"]))

    n_town_rivers = 44
    lines = _rivers_geometry(rng, district, len(DISTRICT_RIVERS), n_town_rivers)
    river_rows = []
    for i, line in enumerate(lines):
        mid = line.interpolate(0.5, normalized=True)
        t = _township_of(mid, town_polys)
        if i < len(DISTRICT_RIVERS):
            name, level = DISTRICT_RIVERS[i], "区级"
            lead = dept["区水利局"] if i == 0 else (
                f"T{t + 1:02d}" if rng.random() < 0.6 else list(dept.values())[rng.integers(0, 4)])
            target = 3 if i not in (5, 9, 17) else 2
        else:
            base = names[t].removesuffix("街道").removesuffix("镇")
            name, level = f"{base}{'一二三四五六七八'[i % 8]}号溪" if rng.random() < 0.5 else f"{base}小河{i}", (
                "镇级" if rng.random() < 0.7 else "村级")
            lead, target = f"T{t + 1:02d}", 3
        host = next((j for j in range(i) if lines[j].distance(Point(line.coords[-1])) < 1e-6), None)
        river_rows.append({
            "river_id": f"R{i + 1:02d}", "name": name, "level": level, "length_km": round(_km(line), 2),
            "lead_unit_id": lead, "chief": _person(rng) if level == "区级" else None,
            "target_class": target, "township_id": f"T{t + 1:02d}",
            "parent_river_id": f"R{host + 1:02d}" if host is not None else None,
            "geom_wkt": shapely.set_precision(line, 1e-5).wkt,
        })
    rivers = pd.DataFrame(river_rows)

    section_rows = []

    def add_section(river_idx: int, at: float, name: str, body: str, target: int, level: str):
        p = lines[river_idx].interpolate(at, normalized=True)
        section_rows.append({
            "section_id": f"S{len(section_rows) + 1:02d}", "name": name, "river_id": f"R{river_idx + 1:02d}",
            "township_id": f"T{_township_of(p, town_polys) + 1:02d}", "lon": round(p.x, 5), "lat": round(p.y, 5),
            "water_body": body, "target_class": target, "control_level": level,
        })

    # Five sections on the main river, so it is judged by the share rule (≥5 sections).
    for k, at in enumerate((0.05, 0.3, 0.5, 0.7, 0.95)):
        add_section(0, at, f"玉带河{['入境', '城区上游', '城区', '城区下游', '出境'][k]}断面", "river", 3,
                    "国控" if k in (0, 4) else "市控")
    # One section on each district river, placed where a township has none yet (as offices set their
    # cross-border sections), so most townships' water can be assessed.
    covered = {row["township_id"] for row in section_rows}
    for i in range(1, len(DISTRICT_RIVERS)):
        spots = [(at, f"T{_township_of(lines[i].interpolate(at, normalized=True), town_polys) + 1:02d}")
                 for at in (0.9, 0.75, 0.6, 0.45, 0.3, 0.15)]
        at = next((a for a, t in spots if t not in covered), 0.9)
        covered.add(dict(spots)[at])
        add_section(i, at, f"{DISTRICT_RIVERS[i]}{'河口' if at == 0.9 else '跨界'}断面", "river",
                    int(rivers.loc[i, "target_class"]), "区控")
    for k, name in enumerate(RESERVOIRS):
        add_section(4 + 5 * k, 0.3, f"{name}库心", "lake", 3 if k else 2, "市控")
    sections = pd.DataFrame(section_rows)
    district_df = pd.DataFrame([{**DISTRICT, "geom_wkt": shapely.set_precision(district, 1e-5).wkt}])
    return district_df, townships, units, rivers, sections, lines


# --- water quality ---------------------------------------------------------------------------------

# Annual level of (TP, NH3-N) in mg/L by trajectory, for 2021..2024 (river TP; lakes scaled below).
TRAJECTORIES = {
    "improving": [(0.37, 1.85), (0.31, 1.45), (0.19, 0.88), (0.15, 0.70)],  # Ⅴ → stable Ⅲ
    "worsening": [(0.15, 0.70), (0.18, 0.85), (0.24, 1.15), (0.29, 1.40)],  # Ⅲ → Ⅳ
    "clean": [(0.016, 0.045), (0.015, 0.042), (0.014, 0.04), (0.013, 0.038)],  # Ⅰ–Ⅱ, below detection at times
    "good": [(0.10, 0.45), (0.095, 0.42), (0.09, 0.40), (0.091, 0.405)],
    "fair": [(0.17, 0.80), (0.165, 0.78), (0.16, 0.74), (0.163, 0.755)],  # flat: some years a little worse
    "poor": [(0.26, 1.25), (0.25, 1.20), (0.245, 1.15), (0.246, 1.16)],
}
TP_DETECTION, NH3N_DETECTION = 0.01, 0.025


def _trajectory(river_idx: int, body: str) -> str:
    if body == "lake":
        return "good"
    return {1: "improving", 2: "improving", 6: "worsening", 13: "worsening",
            5: "clean", 9: "clean", 17: "clean", 0: "good"}.get(river_idx, ["good", "fair", "fair", "poor"][river_idx % 4])


def _readings(rng, sections: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for s in sections.itertuples():
        river_idx = int(s.river_id[1:]) - 1
        levels = TRAJECTORIES[_trajectory(river_idx, s.water_body)]
        lake_tp = 0.35 if s.water_body == "lake" else 1.0
        for y_i, year in enumerate(READING_YEARS):
            for month in range(1, 13):
                # Rain in summer washes phosphorus in; cold low-flow winters keep ammonia up.
                season_tp = 1 + 0.22 * math.sin(2 * math.pi * (month - 4) / 12)
                season_n = 1 + 0.25 * math.cos(2 * math.pi * (month - 1) / 12)
                tp = levels[y_i][0] * lake_tp * season_tp * rng.lognormal(0, 0.12)
                nh3n = levels[y_i][1] * season_n * rng.lognormal(0, 0.14)
                do = 8.6 - 1.6 * math.sin(2 * math.pi * (month - 4) / 12) - 1.1 * levels[y_i][1] + rng.normal(0, 0.35)
                codmn = 2.2 + 2.4 * levels[y_i][1] + rng.normal(0, 0.3)
                tp_bdl, n_bdl = tp < TP_DETECTION, nh3n < NH3N_DETECTION
                rows.append({
                    "section_id": s.section_id,
                    "sampled_at": dt.datetime(year, month, int(rng.integers(5, 16)), int(rng.integers(8, 12))),
                    "tp": TP_DETECTION if tp_bdl else round(tp, 3), "tp_bdl": bool(tp_bdl),
                    "nh3n": NH3N_DETECTION if n_bdl else round(nh3n, 3), "nh3n_bdl": bool(n_bdl),
                    "codmn": round(max(codmn, 0.6), 1), "codmn_bdl": False, "do": round(max(do, 1.5), 1),
                    "method": "手工",
                })
                if s.control_level == "国控" and year >= AUTO_FROM:
                    rows += _station_month(s.section_id, year, month, tp, nh3n, codmn, do)
    return pd.DataFrame(rows)


AUTO_FROM = 2023  # the national sections' automatic stations report from this year, every 4 hours
STATION_DOWN = (2024, 8, 17)  # under maintenance until this day: too few valid days, the manual sample counts


def _station_month(section_id: str, year: int, month: int, tp: float, nh3n: float, codmn: float,
                   do: float) -> list[dict]:
    """An automatic station's readings of one month around the month's level, every 4 hours (its own random
    stream, so the rest of the demo draws what it drew before stations were added)."""
    rng = np.random.default_rng([year, month, int(section_id[1:])])
    first = STATION_DOWN[2] if (year, month) == STATION_DOWN[:2] else 1
    rows = []
    for day in range(first, calendar.monthrange(year, month)[1] + 1):
        for hour in range(0, 24, 4):
            noise = rng.lognormal(0, 0.08, 2)
            rows.append({"section_id": section_id, "sampled_at": dt.datetime(year, month, day, hour),
                         "tp": round(max(tp * noise[0], 0.005), 3), "tp_bdl": False,
                         "nh3n": round(max(nh3n * noise[1], 0.01), 3), "nh3n_bdl": False,
                         "codmn": round(max(codmn + rng.normal(0, 0.2), 0.6), 1), "codmn_bdl": False,
                         "do": round(max(do + rng.normal(0, 0.3), 1.5), 1), "method": "自动"})
    return rows


# --- items of the three lists ----------------------------------------------------------------------

def _split(rng, total: float, n: int, step: float) -> list[float]:
    """n positive amounts, multiples of `step`, adding up to `total` exactly."""
    w = rng.uniform(0.5, 1.5, n)
    parts = np.maximum(np.round(total * w / w.sum() / step) * step, step)
    parts[-1] = total - parts[:-1].sum()
    return [float(p) for p in parts]


def _pace(rng, struggling: bool = True) -> float:
    """How fast an item goes against its schedule. Most units keep pace; the few struggling ones (as in the
    bulletin: about six units a year lose points for lights) carry most of the slow items."""
    u = rng.random()
    if not struggling:
        return rng.uniform(0.98, 1.35) if u < 0.985 else rng.uniform(0.8, 0.92)
    if u < 0.84:
        return rng.uniform(0.98, 1.35)
    if u < 0.97:
        return rng.uniform(0.86, 0.95)
    return rng.uniform(0.5, 0.65)


def _simulate(rng, start: dt.date, deadline: dt.date | None, pace: float, notices: list[dt.date],
              stall: float = 0.08):
    """Reported progress at each notice: the pace against schedule, with stalls and catch-ups.

    Yields (notice, progress, done_date) from the item's first notice until the end of the notices.
    """
    progress, done_date = 0.0, None
    end = deadline or dt.date(start.year, 12, 31)
    span = max((end - start).days, 1)
    for notice in notices:
        if notice < dt.date(start.year, 1, 31):
            continue  # the lists are approved at the year's first meeting: on every notice from January
        if done_date is None and notice >= start:
            elapsed = (notice - start).days / span
            planned = pace * elapsed + rng.normal(0, 0.03)
            if rng.random() < stall:
                planned = progress  # a month with nothing reported done
            if notice > end:
                planned = progress + rng.uniform(0.06, 0.2)  # red light and supervision push it on
            progress = float(np.clip(max(progress, planned), 0, 1))
            if progress >= 0.995:
                progress = 1.0
                done_date = notice - dt.timedelta(days=int(rng.integers(0, 25)))
                done_date = max(done_date, start)
        yield notice, progress, done_date


STRUGGLING_UNITS = 5  # a year's units that fall behind (the late exposed problems' townships add a few more)


def _list_items(rng, year: int, rivers: pd.DataFrame, units: pd.DataFrame, notices: list[dt.date]):
    dept = dict(zip(units.loc[units["kind"] == "部门", "name"], units.loc[units["kind"] == "部门", "unit_id"]))
    struggling = set(rng.choice(units["unit_id"].to_numpy(), size=STRUGGLING_UNITS, replace=False))
    pace = lambda unit: _pace(rng, unit in struggling)  # noqa: E731
    district_rivers = rivers[rivers["level"] == "区级"].reset_index(drop=True)
    items = []  # static fields of each item

    majors = MAJOR_2023 if year == 2023 else MAJOR_2024
    major_units = ["区水利局", "区住房城乡建委", "区生态环境局", "区住房城乡建委", "区农业农村委", "区水利局",
                   "区农业农村委", "区林业局"]
    for k, (title, funds) in enumerate(majors):
        r = district_rivers.iloc[(k * 3) % len(district_rivers)]
        start = dt.date(year, int(rng.integers(1, 4)), 1)
        items.append(dict(item_id=f"ZD{year}-{k + 1:02d}", list="major", title=title, river_id=r.river_id,
                          township_id=r.township_id, unit_id=dept[major_units[k]], start_date=start,
                          deadline=dt.date(year, 12, 31), target_qty=None, target_unit=None,
                          funds_wan=float(funds), source=None, exposed=False, pace=pace(dept[major_units[k]]),
                          struggling=dept[major_units[k]] in struggling))

    # 178 one-river-one-policy tasks: the four kinds the bulletin totals first, then the rest.
    counts = [8, 10, 6, 8, 22, 26, 30, 22, 26]
    n_standing = 178 - sum(counts)
    seq = 0
    for kind_idx, (pattern, unit, lead, total_2023) in enumerate(TASK_KINDS):
        n = counts[kind_idx]
        if total_2023 is not None:
            total = total_2023 if year == 2023 else round(total_2023 * rng.uniform(0.8, 1.3), -1)
            amounts = _split(rng, total, n, 10 if unit != "亩" else 5)
        else:
            lo, hi, step = {"公里": (1, 9, 0.5), "个": (2, 12, 1), "米": (150, 900, 10), "座": (1, 6, 1),
                            "户": (10, 80, 1)}[unit]
            amounts = [float(round(rng.uniform(lo, hi) / step) * step) for _ in range(n)]
        for amount in amounts:
            seq += 1
            r = district_rivers.iloc[int(rng.integers(len(district_rivers)))]
            own = rng.random() < 0.55
            start = dt.date(year, int(rng.integers(1, 6)), int(rng.integers(1, 28)))
            deadline = month_end(year, int(rng.integers(max(start.month + 3, 6), 13)))
            unit_id = r.township_id if own else dept[lead]
            items.append(dict(item_id=f"YH{year}-{seq:03d}", list="task", title=pattern.format(r=r["name"]),
                              river_id=r.river_id, township_id=r.township_id,
                              unit_id=unit_id, start_date=start, deadline=deadline,
                              target_qty=amount, target_unit=unit, funds_wan=None, source=None, exposed=False,
                              pace=pace(unit_id), struggling=unit_id in struggling))
    for k in range(n_standing):
        seq += 1
        r = district_rivers.iloc[k % len(district_rivers)]
        items.append(dict(item_id=f"YH{year}-{seq:03d}", list="task",
                          title=STANDING_KINDS[k % len(STANDING_KINDS)].format(r=r["name"]),
                          river_id=r.river_id, township_id=r.township_id, unit_id=r.township_id,
                          start_date=dt.date(year, 1, 1), deadline=None, target_qty=None, target_unit=None,
                          funds_wan=None, source="长期坚持", exposed=False, pace=1.0,
                          struggling=r.township_id in struggling))

    # 10 exposed prominent problems (暗访曝光): in 2023, 7 rectified by December and 3 still in progress.
    towns = units[units["kind"] == "镇街"].reset_index(drop=True)
    for k in range(10):
        r = district_rivers.iloc[int(rng.integers(len(district_rivers)))]
        t = towns[towns["unit_id"] == r.township_id].iloc[0]
        exposed_on = dt.date(year, 2 + k if k < 7 else 8 + (k - 7), int(rng.integers(5, 25)))
        late = k >= 7
        deadline = exposed_on + dt.timedelta(days=int(rng.integers(150, 200) if late else rng.integers(60, 120)))
        title = PROBLEM_KINDS[k % len(PROBLEM_KINDS)].format(t=t["name"], r=r["name"])
        items.append(dict(item_id=f"TC{year}-{k + 1:02d}", list="problem", title=title, river_id=r.river_id,
                          township_id=r.township_id, unit_id=r.township_id, start_date=exposed_on,
                          deadline=deadline, target_qty=None, target_unit=None, funds_wan=None, source="暗访",
                          exposed=True, pace=rng.uniform(1.05, 1.4) if not late else rng.uniform(0.95, 1.05)))
    return items


def _item_snapshots(rng, items: list[dict], notices: list[dt.date]) -> list[dict]:
    rows = []
    for it in items:
        year = it["start_date"].year
        risky = 0.05 if it.get("struggling", True) else 0.015  # a unit's own flag: at risk of missing the deadline
        risk_from = notices[int(rng.integers(len(notices)))] if rng.random() < risky else None
        risk_note = RISK_NOTES[int(rng.integers(len(RISK_NOTES)))]
        spend_share = rng.uniform(0.85, 1.0)
        for notice, progress, done_date in _simulate(rng, it["start_date"], it["deadline"], it["pace"], notices,
                                                     stall=0.05 if it.get("struggling", True) else 0.02):
            if notice.year > year and done_date is not None and done_date.year == year:
                break  # finished within its year: off the next year's notices
            if notice.year > year and done_date is not None and done_date < notice.replace(day=1):
                break  # carried over, finished in an earlier month
            standing = it["deadline"] is None
            if standing and notice.year > year:
                break
            if it["list"] == "problem":
                status = ("已销号" if done_date and (notice - done_date).days > 20 else "已整改") if done_date else "整改中"
            else:
                status = "已完成" if done_date else ("未开始" if progress == 0 else "推进中")
            at_risk = (risk_from is not None and risk_from <= notice < risk_from + dt.timedelta(days=70)
                       and done_date is None)
            qty = it["target_qty"]
            done_qty = None if qty is None else float(np.round(progress * qty, 0 if it["target_unit"] in COUNTED else 1))
            rows.append({
                "notice_date": notice, "item_id": it["item_id"], "list": it["list"], "list_year": year,
                "title": it["title"], "river_id": it["river_id"], "township_id": it["township_id"],
                "unit_id": it["unit_id"], "start_date": it["start_date"], "deadline": it["deadline"],
                "target_qty": qty, "target_unit": it["target_unit"], "done_qty": done_qty,
                "progress": 0.0 if standing else progress, "status": "持续推进" if standing else status,
                "done_date": None if standing else done_date, "funds_wan": it["funds_wan"],
                "funds_spent_wan": None if it["funds_wan"] is None else round(it["funds_wan"] * progress * spend_share, 1),
                "source": it["source"], "exposed": it["exposed"], "at_risk": bool(at_risk),
                "at_risk_note": risk_note if at_risk else None,
                "month_reported": bool(rng.random() < (0.9 if it.get("struggling", True) else 0.99)) if standing else None,
                "co_unit_ids": None, "co_river_ids": None, "funds_plan_wan": it["funds_wan"],
                "override_light": None, "override_reason": None, "override_by": None, "override_at": None,
            })
    frame = pd.DataFrame(rows)
    # Two office overrides, kept with who, when and why (shown wherever the light shows).
    for pick, light, reason in (
        (frame[(frame["list"] == "task") & (frame["notice_date"] == dt.date(2024, 10, 31)) & frame["done_date"].isna()
               & frame["deadline"].notna()].index[:1], "yellow", "现场核查进度与上报不符，实际完成量低于上报量"),
        (frame[(frame["list"] == "problem") & (frame["notice_date"] == dt.date(2024, 11, 30))].index[:1], "red",
         "回头看发现问题反弹，群众再次举报"),
    ):
        frame.loc[pick, ["override_light", "override_reason", "override_by", "override_at"]] = [
            light, reason, "区河长办", pd.Timestamp(2024, 11, 28, 10)]
    return frame


def _problem_records(rng, rivers: pd.DataFrame, lines: list[LineString]) -> list[dict]:
    """Problems from patrols, complaints and inspection feedback: when found, fixed and closed."""
    records = []
    for year in YEARS_OF_LISTS:
        for _ in range(int(rng.integers(250, 290))):
            ri = int(rng.integers(len(rivers)))
            river = rivers.iloc[ri]
            p = lines[ri].interpolate(rng.uniform(0.05, 0.95), normalized=True)
            source = str(rng.choice(["巡河", "群众举报", "督察反馈"], p=[0.62, 0.25, 0.13]))
            severity = str(rng.choice(["一般", "较重", "严重"], p=[0.72, 0.23, 0.05]))
            found = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 350)))
            allowed = {"一般": 30, "较重": 45, "严重": 90}[severity]
            took = max(int(rng.lognormal(math.log(allowed * 0.6), 0.55)), 2)
            rectified = found + dt.timedelta(days=took)
            records.append(dict(
                problem_id=f"WT{year}-{len(records) + 1:04d}", river=river, lon=round(p.x, 5), lat=round(p.y, 5),
                source=source, severity=severity, found=found, deadline=found + dt.timedelta(days=allowed),
                chief_level=str(rng.choice(["区级", "镇级", "村级"], p=[0.12, 0.36, 0.52])) if source == "巡河" else None,
                rectified=rectified, closed=rectified + dt.timedelta(days=int(rng.integers(5, 25))), relapse=None,
                title=f"{river['name']}{OTHER_PROBLEM_KINDS[int(rng.integers(len(OTHER_PROBLEM_KINDS)))]}"))
    return records


def _lookbacks(rng, records: list[dict]) -> pd.DataFrame:
    """Quarterly look-back (回头看) of closed problems: ~32 a year, two of which relapse. A relapse
    re-opens the problem (changing the records in place); it is fixed and closed again later."""
    rows = []
    for year in YEARS_OF_LISTS:
        relapses = 0
        for quarter_end in (dt.date(year, 3, 31), dt.date(year, 6, 30), dt.date(year, 9, 30), dt.date(year, 12, 10)):
            closed = [r for r in records if r["closed"] < quarter_end - dt.timedelta(days=20) and r["relapse"] is None]
            for k in rng.choice(len(closed), size=min(8, len(closed)), replace=False):
                r = closed[int(k)]
                date = quarter_end - dt.timedelta(days=int(rng.integers(0, 15)))
                relapsed = relapses < 2 and quarter_end.month in (6, 9) and rng.random() < 0.3
                if relapsed:
                    relapses += 1
                    r["relapse"] = date
                    r["re_rectified"] = date + dt.timedelta(days=int(rng.integers(25, 60)))
                    r["re_closed"] = r["re_rectified"] + dt.timedelta(days=int(rng.integers(5, 20)))
                rows.append(dict(lookback_id=f"HT{year}-{len(rows) + 1:03d}", date=date, problem_id=r["problem_id"],
                                 result="反弹" if relapsed else "巩固", inspector="区河长办暗访组",
                                 notes="问题复现，重新交办整改" if relapsed else "整改成效巩固"))
    return pd.DataFrame(rows)


def _recurrences(rng, records: list[dict]) -> None:
    """A few problems reported again at the same place soon after closing, with no look-back: the
    suspected relapses the dashboard should flag by itself."""
    closed = [r for r in records if r["relapse"] is None and r["closed"] < dt.date(2024, 10, 1)]
    for k in rng.choice(len(closed), size=5, replace=False):
        old = closed[int(k)]
        found = old["closed"] + dt.timedelta(days=int(rng.integers(15, 80)))
        records.append({**old, "problem_id": f"WT{found.year}-{len(records) + 1:04d}", "found": found,
                        "deadline": found + dt.timedelta(days=30), "rectified": found + dt.timedelta(days=20),
                        "closed": found + dt.timedelta(days=30), "relapse": None, "source": "群众举报",
                        "chief_level": None, "lon": round(old["lon"] + 0.0004, 5), "lat": old["lat"]})


def _problem_state(r: dict, notice: dt.date) -> tuple[str, dt.date | None, dt.date | None, dt.date, dt.date | None]:
    """(status, rectified on, closed on, deadline, re-opened on) of a problem on a notice date."""
    if r["relapse"] is not None and notice >= r["relapse"]:
        deadline = r["relapse"] + dt.timedelta(days=30)
        if notice < r["re_rectified"]:
            return "反弹重办", None, None, deadline, r["relapse"]
        closed = r["re_closed"] if r["re_closed"] <= notice else None
        return ("已销号" if closed else "已整改"), r["re_rectified"], closed, deadline, r["relapse"]
    if r["rectified"] > notice:
        return ("已交办" if (notice - r["found"]).days < 7 else "整改中"), None, None, r["deadline"], None
    closed = r["closed"] if r["closed"] <= notice else None
    return ("已销号" if closed else "已整改"), r["rectified"], closed, r["deadline"], None


def _problem_snapshots(records: list[dict], notices: list[dt.date]) -> pd.DataFrame:
    rows = []
    for r in records:
        finally_closed = r["re_closed"] if r["relapse"] is not None else r["closed"]
        for notice in notices:
            if notice < r["found"] or notice.year > r["found"].year + 1:
                continue
            if notice.year > r["found"].year and finally_closed <= notice.replace(day=1):
                continue  # closed before this month: off next year's notices
            status, rectified, closed, deadline, reopened = _problem_state(r, notice)
            start = reopened or r["found"]
            elapsed = min((notice - start).days / max((r["rectified"] - r["found"]).days, 1), 1.0)
            rows.append({
                "notice_date": notice, "problem_id": r["problem_id"], "title": r["title"], "source": r["source"],
                "chief_level": r["chief_level"], "severity": r["severity"], "river_id": r["river"].river_id,
                "township_id": r["river"].township_id, "unit_id": r["river"].township_id, "lon": r["lon"],
                "lat": r["lat"], "found_date": r["found"], "deadline": deadline,
                "progress": 1.0 if rectified else round(float(np.clip(elapsed * 0.9, 0, 0.95)), 2),
                "status": status, "rectified_date": rectified, "closed_date": closed, "reopened_date": reopened,
            })
    return pd.DataFrame(rows)


def _chiefs(rivers: pd.DataFrame, rng) -> pd.DataFrame:
    """River chiefs at three levels: the district rivers' chiefs, and a chief for every township and
    village river (named here; the data model keeps only the patrols they make)."""
    rows = []
    for r in rivers.itertuples():
        name = r.chief if r.level == "区级" else _person(rng)
        rows.append(dict(chief=name, chief_level=r.level, river_id=r.river_id, township_id=r.township_id))
    return pd.DataFrame(rows)


def _patrols(rng, rivers: pd.DataFrame) -> pd.DataFrame:
    """Monthly patrols per chief: most do what is required, some fall short, a few patrol but never report
    a problem (the reminders the bulletin speaks of)."""
    rows = []
    chiefs = _chiefs(rivers, rng)
    for c in chiefs.itertuples():
        compliance = rng.choice([1.0, 0.8, 0.5], p=[0.7, 0.2, 0.1])
        finds = 0.0 if rng.random() < 0.12 else {"区级": 0.35, "镇级": 0.2, "村级": 0.1}[c.chief_level]
        for year in YEARS_OF_LISTS:
            for month in range(1, 13):
                n = rng.binomial(PATROLS_REQUIRED[c.chief_level], compliance)
                for _ in range(n):
                    found = int(rng.random() < finds)
                    rows.append(dict(patrol_id=f"XH{len(rows) + 1:06d}",
                                     date=dt.date(year, month, int(rng.integers(1, 29))), chief=c.chief,
                                     chief_level=c.chief_level, river_id=c.river_id, township_id=c.township_id,
                                     problems_reported=found, serious_reported=int(found and rng.random() < 0.25)))
    return pd.DataFrame(rows)


def build_tables(seed: int = 2023) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    district, townships, units, rivers, sections, lines = _reference(rng)
    notices = _notices()
    items = []
    for year in YEARS_OF_LISTS:
        items += _list_items(rng, year, rivers, units, notices)
    snapshots = _item_snapshots(rng, items, notices)
    records = _problem_records(rng, rivers, lines)
    lookbacks = _lookbacks(rng, records)
    _recurrences(rng, records)
    return {
        "district": district, "townships": townships, "units": units, "rivers": rivers, "sections": sections,
        "items": snapshots,
        "problems": _problem_snapshots(records, notices),
        "lookbacks": lookbacks,
        "patrols": _patrols(rng, rivers),
        "supervision": _supervision(rng, snapshots, units, rivers),
        "ratings": _ratings(rng, units),
        "complaints": _complaints(rng, units, rivers),
        "readings": _readings(rng, sections),
    }


def build_demo(root: Path, seed: int = 2023) -> versions.Version:
    return publishing.publish(root, build_tables(seed), source=f"示例数据（随机种子 {seed}）", created_by="python -m loaders demo",
                         demo=True)


def _supervision(rng, items: pd.DataFrame, units: pd.DataFrame, rivers: pd.DataFrame) -> pd.DataFrame:
    """督办 records following the lights: instructions on red items, interviews of units that stay red,
    reminders of units newly yellow, and the monthly written notice — at the bulletin's yearly scale
    (45 instructions, 6 interviews, 8 reminders)."""
    lit = with_lights(items)
    names = dict(zip(units["unit_id"], units["name"]))
    chiefs = dict(zip(rivers["river_id"], rivers["chief"]))
    rows = []

    def add(kind, date, notice, unit, item, by_whom, person, content):
        rows.append(dict(record_id=f"DB{len(rows) + 1:04d}", kind=kind, date=date, notice_date=notice,
                         unit_id=unit, item_id=item, by_whom=by_whom, person=person, content=content))

    notices = sorted(lit["notice_date"].unique())
    previous = {}
    runs: dict[str, int] = {}
    interviewed: set = set()
    for notice in notices:
        now = lit[lit["notice_date"] == notice]
        sent = notice + dt.timedelta(days=int(rng.integers(3, 8)))
        add("通报", sent, notice, None, None, "区河长办", None, f"{notice.year}年{notice.month}月“三色”亮灯情况通报")
        for r in now.itertuples():
            runs[r.item_id] = runs.get(r.item_id, 0) + 1 if r.light == "red" else 0
            was = previous.get(r.item_id)
            if (r.light == "red" and was != "red") or (r.light == "yellow" and was == "green" and (
                    r.list == "major" or rng.random() < 0.2)):
                chief = chiefs.get(r.river_id) or "区总河长"
                add("批示", sent + dt.timedelta(days=int(rng.integers(1, 6))), notice, r.unit_id, r.item_id,
                    f"区级河长 {chief}" if chief != "区总河长" else chief, None,
                    f"请{names[r.unit_id]}倒排工期，{['月底前', '下月15日前', '限期'][int(rng.integers(3))]}完成整改并报送进展")
            if r.light == "red" and runs[r.item_id] == 2 and (r.unit_id, notice.year) not in interviewed:
                interviewed.add((r.unit_id, notice.year))  # a unit head is interviewed once a year
                add("约谈", sent + dt.timedelta(days=int(rng.integers(5, 12))), notice, r.unit_id, r.item_id,
                    "区总河长", f"{names[r.unit_id]}主要负责人", "连续两个月亮红灯，约谈责任单位主要负责人")
        yellow_units = now[(now["light"] == "yellow") & now["item_id"].map(lambda i: previous.get(i) == "green")]
        for unit, g in yellow_units.groupby("unit_id"):
            if len(g) >= 2:
                add("提醒", sent + dt.timedelta(days=1), notice, unit, g["item_id"].iloc[0], "区河长办",
                    f"{names[unit]}分管负责人", f"{len(g)}项事项新亮黄灯，提醒加快推进")
        previous = dict(zip(now["item_id"], now["light"]))
    return pd.DataFrame(rows)


def _ratings(rng, units: pd.DataFrame) -> pd.DataFrame:
    """The district chiefs' year-end rating of every unit, as the bulletin's year: 7 townships and 4
    departments 较好, one of each 一般, the others 好."""
    rows = []
    for y in YEARS_OF_LISTS:
        for kind, fair in (("镇街", 7), ("部门", 4)):
            ids = rng.permutation(units.loc[units["kind"] == kind, "unit_id"].to_numpy())
            rows += [dict(year=y, unit_id=u, rating="较好" if k < fair else "一般" if k == fair else "好",
                          by_whom="区总河长") for k, u in enumerate(ids)]
    return pd.DataFrame(rows)


def _complaints(rng, units: pd.DataFrame, rivers: pd.DataFrame) -> pd.DataFrame:
    """Public complaints that came back: most rectified in the end, a few not, one or two with a
    negative impact (a news report)."""
    towns = units[units["kind"] == "镇街"]["unit_id"].tolist()
    district = rivers[rivers["level"] == "区级"]
    rows = []
    for year in YEARS_OF_LISTS:
        for k in range(int(rng.integers(12, 18))):
            r = district.iloc[int(rng.integers(len(district)))]
            unit = r.township_id if r.township_id in towns else towns[int(rng.integers(len(towns)))]
            rows.append(dict(complaint_id=f"JB{year}-{k + 1:03d}",
                             date=dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 360))),
                             unit_id=unit, river_id=r.river_id,
                             title=f"群众再次举报{r['name']}{['异味', '垃圾堆放', '污水直排', '河面漂浮物'][int(rng.integers(4))]}",
                             repeated=True, rectified=bool(rng.random() < 0.7), negative_impact=bool(rng.random() < 0.08)))
    return pd.DataFrame(rows)
