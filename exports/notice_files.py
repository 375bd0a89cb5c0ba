"""The monthly light notice as a Word document (.docx) and an Excel workbook (.xlsx).

Word: a 公文 (exports/gongwen.py) — the text on A4 portrait, the item lists as landscape annexes. Excel: lights are cell fills with the word in the cell, so the sheet
still reads in black and white.
"""
from __future__ import annotations

import io

import pandas as pd
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from exports import gongwen
from rendering.safe import clean, defuse
from exports.xlsx import table_sheet
from riverchief import clock
from riverchief.board import light_label
from riverchief.dates import cn_date
from riverchief.lights import LIGHT_COLOURS, LIGHT_NAMES
from riverchief.notice import CHANGE_NAMES, CHANGE_ORDER, Notice
from riverchief.schema import LIST_NAMES

LIGHT_FILLS = {k: v.lstrip("#") for k, v in LIGHT_COLOURS.items()}
TABLE_COLUMNS = [("item_id", "编号", 13), ("list", "清单", 16), ("title", "事项", 34), ("unit_name", "责任单位", 14),
                 ("river_name", "河流", 10), ("township_name", "镇街", 10), ("deadline", "完成时限", 14),
                 ("progress", "完成进度", 10), ("light", "灯色", 12), ("light_reason", "亮灯原因", 46)]


def _cell_value(column: str, row) -> str:
    value = row[column]
    if column == "list":
        return LIST_NAMES[value]
    if column == "deadline":
        return "长期坚持" if pd.isna(value) else cn_date(pd.Timestamp(value).date())
    if column == "progress":
        return f"{value:.0%}"
    if column == "light":
        return light_label(value, bool(row["overridden"]))
    return "" if pd.isna(value) else str(value)


def _shade(cell, hex_colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_colour)
    cell._tc.get_or_add_tcPr().append(shd)


def notice_docx(notice: Notice, filters_line: str, demo: bool) -> bytes:
    """The notice as a 公文 (exports/gongwen.py): title, 主送, the text, 附件说明, 署名 and 成文日期 on A4, the item
    lists as landscape annexes. Where the data came from is in a small-print note and the file's properties,
    not in the text."""
    doc = gongwen.document()
    gongwen.properties(doc, notice.title, filters_line)
    gongwen.title(doc, notice.title_lines or notice.title)
    gongwen.addressee(doc, notice.addressee)
    for text in notice.paragraphs:
        gongwen.body(doc, text)
    annexes = ([("红灯事项清单（按责任单位）", _red_annex)] if len(notice.red_by_unit) else []) + [
        ("红灯、黄灯事项清单", _colour_annex)]  # the green ones are counted in the text; the Excel lists all
    gongwen.attachments(doc, [name for name, _ in annexes])
    gongwen.closing(doc, notice.issuer, cn_date(clock.today()),
                    note=("示例数据，非真实情况。" if demo else "") + filters_line)
    for k, (name, build) in enumerate(annexes, start=1):
        gongwen.annex(doc, k if len(annexes) > 1 else None, name)
        build(doc, notice)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _red_annex(doc, notice: Notice) -> None:
    rows = []
    for r in notice.red_by_unit.itertuples():
        overdue = "" if pd.isna(r.days_overdue) else f"{int(r.days_overdue)}天"
        rows.append([str(r.unit_name), str(r.item_id), str(r.title), overdue, str(r.light_reason)])
    gongwen.table(doc, ["责任单位", "编号", "事项", "逾期天数", "亮灯原因"], rows)


def _colour_annex(doc, notice: Notice) -> None:
    columns = [c for c in TABLE_COLUMNS if c[0] not in ("river_name", "township_name", "light_reason")]
    flagged = notice.table[notice.table["light"] != "green"]
    rows = [[_cell_value(column, row) for column, _, _ in columns] for _, row in flagged.iterrows()]
    lights = flagged["light"].tolist()

    def shade(j, text, cell, run):
        if columns[j][0] == "light":
            light = lights[shade.row]
            _shade(cell, LIGHT_FILLS[light])
            run.font.color.rgb = RGBColor(0x20, 0x21, 0x24) if light == "yellow" else RGBColor(0xFF, 0xFF, 0xFF)
            shade.row += 1
    shade.row = 0
    gongwen.table(doc, [label for _, label, _ in columns], rows, shade=shade)


def _light_style(row):
    light = row["light"]
    return LIGHT_FILLS[light], ("202124" if light == "yellow" else "FFFFFF")


def notice_xlsx(notice: Notice, filters_line: str, demo: bool) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    head = filters_line + ("（示例数据）" if demo else "")
    summary = wb.create_sheet("通报")
    summary.column_dimensions["A"].width = 120
    summary.append([clean(notice.title)])
    summary["A1"].font = Font(name="等线", bold=True, size=14)
    summary.append([clean(head)])
    for text in notice.paragraphs:
        summary.append([clean(text)])
        summary.cell(row=summary.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    summary.append([])
    summary.append(["灯色", "数量（项）", "较上期"])
    for light in ("red", "yellow", "green"):
        now, before = notice.board.count(light), notice.board.count(light, previous=True)
        summary.append([LIGHT_NAMES[light], now, now - before if notice.board.prev_notice else None])
        summary.cell(row=summary.max_row, column=1).fill = PatternFill("solid", fgColor=LIGHT_FILLS[light])

    table = notice.table.assign(
        light_text=[light_label(l, bool(o)) for l, o in zip(notice.table["light"], notice.table["overridden"])],
        list=notice.table["list"].map(LIST_NAMES),
        deadline=[_cell_value("deadline", r) for _, r in notice.table.iterrows()],
        progress=notice.table["progress"].round(4))
    columns = [(c if c != "light" else "light_text", label, width) for c, label, width in TABLE_COLUMNS]
    ws = table_sheet(wb, "三色清单", head, table, columns, colour=("light_text", _light_style))
    for row in ws.iter_rows(min_row=3, min_col=8, max_col=8):
        for cell in row:
            cell.number_format = "0%"

    changes = notice.changes.items[notice.changes.items["change"] != "unchanged"].copy()
    changes["order"] = changes["change"].map(CHANGE_ORDER.index)
    changes = changes.sort_values(["order", "item_id"]).assign(
        change_name=lambda f: f["change"].map(CHANGE_NAMES),
        light_text=lambda f: f["light"].map(LIGHT_NAMES),
        prev=lambda f: f["prev_light"].map(LIGHT_NAMES).fillna("—"))
    table_sheet(wb, "与上期相比", head, changes, [("change_name", "变化", 18), ("item_id", "编号", 13),
                                              ("title", "事项", 34), ("unit_name", "责任单位", 14),
                                              ("prev", "上期灯色", 10), ("light_text", "本期灯色", 10),
                                              ("days_overdue", "逾期天数", 10)], colour=("light_text", _light_style))
    table_sheet(wb, "本年亮灯次数", head, notice.changes.ytd, [("unit_name", "责任单位", 16), ("unit_kind", "类别", 8),
                                                         ("red_lights", "红灯次数", 10),
                                                         ("yellow_lights", "黄灯次数", 10)])
    out = io.BytesIO()
    defuse(wb).save(out)
    return out.getvalue()
