"""The monthly light notice (每月亮灯通报): what changed, lights per unit this year, and the text draft.

Everything here is computed from the same queries as the board, so the notice and the board agree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from riverchief.board import Board, Filters, load_board
from riverchief.dates import cn_date, cn_notice
from riverchief.db import Database
from riverchief.lights import GREEN, RED, YELLOW
from riverchief.schema import LIST_NAMES

CHANGE_NAMES = {
    "newly_red": "新亮红灯", "newly_yellow": "新亮黄灯", "back_to_green": "转为绿灯", "closed": "完成销号",
    "still_red": "持续红灯（逾期延长）", "new": "新纳入清单", "unchanged": "灯色未变",
}
CHANGE_ORDER = ["newly_red", "newly_yellow", "back_to_green", "closed", "still_red", "new", "unchanged"]


@dataclass(frozen=True)
class Changes:
    items: pd.DataFrame  # item_id, title, list, unit_name, light, prev_light, change, days_overdue
    ytd: pd.DataFrame  # per unit: red_lights, yellow_lights counted per notice this year
    supervision: pd.DataFrame  # 督办 records on this notice

    def count(self, change: str) -> int:
        return int((self.items["change"] == change).sum())


def load_changes(db: Database, notice: dt.date, filters: Filters) -> Changes:
    params = {"notice": notice, **filters.params()}
    supervision = db.query("supervision_for", notice=notice, year=None, unit=filters.unit, item=None)
    return Changes(items=db.query("light_changes", **params), ytd=db.query("unit_lights_ytd", **params),
                   supervision=supervision)


def change_summary(changes: Changes) -> str:
    """`新亮红灯3项，完成销号1项`: the changes that happened (a count of zero is left out, not printed as 0项)."""
    parts = [f"{CHANGE_NAMES[c]}{changes.count(c)}项" for c in ("newly_red", "newly_yellow", "back_to_green", "closed")
             if changes.count(c)]
    return "，".join(parts) or "无新亮红灯、黄灯，无转为绿灯或完成销号的事项"


DEFAULT_ADDRESSEE = "各镇街、区级有关部门"  # 主送机关: the responsible units the notice goes to
YTD_UNITS = 3  # units named in the sentence on this year's lights (more when tied)


@dataclass(frozen=True)
class Notice:
    title: str
    scope: str
    board: Board
    changes: Changes
    paragraphs: list[str]
    red_by_unit: pd.DataFrame  # unit_name, item_id, title, days_overdue, notices_in_light, light_reason
    table: pd.DataFrame  # every item with its light: the three-colour list
    title_lines: tuple[str, ...] = ()  # the title as it is set: the period never split over two lines
    addressee: str = DEFAULT_ADDRESSEE  # 主送机关
    issuer: str = "区河长办公室"  # 发文机关署名


def _red_by_unit(board: Board) -> pd.DataFrame:
    red = board.flagged[board.flagged["light"] == RED]
    return red.sort_values(["unit_name", "days_overdue"], ascending=[True, False])[
        ["unit_name", "item_id", "title", "deadline", "days_overdue", "notices_in_light", "light_reason", "overridden"]]


def build_notice(db: Database, notice: dt.date, filters: Filters, scope: str, district: str,
                 board: Board | None = None, changes: Changes | None = None, addressee: str | None = None) -> Notice:
    """The month's notice; `board` and `changes` when the caller already has them (the board page does).
    `addressee` (主送机关): DEFAULT_ADDRESSEE unless the office names others."""
    board = board if board is not None else load_board(db, notice, filters)
    changes = changes if changes is not None else load_changes(db, notice, filters)
    red, yellow, green = board.count(RED), board.count(YELLOW), board.count(GREEN)
    total = red + yellow + green
    head = (f"截至{cn_date(notice)}，{scope}纳入“三张清单”管理的事项共{total}项，其中绿灯{green}项、"
            f"黄灯{yellow}项、红灯{red}项。")
    if board.prev_notice is not None:
        d_red, d_yellow = red - board.count(RED, True), yellow - board.count(YELLOW, True)
        head += (f"与{cn_notice(board.prev_notice)}相比，红灯{_delta(d_red)}，黄灯{_delta(d_yellow)}；"
                 f"{change_summary(changes)}。")
    by_list = "；".join(_list_words(LIST_NAMES[r.list], r.red, r.yellow, r.green) for r in board.by_list.itertuples())
    paragraphs = [head, f"分清单看：{by_list}。"]
    red_items = _red_by_unit(board)
    if len(red_items):
        units = red_items.groupby("unit_name", sort=False).size().sort_values(ascending=False)
        paragraphs.append("红灯事项涉及" + "、".join(f"{u}（{n}项）" for u, n in units.items()) +
                          "。请相关责任单位主要负责人高度重视，逐项制定整改措施，倒排工期，限期完成；"
                          "区河长办将对连续亮红灯的责任单位提请约谈。")
    if yellow:
        paragraphs.append(f"黄灯事项{yellow}项，请相关责任单位加快推进，确保按序时进度完成。")
    if len(changes.ytd):
        paragraphs.append(ytd_sentence(changes.ytd, notice.year))
    table = db.query("notice_table", notice=notice, **filters.params())
    lines = (f"{district}河长制“三张清单”", cn_notice(notice))
    return Notice(title="".join(lines), scope=scope, board=board, changes=changes, paragraphs=paragraphs,
                  red_by_unit=red_items, table=table, title_lines=lines, addressee=addressee or DEFAULT_ADDRESSEE,
                  issuer=f"{district}河长办公室" if district else "区河长办公室")


def _delta(d: int) -> str:
    return "持平" if d == 0 else (f"增加{d}项" if d > 0 else f"减少{-d}项")


def _list_words(name: str, red: int, yellow: int, green: int) -> str:
    """One list's lights: `…红灯2项、黄灯1项、绿灯5项`, or `…8项均为绿灯` (no run of zeros)."""
    if not red and not yellow:
        return f"{name}{green}项均为绿灯" if green else f"{name}本期无事项"
    return f"{name}红灯{red}项、黄灯{yellow}项、绿灯{green}项"


