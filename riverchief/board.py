"""The light board (三色看板): what a notice says, under the shared filters."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd

from riverchief.db import Database
from riverchief.lights import LIGHT_NAMES, RED, YELLOW


@dataclass(frozen=True)
class Filters:
    """The shared filters; None means all."""

    township: str | None = None
    river: str | None = None
    list: str | None = None
    unit: str | None = None

    def params(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Board:
    notice: dt.date
    prev_notice: dt.date | None
    totals: pd.DataFrame  # light, n, prev_n
    by_unit: pd.DataFrame  # unit_id, unit_name, unit_kind, red, yellow, green, prev_red
    by_list: pd.DataFrame  # list, red, yellow, green
    flagged: pd.DataFrame  # red and yellow items, see flagged_items.sql

    def count(self, light: str, previous: bool = False) -> int:
        row = self.totals.set_index("light").loc[light]
        return int(row["prev_n" if previous else "n"])


def load_board(db: Database, notice: dt.date, filters: Filters) -> Board:
    params = {"notice": notice, **filters.params()}
    totals = db.query("light_totals", **params)
    prev = totals["prev_notice"].iloc[0]
    return Board(
        notice=notice,
        prev_notice=None if pd.isna(prev) else pd.Timestamp(prev).date(),
        totals=totals[["light", "n", "prev_n"]],
        by_unit=db.query("lights_by_unit", **params),
        by_list=db.query("lights_by_list", **params),
        flagged=db.query("flagged_items", **params),
    )


def headline(board: Board) -> str:
    """The finding of the notice in words, for the main chart's title."""
    red, yellow = board.count(RED), board.count(YELLOW)
    if int(board.totals["n"].sum()) == 0:
        return "所选范围内本期没有事项"
    if red == 0 and yellow == 0:
        return "全部事项亮绿灯"
    parts = [f"红灯{red}项、黄灯{yellow}项"]
    if board.prev_notice is not None:
        delta = red - board.count(RED, previous=True)
        parts.append("红灯与上月持平" if delta == 0 else f"红灯较上月{'增加' if delta > 0 else '减少'}{abs(delta)}项")
    worst = board.by_unit.sort_values(["red", "yellow"], ascending=False).head(2)
    worst = worst[worst["red"] > 0]
    if not worst.empty:
        parts.append("红灯集中在" + "、".join(f"{r.unit_name}（{r.red}项）" for r in worst.itertuples()))
    return "，".join(parts)


def light_label(light: str, overridden: bool = False) -> str:
    return LIGHT_NAMES[light] + ("（人工认定）" if overridden else "")
