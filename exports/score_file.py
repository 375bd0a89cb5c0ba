"""The assessment as Excel: the ranked tables of townships and departments, each unit's breakdown
(one row per component with its explanation) and the lights behind the light components."""
from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from rendering.safe import defuse
from exports.xlsx import table_sheet
from riverchief.assessment import COMPONENT_NAMES, COMPONENTS, breakdown
from riverchief.assessment_rules import Rules

RANK_COLUMNS = [("rank", "名次", 6), ("unit_name", "单位", 16), ("total", "总分", 9), ("base", "满分", 8)] + [
    (c, COMPONENT_NAMES[c], 9) for c in COMPONENTS] + [("red_n", "红灯次数", 9), ("yellow_n", "黄灯次数", 9),
                                                       ("rating", "河长评价", 9), ("complaints", "重复举报", 9)]


def score_xlsx(scores: pd.DataFrame, rules: Rules, head_line: str, lights: pd.DataFrame) -> bytes:
    """`lights`: the red and yellow lights counted (unit_name, notice_date, item_id, title, light)."""
    wb = Workbook()
    wb.remove(wb.active)
    rounded = scores.assign(**{c: scores[c].round(2) for c in (*COMPONENTS, "total")})
    for kind, title in (("镇街", "镇街排名"), ("部门", "部门排名")):
        table_sheet(wb, title, head_line, rounded[rounded["unit_kind"] == kind], RANK_COLUMNS)
    detail = breakdown(scores, rules).assign(points=lambda f: f["points"].round(2))
    table_sheet(wb, "得分明细", head_line, detail, [("unit_name", "单位", 16), ("unit_kind", "类别", 8),
                                                 ("component", "计分项", 12), ("points", "得分", 9),
                                                 ("explanation", "说明", 70)])
    light_words = {"red": "红灯", "yellow": "黄灯"}
    fills = {"red": ("D93025", "FFFFFF"), "yellow": ("F2A900", "202124")}
    table_sheet(wb, "亮灯明细", head_line, lights.assign(light_text=lights["light"].map(light_words)),
                [("unit_name", "单位", 16), ("notice_date", "通报日期", 12), ("item_id", "编号", 13),
                 ("title", "事项", 34), ("light_text", "灯色", 8)], colour=("light_text", lambda r: fills[r["light"]]))
    out = io.BytesIO()
    defuse(wb).save(out)
    return out.getvalue()
