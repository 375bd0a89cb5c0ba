"""Layouts other than one row per record: readings with the months across the columns (one factor per sheet,
or a factor column per block of rows), and units of measure written in a header, a title line or a column.

A wide sheet is turned into one row per section, month and factor — the form laboratory systems export —
so the same checks and the same pivot read both.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from loaders.convert import plain

# 1月, 1月份, 2024年1月, 2024-01, 2024.1 (not 1-10月, a span; not 1-10月均值)
_MONTH = re.compile(r"(?:(20\d{2})\s*[年./-])?\s*(\d{1,2})\s*(?:月份?|月)?")
_FACTOR_WORDS = {"tp": ("总磷", "TP"), "nh3n": ("氨氮", "NH3-N", "NH₃-N"), "codmn": ("高锰酸盐指数", "高锰酸盐", "CODMn"),
                 "do": ("溶解氧", "DO")}
# Units as written and what one of them is in mg/L.
TO_MG_L = {"mg/l": 1.0, "毫克/升": 1.0, "μg/l": 0.001, "ug/l": 0.001, "µg/l": 0.001, "微克/升": 0.001, "g/l": 1000.0}


def month_of(header, year: int | None) -> dt.date | None:
    """The month a header names (a column of a months-across sheet), or None."""
    if isinstance(header, (dt.datetime, dt.date)):
        return dt.date(header.year, header.month, 1)
    if not isinstance(header, str):
        return None
    text = plain(header)
    if not re.search(r"月|^20\d{2}[./-]\d{1,2}$", text):
        return None
    m = _MONTH.fullmatch(text)
    if not m or not 1 <= int(m[2]) <= 12 or not (m[1] or year):
        return None
    return dt.date(int(m[1] or year), int(m[2]), 1)


def month_columns(headers: list, year: int | None) -> dict[int, dt.date]:
    """Columns that each name a month; three or more make a months-across sheet."""
    out = {j: month_of(h, year) for j, h in enumerate(headers)}
    return {j: m for j, m in out.items() if m is not None}


def factor_named(texts) -> str | None:
    """The one factor a sheet name or title names (总磷, 氨氮 …), or None (none, or several)."""
    for text in texts:
        t = plain(text).upper()
        found = {f for f, words in _FACTOR_WORDS.items() if any(plain(w).upper() in t for w in words)}
        if len(found) == 1:
            return found.pop()
    return None


def unit_scale(text) -> tuple[float, str] | None:
    """What one unit written in a header, a title line (单位：μg/L) or a unit column is in mg/L."""
    t = plain(text).lower().replace("µ", "μ")
    for unit, scale in sorted(TO_MG_L.items(), key=lambda kv: -len(kv[0])):
        if unit in t:
            return scale, unit.replace("l", "L")
    return None


def widen(body: pd.DataFrame, section: int, months: dict[int, dt.date], factor_col: int | None,
          factor: str | None) -> pd.DataFrame:
    """Months across into one row per section, month and factor: columns 0 section, 1 sampled_at, 2 factor,
    3 value, indexed by the row number each came from."""
    parts = []
    for j, month in months.items():
        part = pd.DataFrame({0: body[section], 1: month.isoformat(),
                             2: body[factor_col] if factor_col is not None else factor, 3: body[j]}, index=body.index)
        parts.append(part[part[3].notna()])
    if not parts:
        return pd.DataFrame(columns=range(4))
    return pd.concat(parts).sort_index(kind="stable")
