"""整改进度: are problems being fixed, are tasks on schedule, do fixes hold, are chiefs finding problems.

SQL brings the rows (problems_of_year, task_progress, lookbacks_of_year, patrols_by_chief, ...); the
functions here count them, so every number on the page is a count of rows that can be shown.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riverchief import lights
from riverchief.assessment_rules import CHIEF_LEVELS, default_rules
from riverchief.board import Filters
from riverchief.dates import day_numbers
from riverchief.db import Database

# Patrols a month required of a chief at each level: a district's rule, in its rules file ([patrols]); these
# are the default file's, which the demo follows.
PATROLS_REQUIRED = default_rules().patrols_required
RELAPSE_WINDOW_DAYS = 90  # a problem reported again at the same place this soon after closing is suspect
RELAPSE_RADIUS_M = 200
FLOW_STAGES = ("发现", "已交办", "整改中", "已整改", "已销号")
OVERDUE_BUCKETS = ((1, 30, "1–30天"), (31, 90, "31–90天"), (91, 180, "91–180天"), (181, 10**6, "180天以上"))
SOURCES = ("暗访", "巡河", "督察反馈", "群众举报")


@dataclass(frozen=True)
class Progress:
    year: int
    notice: dt.date
    problems: pd.DataFrame  # problems found this year, state on the notice (problems_of_year.sql)
    exposed: pd.DataFrame  # exposed prominent problems of this year's list
    lookbacks: pd.DataFrame
    suspected: pd.DataFrame  # suspected relapses
    tasks: pd.DataFrame  # task rows on every notice of the year up to this one
    funds: pd.DataFrame  # major projects at quarter ends
    patrols: pd.DataFrame  # per chief


def load_progress(db: Database, notice: dt.date, filters: Filters) -> Progress:
    p = dict(notice=notice, year=notice.year, township=filters.township, river=filters.river, unit=filters.unit)
    return Progress(
        year=notice.year, notice=notice,
        problems=db.query("problems_of_year", **p),
        exposed=db.query("exposed_problems", **p),
        lookbacks=db.query("lookbacks_of_year", **p),
        suspected=db.query("suspected_relapses", window_days=RELAPSE_WINDOW_DAYS, radius_m=RELAPSE_RADIUS_M, **p),
        tasks=with_plan(db.query("task_progress", **p)),
        funds=db.query("major_funds", **p),
        patrols=db.query("patrols_by_chief", notice=notice, year=notice.year, township=filters.township,
                         river=filters.river, unit=filters.unit),
    )


def with_plan(tasks: pd.DataFrame) -> pd.DataFrame:
    """The schedule progress of every task row, as stored at publish. A version published before it was stored
    for every dated item (it was kept only where it decided the light) has the rest worked out here, by the
    same formula."""
    missing = tasks["planned"].isna().to_numpy()
    if missing.any():
        planned = lights.schedule_progress(day_numbers(tasks["start_date"]), day_numbers(tasks["deadline"]),
                                           day_numbers(tasks["notice_date"]))
        tasks = tasks.assign(planned=tasks["planned"].where(~missing, planned))
    return tasks


def stage_mask(problems: pd.DataFrame, stage: str) -> pd.Series:
    """Which problems have reached a stage of the flow (a relapsed problem is back to 整改中)."""
    if stage in ("发现", "已交办"):
        return pd.Series(True, index=problems.index)
    if stage == "整改中":
        return problems["status"] != "已交办"
    if stage == "已整改":
        return problems["rectified_date"].notna()
    return problems["closed_date"].notna()


def flow(problems: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"stage": FLOW_STAGES, "n": [int(stage_mask(problems, s).sum()) for s in FLOW_STAGES]})


def by_source(problems: pd.DataFrame) -> pd.DataFrame:
    g = problems.assign(rectified=problems["rectified_date"].notna()).groupby("source")
    out = g.agg(total=("problem_id", "count"), rectified=("rectified", "sum")).reindex(SOURCES).dropna()
    out["open"] = out["total"] - out["rectified"]
    return out.astype(int).reset_index()


def overdue_bucket(days) -> str | None:
    if pd.isna(days) or days <= 0:
        return None
    return next(label for lo, hi, label in OVERDUE_BUCKETS if lo <= days <= hi)


def overdue(problems: pd.DataFrame) -> pd.DataFrame:
    buckets = problems["days_overdue"].map(overdue_bucket)
    counts = buckets.value_counts()
    return pd.DataFrame({"bucket": [b[2] for b in OVERDUE_BUCKETS],
                         "n": [int(counts.get(b[2], 0)) for b in OVERDUE_BUCKETS]})


def rectify_time(problems: pd.DataFrame) -> pd.DataFrame:
    """Days from found to rectified, per unit: median and spread (quartiles), fastest first."""
    done = problems[problems["days_to_rectify"].notna()]
    if done.empty:
        return pd.DataFrame(columns=["unit_name", "n", "median", "p25", "p75", "max"])
    g = done.groupby("unit_name")["days_to_rectify"]
    out = pd.DataFrame({"n": g.count(), "median": g.median(), "p25": g.quantile(0.25), "p75": g.quantile(0.75),
                        "max": g.max()})
    return out.sort_values(["median", "n"], ascending=[True, False]).reset_index()


def completion(problems: pd.DataFrame, key: str) -> pd.DataFrame:
    """Share of the year's problems rectified, per township or unit, best first."""
    g = problems.assign(rectified=problems["rectified_date"].notna()).groupby(key)
    out = g.agg(total=("problem_id", "count"), rectified=("rectified", "sum"))
    out["rate"] = out["rectified"] / out["total"]
    out = out.sort_values(["rate", "total"], ascending=[False, False]).reset_index()
    out["rank"] = out["rate"].rank(ascending=False, method="min").astype(int)
    return out


