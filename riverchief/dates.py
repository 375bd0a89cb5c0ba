"""Dates and their Chinese wording, shared by rules, pages and exports (pure, no UI)."""
from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month_day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def cn_month(d: dt.date) -> str:
    return f"{d.year}年{d.month}月"


def cn_notice(d: dt.date) -> str:
    return f"{d.year}年{d.month}月通报"


def cn_stamp(text) -> str:
    """A stored time (ISO text, with or without its +08:00 offset) as an office reads it: 2026年12月2日 09:30
    (the office's own clock: every time is stored in it). Text that is not a time is returned as it is."""
    try:
        when = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return "" if text is None else str(text)
    return f"{cn_date(when.date())} {when:%H:%M}"


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: the date a monthly notice carries."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def next_notice(last: dt.date) -> dt.date:
    """The notice after the last one: the end of the following month."""
    year, month = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
    return month_end(year, month)


def day_numbers(values: pd.Series) -> np.ndarray:
    """Dates as days since the epoch (NaN where missing): comparisons and spans on whole columns."""
    stamps = pd.to_datetime(values, errors="coerce")
    return (stamps - pd.Timestamp(0)).dt.days.to_numpy(dtype=float) if len(values) else np.array([], dtype=float)


def pct(x: float, decimals: int = 0) -> str:
    return f"{x * 100:.{decimals}f}%"


def on_day(values: pd.Series, day: dt.date) -> pd.Series:
    """Which rows fall on `day` (dates, timestamps or ISO text), compared as timestamps on the whole column:
    `.dt.date == day` makes a Python date of every row (a second on a province's million item rows)."""
    return pd.to_datetime(values) == pd.Timestamp(day)
