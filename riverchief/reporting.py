"""The monthly reporting round (月报送) as pure rules: what a unit must report, what the office is warned
of when reviewing, how far each unit got, and how accepted entries become the month's snapshot.

The round's notice is carried from the last published notice: every item and problem is copied to the
new notice date; accepted entries change what their unit reported; everything else stays as it was,
except that the month's work of a standing task counts as not reported, and the office's light
overrides (which belong to one notice) are not carried. The light rule then lights the new snapshot.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from riverchief import lights, usertext
from riverchief.dates import on_day
from riverchief.errors import RiverBoardError

DRAFT, SUBMITTED, RETURNED, ACCEPTED = "draft", "submitted", "returned", "accepted"
ENTRY_STATUS_NAMES = {DRAFT: "草稿", SUBMITTED: "已提交待审核", RETURNED: "已退回", ACCEPTED: "已通过"}
NOT_REPORTED, REPORTED, UNIT_RETURNED, UNIT_DRAFT = "not_reported", "reported", "returned", "draft"
UNIT_STATUS_NAMES = {NOT_REPORTED: "未报送", UNIT_DRAFT: "草稿未提交", REPORTED: "已报送", UNIT_RETURNED: "被退回"}
JUMP = 0.5  # a change of more than 50 points in one month is worth a second look


class ReportError(RiverBoardError):
    """A report that cannot be taken (message in Chinese, naming the item and the field)."""


def _missing(v) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def open_work(items: pd.DataFrame, problems: pd.DataFrame, unit_id: str | None = None) -> pd.DataFrame:
    """What a unit reports on (all units when unit_id is None): its items not yet done and its problems
    not yet rectified, on the notice the round carries from. One row per item or problem."""
    it = items[items["done_date"].isna()]
    pr = problems[problems["rectified_date"].isna()]
    if unit_id is not None:
        it, pr = it[it["unit_id"] == unit_id], pr[pr["unit_id"] == unit_id]
    rows = [dict(kind="item", ref_id=r["item_id"], unit_id=r["unit_id"], list=r["list"], title=r["title"],
                 deadline=r["deadline"], target_qty=r["target_qty"], target_unit=r["target_unit"],
                 done_qty=r["done_qty"], progress=r["progress"], at_risk=bool(r["at_risk"]) if not _missing(r["at_risk"]) else False,
                 light=r.get("light")) for r in it.to_dict("records")]
    rows += [dict(kind="problem", ref_id=r["problem_id"], unit_id=r["unit_id"], list="problem", title=r["title"],
                  deadline=r["deadline"], target_qty=None, target_unit=None, done_qty=None, progress=r["progress"],
                  at_risk=False, light=r.get("light")) for r in pr.to_dict("records")]
    cols = ["kind", "ref_id", "unit_id", "list", "title", "deadline", "target_qty", "target_unit", "done_qty",
            "progress", "at_risk", "light"]
    return pd.DataFrame(rows, columns=cols)


@dataclass(frozen=True)
class Report:
    """What a unit enters for one item or problem."""

    done_qty: float | None = None  # quantified tasks: the amount done so far, in the target's unit
    progress: float | None = None  # 0..1, for the others
    done_date: dt.date | None = None
    at_risk: bool = False
    risk_reason: str = ""
    note: str = ""
    no_progress: bool = False  # the unit confirms the value is unchanged because nothing moved this month


def standing(work: dict) -> bool:
    """A standing task (长期坚持): an item without a deadline; its month's work is what is reported."""
    return work.get("kind", "item") == "item" and "deadline" in work and _missing(work["deadline"])


def unchanged(work: dict, report: Report) -> bool:
    """The report says what the notice it carries from said: the same amount done (quantified tasks) or the
    same progress, and no completion date. The form is pre-filled with those values, so unchanged is also
    what a unit that did not look sends."""
    if report.done_date is not None:
        return False
    if report.done_qty is not None and not _missing(work.get("done_qty")):
        return abs(float(report.done_qty) - float(work["done_qty"])) < 1e-9
    if report.progress is None or _missing(work.get("progress")):
        return False
    return abs(float(report.progress) - float(work["progress"])) < 1e-9


def unconfirmed(work: dict, report: Report) -> bool:
    """Not yet reported this month: unchanged, without the unit confirming 本月无进展 (a standing task's
    month of work can instead be said in the note)."""
    if report.no_progress or not unchanged(work, report):
        return False
    return not (standing(work) and report.note.strip())


def check_report(work: dict, report: Report, notice: dt.date) -> Report:
    """The report made consistent with its item, or ReportError saying what is wrong and what is expected.
    A quantified task reports the amount done (progress follows); a done date means 100%."""
    title = work["title"]
    quantified = not _missing(work.get("target_qty")) and work.get("target_qty")
    progress, done = report.progress, report.done_qty
    if quantified:
        if done is None:
            raise ReportError(f"“{title}”：请填写已完成量（目标 {work['target_qty']:g}{work.get('target_unit') or ''}）")
        if done < 0:
            raise ReportError(f"“{title}”：已完成量不能为负数")
        progress = lights.progress_of(done, float(work["target_qty"]))
    else:
        if progress is None:
            raise ReportError(f"“{title}”：请填写进度（0–100%）")
        if not 0 <= progress <= 1:
            raise ReportError(f"“{title}”：进度应在0–100%之间，填的是{progress * 100:g}%")
    if report.done_date is not None:
        if report.done_date > notice:
            raise ReportError(f"“{title}”：完成日期{report.done_date:%Y-%m-%d}晚于本期通报日{notice:%Y-%m-%d}")
        if quantified and progress < 1:
            raise ReportError(f"“{title}”：填了完成日期，已完成量应达到目标 {work['target_qty']:g}{work.get('target_unit') or ''}")
        progress = 1.0
    try:
        reason, note = usertext.clean(report.risk_reason, what="原因"), usertext.clean(report.note, what="备注")
    except ValueError as exc:
        raise ReportError(f"“{title}”：{exc}") from None
    if report.at_risk and not reason:
        raise ReportError(f"“{title}”：标记“难以按期完成”时须写明原因")
    checked = Report(done if quantified else None, progress, report.done_date, report.at_risk,
                     reason if report.at_risk else "", note, bool(report.no_progress))
    if checked.no_progress and not unchanged(work, checked):
        raise ReportError(f"“{title}”：勾选了“本月无进展”，但填的进度或完成情况与上期不同；有进展请取消勾选")
    return checked


