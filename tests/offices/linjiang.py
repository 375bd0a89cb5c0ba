"""Write the files a (fictional) 临江区 River Chief Office keeps, as the office keeps them.

usage: python linjiang.py OUT_DIR EXPECTED_JSON

Written for acceptance by someone playing the office's IT person, who read only the README and docs/DOMAIN
and never the import code (tests/test_offices.py imports these files and compares with EXPECTED_JSON).
"""
import json
import os
import random
import sys
from datetime import date

import openpyxl
import xlwt
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

OUT = sys.argv[1] if len(sys.argv) > 1 else "files"
os.makedirs(OUT, exist_ok=True)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20241031)

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")


def title(ws, row, text, ncol, size=16):
    ws.cell(row, 1, text).font = Font(name="方正小标宋简体", size=size, bold=True)
    ws.cell(row, 1).alignment = CENTER
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
    ws.row_dimensions[row].height = 32


def header(ws, row, names):
    for j, h in enumerate(names, 1):
        if h is None:
            continue
        c = ws.cell(row, j, h)
        c.font = Font(name="黑体", bold=True)
        c.alignment = CENTER
        c.fill = HEAD_FILL
        c.border = BOX


def body(ws, row, values):
    for j, v in enumerate(values, 1):
        c = ws.cell(row, j, v)
        c.border = BOX
        c.alignment = Alignment(vertical="center", wrap_text=True)


