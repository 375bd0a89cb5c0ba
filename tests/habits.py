"""Habit writers: a district's tables written out as an office might keep them, each habit drawn at random by
hypothesis — the file format and encoding, title and 填报单位 lines, header wordings with line breaks and
full-width brackets, date and progress forms, readings long / one row per factor / months across, TP in μg/L
(header, title line or 单位 column), a river merged down over its tasks, a hidden withdrawn row, a small notes
table below, and how the tables are grouped into files. They live in tests/, never in the product: the
import is judged on what they write, not tuned to it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
from hypothesis import strategies as st
from openpyxl import Workbook

from loaders.specs import SPECS

ROMAN = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ"}


@dataclass(frozen=True)
class Habits:
    formats: dict  # table → xlsx / csv-utf8 / csv-gbk
    headers: dict  # table → header / synonym / linebreak / fullwidth
    titles: int  # title lines above each header (0–2), with the district, year and month
    dates: str  # iso / slash / chinese / dots / excel
    progress: str  # pct / share / words
    readings: str  # long / lab / wide
    tp_unit: str  # mg / ug_header / ug_title / ug_column
    classes: str  # roman / arabic / latin
    merged_rivers: bool  # a task list's river merged down over its tasks
    hidden_row: bool  # a withdrawn task kept as a hidden row
    notes_below: bool  # a small notes table under the task list
    one_book: bool  # the reference lists in one workbook, or a file each


@st.composite
def habits(draw) -> Habits:
    tables = ("townships", "units", "rivers", "sections", "items", "readings")
    return Habits(
        formats={t: draw(st.sampled_from(["xlsx", "csv-utf8", "csv-gbk"])) for t in tables},
        headers={t: draw(st.sampled_from(["header", "synonym", "linebreak", "fullwidth"])) for t in tables},
        titles=draw(st.integers(0, 2)), dates=draw(st.sampled_from(["iso", "slash", "chinese", "dots", "excel"])),
        progress=draw(st.sampled_from(["pct", "share", "words"])), readings=draw(st.sampled_from(["long", "lab", "wide"])),
        tp_unit=draw(st.sampled_from(["mg", "ug_header", "ug_title", "ug_column"])),
        classes=draw(st.sampled_from(["roman", "arabic", "latin"])), merged_rivers=draw(st.booleans()),
        hidden_row=draw(st.booleans()), notes_below=draw(st.booleans()), one_book=draw(st.booleans()))


# -- the tables written -----------------------------------------------------------------------------------

def _unambiguous(table: str, column: str) -> list[str]:
    """A field's header and the synonyms no other table's field also answers to (an office's file name says
    which table a bare 名称 is; these files are named plainly and should not need it)."""
    field = next(f for f in SPECS[table].fields if f.column == column)
    others = {k for s in SPECS.values() if s.table != table for f in s.fields for k in (f.header, *f.synonyms)}
    return [field.header] + [s for s in field.synonyms if s not in others and len(s) > 1]


def header(table: str, column: str, habit: str, k: int, unit: str = "") -> str:
    names = _unambiguous(table, column)
    text = names[k % len(names)] if habit != "header" else names[0]
    if habit == "linebreak" and len(text) >= 4:
        text = text[: len(text) // 2] + "\n" + text[len(text) // 2:]
    if unit:
        text += f"（{unit}）" if habit != "fullwidth" else f"({unit})"
    if habit == "fullwidth":
        text = text.replace("（", "(").replace("）", ")")
        text = "".join(chr(ord(c) + 0xFEE0) if c in "()" else c for c in text)
    return text


def date_text(d: dt.date, habit: str):
    return {"iso": d.isoformat(), "slash": f"{d.year}/{d.month}/{d.day}", "chinese": f"{d.year}年{d.month}月{d.day}日",
            "dots": f"{d.year}.{d.month}.{d.day}", "excel": dt.datetime(d.year, d.month, d.day)}[habit]


def class_text(c: int, habit: str) -> str:
    return {"roman": f"{ROMAN[c]}类", "arabic": f"{c}类", "latin": "I" * c if c < 4 else ("IV" if c == 4 else "V")}[habit]


def progress_text(p: float, habit: str):
    if p >= 1:
        return "已完成"
    return {"pct": f"{p * 100:.1f}%", "share": round(p, 4), "words": f"推进中（{p * 100:.1f}%）"}[habit]


def conc_text(v: float, bdl: bool, scale: float):
    value = round(v * scale, 6)
    return f"{value:g}L" if bdl else value


@dataclass
class Sheet:
    name: str
    rows: list[list]
    title: list[str]
    merged: list[tuple[int, int, int]] = None  # (column, first row, last row) of the body, 0-based in rows
    hidden: list[int] = None  # body row positions hidden
    below: list[list] = None  # a small table after blank rows


def write(sheets: list[Sheet], fmt: str) -> bytes:
    """One file: a workbook of the sheets, or a CSV of the first."""
    if fmt == "xlsx":
        wb = Workbook()
        wb.remove(wb.active)
        for s in sheets:
            ws = wb.create_sheet(s.name)
            for t in s.title:
                ws.append([t])
            top = len(s.title)
            for r in s.rows:
                ws.append(r)
            for column, first, last in s.merged or []:
                ws.merge_cells(start_row=top + first + 1, end_row=top + last + 1, start_column=column + 1, end_column=column + 1)
            for k in s.hidden or []:
                ws.row_dimensions[top + k + 1].hidden = True
            if s.below:
                ws.append([])
                ws.append([])
                for r in s.below:
                    ws.append(r)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    s = sheets[0]
    buf = io.StringIO()
    w = csv.writer(buf)
    for t in s.title:
        w.writerow([t])
    for r in s.rows:
        w.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.datetime) else v for v in r])
    return buf.getvalue().encode("gbk" if fmt == "csv-gbk" else "utf-8-sig")


def office_files(t: dict[str, pd.DataFrame], district: str, notice: dt.date, h: Habits) -> dict[str, bytes]:
    """The tables as files: reference lists, the task list of one notice, a year of readings."""
    names = {k: dict(zip(t[k][c], t[k]["name"])) for k, c in
             (("rivers", "river_id"), ("townships", "township_id"), ("units", "unit_id"), ("sections", "section_id"))}
    title = [f"{district}{notice.year}年{notice.month}月{w}" for w in ("河长制基础信息", "（填报单位：区河长办）")][: h.titles]
    date = h.dates if h.dates != "excel" else "iso"  # CSV cells are text: Excel dates only in workbooks
    sheets: dict[str, tuple[str, Sheet]] = {}

    def cols(table, *columns, units=None):
        return [header(table, c, h.headers[table], k, (units or {}).get(c, "")) for k, c in enumerate(columns)]

    towns = t["townships"]
    sheets["townships"] = ("镇街名单", Sheet("镇街", [cols("townships", "name")] + [[n] for n in towns["name"]], title))
    units = t["units"]
    sheets["units"] = ("责任单位名单", Sheet("责任单位", [cols("units", "name", "kind")]
                                      + [[n, k] for n, k in zip(units["name"], units["kind"])], title))
    rivers = t["rivers"]
    sheets["rivers"] = ("河流名录", Sheet("河流", [cols("rivers", "name", "level", "parent_river_id", "target_class")]
                                     + [[n, lv, names["rivers"].get(p), class_text(int(c), h.classes)]
                                        for n, lv, p, c in zip(rivers["name"], rivers["level"], rivers["parent_river_id"],
                                                               rivers["target_class"])], title))
    sec = t["sections"]
    sheets["sections"] = ("监测断面", Sheet("断面", [cols("sections", "name", "river_id", "lon", "lat", "target_class")]
                                      + [[n, names["rivers"][r], lo, la, class_text(int(c), h.classes)]
                                         for n, r, lo, la, c in zip(sec["name"], sec["river_id"], sec["lon"], sec["lat"],
                                                                    sec["target_class"])], title))
    files: dict[str, bytes] = {}
    refs = ["townships", "units", "rivers", "sections"]
    if h.one_book:
        files["基础名录.xlsx"] = write([sheets[k][1] for k in refs], "xlsx")
    else:
        for k in refs:
            fmt = h.formats[k]
            files[f"{sheets[k][0]}.{'xlsx' if fmt == 'xlsx' else 'csv'}"] = write([sheets[k][1]], fmt)

    items = t["items"].sort_values(["river_id", "title"], kind="stable") if h.merged_rivers else t["items"]
    fmt = h.formats["items"]
    excel = fmt == "xlsx"
    item_date = h.dates if excel else date
    head = cols("items", "river_id", "title", "unit_id", "start_date", "deadline", "progress")
    body = [[names["rivers"][r], ti, names["units"][u], date_text(s, item_date),
             date_text(d, item_date) if isinstance(d, dt.date) else "长期坚持", progress_text(p, h.progress)]
            for r, ti, u, s, d, p in zip(items["river_id"], items["title"], items["unit_id"], items["start_date"],
                                         items["deadline"], items["progress"])]
    merged, hidden, below = [], [], None
    if excel and h.merged_rivers:
        first = 1
        for k in range(2, len(body) + 2):
            if k == len(body) + 1 or body[k - 1][0] != body[first - 1][0]:
                if k - first > 1:
                    merged.append((0, first, k - 1))
                first = k
    if excel and h.hidden_row:  # a withdrawn task the office hid rather than deleted
        body.append([body[0][0], "已撤销的任务（不应导入）", body[0][2], body[0][3], body[0][4], progress_text(0.1, h.progress)])
        hidden.append(len(body))
    if excel and h.notes_below:
        below = [["备注"], ["进度为各单位自报"]]
    list_title = [f"{district}{notice.year}年{notice.month}月“一河一策”任务清单"] + title[1:]
    files[f"一河一策任务清单.{'xlsx' if excel else 'csv'}"] = write(
        [Sheet("一河一策", [head] + body, list_title, merged, hidden, below)], fmt)

    files.update(_readings(t["readings"], names["sections"], district, notice.year, h))
    return files


def _readings(r: pd.DataFrame, sections: dict, district: str, year: int, h: Habits) -> dict[str, bytes]:
    fmt = h.formats["readings"] if h.readings != "wide" else "xlsx"
    date = h.dates if fmt == "xlsx" else ("iso" if h.dates == "excel" else h.dates)
    tp_scale = 1000 if h.tp_unit != "mg" else 1
    title = [f"{district}{year}年地表水水质监测数据"] + (["单位：μg/L"] if h.tp_unit == "ug_title" else [])
    # A title line's unit speaks for every factor: then NH3-N is written in μg/L too.
    nh_scale = 1000 if h.tp_unit == "ug_title" else 1
    tp_header_unit = "μg/L" if h.tp_unit == "ug_header" else ""
    section = header("readings", "section_id", h.headers["readings"], 0)
    when = header("readings", "sampled_at", h.headers["readings"], 1)
    if h.readings == "wide":
        months = sorted({d.month for d in r["sampled_at"]})
        sheets = []
        for column, name, scale in (("tp", "总磷", tp_scale), ("nh3n", "氨氮", nh_scale)):
            rows = [[section] + [f"{m}月" for m in months]]
            for s, g in r.groupby("section_id", sort=False):
                by_month = {d.month: conc_text(v, b, scale) for d, v, b in zip(g["sampled_at"], g[column], g[f"{column}_bdl"])}
                rows.append([sections[s]] + [by_month.get(m) for m in months])
            unit = "μg/L" if scale != 1 else "mg/L"
            sheets.append(Sheet(name, rows, [f"{district}{year}年断面水质（{name}）", f"单位：{unit}"]))
        return {f"{year}年水质月报.xlsx": write(sheets, "xlsx")}
    if h.readings == "lab":
        rows = [[section, when, "监测项目", "监测值", "单位"]]
        for s, d, tp, tb, nh, nb in zip(r["section_id"], r["sampled_at"], r["tp"], r["tp_bdl"], r["nh3n"], r["nh3n_bdl"]):
            rows.append([sections[s], date_text(d.date(), date), "总磷", conc_text(tp, tb, tp_scale), "μg/L" if tp_scale != 1 else "mg/L"])
            rows.append([sections[s], date_text(d.date(), date), "氨氮", conc_text(nh, nb, 1), "mg/L"])
        return {f"实验室导出.{'xlsx' if fmt == 'xlsx' else 'csv'}": write([Sheet("Sheet1", rows, [])], fmt)}
    tp_head = header("readings", "tp", h.headers["readings"], 0, tp_header_unit)
    unit_column = h.tp_unit == "ug_column"
    rows = [[section, when, tp_head, "氨氮"] + (["单位"] if unit_column else [])]
    for s, d, tp, tb, nh, nb in zip(r["section_id"], r["sampled_at"], r["tp"], r["tp_bdl"], r["nh3n"], r["nh3n_bdl"]):
        # a 单位 column speaks for every factor of its row: NH3-N in μg/L as well
        rows.append([sections[s], date_text(d.date(), date), conc_text(tp, tb, tp_scale),
                     conc_text(nh, nb, 1000 if unit_column else nh_scale)] + (["μg/L"] if unit_column else []))
    return {f"{year}年水质.{'xlsx' if fmt == 'xlsx' else 'csv'}": write([Sheet("水质", rows, title)], fmt)}