def relapse_by_unit(lookbacks: pd.DataFrame) -> pd.DataFrame:
    g = lookbacks.assign(relapsed=lookbacks["result"] == "反弹").groupby("unit_name")
    out = g.agg(inspected=("lookback_id", "count"), relapsed=("relapsed", "sum"))
    out["rate"] = out["relapsed"] / out["inspected"]
    return out.sort_values(["rate", "inspected"], ascending=[False, False]).reset_index()


def overall_progress(tasks_now: pd.DataFrame) -> float:
    """The bulletin's "overall progress": the mean of every task's progress (quantified tasks: done ÷
    target, capped at 100%), standing tasks left out."""
    return float(tasks_now["progress"].mean()) if len(tasks_now) else float("nan")


def behind_schedule(tasks_now: pd.DataFrame, tolerance: float) -> int:
    """落后序时进度: the tasks of a notice short of their schedule by more than the tolerance their light was given
    with (`lit_tolerance`; `tolerance` for a light of an older version) — the light rule's own comparison
    (`lights.behind_schedule`), so 70% against 80% with a 10% tolerance is on schedule here too."""
    if tasks_now.empty:
        return 0
    given = pd.to_numeric(tasks_now.get("lit_tolerance", pd.Series(np.nan, index=tasks_now.index)), errors="coerce")
    return int(lights.behind_schedule(pd.to_numeric(tasks_now["progress"]).to_numpy(dtype=float),
                                      pd.to_numeric(tasks_now["planned"]).to_numpy(dtype=float),
                                      given.fillna(tolerance).to_numpy(dtype=float)).sum())


def progress_by(tasks_now: pd.DataFrame, key: str) -> pd.DataFrame:
    g = tasks_now.groupby(key)
    out = pd.DataFrame({"tasks": g["item_id"].count(), "progress": g["progress"].mean(),
                        "planned": g["planned"].mean(), "done": g["done_date"].count()})
    out["behind"] = out["planned"] - out["progress"]
    return out.sort_values("progress").reset_index()


def s_curve(tasks: pd.DataFrame) -> pd.DataFrame:
    """Planned (schedule) against actual progress over the year, on each notice."""
    g = tasks.groupby("notice_date")
    return pd.DataFrame({"planned": g["planned"].mean(), "actual": g["progress"].mean(),
                         "tasks": g["item_id"].count()}).reset_index()


def quantities(tasks_now: pd.DataFrame) -> pd.DataFrame:
    """Quantified targets by unit of measure: the target, what should be done by now, what is done."""
    q = tasks_now[tasks_now["target_qty"].notna()]
    g = q.assign(planned_qty=q["target_qty"] * q["planned"]).groupby("target_unit")
    out = pd.DataFrame({"tasks": g["item_id"].count(), "target": g["target_qty"].sum(),
                        "planned": g["planned_qty"].sum(), "done": g["done_qty"].sum()})
    out["share"] = out["done"] / out["target"]
    return out.reset_index()


def funds_by_quarter(funds: pd.DataFrame) -> pd.DataFrame:
    g = funds.groupby(["notice_date", "quarter"])
    return pd.DataFrame({"secured": g["funds_wan"].sum(), "spent": g["funds_spent_wan"].sum(),
                         "projects": g["item_id"].count()}).reset_index()


def patrol_compliance(patrols: pd.DataFrame, months: int, required: dict[str, int] = PATROLS_REQUIRED) -> pd.DataFrame:
    """Patrols made against required (a month by level, the rules' [patrols] × months so far) and who never
    reports a problem."""
    out = patrols.copy()
    out["required"] = out["chief_level"].map(required) * months
    out["rate"] = out["patrols"] / out["required"]
    out["silent"] = (out["patrols"] > 0) & (out["problems_reported"] == 0)
    return out.sort_values(["silent", "rate"], ascending=[False, True]).reset_index(drop=True)


def found_by_level(problems: pd.DataFrame) -> pd.DataFrame:
    """Which chief level's patrols found the year's problems, and the serious (较重/严重) ones."""
    patrol = problems[problems["source"] == "巡河"]
    g = patrol.assign(serious=patrol["severity"].isin(["较重", "严重"])).groupby("chief_level")
    out = g.agg(found=("problem_id", "count"), serious=("serious", "sum")).reindex(list(CHIEF_LEVELS))
    return out.fillna(0).astype(int).reset_index()