def widths(ws, ws_widths):
    for j, w in enumerate(ws_widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w


# ---------------------------------------------------------------- reference data
TOWNSHIPS = [  # full name, short name, chief, area km2, villages
    ("临江街道", "临江", "陈某某", 42.6, 11),
    ("南湖街道", "南湖", "李某某", 38.1, 9),
    ("双石镇", "双石", "王某某", 76.4, 12),
    ("来苏镇", "来苏", "赵某某", 81.9, 14),
    ("石门镇", "石门", "刘某某", 65.2, 10),
    ("白沙镇", "白沙", "周某某", 92.7, 15),
    ("青峰镇", "青峰", "吴某某", 58.3, 8),
    ("龙溪乡", "龙溪", "郑某某", 49.5, 7),
]
DEPTS = ["区水利局", "区生态环境局", "区住房城乡建委", "区农业农村委", "区城市管理局"]

# district rivers (sheet 1, no level column, title 区级河流名录)
DISTRICT_RIVERS = [  # name, flows into, length km, basin km2, townships (short, 、), chief
    ("临江河", "长江", 46.8, 612.0, "双石、临江、南湖", "区长 孙某某"),
    ("双石河", "临江河", 21.3, 118.5, "双石、来苏", "副区长 钱某某"),
    ("来苏河", "临江河", 24.6, 142.0, "来苏、石门", "副区长 冯某某"),
    ("白沙河", "临江河", 28.9, 186.3, "白沙、青峰", "副区长 何某某"),
    ("青峰溪", "白沙河", 12.4, 48.7, "青峰", "区政协副主席 许某某"),
    ("龙溪河", "长江", 19.8, 96.2, "龙溪、南湖", "区人大副主任 韩某某"),
]
# township / village rivers (sheet 2, with a level column)
LOCAL_RIVERS = [  # name, level, flows into, length, township (full), chief
    ("石门沟", "乡级", "来苏河", 6.2, "石门镇", "石门镇镇长 刘某某"),
    ("南湖溪", "镇级", "临江河", 4.8, "南湖街道", "南湖街道主任 李某"),
    ("大田堰沟", "村级", "双石河", 3.1, "双石镇", "大田村支书 王某"),
]

SECTIONS = [  # name, river, township, kind, water body, target, lon(d,m,s), lat(d,m,s), file
    ("朱家沱", "临江河", "双石镇", "市控", "河流", "Ⅲ类", (106, 8, 12), (29, 41, 5), "xls"),
    ("临江大桥", "临江河", "临江街道", "区控", "河流", "Ⅲ类", (106, 12, 30), (29, 35, 10), "grid"),
    ("江口", "临江河", "南湖街道", "国控", "河流", "Ⅲ类", (106, 17, 48), (29, 31, 42), "xls"),
    ("双石桥", "双石河", "双石镇", "区控", "河流", "Ⅲ类", (106, 5, 40), (29, 39, 20), "grid"),
    ("来苏场镇下游", "来苏河", "来苏镇", "区控", "河流", "Ⅲ类", (106, 9, 55), (29, 44, 33), "grid"),
    ("白沙水库", "白沙河", "白沙镇", "区控", "水库型", "Ⅲ类", (106, 2, 18), (29, 30, 50), "grid"),
    ("青峰桥", "青峰溪", "青峰镇", "区控", "河流", "Ⅱ类", (105, 59, 6), (29, 33, 27), "grid"),
    ("龙溪口", "龙溪河", "龙溪乡", "市控", "河流", "Ⅲ类", (106, 20, 4), (29, 36, 58), "xls"),
]


# ---------------------------------------------------------------- 1. units workbook
def write_units():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成员单位"
    title(ws, 1, "临江区河长制成员单位名单", 6)
    ws.cell(2, 1, "填报单位：临江区河长制办公室（盖章）")
    ws.merge_cells("A2:F2")
    header(ws, 3, ["序号", "单位名称", "单位类别", "河长办联络员", "职务", "联系电话"])
    r = 4
    for i, d in enumerate(DEPTS, 1):
        body(ws, r, [i, d, "区级部门", f"{'张王李赵钱'[i-1]}某", "科长", f"023-4567{1200 + i}"])
        r += 1
    for i, (full, short, *_rest) in enumerate(TOWNSHIPS, len(DEPTS) + 1):
        kind = "街道" if full.endswith("街道") else ("乡镇" if full.endswith("乡") else "镇")
        body(ws, r, [i, full, kind, f"{'孙周吴郑冯陈褚卫'[i-6]}某", "河长办主任", f"023-4568{3300 + i}"])
        r += 1
    widths(ws, [6, 18, 12, 14, 12, 16])

    ws2 = wb.create_sheet("镇街")
    title(ws2, 1, "临江区镇（街道）基本情况表", 6)
    header(ws2, 2, ["序号", "镇街名称", "镇街总河长", "辖区面积\n（km²）", "村（社区）\n个数", "备注"])
    for i, (full, short, chief, area, vil) in enumerate(TOWNSHIPS, 1):
        body(ws2, 2 + i, [i, full, chief, area, vil, None])
    widths(ws2, [6, 14, 12, 12, 12, 16])
    wb.save(os.path.join(OUT, "临江区河长制成员单位名单.xlsx"))


# ---------------------------------------------------------------- 2. rivers workbook
def write_rivers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "区级河流"
    title(ws, 1, "临江区区级河流名录", 8)
    header(ws, 2, ["序号", "河流名称", "汇入河流", "河道长度\n（公里）", "流域面积\n（平方公里）",
                   "流经镇街", "区级河长", "联系部门"])
    for i, (name, into, length, basin, towns, chief) in enumerate(DISTRICT_RIVERS, 1):
        body(ws, 2 + i, [i, name, into, length, basin, towns, chief, "区水利局"])
    widths(ws, [6, 12, 12, 12, 14, 20, 22, 12])

    ws2 = wb.create_sheet("镇村级河流")
    title(ws2, 1, "临江区镇（乡）、村级河流名录", 7)
    header(ws2, 2, ["序号", "河流名称", "河流等级", "汇入河流", "河道长度\n（公里）", "所在镇街", "河长"])
    for i, (name, level, into, length, town, chief) in enumerate(LOCAL_RIVERS, 1):
        body(ws2, 2 + i, [i, name, level, into, length, town, chief])
    widths(ws2, [6, 12, 10, 12, 12, 12, 22])
    wb.save(os.path.join(OUT, "临江区河流名录（2024年修订）.xlsx"))


# ---------------------------------------------------------------- 3. sections workbook
def dms(d, m, s):
    return f"{d}°{m:02d}′{s:02d}″"


def write_sections():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "监测断面"
    title(ws, 1, "临江区地表水监测断面基本信息表", 8)
    header(ws, 2, ["序号", "断面名称", "所在河流", "所在镇街", "断面级别", "水体类型", "水质\n目标",
                   "断面坐标"])
    for i, (name, river, town, kind, body_, target, lon, lat, _f) in enumerate(SECTIONS, 1):
        # own habit: both coordinates in one cell with the words 东经 / 北纬
        body(ws, 2 + i, [i, name, river, town, kind, body_, target,
                         f"东经{dms(*lon)}，北纬{dms(*lat)}"])
    widths(ws, [6, 14, 10, 10, 10, 10, 8, 34])
    wb.save(os.path.join(OUT, "临江区地表水监测断面一览表.xlsx"))


# ---------------------------------------------------------------- 4. readings
MONTHS = list(range(1, 11))
BASE = {  # TP mg/L, NH3-N mg/L typical level
    "朱家沱": (0.14, 0.55), "临江大桥": (0.17, 0.72), "江口": (0.19, 0.85),
    "双石桥": (0.12, 0.45), "来苏场镇下游": (0.21, 0.95), "白沙水库": (0.055, 0.28),
    "青峰桥": (0.07, 0.16), "龙溪口": (0.11, 0.38),
}
SEASON = {1: 0.85, 2: 0.8, 3: 0.9, 4: 1.0, 5: 1.1, 6: 1.25, 7: 1.3, 8: 1.2, 9: 1.05, 10: 0.95}


def make_readings():
    out = {}
    for name, (tp, nh) in BASE.items():
        for m in MONTHS:
            t = round(tp * SEASON[m] * rng.uniform(0.85, 1.15), 3)
            n = round(nh * (2 - SEASON[m]) * rng.uniform(0.8, 1.2), 3)
            out[(name, m)] = [min(max(t, 0.03), 0.3), min(max(n, 0.1), 1.5)]
    return out


READ = make_readings()
# one value below detection (氨氮 detection limit 0.025 mg/L): 青峰桥 in 4月
BELOW = ("青峰桥", 4)
READ[BELOW][1] = 0.0125  # half the limit, as the office computes its means


def write_readings_grid():
    """One workbook, one factor per sheet, months across the columns (区控 sections)."""
    wb = openpyxl.Workbook()
    grid = [s for s in SECTIONS if s[8] == "grid"]
    for k, (sheet, word) in enumerate([("总磷", "总磷"), ("氨氮", "氨氮")]):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = sheet
        ncol = 4 + len(MONTHS) + 1
        title(ws, 1, f"临江区2024年1-10月区控断面水质监测结果（{word}）", ncol, 14)
        ws.cell(2, 1, "填报单位：临江区生态环境监测站")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=8)
        ws.cell(2, ncol - 1, "单位：mg/L")
        header(ws, 3, ["序号", "河流名称", "断面名称", "水质目标"]
               + [f"{m}月份" for m in MONTHS] + ["1-10月\n均值"])  # own habit: the mean column
        for i, s in enumerate(grid, 1):
            vals = []
            for m in MONTHS:
                v = READ[(s[0], m)][k]
                if k == 1 and (s[0], m) == BELOW:
                    vals.append("0.025L")
                else:
                    vals.append(v)
            mean = round(sum(READ[(s[0], m)][k] for m in MONTHS) / len(MONTHS), 3)
            body(ws, 3 + i, [i, s[1], s[0], s[5]] + vals + [mean])
        last = 3 + len(grid)
        if k == 0:
            # the small 备注 table below, after two blank rows
            r = last + 3
            ws.cell(r, 1, "备注：")
            header(ws, r + 1, [None, "监测项目", "分析方法", None, "检出限（mg/L）"])
            ws.merge_cells(start_row=r + 1, start_column=3, end_row=r + 1, end_column=4)
            rows = [("总磷", "钼酸铵分光光度法（GB 11893-89）", 0.01),
                    ("氨氮", "纳氏试剂分光光度法（HJ 535-2009）", 0.025)]
            for j, (f, meth, lim) in enumerate(rows, 2):
                ws.cell(r + j, 2, f).border = BOX
                ws.cell(r + j, 3, meth).border = BOX
                ws.merge_cells(start_row=r + j, start_column=3, end_row=r + j, end_column=4)
                ws.cell(r + j, 5, lim).border = BOX
            ws.cell(r + 4, 2, "白沙水库断面总磷按湖库标准评价；“L”表示低于检出限。")
        widths(ws, [6, 10, 14, 8] + [8] * len(MONTHS) + [10])
    wb.save(os.path.join(OUT, "2024年1-10月区控断面水质监测数据.xlsx"))