def warnings(before: float | None, report: Report, *, deadline: dt.date | None, notice: dt.date,
             submitted: dt.datetime | None, round_deadline: dt.date, same: bool = False) -> list[str]:
    """What the office should look at twice when reviewing an entry (words, in order of weight). `same`: the
    entry repeats what the notice it carries from said (see `unchanged`)."""
    said = []
    if report.no_progress:
        said.append("单位确认本月无进展")
    elif same:
        said.append("与上月相同")
    after = report.progress
    if after is not None and before is not None and not _missing(before):
        if after < before - 1e-9:
            said.append(f"进度倒退：{before * 100:.0f}% → {after * 100:.0f}%")
        elif after - before > JUMP + 1e-9:
            said.append(f"进度一月跃升{(after - before) * 100:.0f}个百分点：{before * 100:.0f}% → {after * 100:.0f}%")
    if after is not None and after >= 1 - 1e-9 and report.done_date is None:
        said.append("进度100%但未填完成日期")
    if report.done_date is not None and deadline is not None and report.done_date > deadline:
        said.append(f"完成日期晚于截止日期{deadline:%Y-%m-%d}")
    if submitted is not None and submitted.date() > round_deadline:  # both the office's dates (riverchief.clock)
        said.append(f"逾期报送（报送截止{round_deadline:%Y-%m-%d}）")
    if report.at_risk:
        said.append("单位标记难以按期完成：" + report.risk_reason)
    return said


def unit_status(statuses: list[str]) -> str:
    """How far a unit got in the round, from its entries' statuses."""
    if not statuses:
        return NOT_REPORTED
    if RETURNED in statuses:
        return UNIT_RETURNED
    if DRAFT in statuses:
        return UNIT_DRAFT
    return REPORTED


def report_rate(units: list[str], status: dict[str, str]) -> float:
    """报送率: the share of units that must report and have reported (returned ones do not count)."""
    if not units:
        return 1.0
    return sum(status.get(u) == REPORTED for u in units) / len(units)


def carry(items: pd.DataFrame, problems: pd.DataFrame, base: dt.date, notice: dt.date,
          entries: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The new notice's items and problems: the base notice carried forward, accepted entries applied.
    `entries` has kind, ref_id, done_qty, progress, done_date, at_risk, risk_reason (accepted only)."""
    it = items[on_day(items["notice_date"], base)].copy()
    pr = problems[on_day(problems["notice_date"], base)].copy()
    it["notice_date"], pr["notice_date"] = notice, notice
    for col in ("override_light", "override_reason", "override_by"):
        it[col] = None
    it["override_at"] = pd.NaT
    it["month_reported"] = it["deadline"].notna()  # standing tasks: not reported unless an entry says so
    for e in entries.to_dict("records"):
        if e["kind"] == "item":
            hit = it["item_id"] == e["ref_id"]
            if not hit.any():
                raise ReportError(f"事项 {e['ref_id']} 不在{base:%Y-%m-%d}的清单中")
            if not _missing(e.get("done_qty")):
                it.loc[hit, "done_qty"] = e["done_qty"]
            it.loc[hit, "progress"] = e["progress"]
            it.loc[hit, "done_date"] = e["done_date"] if not _missing(e.get("done_date")) else None
            it.loc[hit, "at_risk"] = bool(e["at_risk"])
            it.loc[hit, "at_risk_note"] = e["risk_reason"] or None if e["at_risk"] else None
            # a standing task whose unit said 本月无进展 has not done the month's work (yellow); any other entry has
            is_standing = it.loc[hit, "deadline"].isna().all()
            it.loc[hit, "month_reported"] = not (is_standing and bool(e.get("no_progress") or False))
            it.loc[hit, "status"] = ("已完成" if not _missing(e.get("done_date")) else
                                     "持续推进" if is_standing else "推进中" if e["progress"] > 0 else "未开始")
        else:
            hit = pr["problem_id"] == e["ref_id"]
            if not hit.any():
                raise ReportError(f"问题 {e['ref_id']} 不在{base:%Y-%m-%d}的清单中")
            pr.loc[hit, "progress"] = e["progress"]
            if not _missing(e.get("done_date")):
                pr.loc[hit, "rectified_date"] = e["done_date"]
                pr.loc[hit, "status"] = "已整改"
    rest_items = items[~on_day(items["notice_date"], notice)]
    rest_problems = problems[~on_day(problems["notice_date"], notice)]
    return pd.concat([rest_items, it], ignore_index=True), pd.concat([rest_problems, pr], ignore_index=True)
