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

import numpy as np
import pandas as pd

from riverchief.errors import RuleError
from riverchief.dates import cn_date, cn_month_day, day_numbers, pct

# The rule's edition: stamped on every light it gives (lit_with), so a light keeps saying which rule made it.
# Change it whenever the rule below changes what it gives.
RULE_EDITION = "2026-12"
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
    month_reported: bool = False  # standing tasks: this month's work reported done (no report: not reported)
    override: str | None = None  # red / yellow / green set by the office
    override_reason: str | None = None


@dataclass(frozen=True)
class Light:
    light: str
    reason: str
    expected: float | None = None  # schedule progress (序时进度), for any item with a deadline


def progress_of(done: float, target: float) -> float:
    """Progress of a quantified task: done / target, capped at 100%."""
    if target is None or target <= 0:
        raise RuleError("量化任务的目标量应大于0", f"target {target!r}")
    if done < 0:
        raise RuleError("完成量不能为负数", f"done {done!r}")
    return min(done / target, 1.0)


def schedule_progress(start, deadline, as_of) -> np.ndarray:
    """序时进度 on day numbers (whole columns): the share of the planned time elapsed, clamped to 0..1; a task
    without a start date (NaN) is timed from its deadline, and one due on the day it starts is all due from
    that day. The one home of the formula."""
    start, deadline, as_of = (np.asarray(v, dtype=float) for v in (start, deadline, as_of))
    start = np.where(np.isnan(start), deadline, start)
    span = deadline - start
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(span <= 0, np.where(as_of >= start, 1.0, 0.0),
                        np.clip((as_of - start) / np.where(span <= 0, 1, span), 0.0, 1.0))


def expected_progress(start: dt.date | None, deadline: dt.date, as_of: dt.date) -> float:
    """`schedule_progress` of one item, from dates."""
    return float(schedule_progress(start.toordinal() if start else np.nan, deadline.toordinal(), as_of.toordinal()))


def light_for(item: ItemState, as_of: dt.date, tolerance: float = DEFAULT_TOLERANCE) -> Light:
    if not 0 <= item.progress <= 1:
        raise RuleError(f"进度应在0%至100%之间，实际为{item.progress:.0%}", f"progress {item.progress!r}")
    # The schedule progress is a fact of the dates, kept whatever decides the light (the plan line of 整改进度).
    expected = expected_progress(item.start, item.deadline, as_of) if item.deadline else None
    if item.override:
        if item.override not in LIGHTS:
            raise RuleError(f"人工认定的亮灯“{item.override}”无法识别（应为红灯、黄灯或绿灯）")
        if not (item.override_reason or "").strip():
            raise RuleError("人工认定亮灯须写明理由")
        return Light(item.override, f"河长办认定为{LIGHT_NAMES[item.override]}：{item.override_reason.strip()}", expected)

    if item.done_date is not None and item.done_date <= as_of:
        return Light(GREEN, f"已于{cn_date(item.done_date)}完成", expected)

    if item.deadline is not None and as_of > item.deadline:
        days = (as_of - item.deadline).days
        return Light(RED, f"截止{cn_date(item.deadline)}未完成，已逾期{days}天（完成{pct(item.progress)}）", expected)

    if item.at_risk:
        note = f"：{item.at_risk_note}" if item.at_risk_note else ""
        return Light(YELLOW, f"责任单位报告存在按期完成风险{note}（完成{pct(item.progress)}）", expected)

    if item.start is not None and as_of < item.start:
        return Light(GREEN, f"计划{cn_date(item.start)}开始，尚未到开始时间", expected)

    if item.deadline is None:
        if item.month_reported:
            return Light(GREEN, "长期坚持任务，本月工作已按要求报送完成", expected)
        return Light(YELLOW, "长期坚持任务，本月工作未报送完成", expected)

    head = f"截至{cn_month_day(as_of)}完成{pct(item.progress)}，序时进度{pct(expected)}"
    if not behind_schedule(item.progress, expected, tolerance):
        return Light(GREEN, f"{head}，按序时推进", expected)
    return Light(YELLOW, f"{head}，落后{behind_points(expected, item.progress)}个百分点", expected)


def behind_schedule(progress, expected, tolerance: float = DEFAULT_TOLERANCE):
    """落后序时进度: progress + tolerance short of the schedule progress (whole columns or one value). The one home
    of the comparison: the light rule, the progress page's count and the warning all ask it."""
    with np.errstate(invalid="ignore"):
        return np.asarray(progress, dtype=float) + tolerance < np.asarray(expected, dtype=float) - _EPS


def behind_points(expected: float, progress: float) -> int:
    """How many percentage points behind schedule, as the reason says it: the difference of the two shares
    as they are printed (67% − 12% = 55), so the sentence's own arithmetic holds."""
    return round(expected * 100) - round(progress * 100)



