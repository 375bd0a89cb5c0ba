"""The monthly light (三色) of one item on one notice date, with its reason in words.

Rule (docs/DOMAIN.md §3), in order of precedence:
1. an office override with a written reason is the light;
2. done on or before the notice date → green;
3. not done and the notice date is past the deadline → red;
4. flagged at risk by its unit → yellow (the flag can make a green item yellow, never a red one green);
5. not yet started → green; a standing task (no deadline) → green when the month's work is reported
   done, else yellow;
6. otherwise schedule progress: green when actual + tolerance ≥ expected, else yellow.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from riverchief.dates import cn_date, cn_month_day, pct

RED, YELLOW, GREEN = "red", "yellow", "green"
LIGHTS = (RED, YELLOW, GREEN)
LIGHT_NAMES = {RED: "红灯", YELLOW: "黄灯", GREEN: "绿灯"}
LIGHT_COLOURS = {RED: "#D93025", YELLOW: "#F2A900", GREEN: "#1E8E3E"}
DEFAULT_TOLERANCE = 0.10
_EPS = 1e-9  # progress is a ratio of floats: 0.65 + 0.10 must equal 0.75


@dataclass(frozen=True)
class ItemState:
    """What the light needs to know of an item on a notice date."""

    start: dt.date | None
    deadline: dt.date | None  # None: standing task (长期坚持), can never go red
    progress: float  # 0..1, as reported (quantified tasks: done / target, capped)
    done_date: dt.date | None = None
    at_risk: bool = False
    at_risk_note: str | None = None
    month_reported: bool = True  # standing tasks: this month's work reported done
    override: str | None = None  # red / yellow / green set by the office
    override_reason: str | None = None


@dataclass(frozen=True)
class Light:
    light: str
    reason: str
    expected: float | None = None  # schedule progress, where it was computed


def progress_of(done: float, target: float) -> float:
    """Progress of a quantified task: done / target, capped at 100%."""
    if target is None or target <= 0:
        raise ValueError("a quantified target must be positive")
    if done < 0:
        raise ValueError("the amount done cannot be negative")
    return min(done / target, 1.0)


def expected_progress(start: dt.date, deadline: dt.date, as_of: dt.date) -> float:
    """序时进度: the share of the planned time elapsed, clamped to 0..1."""
    span = (deadline - start).days
    if span <= 0:
        return 1.0 if as_of >= start else 0.0
    return min(max((as_of - start).days / span, 0.0), 1.0)


def light_for(item: ItemState, as_of: dt.date, tolerance: float = DEFAULT_TOLERANCE) -> Light:
    if not 0 <= item.progress <= 1:
        raise ValueError(f"progress must be within 0..1, got {item.progress}")
    if item.override:
        if item.override not in LIGHTS:
            raise ValueError(f"unknown light override {item.override!r}")
        if not (item.override_reason or "").strip():
            raise ValueError("a light override needs a written reason")
        return Light(item.override, f"河长办认定为{LIGHT_NAMES[item.override]}：{item.override_reason.strip()}")

    if item.done_date is not None and item.done_date <= as_of:
        return Light(GREEN, f"已于{cn_date(item.done_date)}完成")

    if item.deadline is not None and as_of > item.deadline:
        days = (as_of - item.deadline).days
        return Light(RED, f"截止{cn_date(item.deadline)}未完成，已逾期{days}天（完成{pct(item.progress)}）")

    if item.at_risk:
        note = f"：{item.at_risk_note}" if item.at_risk_note else ""
        return Light(YELLOW, f"责任单位报告存在按期完成风险{note}（完成{pct(item.progress)}）")

    if item.start is not None and as_of < item.start:
        return Light(GREEN, f"计划{cn_date(item.start)}开始，尚未到开始时间")

    if item.deadline is None:
        if item.month_reported:
            return Light(GREEN, "长期坚持任务，本月工作已按要求报送完成")
        return Light(YELLOW, "长期坚持任务，本月工作未报送完成")

    start = item.start or item.deadline
    expected = expected_progress(start, item.deadline, as_of)
    head = f"截至{cn_month_day(as_of)}完成{pct(item.progress)}，序时进度{pct(expected)}"
    if item.progress + tolerance >= expected - _EPS:
        return Light(GREEN, f"{head}，按序时推进", expected)
    behind = round((expected - item.progress) * 100)
    return Light(YELLOW, f"{head}，落后{behind}个百分点", expected)



def _missing(v) -> bool:
    return v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _date(v) -> dt.date | None:
    if _missing(v):
        return None
    return v.date() if isinstance(v, (pd.Timestamp, dt.datetime)) else v


def _text(v) -> str | None:
    return None if _missing(v) else str(v)


def with_lights(frame: pd.DataFrame, tolerance: float = DEFAULT_TOLERANCE, *, start: str = "start_date",
                done: str = "done_date") -> pd.DataFrame:
    """Add light, light_reason and expected to a snapshot frame (one row per item and notice date)."""
    lights = []
    for row in frame.to_dict("records"):
        state = ItemState(
            start=_date(row.get(start)),
            deadline=_date(row.get("deadline")),
            progress=float(row["progress"]),
            done_date=_date(row.get(done)),
            at_risk=not _missing(row.get("at_risk")) and bool(row.get("at_risk")),
            at_risk_note=_text(row.get("at_risk_note")),
            month_reported=_missing(row.get("month_reported")) or bool(row.get("month_reported")),
            override=_text(row.get("override_light")),
            override_reason=_text(row.get("override_reason")),
        )
        lights.append(light_for(state, _date(row["notice_date"]), tolerance))
    out = frame.copy()
    out["light"] = [x.light for x in lights]
    out["light_reason"] = [x.reason for x in lights]
    out["expected"] = [x.expected for x in lights]
    return out
