"""Excel templates for the office: one workbook per table, Chinese headers, an example row and a notes
sheet explaining every column — what `python -m loaders import` and the import page read."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from loaders.specs import SPECS, TableSpec

KINDS = {"text": "文字", "int": "整数", "float": "数字", "date": "日期（如 2024-06-30）", "datetime": "日期或日期时间", "deadline": "日期或文字（2024年底前、2024.10、长期坚持）",
         "progress": "进度（60%、0.6、已完成、未启动、完成3.2公里）", "coord": "经纬度（106.05 或 106°03′00″）", "lonlat": "经度,纬度",
         "bool": "是 / 否", "class": "水质类别（Ⅰ类–Ⅴ类）", "conc": "浓度 mg/L（检出限以下写 0.01L、<0.01 或 未检出）",
         "choice": "可选值", "river": "河流名称", "township": "镇街名称", "unit": "责任单位名称", "section": "断面名称"}


def template_xlsx(spec: TableSpec) -> bytes:
    fields = [f for f in spec.fields if f.template]
    wb = Workbook()
    ws = wb.active
    ws.title = spec.title
    ws.append([f.header for f in fields])
    ws.append([f.example for f in fields])
    for i, f in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1A5FB4" if f.required else "5F6368")
        ws.column_dimensions[cell.column_letter].width = max(12, len(f.header) * 2 + 4)
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "类型", "说明", "也可写作"])
    for f in fields:
        kind = KINDS[f.kind] + (f"：{'、'.join(f.choices)}" if f.choices else "")
        notes.append([f.header, "必填" if f.required else "", kind, f.note, "、".join(f.synonyms)])
    for column, width in zip("ABCDE", (18, 10, 40, 50, 40)):
        notes.column_dimensions[column].width = width
    notes.append([])
    notes.append(["第一行为表头（上方可以有标题行），第二行是示例，请替换为实际数据。蓝色表头为必填列。"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def all_templates() -> dict[str, bytes]:
    return {f"{spec.title}导入模板.xlsx": template_xlsx(spec) for spec in SPECS.values()}