def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column of the frame, or an empty one where the frame has none (a problem has no override)."""
    return frame[name] if name in frame.columns else pd.Series([None] * len(frame), index=frame.index)


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
    """Add light, light_reason and expected to a snapshot frame (one row per item and notice date).

    The same rule as light_for, applied to whole columns at once: a mask per step in order of precedence,
    each row lit by the first step that holds (a publish of millions of rows takes seconds, not minutes).
    tests/test_light_rules.py checks it against light_for row by row on generated frames."""
    n = len(frame)
    col = lambda name: _column(frame, name)  # noqa: E731
    as_of = day_numbers(frame["notice_date"])
    begin, deadline, finished = day_numbers(col(start)), day_numbers(col("deadline")), day_numbers(col(done))
    progress = pd.to_numeric(frame["progress"], errors="coerce").to_numpy(dtype=float)
    if n and (np.isnan(progress).any() or (progress < 0).any() or (progress > 1).any()):
        bad = progress[np.isnan(progress) | (progress < 0) | (progress > 1)][0]
        raise RuleError("进度未填写" if np.isnan(bad) else f"进度应在0%至100%之间，实际为{bad:.0%}", f"progress {bad!r}")
    override = col("override_light").where(col("override_light").notna(), None).to_numpy(dtype=object)
    reason_in = col("override_reason").fillna("").astype(str).str.strip().to_numpy(dtype=object)
    has_override = pd.notna(override) & (override != "")
    if has_override.any():
        unknown = set(override[has_override]) - set(LIGHTS)
        if unknown:
            raise RuleError(f"人工认定的亮灯“{sorted(unknown)[0]}”无法识别（应为红灯、黄灯或绿灯）")
        if (reason_in[has_override] == "").any():
            raise RuleError("人工认定亮灯须写明理由")
    at_risk = col("at_risk").fillna(False).astype(bool).to_numpy()
    reported = col("month_reported").map(lambda v: False if _missing(v) else bool(v)).to_numpy(dtype=bool)
    risk_note = col("at_risk_note").map(lambda v: "" if _missing(v) else f"：{v}").to_numpy(dtype=object)

    with np.errstate(invalid="ignore"):
        is_done = ~has_override & ~np.isnan(finished) & (finished <= as_of)
        is_red = ~has_override & ~is_done & ~np.isnan(deadline) & (as_of > deadline)
        taken = has_override | is_done | is_red
        is_risk = ~taken & at_risk
        taken |= is_risk
        not_started = ~taken & ~np.isnan(begin) & (as_of < begin)
        taken |= not_started
        standing = ~taken & np.isnan(deadline)
        taken |= standing
        scheduled = ~taken
        expected = schedule_progress(begin, deadline, as_of)
        on_schedule = ~behind_schedule(progress, expected, tolerance)

    light = np.full(n, GREEN, dtype=object)
    light[has_override] = override[has_override]
    light[is_red] = RED
    light[is_risk | (standing & ~reported) | (scheduled & ~on_schedule)] = YELLOW

    done_on, due_on, start_on = _words(col(done), cn_date), _words(col("deadline"), cn_date), _words(col(start), cn_date)
    month_day = _words(frame["notice_date"], cn_month_day)
    share = _shares(progress)
    expected_share = _shares(np.where(scheduled, expected, 0.0))
    reason = np.empty(n, dtype=object)
    for mask, text in (
        (has_override, lambda k: f"河长办认定为{LIGHT_NAMES[override[k]]}：{reason_in[k]}"),
        (is_done, lambda k: f"已于{done_on[k]}完成"),
        (is_red, lambda k: f"截止{due_on[k]}未完成，已逾期{int(as_of[k] - deadline[k])}天（完成{share[k]}）"),
        (is_risk, lambda k: f"责任单位报告存在按期完成风险{risk_note[k]}（完成{share[k]}）"),
        (not_started, lambda k: f"计划{start_on[k]}开始，尚未到开始时间"),
        (standing & reported, lambda k: "长期坚持任务，本月工作已按要求报送完成"),
        (standing & ~reported, lambda k: "长期坚持任务，本月工作未报送完成"),
        (scheduled & on_schedule, lambda k: f"截至{month_day[k]}完成{share[k]}，序时进度{expected_share[k]}，按序时推进"),
        (scheduled & ~on_schedule, lambda k: f"截至{month_day[k]}完成{share[k]}，序时进度{expected_share[k]}，"
                                             f"落后{behind_points(expected[k], progress[k])}个百分点"),
    ):
        idx = np.flatnonzero(mask)
        reason[idx] = [text(k) for k in idx]
    out = frame.copy()
    out["light"] = light
    out["light_reason"] = reason
    out["expected"] = np.where(np.isnan(deadline), np.nan, expected) if n else pd.Series(dtype=float)
    out["lit_with"] = lit_with(tolerance)
    out["lit_tolerance"] = float(tolerance)
    return out


def lit_with(tolerance: float) -> str:
    """The rule a light was given by, in words: its edition and tolerance."""
    return f"{RULE_EDITION}版规则，容差{pct(tolerance)}"


LIT = ("light", "light_reason", "expected", "lit_with", "lit_tolerance")  # what lighting adds to a row


def facts_digest(frame: pd.DataFrame, *, start: str = "start_date", done: str = "done_date") -> np.ndarray:
    """One number per row from everything its light depends on (dates, progress, flags, override): two rows
    with the same digest get the same light from the same rule. Values are normalised first (dates as day
    numbers, flags as 0/1), so a row read back from Parquet digests as it did before it was written."""
    col = lambda name: _column(frame, name)  # noqa: E731
    norm = pd.DataFrame({  # (the row's id is not in it: rows are matched by id and notice before digests compare)
        **{c: day_numbers(col(c)) for c in ("notice_date", start, "deadline", done)},
        "progress": pd.to_numeric(col("progress"), errors="coerce").round(9).to_numpy(dtype=float),
        **{c: np.where(col(c).isna(), -1.0, col(c).fillna(False).astype(bool).astype(float))
           for c in ("at_risk", "month_reported")},  # whole columns: a province's million rows digest in a second
        **{c: col(c).astype("string").fillna("") for c in ("at_risk_note", "override_light", "override_reason")},
    }, index=frame.index)
    return pd.util.hash_pandas_object(norm, index=False).to_numpy()


def keep_lights(frame: pd.DataFrame, earlier: pd.DataFrame | None, tolerance: float, key: str, *,
                start: str = "start_date", done: str = "done_date", relight=()) -> pd.DataFrame:
    """Light a snapshot frame, keeping the light every row already had in `earlier` (the version served)
    when nothing its light depends on changed: a light is a fact of its notice, so a rule or tolerance
    changed since does not rewrite it. Rows new or changed, and the notices in `relight` (an office's
    recorded decision to re-light them by today's rule), are lit by today's rule — only they are lit at all,
    so a month's publish of a province lights one month, not every row again."""
    if earlier is None or earlier.empty or "light" not in earlier or frame.empty:
        return with_lights(frame, tolerance, start=start, done=done)
    day_now, day_before = day_numbers(frame["notice_date"]), day_numbers(earlier["notice_date"])
    codes, names = pd.factorize(np.concatenate([earlier[key].astype(str).to_numpy(), frame[key].astype(str).to_numpy()]))
    code_before, code_now = codes[:len(earlier)], codes[len(earlier):]
    # one integer per (notice, row id): a hash lookup instead of a two-level index over a million rows
    row_before = np.nan_to_num(day_before).astype(np.int64) * len(names) + code_before
    row_now = np.nan_to_num(day_now).astype(np.int64) * len(names) + code_now
    last = ~pd.Index(row_before).duplicated(keep="last")
    pos = pd.Index(row_before[last]).get_indexer(row_now)
    before = earlier[last]
    found = pos >= 0
    digest_before = facts_digest(before, start=start, done=done)
    same = found.copy()
    same[found] = (digest_before[pos[found]] == facts_digest(frame, start=start, done=done)[found]) \
        & before["light"].notna().to_numpy()[pos[found]]
    same &= ~np.isin(day_now, day_numbers(pd.Series(list(relight), dtype=object)))
    fresh = with_lights(frame[~same], tolerance, start=start, done=done)
    out = frame.copy()
    for c in LIT:
        if c not in fresh:
            continue
        numeric = c in ("expected", "lit_tolerance")
        values = np.full(len(frame), np.nan if numeric else None, dtype=float if numeric else object)
        values[~same] = fresh[c].to_numpy()
        if c in before:
            values[same] = before[c].to_numpy()[pos[same]]
        elif c == "lit_with":  # a version lit before rules were stamped (numbers it lacks stay NaN)
            values[same] = f"{RULE_EDITION}版以前的规则"
        out[c] = values
    return out


def _words(values: pd.Series, say) -> np.ndarray:
    """Each date of a column in words (each distinct date formatted once); "" where missing."""
    codes, uniques = pd.factorize(pd.to_datetime(values, errors="coerce"))  # missing dates get code −1
    return np.array([say(u.date()) for u in uniques] + [""], dtype=object)[codes]


def _shares(values: np.ndarray) -> np.ndarray:
    codes, uniques = pd.factorize(values)
    return np.array([pct(u) for u in uniques], dtype=object)[codes]