def write_readings_xls():
    """Old .xls from the monitoring station, TP in μg/L in the header, dates 2024.1.9."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("国控市控断面")
    hstyle = xlwt.easyxf("font: bold on; align: wrap on, horiz center; borders: left thin, right thin, top thin, bottom thin")
    ws.write_merge(0, 0, 0, 7, "临江区国控、市控断面2024年1-10月监测数据", xlwt.easyxf("font: bold on, height 320; align: horiz center"))
    heads = ["序号", "断面名称", "所属河流", "采样日期", "水温(℃)", "pH", "总磷(μg/L)", "氨氮(mg/L)"]
    for j, h in enumerate(heads):
        ws.write(1, j, h, hstyle)
    r = 2
    n = 0
    for s in [s for s in SECTIONS if s[8] == "xls"]:
        for m in MONTHS:
            n += 1
            day = rng.randint(5, 20)
            tp, nh = READ[(s[0], m)]
            ws.write(r, 0, n)
            ws.write(r, 1, s[0])
            ws.write(r, 2, s[1])
            ws.write(r, 3, f"2024.{m}.{day}")
            ws.write(r, 4, round(8 + 2.2 * m * rng.uniform(0.8, 1.1), 1))
            ws.write(r, 5, round(rng.uniform(7.2, 8.1), 2))
            ws.write(r, 6, int(round(tp * 1000)))  # μg/L
            ws.write(r, 7, nh)
            READ[(s[0], m)][0] = int(round(tp * 1000)) / 1000
            r += 1
    wb.save(os.path.join(OUT, "国控市控断面监测数据2024.xls"))


# ---------------------------------------------------------------- 5. 重大事项重大项目
MAJOR = [  # name, content, years, total, done, rate(cell), unit, image progress
    ("临江河流域综合治理工程（一期）", "河道整治8.6公里、堤防护岸5.2公里", "2023-2025", 12500, 6800, None,
     "区水利局", "完成河道整治4.5公里，护岸2.8公里"),
    ("临江区城市污水处理厂扩建工程", "新增处理规模2万吨/日", "2023-2024", 8600, 7310, None,
     "区住房城乡建委", "主体工程完工，设备安装调试中"),
    ("白沙水库饮用水水源地保护工程", "隔离防护、库周截污及生态缓冲带", "２０２４－２０２５", 3200, 960, None,
     "白沙镇等", "完成隔离网3.2公里"),
    ("来苏河流域畜禽养殖污染整治项目", "规模养殖场粪污资源化利用设施改造", "2024-2024", 1500, 1500, None,
     "区农业农村委", "已完工并通过验收"),
    ("乡镇污水处理设施提标改造工程", "3座乡镇污水处理站提标至一级A", "2023-2024", 4800, 3120, "65％",
     "双石、来苏、石门", "双石、来苏已完成，石门站施工中"),
    ("龙溪河生态修复示范工程", "湿地建设、水生植物恢复", "2024-2026", 5600, 1120, None,
     "区生态环境局、龙溪乡", "完成初步设计及招标"),
]


def write_major():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "重大事项重大项目"
    title(ws, 1, "临江区2024年度重大事项重大项目清单推进情况（截至10月底）", 10)
    ws.cell(2, 1, "填报单位：临江区河长制办公室")
    ws.merge_cells("A2:E2")
    ws.cell(2, 8, "金额单位：万元")
    # two-level merged header
    top = ["序号", "项目名称", "建设内容及规模", "建设起止\n年限", "投资情况", None, None, "责任单位", "形象进度", "备注"]
    header(ws, 3, top)
    header(ws, 4, [None, None, None, None, "总投资（万元）", "已完成投资（万元）", "完成率", None, None, None])
    for j in (1, 2, 3, 4, 8, 9, 10):
        ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    ws.merge_cells(start_row=3, start_column=5, end_row=3, end_column=7)
    for i, (name, content, years, total, done, rate, unit, img) in enumerate(MAJOR, 1):
        r = 4 + i
        body(ws, r, [i, name, content, years, total, done, rate if rate else round(done / total, 4),
                     unit, img, None])
        if not rate:
            ws.cell(r, 7).number_format = "0.0%"
    r = 5 + len(MAJOR)
    body(ws, r, ["合计", None, None, None, sum(m[3] for m in MAJOR), sum(m[4] for m in MAJOR),
                 round(sum(m[4] for m in MAJOR) / sum(m[3] for m in MAJOR), 4), None, None, None])
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    ws.cell(r, 7).number_format = "0.0%"
    widths(ws, [6, 30, 30, 12, 12, 12, 10, 18, 28, 10])
    wb.save(os.path.join(OUT, "2024年重大事项重大项目清单.xlsx"))


# ---------------------------------------------------------------- 6. 一河一策
TASKS = [  # river, category, task, target, unit, start, deadline, progress, note, hidden
    ("临江河", "水污染防治", "临江河城区段截污干管建设", "3.2公里", "区住房城乡建委", "2024.3.15", "2024年12月底前", "完成2.1公里", None, False),
    ("临江河", "水环境治理", "临江河沿岸垃圾常态化清理", "全年常态化清理", "临江、南湖", "2024年1月", "长期坚持", "正常推进", None, False),
    ("临江河", "水生态修复", "江口段生态浮岛建设", "2000平方米", "区水利局", "2024.4.1", "2024.9.30", "已完成", None, False),
    ("双石河", "水污染防治", "双石场镇污水管网改造", "1500米", "双石镇", "2024年3月", "2024年10月", "80%", None, False),
    ("双石河", "水域岸线管理", "双石河“清四乱”专项整治", "清理乱占乱堆问题", "双石、来苏", "2024.2.20", "2024年6月30日前", "已完成", None, False),
    ("来苏河", "水污染防治", "来苏河沿线畜禽养殖污染治理", "12家", "区农业农村委", "２０２４年４月", "2024.11.30", "推进中（60%）", None, False),
    ("来苏河", "水资源保护", "来苏河生态流量监管", "生态流量达标", "区水利局", "2024年1月", "持续推进", "正常推进", None, False),
    ("白沙河", "水生态修复", "白沙河水土流失综合治理", "1200亩", "白沙镇等", "2024.3.1", "2024年底前", "完成800亩", None, False),
    ("白沙河", "水环境治理", "白沙水库库周农村生活污水治理", "3个村", "白沙", "2024.5.10", "2024年12月", "45%", None, False),
    ("石门沟", "水环境治理", "石门沟河道清淤疏浚", "800米", "石门镇", "2024.4.1", "2024.7.31", "未启动", "已撤销（5月河长办调整出清单）", True),
    ("青峰溪", "水生态修复", "青峰溪水生植物种植", "1500平方米", "青峰", "2024年4月", "2024.8.31", "已完成", None, False),
    ("龙溪河", "水污染防治", "龙溪河入河排污口排查整治", "15个", "区生态环境局", "2024.3.15", "2024年9月底前", "完成12个", None, False),
    ("南湖溪", "水环境治理", "南湖溪黑臭水体整治", "1.8公里", "南湖街道", "2024年3月", "2024.10.31", "进度滞后（55%）", None, False),
]


def write_tasks():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一河一策任务"
    title(ws, 1, "临江区2024年“一河一策”任务措施清单", 10)
    ws.cell(2, 1, "填报单位：临江区河长制办公室　　　　　　截止日期：2024年10月31日")
    ws.merge_cells("A2:J2")
    header(ws, 3, ["序号", "河流", "任务\n类别", "任务名称", "目标任务", "责任单位", "开始\n时间", "完成\n时限",
                   "进展情况\n（截至10月底）", "备注"])
    r = 4
    n = 0
    first_of_river = {}
    for (river, cat, task, target, unit, start, dl, prog, note, hidden) in TASKS:
        n += 1
        body(ws, r, [n, river, cat, task, target, unit, start, dl, prog, note])
        if hidden:
            ws.row_dimensions[r].hidden = True
        first_of_river.setdefault(river, [r, r])[1] = r
        r += 1
    for river, (a, b) in first_of_river.items():  # the river merged down over its tasks
        if b > a:
            ws.merge_cells(start_row=a, start_column=2, end_row=b, end_column=2)
    ws.cell(r + 1, 1, "注：进展情况由各责任单位每月25日前报区河长办。")
    widths(ws, [6, 10, 12, 30, 16, 16, 12, 14, 18, 24])
    ws.freeze_panes = "A4"
    wb.save(os.path.join(OUT, "2024年一河一策任务清单.xlsx"))


# ---------------------------------------------------------------- 7. 突出问题整改
PROBLEMS = [  # source, river, problem, township, unit, measure, deadline, progress, closed
    ("区级暗访", "临江河", "临江河城区段（滨江路）雨污混流排口污水直排", "临江街道", "区住房城乡建委",
     "实施雨污分流改造，封堵混接点", "2024.6.30", "已整改", "2024.6.20"),
    ("群众举报", "来苏河", "来苏河左岸养殖场粪污渗漏入河", "来苏", "区农业农村委",
     "责令停养整改，修复防渗设施", "立行立改", "已整改", "2024.4.8"),
    ("区级暗访", "双石河", "双石桥下游河滩建筑垃圾倾倒", "双石", "双石镇",
     "清运建筑垃圾，追查倾倒责任人", "即知即改", "已完成", "2024.3.28"),
    ("督察反馈", "白沙河", "白沙水库库区网箱养殖设施残留", "白沙", "白沙镇等",
     "拆除残留网箱、浮筒", "2024年9月底前", "整改中（80%）", None),
    ("区级暗访", "龙溪河", "龙溪河中游河道非法采砂", "龙溪", "区水利局",
     "联合执法打击，修复河床", "2024年12月底前", "整改中（50%）", None),
    ("12345", "南湖溪", "南湖溪沿岸餐饮店油污废水直排", "南湖街道", "区城市管理局",
     "督促安装隔油设施，接入市政管网", "2024.8.31", "整改中", None),
]


def write_problem_list():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    title(ws, 1, "临江区2024年度突出问题整改责任清单", 10)
    ws.cell(2, 1, "填报单位：临江区河长制办公室")
    ws.merge_cells("A2:J2")
    header(ws, 3, ["序号", "问题\n来源", "河流名称", "问题描述", "所在\n镇街", "责任单位", "整改措施",
                   "整改\n时限", "整改进展", "销号\n时间"])
    for i, p in enumerate(PROBLEMS, 1):
        body(ws, 3 + i, [i, *p])
    widths(ws, [6, 10, 10, 34, 10, 16, 28, 14, 14, 12])
    wb.save(os.path.join(OUT, "突出问题整改责任清单.xlsx"))


# ---------------------------------------------------------------- 8. 巡河问题台账
LEDGER_KINDS = ["垃圾堆放", "污水直排", "河面漂浮物", "违法搭建", "非法捕捞", "乱占河道", "畜禽养殖污染"]
LEDGER_WHAT = {
    "垃圾堆放": "岸边生活垃圾堆放约{n}立方米",
    "污水直排": "发现排口污水直排，颜色发黑有异味",
    "河面漂浮物": "河面漂浮物约{n}平方米",
    "违法搭建": "河道管理范围内新建简易棚房{n}处",
    "非法捕捞": "有人使用电鱼工具捕捞",
    "乱占河道": "河滩堆放砂石约{n}立方米",
    "畜禽养殖污染": "散养畜禽粪污顺沟入河",
}
RIVER_TOWN = {
    "临江河": ["临江街道", "南湖", "双石"], "双石河": ["双石", "来苏镇"], "来苏河": ["来苏", "石门镇"],
    "白沙河": ["白沙镇", "青峰"], "青峰溪": ["青峰镇"], "龙溪河": ["龙溪", "南湖街道"],
    "石门沟": ["石门"], "南湖溪": ["南湖街道"], "大田堰沟": ["双石镇"],
}


def write_ledger():
    rows = []
    rivers = list(RIVER_TOWN)
    for i in range(20):
        river = rivers[i % len(rivers)] if i < 9 else rng.choice(rivers[:6])
        town = rng.choice(RIVER_TOWN[river])
        m = rng.randint(1, 10)
        d = rng.randint(1, 28)
        kind = rng.choice(LEDGER_KINDS)
        level = rng.choice(["区级", "镇级", "镇级", "村级", "村级", "乡级"])
        chief = {"区级": "区级河长 钱某某", "镇级": f"{town}河长 王某", "乡级": f"{town}河长 郑某",
                 "村级": "村级河长 李某"}[level]
        # dates as offices write them: 2024.3.15, 2024年3月, or a real date cell
        found = [f"2024.{m}.{d}", f"2024年{m}月", date(2024, m, d)][i % 3]
        deadline = date(2024, min(m + 1, 12), min(d, 28))
        done = m < 9 or i % 4 == 0
        status = "已整改" if done else "整改中"
        closed = f"2024.{min(m + 1, 12)}.{min(d + 2, 28)}" if done else None
        unit = town if i % 5 else (town.rstrip("镇") + "镇等" if not town.endswith("街道") else town + "等")
        rows.append([river, found, town, chief, level, "河长巡河", kind,
                     LEDGER_WHAT[kind].format(n=rng.randint(2, 20)), unit,
                     f"{deadline.year}.{deadline.month}.{deadline.day}", status, closed])
    rows.sort(key=lambda x: rivers.index(x[0]))

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "巡河问题台账"
    title(ws, 1, "临江区2024年河长巡河发现问题台账", 13)
    ws.cell(2, 1, "填报单位：临江区河长制办公室　　　　统计时间：2024年1月—10月")
    ws.merge_cells("A2:M2")
    header(ws, 3, ["序号", "河流名称", "发现\n时间", "所在镇街", "巡河河长", "河长\n级别", "问题\n来源",
                   "问题类型", "问题描述", "整改责任\n单位", "整改\n时限", "整改\n情况", "销号\n时间"])
    r = 4
    spans = {}
    for i, row in enumerate(rows, 1):
        body(ws, r, [i, *row])
        if isinstance(row[1], date):
            ws.cell(r, 3).number_format = "yyyy/m/d"
        spans.setdefault(row[0], [r, r])[1] = r
        r += 1
    for river, (a, b) in spans.items():  # merged river cells
        if b > a:
            ws.merge_cells(start_row=a, start_column=2, end_row=b, end_column=2)
    widths(ws, [6, 10, 12, 10, 18, 8, 10, 12, 34, 14, 12, 10, 12])
    wb.save(os.path.join(OUT, "2024年巡河问题台账.xlsx"))
    return len(rows)


# ---------------------------------------------------------------- run
write_units()
write_rivers()
write_sections()
write_readings_xls()  # first: rounds the xls TP to whole μg/L in READ
write_readings_grid()
write_major()
write_tasks()
write_problem_list()
n_problems = write_ledger()

tp = [v[0] for v in READ.values()]
nh = [v[1] for v in READ.values()]
visible_tasks = [t for t in TASKS if not t[9]]

expected = {
    "district": "临江区",
    "notes": [
        "units = 5 区级部门 + 8 镇街 (townships become units by themselves)",
        "rivers = 6 district (区级河流名录, level from the title) + 3 township/village",
        "one-river-one-policy: the hidden row (石门沟河道清淤疏浚, 备注 已撤销) is withdrawn and must not count",
        "readings rows = section x sampling time; months-across file dated the 1st of the month",
        "means: the NH3-N value 0.025L (青峰桥, 4月) counted as half the limit 0.0125; TP μg/L converted to mg/L",
        "lists: notice 2024-10-31 (一河一策 and 重大事项 say 截至10月底; the 突出问题 list says only 2024年度)",
    ],
    "counts": {
        "townships": len(TOWNSHIPS),
        "units": len(TOWNSHIPS) + len(DEPTS),
        "departments": len(DEPTS),
        "rivers": len(DISTRICT_RIVERS) + len(LOCAL_RIVERS),
        "sections": len(SECTIONS),
        "items_major_projects": len(MAJOR),
        "items_one_river_one_policy": len(visible_tasks),
        "items_prominent_problems": len(PROBLEMS),
        "problems": n_problems,
        "readings_rows": len(READ),
    },
    "mean_2024_mg_per_l": {
        "TP": round(sum(tp) / len(tp), 4),
        "NH3-N": round(sum(nh) / len(nh), 4),
    },
    "items": [
        {"list": "重大事项重大项目", "title": "临江河流域综合治理工程（一期）", "unit": "区水利局",
         "start": "2023-01-01", "deadline": "2025-12-31", "progress": round(6800 / 12500, 4)},
        {"list": "重大事项重大项目", "title": "乡镇污水处理设施提标改造工程", "unit": "双石镇",
         "co_units": ["来苏镇", "石门镇"], "start": "2023-01-01", "deadline": "2024-12-31", "progress": 0.65},
        {"list": "一河一策", "title": "临江河城区段截污干管建设", "unit": "区住房城乡建委",
         "start": "2024-03-15", "deadline": "2024-12-31", "progress": round(2.1 / 3.2, 4)},
        {"list": "一河一策", "title": "双石河“清四乱”专项整治", "unit": "双石镇", "co_units": ["来苏镇"],
         "start": "2024-02-20", "deadline": "2024-06-30", "progress": 1.0},
        {"list": "一河一策", "title": "来苏河沿线畜禽养殖污染治理", "unit": "区农业农村委",
         "start": "2024-04-01", "deadline": "2024-11-30", "progress": 0.6},
    ],
}
with open(sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
    json.dump(expected, f, ensure_ascii=False, indent=2)
print(f"wrote {len(os.listdir(OUT))} files to {OUT}; expected.json in {HERE}")