def _counts(red: int, yellow: int) -> str:
    return "、".join(f"{word}{n}次" for word, n in (("红灯", red), ("黄灯", yellow)) if n)


def _most(ytd: pd.DataFrame, column: str) -> tuple[pd.DataFrame, bool]:
    """The units with the most `column` lights (at least one), YTD_UNITS of them and any tied with the last;
    and whether these are fewer than every unit that had one (then they are "较多", else they are all)."""
    had = ytd[ytd[column] > 0].sort_values([column, "red_lights", "yellow_lights", "unit_name"],
                                           ascending=[False, False, False, True])
    if len(had) <= YTD_UNITS:
        return had, False
    cut = had[column].iloc[YTD_UNITS - 1]
    top = had[had[column] >= cut]
    return top, len(top) < len(had)


def ytd_sentence(ytd: pd.DataFrame, year: int) -> str:
    """The sentence on the year's lights per unit (unit_lights_ytd rows), true whatever the counts: only units
    with a red light are named for red lights, a unit is never listed with 0次, and a list of every unit that
    had one is not called "较多"."""
    head = f"{year}年以来（按每期亮灯次数累计），"
    red, some = _most(ytd, "red_lights")
    if len(red):
        who = "、".join(f"{r.unit_name}（{_counts(r.red_lights, r.yellow_lights)}）" for r in red.itertuples())
        said = (f"亮红灯次数较多的责任单位为{who}" if some else
                f"亮过红灯的责任单位{'为' if len(red) == 1 else '共' + str(len(red)) + '个：'}{who}")
        return head + said + "。亮灯次数将纳入年度考核。"
    yellow, some = _most(ytd, "yellow_lights")
    if not len(yellow):
        return head + "各责任单位均未亮红灯、黄灯。"
    who = "、".join(f"{r.unit_name}（黄灯{r.yellow_lights}次）" for r in yellow.itertuples())
    return (head + "各责任单位均未亮红灯；" + (f"亮黄灯次数较多的责任单位为{who}" if some else f"亮过黄灯的责任单位为{who}")
            + "。亮灯次数将纳入年度考核。")


def scope_words(db: Database, filters: Filters) -> str:
    """The filters in force in words (`锦江街道 · “一河一策”任务`), `全区` when none."""
    names = {(r.kind, r.id): r.name for r in db.query("filter_options").itertuples()}
    words = [names.get(("township", filters.township)), names.get(("river", filters.river)),
             LIST_NAMES.get(filters.list), names.get(("unit", filters.unit))]
    return " · ".join(w for w in words if w) or "全区"


def filters_line(notice: dt.date, scope: str, version_id: str) -> str:
    """The line above every exported table: what it covers and from which data."""
    return f"范围：{scope} · 通报日期：{cn_date(notice)} · 数据版本 {version_id}"
