"""Chinese date and number wording shared by rules, pages and exports (pure, no UI)."""
from __future__ import annotations

import datetime as dt


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month_day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def cn_month(d: dt.date) -> str:
    return f"{d.year}年{d.month}月"


def cn_notice(d: dt.date) -> str:
    return f"{d.year}年{d.month}月通报"


def pct(x: float, decimals: int = 0) -> str:
    return f"{x * 100:.{decimals}f}%"
