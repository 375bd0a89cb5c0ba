#!/usr/bin/env python
"""Write the files of a fictional county (松溪县) River Chief Office, as the office keeps them.

Usage: python songxi.py OUT_DIR EXPECTED_JSON   (counts, 2025 means, five sample items)

Written for acceptance by someone playing the county's IT person, who read only the README and docs/DOMAIN
and never the import code (tests/test_offices.py imports these files and compares with EXPECTED_JSON).
"""
import csv
import json
import os
import random
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Polygon

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/unseen2/files")
EXPECTED = Path(sys.argv[2] if len(sys.argv) > 2 else "expected.json")
OUT.mkdir(parents=True, exist_ok=True)
rng = random.Random(20251009)

FOOTER = ["填表人：陈晓丽    审核人：刘建国    联系电话：0591-6323815",
          "填报日期：2025年10月9日"]


def write_csv(name, title, header, rows, footer=True):
    """GBK CSV as Excel on a Chinese Windows saves it: title row padded with commas, CRLF."""
    n = len(header)
    pad = lambda r: list(r) + [""] * (n - len(r))
    with open(OUT / name, "w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow(pad([title]))
        w.writerow(header)
        for r in rows:
            w.writerow(pad(r))
        if footer:  # habit: sign-off lines under the table
            w.writerow(pad([]))
            for line in FOOTER:
                w.writerow(pad([line]))


# ---------------------------------------------------------------- townships
TOWNSHIPS = [  # name, kind, code, area km2, villages, chief
    ("城关镇", "镇", "439921100000", 86.4, 14, "黄志明"),
    ("溪口镇", "镇", "439921101000", 112.7, 11, "吴海燕"),
    ("龙潭镇", "镇", "439921102000", 98.2, 9, "郑国平"),
    ("白沙镇", "镇", "439921103000", 104.5, 10, "林文斌"),
    ("桃源镇", "镇", "439921104000", 91.3, 8, "何春梅"),
    ("马鞍镇", "镇", "439921105000", 123.8, 12, "杨立新"),
    ("石门乡", "乡", "439921200000", 76.9, 6, "许志强"),
    ("青林乡", "乡", "439921201000", 88.1, 7, "罗丽华"),
    ("东坝乡", "乡", "439921202000", 69.4, 5, "谢永辉"),
    ("清水乡", "乡", "439921203000", 72.6, 6, "蔡德胜"),
]
write_csv("松溪县乡镇名单.csv", "松溪县乡（镇）基本情况表",
          ["序号", "乡镇名称", "类别", "统计用区划代码", "面积（平方公里）", "行政村（社区）数", "乡镇总河长"],
          [[i + 1, n, k, c, a, v, ch] for i, (n, k, c, a, v, ch) in enumerate(TOWNSHIPS)])

# ---------------------------------------------------------------- units
UNITS = [("县水利局", "江志华", "0591-6322101"), ("县生态环境局", "朱丽萍", "0591-6322356"),
         ("县农业农村局", "方建军", "0591-6322478"), ("县住房和城乡建设局", "宋海涛", "0591-6322590"),
         ("县自然资源局", "潘晓东", "0591-6322633"), ("县林业局", "钟玉兰", "0591-6322715")]
write_csv("县级河长制成员单位名单.csv", "松溪县河长制成员单位及联络员名单",
          ["序号", "单位名称", "单位性质", "联络员", "联系电话"],
          [[i + 1, u, "县直部门", p, t] for i, (u, p, t) in enumerate(UNITS)])

# ---------------------------------------------------------------- rivers
RIVERS = [  # name, level, parent ("/" = none, habit), length km, townships, chief, lead unit
    ("松溪", "县级", "/", 62.5, ["溪口镇", "城关镇", "龙潭镇", "白沙镇", "马鞍镇"], "县长 王建华", "县水利局"),
    ("溪口河", "县级", "松溪", 28.3, ["桃源镇", "溪口镇"], "副县长 李明", "县生态环境局"),
    ("龙潭河", "县级", "松溪", 24.1, ["石门乡", "龙潭镇"], "副县长 张卫东", "县农业农村局"),
    ("白沙河", "县级", "松溪", 19.6, ["东坝乡", "白沙镇"], "副县长 陈秀英", "县住房和城乡建设局"),
    ("桃源溪", "县级", "溪口河", 15.2, ["清水乡", "桃源镇"], "副县长 刘志刚", "县自然资源局"),
    ("石门河", "乡级", "龙潭河", 12.8, ["石门乡"], "乡长 许志强", "县林业局"),
    ("青林河", "乡级", "松溪", 11.4, ["青林乡", "城关镇"], "乡长 罗丽华", "县水利局"),
    ("东坝溪", "乡级", "白沙河", 9.7, ["东坝乡"], "乡长 谢永辉", "县生态环境局"),
    ("马鞍河", "乡级", "松溪", 13.5, ["马鞍镇"], "镇长 杨立新", "县农业农村局"),
    ("清水溪", "乡级", "桃源溪", 8.2, ["清水乡"], "乡长 蔡德胜", "县林业局"),
]
write_csv("松溪县河流名录.csv", "松溪县河流名录（县级、乡级河流）",
          ["序号", "河流名称", "河流级别", "汇入河流", "河长（公里）", "流经乡镇", "河长姓名及职务", "牵头单位"],
          [[i + 1, n, lv, p, L, "、".join(ts), ch, lu] for i, (n, lv, p, L, ts, ch, lu) in enumerate(RIVERS)])

# ---------------------------------------------------------------- geometry: townships as a 5x2 grid
LON0, LAT0, DLON, DLAT = 113.10, 26.60, 0.07, 0.125
GRID = {  # township -> (col, row)
    "桃源镇": (0, 1), "溪口镇": (1, 1), "城关镇": (2, 1), "青林乡": (3, 1), "马鞍镇": (4, 1),
    "清水乡": (0, 0), "石门乡": (1, 0), "龙潭镇": (2, 0), "东坝乡": (3, 0), "白沙镇": (4, 0),
}


def cell(t, fx=0.5, fy=0.5):
    c, r = GRID[t]
    return (round(LON0 + (c + fx) * DLON, 6), round(LAT0 + (r + fy) * DLAT, 6))


polys = []
for n, k, code, area, v, ch in TOWNSHIPS:
    c, r = GRID[n]
    x0, y0 = LON0 + c * DLON, LAT0 + r * DLAT
    polys.append(Polygon([(x0, y0), (x0 + DLON, y0), (x0 + DLON, y0 + DLAT), (x0, y0 + DLAT)]))
gdf = gpd.GeoDataFrame({"XZMC": [t[0] for t in TOWNSHIPS], "XZDM": [t[2][:9] for t in TOWNSHIPS],
                        "MJ": [t[3] for t in TOWNSHIPS]}, geometry=polys, crs="EPSG:4490")
shp_dir = OUT / "_shp_tmp"
shp_dir.mkdir(exist_ok=True)
gdf.to_file(shp_dir / "xzj.shp", driver="ESRI Shapefile", encoding="GBK")
for p in shp_dir.glob("xzj.cpg"):
    p.unlink()  # the office's copy never had a .cpg
raw = (shp_dir / "xzj.dbf").read_bytes()
assert "城关镇".encode("gbk") in raw, "dbf not GBK"
with zipfile.ZipFile(OUT / "松溪县乡镇界.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for p in sorted(shp_dir.iterdir()):
        z.write(p, p.name)
for p in shp_dir.iterdir():
    p.unlink()
shp_dir.rmdir()

# rivers as KML (Google Earth / 奥维 export), lines through their townships
def river_line(ts, wobble):
    pts = []
    for i, t in enumerate(ts):
        for fx in (0.15, 0.5, 0.85):
            x, y = cell(t, fx, 0.5 + wobble * (0.2 if (i + fx) % 1 < 0.5 else -0.2))
            pts.append((x, y))
    return pts


kml = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<kml xmlns="http://www.opengis.net/kml/2.2">', "<Document>", "<name>松溪县河流水系</name>"]
for level in ("县级", "乡级"):
    kml.append(f"<Folder><name>{level}河流</name>")
    for i, (n, lv, p, L, ts, ch, lu) in enumerate(RIVERS):
        if lv != level:
            continue
        pts = river_line(ts, 0.3 + 0.05 * i)
        coords = " ".join(f"{x:.6f},{y:.6f},0" for x, y in pts)
        kml.append(f"<Placemark><name>{n}</name><description>{lv}河流，长{L}公里，河长：{ch}</description>"
                   f"<Style><LineStyle><color>ffff0000</color><width>3</width></LineStyle></Style>"
                   f"<LineString><tessellate>1</tessellate><coordinates>{coords}</coordinates></LineString></Placemark>")
    kml.append("</Folder>")
kml += ["</Document>", "</kml>"]
(OUT / "松溪县河流水系.kml").write_text("\n".join(kml), encoding="utf-8")

# ---------------------------------------------------------------- sections
SECTIONS = [  # name, code, river, township, target, kind, TP base, NH3N base
    ("溪口桥断面", "SX01", "松溪", "溪口镇", "Ⅱ类", "省控", 0.06, 0.22),
    ("城关大桥断面", "SX02", "松溪", "城关镇", "Ⅲ类", "省控", 0.12, 0.45),
    ("马鞍出境断面", "SX03", "松溪", "马鞍镇", "Ⅲ类", "省控", 0.15, 0.60),
    ("溪口河口断面", "SX04", "溪口河", "溪口镇", "Ⅲ类", "县控", 0.18, 0.75),
    ("龙潭河汇口断面", "SX05", "龙潭河", "龙潭镇", "Ⅲ类", "县控", 0.22, 0.95),
    ("白沙桥断面", "SX06", "白沙河", "白沙镇", "Ⅲ类", "县控", 0.26, 1.20),
    ("桃源断面", "SX07", "桃源溪", "桃源镇", "Ⅲ类", "县控", 0.10, 0.40),
    ("石门断面", "SX08", "石门河", "石门乡", "Ⅱ类", "县控", 0.025, 0.06),
    ("青林断面", "SX09", "青林河", "青林乡", "Ⅱ类", "县控", 0.03, 0.09),
    ("东坝断面", "SX10", "东坝溪", "东坝乡", "Ⅲ类", "县控", 0.20, 0.85),
]
sec_rows = []
for i, (n, code, rv, t, tgt, kind, *_ ) in enumerate(SECTIONS):
    x, y = cell(t, 0.3 + 0.04 * i, 0.45)
    sec_rows.append([i + 1, n, code, rv, t, x, y, tgt, kind])
write_csv("松溪县水质监测断面一览表.csv", "松溪县地表水水质监测断面一览表",
          ["序号", "断面名称", "断面编码", "所在河流", "所在乡镇", "X坐标", "Y坐标", "水质目标", "断面级别"],
          sec_rows)

# ---------------------------------------------------------------- readings 2025-01..09
DL = {"TP": 0.01, "NH3N": 0.025}
MISSING = {("东坝断面", 2), ("青林断面", 8)}  # 断流 / not sampled: simply no row
BELOW_TP = {("石门断面", 1), ("石门断面", 2), ("青林断面", 1)}   # lab reported < detection limit
BELOW_NH = {("石门断面", 1), ("石门断面", 3), ("石门断面", 12), ("青林断面", 2)}
read_rows, tp_vals, nh_vals = [], [], []
for n, code, rv, t, tgt, kind, tpb, nhb in SECTIONS:
    for m in range(1, 10):
        if (n, m) in MISSING:
            continue
        day = rng.randint(5, 14)
        date = f"2025年{m}月{day}日" if kind == "县控" else f"2025/{m}/{day}"  # two labs, two habits
        season = 1.25 if m in (6, 7, 8) else 1.0
        tp = min(0.4, max(0.02, tpb * season * rng.uniform(0.7, 1.3)))
        nh = min(2.0, max(0.05, nhb * rng.uniform(0.7, 1.3) * (1.1 if m in (1, 2) else 1.0)))
        cod = round(min(8, max(2, 2.2 + tpb * 16 * rng.uniform(0.8, 1.2))), 1)
        do = round(min(9, max(4, 8.6 - tpb * 10 - (1.0 if m in (6, 7, 8) else 0) + rng.uniform(-0.4, 0.4))), 1)
        if (n, m) in BELOW_TP:
            tp = 0.0
        if (n, m) in BELOW_NH:
            nh = 0.0
        if tp < DL["TP"]:
            tp_s, tp_v = "<0.01", DL["TP"] / 2
        else:
            tp_s = f"{tp:.3f}"; tp_v = float(tp_s)
        if nh < DL["NH3N"]:
            nh_s, nh_v = "<0.025", DL["NH3N"] / 2
        else:
            nh_s = f"{nh:.3f}"; nh_v = float(nh_s)
        tp_vals.append(tp_v); nh_vals.append(nh_v)
        read_rows.append([n, date, tp_s, nh_s, f"{cod:.1f}", f"{do:.1f}"])
# the office sorts by date then section as received from the labs, not strictly
write_csv("2025年1-9月地表水监测数据.csv", "松溪县2025年1-9月地表水水质监测结果（单位：mg/L）",
          ["断面名称", "监测日期", "总磷", "氨氮", "高锰酸盐指数", "溶解氧"], read_rows)
below = sum(1 for r in read_rows if r[2].startswith("<") or r[3].startswith("<"))

# ---------------------------------------------------------------- the three lists (notice 2025-09)
# 问题清单 (prominent problems)
PROBLEMS = [  # source, river, township, title, measure, lead, co, found, deadline, progress, note
    ("暗访巡查", "松溪", "城关镇", "城关大桥下游右岸生活污水直排口", "截污纳管，接入城区污水管网", "县住房和城乡建设局", "城关镇",
     "2025/3/5", "2025/6/30", "已完成", "", (1.0, "2025-03-05", "2025-06-30")),
    ("暗访巡查", "溪口河", "溪口镇", "溪口河沿岸垃圾乱堆乱放", "清理垃圾，设置警示牌，纳入保洁范围", "溪口镇", "/",
     "25.3.12", "25.4.30", "已完成100%", "", (1.0, "2025-03-12", "2025-04-30")),
    ("督察反馈", "龙潭河", "龙潭镇", "龙潭河养殖场养殖废水超标排放", "关停整改，配套建设粪污处理设施", "县农业农村局", "县生态环境局、龙潭镇",
     "2025年3月20日", "2025年9月30日", "已完成60%", "", (0.6, "2025-03-20", "2025-09-30")),
    ("暗访巡查", "白沙河", "白沙镇", "白沙河河道非法采砂", "依法查处，恢复河床", "县水利局牵头，各乡镇配合", "/",
     "2025/4/8", "2025/8/31", "６０％", "", (0.6, "2025-04-08", "2025-08-31")),
    ("督察反馈", "松溪", "马鞍镇", "马鞍镇污水处理厂出水总磷超标", "提标改造，加强运行管理", "县住房和城乡建设局", "县生态环境局",
     "25.4.15", "25.12.31", "0.45", "", (0.45, "2025-04-15", "2025-12-31")),
    ("群众举报", "东坝溪", "东坝乡", "东坝溪河岸违建养鸭棚", "拆除违建，复绿", "东坝乡", "县自然资源局",
     "2025年5月6日", "2025年7月31日", "已完成", "", (1.0, "2025-05-06", "2025-07-31")),
    ("暗访巡查", "桃源溪", "桃源镇", "桃源溪上游农药包装废弃物散落", "集中回收处置", "县农业农村局", "桃源镇",
     "2025/5/20", "2025/10/31", "已完成30%", "", (0.3, "2025-05-20", "2025-10-31")),
    ("督察反馈", "青林河", "青林乡", "青林河岸坡水土流失", "实施生态护坡", "县水利局", "县林业局、青林乡",
     "25.6.3", "25.11.30", "未启动", "", (0.0, "2025-06-03", "2025-11-30")),
    ("暗访巡查", "马鞍河", "马鞍镇", "马鞍河支沟工业固废倾倒", "清运处置，追责", "县生态环境局", "马鞍镇",
     "2025年6月18日", "2025年8月31日", "", "已撤销", None),
    ("群众举报", "石门河", "石门乡", "石门河拦河坝阻断水系连通", "拆除废弃拦河坝", "县水利局牵头，各乡镇配合", "/",
     "2025/7/2", "2025/12/31", "0.2", "", (0.2, "2025-07-02", "2025-12-31")),
]
write_csv("松溪县2025年河长制问题清单.csv", "松溪县2025年度河长制问题清单（截至2025年9月30日）",
          ["序号", "问题来源", "河流名称", "所在乡镇", "问题描述", "整改措施", "责任单位（牵头）", "配合单位",
           "发现时间", "整改时限", "整改进度", "备注"],
          [[i + 1, *p[:11]] for i, p in enumerate(PROBLEMS)])

# 任务清单 (one river one policy) — month only in the file name; habit: river only on group rows
TASKS = {
    "一、松溪（县级河长：王建华）": [
        ("松溪城区段生态护岸建设", "新建生态护岸2.4公里", "县水利局", "城关镇", "2025/2/10", "2025/11/30", "已完成60%", "",
         (0.6, "2025-02-10", "2025-11-30")),
        ("松溪沿线入河排污口排查整治", "排查整治排污口36个", "县生态环境局", "溪口镇、城关镇、马鞍镇", "25.3.1", "25.9.30", "已完成", "",
         (1.0, "2025-03-01", "2025-09-30")),
        ("马鞍镇污水管网延伸工程", "新建污水管网5.6公里", "县住房和城乡建设局", "马鞍镇", "2025年4月1日", "2025年12月31日", "６０％", "",
         (0.6, "2025-04-01", "2025-12-31")),
    ],
    "二、溪口河（县级河长：李明）": [
        ("溪口河水生植物种植", "种植水生植物3200平方米", "县生态环境局", "溪口镇", "2025/3/15", "2025/10/31", "0.7", "",
         (0.7, "2025-03-15", "2025-10-31")),
        ("溪口河清淤疏浚", "清淤1.8万立方米", "县水利局牵头，各乡镇配合", "/", "25.1.10", "25.5.31", "已完成", "",
         (1.0, "2025-01-10", "2025-05-31")),
    ],
    "三、龙潭河（县级河长：张卫东）": [
        ("龙潭河流域畜禽养殖污染治理", "规模养殖场粪污处理设施配套率100%", "县农业农村局", "龙潭镇、石门乡", "2025年2月20日", "2025年10月31日", "已完成40%", "",
         (0.4, "2025-02-20", "2025-10-31")),
        ("龙潭河水源涵养林建设", "营造水源涵养林600亩", "县林业局", "龙潭镇", "2025/3/1", "2025/6/30", "", "已撤销", None),
    ],
    "四、白沙河（县级河长：陈秀英）": [
        ("白沙河农村生活污水治理", "完成6个行政村污水治理", "县住房和城乡建设局", "白沙镇、东坝乡", "25.3.20", "25.12.31", "0.5", "",
         (0.5, "2025-03-20", "2025-12-31")),
        ("白沙河岸线违建清理", "清理违建12处", "县自然资源局", "白沙镇", "2025年5月10日", "2025年8月31日", "已完成80%", "",
         (0.8, "2025-05-10", "2025-08-31")),
    ],
    "五、桃源溪（县级河长：刘志刚）": [
        ("桃源溪生态缓冲带建设", "建设生态缓冲带1.2公里", "县自然资源局", "桃源镇、清水乡", "2025/4/1", "2025/11/30", "３０％", "",
         (0.3, "2025-04-01", "2025-11-30")),
        ("桃源溪化肥农药减量", "化肥农药使用量减少3%", "县农业农村局", "桃源镇", "25.2.1", "25.12.31", "未启动", "",
         (0.0, "2025-02-01", "2025-12-31")),
    ],
}
task_rows, k = [], 0
for group, items in TASKS.items():
    task_rows.append([group])
    for it in items:
        k += 1
        task_rows.append([k, *it[:8]])
write_csv("2025年9月任务清单.csv", "松溪县2025年度“一河一策”任务清单",
          ["序号", "任务名称", "任务目标", "责任单位（牵头）", "配合单位", "开始时间", "完成时限", "完成进度", "备注"],
          task_rows)

# 责任清单 (standing responsibilities, deadline 长期)
DUTIES = [
    ("松溪", "河道日常保洁", "河面漂浮物及岸坡垃圾日产日清", "城关镇", "溪口镇、马鞍镇", "2025/1/1", "长期", "已落实", ""),
    ("溪口河", "河道日常保洁", "落实保洁员，每周巡查不少于3次", "溪口镇", "/", "2025/1/1", "长期", "已落实", ""),
    ("松溪", "入河排污口监管", "每月抽查入河排污口不少于5个", "县生态环境局", "各乡镇", "2025/1/1", "长期", "已落实", ""),
    ("龙潭河", "河道采砂管理", "严厉打击非法采砂，每月巡查", "县水利局牵头，各乡镇配合", "/", "25.1.1", "长期", "未落实", ""),
    ("白沙河", "畜禽养殖巡查", "禁养区复养巡查", "县农业农村局", "白沙镇", "2025年1月1日", "长期", "已落实", ""),
    ("桃源溪", "河岸林木管护", "河岸林木管护，防止乱砍滥伐", "县林业局", "桃源镇", "2025/1/1", "长期", "已落实", ""),
    ("石门河", "河长巡河", "乡级河长每月巡河不少于1次", "石门乡", "/", "2025/1/1", "长期", "", "已撤销"),
    ("青林河", "河道日常保洁", "河面漂浮物及岸坡垃圾日产日清", "青林乡", "/", "2025/1/1", "长期", "已落实", ""),
]
write_csv("松溪县2025年河长制责任清单.csv", "松溪县2025年河长制责任清单（9月）",
          ["序号", "河流", "责任事项", "具体要求", "责任单位（牵头）", "配合单位", "起始时间", "完成时限", "本月落实情况", "备注"],
          [[i + 1, *d] for i, d in enumerate(DUTIES)])

# ---------------------------------------------------------------- 12345 complaints ledger
COMPLAINTS = [  # date, content, river, township, handler, status, closed, note
    ("2025/1/8 09:12", "反映城关大桥下有污水排入松溪，有异味", "松溪", "城关镇", "县住房和城乡建设局", "已办结", "2025/1/20", ""),
    ("2025/1/23 15:40", "溪口河岸边堆放建筑垃圾", "溪口河", "溪口镇", "溪口镇", "已办结", "2025/2/5", ""),
    ("2025/2/14 10:05", "龙潭河有死鱼漂浮", "龙潭河", "龙潭镇", "县生态环境局", "已办结", "2025/2/18", ""),
    ("2025/2/27 08:31", "白沙河夜间有人非法采砂", "白沙河", "白沙镇", "县水利局", "已办结", "2025/3/15", ""),
    ("2025/3/11 14:22", "养殖场废水流入龙潭河", "龙潭河", "龙潭镇", "县农业农村局", "办理中", "/", ""),
    ("2025/3/11 16:02", "养殖场废水流入龙潭河（重复来电）", "龙潭河", "龙潭镇", "县农业农村局", "/", "/", "已撤销"),
    ("2025/3/29 11:47", "东坝溪边有人搭建鸭棚", "东坝溪", "东坝乡", "东坝乡", "已办结", "2025/7/25", ""),
    ("2025/4/16 09:55", "桃源溪上游河水发黄浑浊", "桃源溪", "桃源镇", "县生态环境局", "已办结", "2025/4/28", ""),
    ("2025/5/2 17:18", "马鞍河支沟有人倾倒工业废渣", "马鞍河", "马鞍镇", "县生态环境局", "已办结", "2025/5/30", ""),
    ("2025/5/21 10:36", "青林河护岸垮塌", "青林河", "青林乡", "县水利局", "办理中", "/", ""),
    ("2025/6/9 08:50", "松溪马鞍段水面大量漂浮垃圾", "松溪", "马鞍镇", "马鞍镇", "已办结", "2025/6/12", ""),
    ("2025/6/30 13:14", "清水溪上游有人电鱼", "清水溪", "清水乡", "县农业农村局", "已办结", "2025/7/10", ""),
    ("2025/7/15 15:03", "石门河拦河坝导致下游断流", "石门河", "石门乡", "县水利局", "办理中", "/", ""),
    ("2025/7/28 09:27", "城关镇老街排水沟污水直排青林河", "青林河", "城关镇", "县住房和城乡建设局", "办理中", "/", ""),
    ("2025/8/6 18:40", "白沙河河道内种植农作物", "白沙河", "白沙镇", "白沙镇", "已办结", "2025/8/20", ""),
    ("2025/8/19 10:11", "溪口河口附近有人洗车污水入河", "溪口河", "溪口镇", "溪口镇", "已办结", "2025/8/26", ""),
    ("2025/9/3 14:58", "松溪城关段岸边树木被砍伐", "松溪", "城关镇", "县林业局", "已办结", "2025/9/19", ""),
    ("2025/9/22 09:06", "桃源溪沿岸农户焚烧秸秆灰烬入河", "桃源溪", "桃源镇", "桃源镇", "办理中", "/", ""),
]
cpl_rows = []
for i, (d, c, rv, t, h, st, cl, note) in enumerate(COMPLAINTS):
    m, dd = d.split()[0].split("/")[1:3]
    cpl_rows.append([i + 1, f"SX2025{int(m):02d}{int(dd):02d}{i + 1:04d}", d, c, rv, t, h, st, cl,
                     "满意" if st == "已办结" else "/", note])
write_csv("12345热线涉河湖问题台账（2025年1-9月）.csv", "松溪县12345政务服务便民热线涉河湖问题办理台账",
          ["序号", "工单编号", "受理时间", "诉求内容", "涉及河流", "所属乡镇", "承办单位", "办理状态", "办结时间", "群众评价", "备注"],
          cpl_rows)

# ---------------------------------------------------------------- expected.json
def active(rows, note_idx):
    return sum(1 for r in rows if r[note_idx] != "已撤销")

task_items = [it for items in TASKS.values() for it in items]
expected = {
    "district": "松溪县",
    "notice": "2025-09-30 (all three lists)",
    "counts": {
        "townships": len(TOWNSHIPS),
        "units_departments": len(UNITS),
        "units_total_incl_townships": len(UNITS) + len(TOWNSHIPS),
        "rivers": len(RIVERS),
        "sections": len(SECTIONS),
        "items": {
            "问题清单": {"rows": len(PROBLEMS), "active": active(PROBLEMS, 10), "withdrawn": len(PROBLEMS) - active(PROBLEMS, 10)},
            "任务清单": {"rows": len(task_items), "active": active(task_items, 7), "withdrawn": len(task_items) - active(task_items, 7),
                      "group_rows_not_items": len(TASKS)},
            "责任清单": {"rows": len(DUTIES), "active": active(DUTIES, 8), "withdrawn": len(DUTIES) - active(DUTIES, 8)},
        },
        "problems_12345": {"rows": len(COMPLAINTS), "active": active(COMPLAINTS, 7),
                           "withdrawn": len(COMPLAINTS) - active(COMPLAINTS, 7)},
        "readings_rows": len(read_rows),
        "readings_values": len(read_rows) * 4,
        "readings_rows_with_below_detection": below,
        "township_polygons": len(polys),
        "river_lines_kml": len(RIVERS),
    },
    "mean_2025": {"TP_mg_L": round(sum(tp_vals) / len(tp_vals), 4),
                  "NH3N_mg_L": round(sum(nh_vals) / len(nh_vals), 4),
                  "note": "all rows Jan-Sep, below detection = half the limit (TP 0.005, NH3-N 0.0125)"},
    "sample_items": [
        {"list": "任务清单", "title": TASKS["一、松溪（县级河长：王建华）"][0][0], "river": "松溪", "unit": "县水利局",
         "co_units": ["城关镇"], "start": "2025-02-10", "deadline": "2025-11-30", "progress": 0.6},
        {"list": "任务清单", "title": TASKS["二、溪口河（县级河长：李明）"][1][0], "river": "溪口河", "unit": "县水利局",
         "co_units": ["各乡镇 (all townships)"], "start": "2025-01-10", "deadline": "2025-05-31", "progress": 1.0},
        {"list": "问题清单", "title": PROBLEMS[2][3], "river": "龙潭河", "unit": "县农业农村局",
         "co_units": ["县生态环境局", "龙潭镇"], "start": "2025-03-20", "deadline": "2025-09-30", "progress": 0.6},
        {"list": "问题清单", "title": PROBLEMS[3][3], "river": "白沙河", "unit": "县水利局",
         "co_units": ["各乡镇 (all townships)"], "start": "2025-04-08", "deadline": "2025-08-31", "progress": 0.6},
        {"list": "责任清单", "title": DUTIES[0][1], "river": "松溪", "unit": "城关镇",
         "co_units": ["溪口镇", "马鞍镇"], "start": "2025-01-01", "deadline": None,
         "progress": "standing (长期); this month 已落实 = done"},
    ],
}
EXPECTED.write_text(json.dumps(expected, ensure_ascii=False, indent=2), encoding="utf-8")
print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}; expected -> {EXPECTED}")
