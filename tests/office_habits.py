"""Another district's files (南溪区, fictional), kept with habits the shared sample does not have:
references in one workbook (a single-column township list, 乡级 and 市级 rivers, 国考/市考 sections,
townships written without 镇 and departments without 区); a task list with the river merged down over
its tasks, targets and units in one cell (3360米), deadlines as 2024年12月 / 第三季度 / 常态化 and the
month in the title (截至2024年9月底); a patrol-problem ledger with its own words for sources and states
and coordinates in degrees-minutes-seconds; readings as a GBK CSV whose second header row holds the units,
and a workbook of monthly sheets without a date column; river courses in CGCS2000 3° CM 108 without a
crs member (said in the file name) with an unusual name field; the district outline on its own.

write(folder) writes the files and returns what a correct import must show.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from openpyxl import Workbook
from pyproj import Transformer

TOWNS = ["东风镇", "红旗镇", "长河镇", "新桥镇", "城南街道", "城北街道"]
DEPTS = ["区水务局", "区生态环境局", "区农业农村委", "区城管局"]
RIVERS = [("南溪河", "区级", 32.5, "区水务局", "3类"), ("长河", "市级", 60.1, "区生态环境局", "Ⅲ类"),
          ("红旗溪", "乡级", 8.2, "红旗镇", "Ⅳ类"), ("青龙水库", "区级", None, "区水务局", "Ⅱ类")]
SECTIONS = [("南溪河出境", "南溪河", "东风", 105.9, 29.1, "河流", "国考"), ("长河大桥", "长河", "长河", 105.95, 29.15, "河流", "市考"),
            ("红旗溪口", "红旗溪", "红旗", 105.85, 29.12, "河流", "区控"), ("青龙水库坝前", "青龙水库", "新桥", 105.92, 29.2, "湖库", "市考")]


def _dms(v: float) -> str:
    d = int(v)
    m = int((v - d) * 60)
    s = round(((v - d) * 60 - m) * 60)
    return f"{d}°{m}′{s}″"


def write(out: Path) -> dict:
    rng = random.Random(7)
    out.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "镇街"
    ws.append(["乡镇（街道）名称"])
    for t in TOWNS:
        ws.append([t])
    ws = wb.create_sheet("部门")
    ws.append(["单位名称", "单位类别"])
    for d in DEPTS:
        ws.append([d, "部门"])
    ws = wb.create_sheet("河流")
    ws.append(["河湖名称", "河流等级", "长度（km）", "河长", "牵头部门", "水质管理目标"])
    for name, level, km, lead, target in RIVERS:
        ws.append([name, level, km if km else "/", "某某", lead.removeprefix("区"), target])
    ws = wb.create_sheet("断面")
    ws.append(["断面名称", "所属河流", "所在乡镇", "经度", "纬度", "断面类型", "考核级别"])
    for s in SECTIONS:
        ws.append(list(s))
    wb.save(out / "南溪区基础信息.xlsx")

    # the task list: river merged down, target and unit in one cell, words for deadlines and progress
    wb = Workbook()
    ws = wb.active
    ws.title = "任务"
    ws.append(["南溪区2024年“一河一策”任务清单（截至2024年9月底）"])
    ws.merge_cells("A1:G1")
    ws.append(["河流", "任务名称", "年度目标", "牵头单位", "完成时限", "完成情况", "备注"])
    tasks = []
    row = 3
    for river in ("南溪河", "长河", "红旗溪"):
        first = row
        for k, (task, target, deadline, progress) in enumerate([
                ("清淤疏浚", "3360米", "2024年12月", "完成率80%"), ("岸线整治", "12处", "2024年第三季度", "已完成"),
                ("巡河保洁", None, "常态化", "推进中")]):
            ws.append([river if k == 0 else None, f"{river}{task}", target, rng.choice(["水务局", "区水务局", "东风镇"]),
                       deadline, progress, None])
            tasks.append((river, task, deadline, progress))
            row += 1
        ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    wb.save(out / "2024年一河一策任务清单.xlsx")

    # the patrol-problem ledger (巡河、举报、督查 problems): its own words
    wb = Workbook()
    ws = wb.active
    ws.append(["南溪区2024年9月河长制问题台账"])
    ws.append(["问题描述", "问题来源", "所在河流", "责任单位", "发现时间", "整改期限", "整改状态", "经度", "纬度"])
    states = ["正在整改", "已完成", "已销号", "正在整改"]
    sources = ["巡河发现", "群众投诉", "市级督查", "暗访"]
    for i in range(4):
        ws.append([f"河岸垃圾堆放（第{i + 1}处）", sources[i], "南溪河", TOWNS[i].removesuffix("镇"), f"2024.9.{i + 3}",
                   "2024年9月30日", states[i], _dms(105.9 + i / 100), _dms(29.1 + i / 100)])
    wb.save(out / "9月问题台账.xlsx")

    # readings 1: GBK CSV, the second header row holds the units
    lines = ["断面名称,监测日期,总磷,氨氮,溶解氧", ",,mg/L,mg/L,mg/L"]
    n_readings = 0
    for month in range(1, 7):
        for name, *_ in SECTIONS:
            lines.append(f"{name},2024/{month}/12,{rng.uniform(0.05, 0.3):.3f},{rng.choice(['ND', '0.41', '0.62'])},7.1")
            n_readings += 1
    (out / "2024年1-6月水质.csv").write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    # readings 2: one sheet per month, no date column (the month is the sheet's)
    wb = Workbook()
    wb.remove(wb.active)
    for month in (7, 8, 9):
        ws = wb.create_sheet(f"{month}月")
        ws.append([f"南溪区2024年{month}月水质月报"])
        ws.append(["点位", "总磷（mg/L）", "氨氮（mg/L）"])
        for name, *_ in SECTIONS:
            ws.append([name, round(rng.uniform(0.05, 0.3), 3), "<0.025"])
            n_readings += 1
    wb.save(out / "2024年7-9月水质月报.xlsx")

    # river courses in CGCS2000 / 3-degree GK CM 108 (EPSG:4545), no crs member; the outline alone
    to_gk = Transformer.from_crs(4326, 4545, always_xy=True)
    feats = []
    for i, (name, *_r) in enumerate(RIVERS[:3]):
        line = [to_gk.transform(105.82 + k * 0.05, 29.08 + i * 0.04 + k * 0.01) for k in range(4)]
        feats.append({"type": "Feature", "properties": {"RIVER_NM": name, "LEN": 1.0},
                      "geometry": {"type": "LineString", "coordinates": [list(p) for p in line]}})
    (out / "河流走向_CGCS2000_中央经线108.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), encoding="utf-8")
    outline = [[105.8, 29.05], [106.0, 29.05], [106.0, 29.25], [105.8, 29.25], [105.8, 29.05]]
    (out / "区界.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"区县名称": "南溪区"}, "geometry": {"type": "Polygon", "coordinates": [outline]}}]},
        ensure_ascii=False), encoding="utf-8")
    (out / "说明.txt").write_text("河长办内部资料", encoding="utf-8")
    return {"townships": len(TOWNS), "departments": len(DEPTS), "rivers": len(RIVERS), "sections": len(SECTIONS),
            "tasks": len(tasks), "problems": 4, "readings": n_readings, "notice": dt.date(2024, 9, 30),
            "river_shapes": 3}
