"""Text from data is only ever text in the files people open: no live formulas in Excel, no characters
that Word, Excel or PowerPoint refuse (the file would not be written at all)."""
from __future__ import annotations

import re

from openpyxl import Workbook

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@")


def clean(text) -> str:
    """A string without control characters (BEL, ESC, VT …), which XML cannot hold."""
    return _CONTROL.sub("", str(text))


def defuse(wb: Workbook) -> Workbook:
    """Every text cell that Excel would read as a formula (= + - @, also after spaces, or a tab or return
    in front) is stored as text and shown with a quote prefix, so it stays text even when edited."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                text = clean(value)
                risky = text.lstrip().startswith(_FORMULA_START) or text[:1] in ("\t", "\r")
                if text != value or risky:
                    cell.value = text
                if risky:
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return wb
