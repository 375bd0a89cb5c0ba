"""One way to write a table sheet for every Excel export: the filters line above, a styled header,
set widths, borders, frozen header, and optional cell colours (lights, water classes)."""
from __future__ import annotations

from typing import Callable

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="DADCE0")
HEADER_FILL = PatternFill("solid", fgColor="1A5FB4")
FONT = "等线"


def table_sheet(wb: Workbook, title: str, head_line: str, frame: pd.DataFrame, columns: list[tuple[str, str, int]],
                colour: tuple[str, Callable] | None = None):
    """`columns`: (frame column, header, width). `colour`: (frame column, row → (fill hex, text hex) or None)."""
    ws = wb.create_sheet(title)
    ws.append([head_line])
    ws["A1"].font = Font(name=FONT, bold=True, size=12)
    ws.append([label for _, label, _ in columns])
    for i, (_, _, width) in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=i)
        cell.font = Font(name=FONT, bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    names = [c for c, _, _ in columns]
    for _, row in frame.iterrows():
        ws.append([None if pd.isna(row[c]) else row[c] for c in names])
        r = ws.max_row
        for i in range(1, len(columns) + 1):
            cell = ws.cell(row=r, column=i)
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        if colour is not None:
            style = colour[1](row)
            if style:
                cell = ws.cell(row=r, column=names.index(colour[0]) + 1)
                cell.fill = PatternFill("solid", fgColor=style[0])
                cell.font = Font(name=FONT, bold=True, color=style[1])
    ws.freeze_panes = "A3"
    return ws
