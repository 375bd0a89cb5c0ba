"""The office's supervision papers that follow a light (docs/DOMAIN.md §4a): a 督办通知（交办单） for red items, a
提醒函 for yellow ones — addressed to the responsible unit, with each item's light history and reason and a
date for a written reply. Issuing one is recorded as a supervision record (交办 / 提醒) in a new version,
so the board's supervision table and the assessment's evidence show it."""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from riverchief import lights, publishing, versions
from riverchief.dates import cn_date, cn_month, cn_notice, on_day, pct
from riverchief.db import Database
from riverchief.errors import RiverBoardError

ASSIGN, REMIND = "交办", "提醒"
KIND_FOR_LIGHT = {lights.RED: ASSIGN, lights.YELLOW: REMIND}
TITLES = {ASSIGN: "河长制工作督办通知（交办单）", REMIND: "河长制工作提醒函"}
NUMBER_PREFIX = {ASSIGN: "河长办交", REMIND: "河长办提"}
ISSUER = "区河长办公室"


class PaperError(RiverBoardError):
    """A paper that cannot be made (message in Chinese)."""


@dataclass(frozen=True)
class Paper:
    kind: str  # 交办 / 提醒
    number: str  # 河长办交〔2024〕3号
    title: str
    unit_id: str
    addressee: str  # the unit's name
    notice: dt.date
    reply_by: dt.date
    issuer: str
    issued: dt.date
    items: pd.DataFrame  # item_id, title, river_name, deadline, progress, light, light_reason, history
    paragraphs: tuple[str, ...]


def _history(rows: pd.DataFrame, upto: dt.date) -> str:
    """`2024年4月绿灯 → 5月黄灯 → 6月红灯`: the item's lights of the year up to the notice."""
    rows = rows[pd.to_datetime(rows["notice_date"]).dt.date <= upto].tail(6)
    parts, year = [], None
    for d, light in zip(pd.to_datetime(rows["notice_date"]).dt.date, rows["light"]):
        parts.append((f"{d.month}月" if d.year == year else cn_month(d)) + lights.LIGHT_NAMES[light])
        year = d.year
    return " → ".join(parts)


def build_paper(db: Database, notice: dt.date, unit_id: str, item_ids: list[str], reply_by: dt.date, issuer: str,
                issued: dt.date, light: str | None = None, number: str | None = None) -> Paper:
    """The paper for a unit's items on a notice: a 交办单 when any of them is red, else a 提醒函 (or the kind
    the light asked for). Only red or yellow items of that unit on that notice can be in it. `number`: a paper
    already issued, made again as it was (its records give the rest); none: a new paper, refused when one of
    the same kind already covers any of these items on this notice."""
    if not item_ids:
        raise PaperError("请选择要督办的事项")
    if reply_by <= issued:
        raise PaperError(f"书面回复期限应晚于发文日期{cn_date(issued)}")
    rows = []
    for item_id in dict.fromkeys(item_ids):
        history = db.query("item_history", item=item_id)
        on = history[on_day(history["notice_date"], notice)]
        if on.empty:
            raise PaperError(f"事项 {item_id} 不在{cn_notice(notice)}中")
        r = on.iloc[0]
        if r["unit_id"] != unit_id:
            raise PaperError(f"事项 {item_id} 的责任单位不是所选单位")
        if r["light"] not in KIND_FOR_LIGHT and number is None:  # (a paper made again is as it was issued)
            raise PaperError(f"事项 {item_id} 本期为绿灯，无需督办")
        rows.append(dict(item_id=item_id, title=r["title"], river_name=r["river_name"], deadline=r["deadline"],
                         progress=r["progress"], light=r["light"], light_reason=r["light_reason"],
                         unit_name=r["unit_name"], history=_history(history, notice)))
    items = pd.DataFrame(rows)
    kind = KIND_FOR_LIGHT[light] if light else (ASSIGN if (items["light"] == lights.RED).any() else REMIND)
    if number is None:
        _not_issued_yet(db, notice, unit_id, kind, items)
    number = number or f"{NUMBER_PREFIX[kind]}〔{issued.year}〕{next_number(db, kind, issued.year)}号"
    unit = items["unit_name"].iloc[0]
    n = len(items)
    what = "未按期完成" if kind == ASSIGN else "进度滞后于序时进度"
    paragraphs = (
        f"根据{cn_notice(notice)}，你单位牵头负责的{n}项河长制任务{what}（{'红灯' if kind == ASSIGN else '黄灯'}），"
        f"具体情况见下表。",
        ("请你单位高度重视，主要负责同志亲自研究部署，倒排工期、挂图作战，限期完成整改。"
         if kind == ASSIGN else "请你单位加强调度、加快推进，确保按期完成，避免亮红灯。"),
        f"请于{cn_date(reply_by)}前将整改措施、责任人和完成时限书面报区河长办。逾期未回复或整改不力的，"
        f"将按河长制考核办法予以扣分{'，并提请区级河长约谈' if kind == ASSIGN else ''}。",
    )
    return Paper(kind, number, TITLES[kind], unit_id, unit, notice, reply_by, issuer, issued, items, paragraphs)


