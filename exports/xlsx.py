"""One way to write a table sheet for every Excel export: the filters line above, a styled header,
set widths, borders, frozen header, and optional cell colours (lights, water classes)."""
from __future__ import annotations

from typing import Callable

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from rendering.safe import clean, defuse
from riverchief.lights import LIGHT_COLOURS, LIGHT_NAMES
from riverchief.water_rules import CLASS_COLOURS, CLASS_NAMES

THIN = Side(style="thin", color="DADCE0")
# Cells whose text names a light or a water class get its colour (the word stays, for black and white).
_LIGHT_BY_WORD = {name: light for light, name in LIGHT_NAMES.items()}
_CLASS_BY_NAME = {name: cls for cls, name in CLASS_NAMES.items()}


def auto_style(value) -> tuple[str, str] | None:
    """(fill, text colour) for a light (`● 红灯（人工认定）`) or a water class (`Ⅲ类`), else None."""
    if not isinstance(value, str):
        return None
    word = value.removeprefix("● ").strip()[:2]
    if word in _LIGHT_BY_WORD:
        light = _LIGHT_BY_WORD[word]
        return LIGHT_COLOURS[light].lstrip("#"), "202124" if light == "yellow" else "FFFFFF"
    if value in _CLASS_BY_NAME:
        cls = _CLASS_BY_NAME[value]
        return CLASS_COLOURS[cls].lstrip("#"), "202124" if cls == 4 else "FFFFFF"
    return None
HEADER_FILL = PatternFill("solid", fgColor="1A5FB4")
FONT = "等线"


def _cell(value):
    """A value as the cell holds it: text made safe, floats without binary noise (0.39, not 0.3900000000000001)."""
    if isinstance(value, str):
        return clean(value)
    if pd.isna(value):
        return None
    if isinstance(value, float):
        return round(value, 10)
    return value


def table_sheet(wb: Workbook, title: str, head_line: str, frame: pd.DataFrame, columns: list[tuple[str, str, int]],
                colour: tuple[str, Callable] | None = None, percent: tuple[str, ...] = ()):
    """`columns`: (frame column, header, width). `colour`: (frame column, row → (fill hex, text hex) or None);
    other cells naming a light or a water class are coloured by themselves. `percent`: columns shown as %."""
    ws = wb.create_sheet(title)
    ws.append([clean(head_line)])
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
        ws.append([_cell(row[c]) for c in names])
        r = ws.max_row
        for i in range(1, len(columns) + 1):
            cell = ws.cell(row=r, column=i)
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for i, name in enumerate(names, start=1):
            style = colour[1](row) if colour is not None and name == colour[0] else auto_style(row[name])
            if style:
                cell = ws.cell(row=r, column=i)
                cell.fill = PatternFill("solid", fgColor=style[0])
                cell.font = Font(name=FONT, bold=True, color=style[1])
    for i, name in enumerate(names, start=1):
        if name in percent:
            for (cell,) in ws.iter_rows(min_row=3, min_col=i, max_col=i):
                cell.number_format = "0.0%"
    ws.freeze_panes = "A3"
    return ws


def table_xlsx(frame: pd.DataFrame, columns: list[tuple[str, str, int]], head_line: str, title: str,
               percent: tuple[str, ...] = ()) -> bytes:
    """One table as a workbook of one sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    table_sheet(wb, title[:31], head_line, frame, columns, percent=percent)
    out = io.BytesIO()
    defuse(wb).save(out)
    return out.getvalue()
