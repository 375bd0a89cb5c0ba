"""Early warning (预警): which items will likely turn yellow or red at the next notice, how good that warning
has been on the data's own past, and what a section's water must average for the rest of the year to meet
its target. Pure rules over frames; the SQL only brings the rows (item_trajectory, water_monthly_series).

Item rule (on a notice, for the next one): its progress is carried forward at its own recent pace (the
change over the last `pace_notices` notices since its start, per day; since its start when it has fewer; how
many is the office's rule, [outlook] pace_notices in its rules file).
Due before the next notice and not finished by then at that pace → red; otherwise behind the next notice's
schedule progress by more than the tolerance → yellow (only once it has two months of its own progress to
go by). Only a light worse than today's is a warning.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riverchief import lights, water_rules
from riverchief.assessment_rules import default_rules
from riverchief.dates import cn_date, day_numbers, next_notice, pct

PACE_NOTICES = default_rules().pace_notices  # the default rules file's; an office's own rules pass theirs
_RANK = {lights.GREEN: 0, lights.YELLOW: 1, lights.RED: 2}
_EPS = 1e-9


def _date(v) -> dt.date | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date()


def forecast(history: pd.DataFrame, upcoming: dt.date, tolerance: float = lights.DEFAULT_TOLERANCE,
             pace_notices: int = PACE_NOTICES):
    """(light expected at the `upcoming` notice, reason in words) for one item's rows up to today's notice,
    or None when nothing worse than today is expected. The same rule as `warnings` (it is `warnings`)."""
    notice = _date(history["notice_date"].max())
    said = warnings(history, notice, upcoming, tolerance, pace_notices)
    return (said["predicted"].iloc[0], said["reason"].iloc[0]) if len(said) else None


_COLUMNS = ["item_id", "title", "unit_name", "list", "deadline", "progress", "light", "predicted", "reason"]


def warnings(trajectory: pd.DataFrame, notice: dt.date, upcoming: dt.date | None = None,
             tolerance: float = lights.DEFAULT_TOLERANCE, pace_notices: int = PACE_NOTICES) -> pd.DataFrame:
    """The items expected to turn yellow or red at the next notice, worst first, each with its reason."""
    upcoming = upcoming or next_notice(notice)
    t = numbered(trajectory)
    f = _flags(t[_SLIM], _day(notice), _day(upcoming), tolerance, pace_notices)  # the rule on numbers only
    if f is None:
        return pd.DataFrame(columns=_COLUMNS)
    words = t[t["nd"] == _day(notice)].drop_duplicates("item_id", keep="last").set_index("item_id")
    rows = []
    for k in np.flatnonzero(f.due | f.behind):
        said = f"按近{int(f.n[k]) - 1}个月进度" if f.by_window[k] else "按开始以来的进度"
        r = words.loc[f.last.index[k]]
        if f.due[k]:
            reason = (f"完成时限{cn_date(_date(r['deadline']))}早于下期通报，目前完成{pct(f.p[k])}"
                      + ("" if np.isnan(f.predicted[k]) else f"，{said}下月预计完成{pct(f.predicted[k])}") + "，届时将逾期")
        else:
            reason = f"{said}，下月预计完成{pct(f.predicted[k])}，序时进度{pct(f.expected[k])}"
        rows.append(dict(item_id=f.last.index[k], title=r["title"], unit_name=r["unit_name"], list=r["list"],
                         deadline=r["deadline"], progress=r["progress"], light=r["light"],
                         predicted=lights.RED if f.due[k] else lights.YELLOW, reason=reason))
    out = pd.DataFrame(rows, columns=_COLUMNS)
    return out.sort_values(["predicted", "deadline"], key=lambda c: c.map(_RANK) if c.name == "predicted" else c,
                           ascending=[False, True]).reset_index(drop=True)


def _day(d: dt.date) -> float:
    return float((pd.Timestamp(d) - pd.Timestamp(0)).days)


_SLIM = ["item_id", "nd", "sd", "dd", "fd", "progress", "lr"]  # what the rule reads


def numbered(trajectory: pd.DataFrame) -> pd.DataFrame:
    """Dates as day numbers (nd notice, sd start, dd deadline, fd done) and the light as its rank (lr): the
    rule compares whole numeric columns. A frame already numbered is returned as it is (the app keeps the
    numbered trajectory, so a month change does not number a province's million rows again)."""
    if "nd" in trajectory:
        return trajectory
    return trajectory.assign(nd=day_numbers(trajectory["notice_date"]), sd=day_numbers(trajectory["start_date"]),
                             dd=day_numbers(trajectory["deadline"]), fd=day_numbers(trajectory["done_date"]),
                             lr=trajectory["light"].map(_RANK).to_numpy(dtype=float))


@dataclass
class _Flags:
    last: pd.DataFrame  # each item's row on today's notice, by item_id
    due: np.ndarray  # → red
    behind: np.ndarray  # → yellow
    p: np.ndarray
    n: np.ndarray
    by_window: np.ndarray
    predicted: np.ndarray
    expected: np.ndarray


def _flags(t: pd.DataFrame, today: float, then: float, tolerance: float, pace_notices: int) -> _Flags | None:
    """The rule, on whole columns: the one home of the warning (`warnings` words it, `replay` counts it)."""
    t = t[t["nd"] <= today]
    last = t[t["nd"] == today].drop_duplicates("item_id", keep="last").set_index("item_id")
    if last.empty:
        return None
    started = t[np.isnan(t["sd"]) | (t["nd"] >= t["sd"])].sort_values(["item_id", "nd"])
    back = started.groupby("item_id").cumcount(ascending=False)  # 0 on today's notice, 1 on the one before, …
    seasoned = last.index.isin(started.loc[back == 2, "item_id"])  # two months of its own progress to go by
    started = started[back <= pace_notices]  # the notices its pace is measured over
    window = started.groupby("item_id").agg(first_nd=("nd", "first"), first_p=("progress", "first"),
                                            n=("nd", "size")).reindex(last.index)
    p = pd.to_numeric(last["progress"]).to_numpy(dtype=float)
    sd, dd, fd = last["sd"].to_numpy(), last["dd"].to_numpy(), last["fd"].to_numpy()
    n = window["n"].fillna(0).to_numpy()
    days = today - window["first_nd"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        by_window = (n >= 2) & (days > 0)
        since_start = ~by_window & ~np.isnan(sd) & (today - sd > 0)
        pace = np.where(by_window, (p - window["first_p"].to_numpy()) / days,
                        np.where(since_start, p / (today - sd), np.nan))
        predicted = np.minimum(1.0, np.maximum(p, p + pace * (then - today)))  # NaN where there is no pace
        expected = lights.schedule_progress(sd, dd, np.full(len(sd), then))  # the light rule's schedule, no other
        light = last["lr"].to_numpy()
        open_ = ~(~np.isnan(fd) & (fd <= today)) & ~np.isnan(dd) & (light != _RANK[lights.RED])
        due = open_ & (dd < then) & ~(predicted >= 1.0 - _EPS)  # unless its pace finishes it in time
        behind = (open_ & ~(dd < then) & ~np.isnan(predicted) & seasoned  # a yellow needs two months of progress
                  & lights.behind_schedule(predicted, expected, tolerance) & (light == _RANK[lights.GREEN]))
    return _Flags(last, due, behind, p, n, by_window, predicted, expected)


@dataclass(frozen=True)
class TrackRecord:
    """How the warning did when replayed over the data's past notices."""

    notices: int  # notice pairs replayed
    warned: int  # warnings given
    came_true: int  # warned items that did turn yellow or red (or worse) at the next notice
    turned: int  # items that turned worse at the next notice
    foreseen: int  # of those, warned beforehand

    @property
    def precision(self) -> float | None:
        return self.came_true / self.warned if self.warned else None

    @property
    def recall(self) -> float | None:
        return self.foreseen / self.turned if self.turned else None


def replay(trajectory: pd.DataFrame, tolerance: float = lights.DEFAULT_TOLERANCE,
           upto: dt.date | None = None, pace_notices: int = PACE_NOTICES) -> TrackRecord:
    """Give the warning on every past notice (up to `upto`) and compare it with the light the next notice
    actually had."""
    return record_upto(replay_pairs(trajectory, tolerance, pace_notices), upto)


def record_upto(pairs: pd.DataFrame, upto: dt.date | None = None) -> TrackRecord:
    """The track record over the notice pairs whose later notice is at or before `upto` (all without it)."""
    if upto is not None:
        pairs = pairs[pairs["upcoming"] <= _day(upto)]
    return TrackRecord(len(pairs), *(int(pairs[c].sum()) for c in ("warned", "came_true", "turned", "foreseen")))


def replay_pairs(trajectory: pd.DataFrame, tolerance: float = lights.DEFAULT_TOLERANCE,
                 pace_notices: int = PACE_NOTICES) -> pd.DataFrame:
    """One row per pair of consecutive notices (day numbers today, upcoming): warnings given on `today`, how
    many came true at `upcoming`, items that turned worse, and how many of those were warned. Computed once
    for every notice, so the record up to any chosen notice is a sum (a month change costs nothing).
    The rule runs on a slim copy (items numbered, day numbers, no text): a province's replay filters, sorts
    and groups its million rows once per notice, and copying the text columns was most of that."""
    slim = numbered(trajectory).assign(item_id=pd.factorize(trajectory["item_id"])[0], progress=pd.to_numeric(
        trajectory["progress"]).astype(float))[_SLIM]
    days = sorted(set(slim["nd"]))
    rank = pd.Series(slim["lr"].to_numpy(), index=pd.MultiIndex.from_arrays([slim["item_id"], slim["nd"]]))
    rank = rank[~rank.index.duplicated(keep="last")].unstack()  # item × notice
    rows = []
    for today, upcoming in zip(days, days[1:]):
        f = _flags(slim, today, upcoming, tolerance, pace_notices)
        flagged = set() if f is None else set(f.last.index[f.due | f.behind])
        now, then = rank[today], rank[upcoming]
        worse = set(rank.index[(now.notna() & then.notna() & (then > now)).to_numpy()])
        rows.append((today, upcoming, len(flagged), len(flagged & worse), len(worse), len(worse & flagged)))
    return pd.DataFrame(rows, columns=["today", "upcoming", "warned", "came_true", "turned", "foreseen"])


# --- water: what the rest of the year must average ---------------------------------------------------

def remaining_target(values_so_far: list[float], limit: float, months_left: int,
                     same_months_before: list[float]) -> tuple[float | None, str, bool]:
    """(the mean the remaining months need, words, reachable) for the year's mean to be at or below `limit`.
    Unreachable when that is below every value seen in the same months of the earlier years."""
    floor = min(same_months_before) if same_months_before else None
    return _target(len(values_so_far), float(np.sum(values_so_far)), limit, months_left, floor)


def _target(n: int, total: float, limit: float, months_left: int,
            floor: float | None) -> tuple[float | None, str, bool]:
    """The one place the outlook decides: the need, its words and whether it can still be met (a flag of its
    own, never read back from the words)."""
    if n == 0:
        return None, "本年尚无监测数据", True
    if months_left <= 0:
        mean = total / n
        met = mean <= limit + _EPS
        return None, f"全年均值{mean:.3f}，{'已达标' if met else '未达标'}", met
    need = (limit * (n + months_left) - total) / months_left
    if need <= 0:
        return need, f"剩余{months_left}个月均值需≤{max(need, 0):.3f} mg/L，已无法达标（前{n}个月已超出全年限值）", False
    if floor is not None and not np.isnan(floor) and need < floor - _EPS:
        return need, (f"剩余{months_left}个月均值需≤{need:.3f} mg/L方能达标，低于近三年同期最低值{floor:.3f}，"
                      "预计无法达标"), False
    return need, f"剩余{months_left}个月均值需≤{need:.3f} mg/L方能达标", True


def water_outlook(monthly: pd.DataFrame, year: int, upto_month: int) -> pd.DataFrame:
    """Per section, for TP and NH3-N: the year's mean so far (the mean of its monthly values, months without the
    factor left out), its target limit, and what the remaining months must average (`monthly` is
    water_monthly_series, optionally with the scope's row first: `with_scope`). Whole columns at once: a
    province's sections cost what a district's do."""
    columns = ["section_id", "section_name", "river_name", "factor", "target_class", "limit", "months", "mean", "need",
               "words", "reachable", "aggregate"]
    if monthly.empty:
        return pd.DataFrame(columns=columns)
    month = pd.to_datetime(monthly["month"])
    m = monthly.assign(y=month.dt.year, mo=month.dt.month)
    if "aggregate" not in m:
        m["aggregate"] = False
    keys = ["section_id"]
    first = m.groupby(keys, sort=False)[["section_name", "river_name", "water_body", "target_class", "aggregate"]].first()
    this = m[(m["y"] == year) & (m["mo"] <= upto_month)].groupby(keys, sort=False)
    before = m[m["y"].between(year - 3, year - 1) & (m["mo"] > upto_month)].groupby(keys, sort=False)
    left = 12 - upto_month
    rows = []
    for factor in ("tp", "nh3n"):
        stats = first.join(this[factor].agg(["count", "sum"])).join(before[factor].min().rename("floor"))
        for sid, r in stats.iterrows():
            if pd.isna(r["target_class"]):
                continue  # a section without a target has nothing to meet
            target = int(r["target_class"])
            limit = water_rules.class_limit(factor, target, r["water_body"])
            n = int(r["count"]) if pd.notna(r["count"]) else 0
            total = float(r["sum"]) if n else 0.0
            need, words, reachable = _target(n, total, limit, left, r["floor"] if pd.notna(r["floor"]) else None)
            rows.append(dict(section_id=sid, section_name=r["section_name"], river_name=r["river_name"], factor=factor,
                             target_class=target, limit=limit, months=n, mean=total / n if n else None, need=need,
                             words=words, reachable=reachable, aggregate=bool(r["aggregate"])))
    order = {sid: k for k, sid in enumerate(first.index)}
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["section_id", "factor"], key=lambda c: c.map(order) if c.name == "section_id" else
                           c.map({"tp": 0, "nh3n": 1}), kind="stable").reset_index(drop=True)


def with_scope(monthly: pd.DataFrame, scope: str, river: bool = False) -> pd.DataFrame:
    """The series with the scope first (全区, a township or a river, named): the mean of its river sections each
    month, against their target class when they share one, else the strictest of their targets (said in the
    row's name). Lake sections are left out (their TP limits differ)."""
    rivers = monthly[monthly["water_body"] == water_rules.RIVER]
    if rivers.empty or rivers["target_class"].dropna().empty:
        return monthly
    targets = sorted(set(rivers["target_class"].dropna().astype(int)))
    target = targets[0]
    name = f"{scope}{'' if river else '河流'}断面均值" + ("" if len(targets) == 1 else f"（目标不一，按最严的{water_rules.CLASS_NAMES[target]}）")
    aggregate = rivers.groupby("month", as_index=False)[["tp", "nh3n"]].mean().assign(
        section_id="", section_name=name, river_name="", water_body=water_rules.RIVER, target_class=target, aggregate=True)
    return pd.concat([aggregate, monthly.assign(aggregate=False)], ignore_index=True)