def _not_issued_yet(db: Database, notice: dt.date, unit_id: str, kind: str, items: pd.DataFrame) -> None:
    """PaperError when a paper of this kind on this notice already covers one of the items (one number each)."""
    before = issued_papers(db, notice=notice, unit=unit_id)
    titles = dict(zip(items["item_id"], items["title"]))
    for r in before[before["kind"] == kind].itertuples():
        again = [titles[i] for i in r.item_ids if i in titles]
        if again:
            raise PaperError(f"{cn_notice(notice)}已就“{'、'.join(again)}”发出{r.number}（{cn_date(r.issued)}），不再另编文号；"
                             "需要该文件请在“已发督办文件”中重新下载，其余事项请单独选择。")


def next_number(db: Database, kind: str, year: int) -> int:
    """The year's next paper number of this kind, after those already recorded (one paper may be several
    records, one per item: they share its number)."""
    pattern = re.compile(re.escape(f"{NUMBER_PREFIX[kind]}〔{year}〕") + r"(\d+)号")
    records = db.query("supervision_for", notice=None, year=None, unit=None, item=None)
    used = [int(m[1]) for m in records["content"].dropna().map(pattern.match) if m]
    return max(used, default=0) + 1


_RECORDED = re.compile(r"(?P<number>\S+?〔\d{4}〕\d+号)《(?P<title>[^》]+)》，请于(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日前")


def issued_papers(db: Database, notice: dt.date | None = None, item: str | None = None,
                  unit: str | None = None) -> pd.DataFrame:
    """The papers issued (from their supervision records, one per item, written by `record`): number, kind, title,
    unit, addressee, notice, issued, reply_by, by whom and the items — the newest first; of one notice or item."""
    records = db.query("supervision_for", notice=notice, year=None, unit=unit, item=None)
    rows = {}
    for r in records[records["kind"].isin([ASSIGN, REMIND])].itertuples():
        m = _RECORDED.match(str(r.content or ""))
        if m is None:  # a 交办 or 提醒 recorded by hand in the office's files: no paper of ours to make again
            continue
        paper = rows.setdefault(m["number"], dict(
            number=m["number"], kind=r.kind, title=m["title"], unit_id=r.unit_id, addressee=r.person,
            notice=pd.Timestamp(r.notice_date).date(), issued=pd.Timestamp(r.date).date(),
            reply_by=dt.date(int(m["y"]), int(m["m"]), int(m["d"])), by_whom=r.by_whom, item_ids=[], item_titles=[]))
        paper["item_ids"].append(r.item_id)
        paper["item_titles"].append(r.item_title or r.item_id)
    cols = ["number", "kind", "title", "unit_id", "addressee", "notice", "issued", "reply_by", "by_whom", "item_ids",
            "item_titles"]
    out = pd.DataFrame(list(rows.values()), columns=cols)
    if item is not None:
        out = out[[item in ids for ids in out["item_ids"]]] if len(out) else out
    return out.sort_values(["issued", "number"], ascending=False, kind="stable").reset_index(drop=True)


def reissue(root: Path, paper: dict) -> Paper:
    """A paper already issued, made again as it was issued: its number, dates and items, from the data version its
    issue wrote (the lights and history then, whatever was corrected or overridden since); from the current data
    only when that version is gone."""
    recorded = [v for v in versions.list_versions(root) if str(v.manifest.get("source", "")).startswith(f"{paper['number']} ")]
    db = Database(recorded[0] if recorded else versions.current_version(root))
    return build_paper(db, paper["notice"], paper["unit_id"], list(paper["item_ids"]), paper["reply_by"],
                       ISSUER, paper["issued"], light=lights.RED if paper["kind"] == ASSIGN else lights.YELLOW,
                       number=paper["number"])


def item_lines(paper: Paper) -> list[list[str]]:
    """The paper's table, one row per item, in words (the Word file and the page show the same)."""
    return [[r.title + (f"（{r.river_name}）" if r.river_name else ""),
             cn_date(pd.Timestamp(r.deadline).date()) if pd.notna(r.deadline) else "长期", pct(r.progress),
             lights.LIGHT_NAMES[r.light], f"{r.light_reason}。亮灯记录：{r.history}"] for r in paper.items.itertuples()]


ITEM_HEADERS = ["事项（河流）", "完成时限", "进度", "灯色", "亮灯原因和记录"]


def record(root: Path, paper: Paper, by: str, expect_current: str) -> versions.Version:
    """The paper as supervision records (one per item) in a new version of the data."""
    version = versions.read_version(root, expect_current)
    tables = versions.read_tables(version)
    new = pd.DataFrame([dict(
        record_id=f"SV-{paper.issued:%Y%m%d}-{r.item_id}-{secrets.token_hex(2)}", kind=paper.kind, date=paper.issued,
        notice_date=paper.notice, unit_id=paper.unit_id, item_id=r.item_id, by_whom=by, person=paper.addressee,
        content=f"{paper.number}《{paper.title}》，请于{cn_date(paper.reply_by)}前书面回复")
        for r in paper.items.itertuples()])
    tables["supervision"] = pd.concat([tables["supervision"], new], ignore_index=True)
    return publishing.publish(root, tables, source=f"{paper.number} {paper.title}（{paper.addressee}）", created_by=by,
                         demo=version.is_demo, tolerance=version.tolerance,
                         expect_current=version.id)
