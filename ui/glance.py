"""The phone view's pieces (手机看板): the month on one narrow screen as plain HTML blocks — the lights, what
changed, the red items and the water — readable at 390 px without zoom. Text from data is escaped here."""
from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from riverchief.board import Board, light_label
from riverchief.dates import cn_month
from riverchief.lights import GREEN, LIGHT_COLOURS, LIGHT_NAMES, RED, YELLOW
from riverchief.notice import CHANGE_NAMES, Changes
from riverchief.water_rules import CLASS_COLOURS, CLASS_NAMES
from ui import strings as S

RED_SHOWN = 5  # red items listed on the phone; the rest are counted, with the full board a tap away

CSS = """<style>
.glance {font-size: 17px; line-height: 1.5; color: #202124;}
.glance h3 {font-size: 18px; margin: 10px 0 4px 0;}
.glance p {margin: 0 0 4px 0;}
.glance .muted {color: #5F6368; font-size: 15px;}
.glance .tiles {display: flex; gap: 8px;}
.glance .tile {flex: 1 1 0; min-width: 0; border: 1px solid #DADCE0; border-radius: 8px; padding: 8px 6px; text-align: center;}
.glance .tile .n {font-size: 30px; font-weight: 700; line-height: 1.15; white-space: nowrap;}
.glance .tile .n small {font-size: 15px; font-weight: 400;}
.glance .dot {display: inline-block; width: 12px; height: 12px; border-radius: 50%; margin-right: 4px;}
.glance .chips {display: flex; flex-wrap: wrap; gap: 6px;}
.glance .chip {border: 1px solid #DADCE0; border-radius: 14px; padding: 2px 10px; white-space: nowrap; font-size: 15px;}
.glance .card {border-left: 4px solid #D93025; background: #FAFAFA; border-radius: 4px; padding: 6px 10px; margin: 6px 0;}
.glance .card b {display: block; overflow-wrap: anywhere;}
.glance .badge {display: inline-block; color: #fff; border-radius: 3px; padding: 0 6px; font-size: 14px; margin-right: 2px;}
</style>"""


def _delta(now: int, before: int | None) -> str:
    if before is None:
        return ""
    d = now - before
    return f'<div class="muted">较上期{"持平" if d == 0 else f"{d:+d}"}</div>'


def lights(board: Board) -> str:
    """Three tiles: red, yellow, green, each with its change on the previous notice (持平 for none)."""
    tiles = []
    for light in (RED, YELLOW, GREEN):
        now = board.count(light)
        before = board.count(light, previous=True) if board.prev_notice else None
        tiles.append(f'<div class="tile"><div><span class="dot" style="background:{LIGHT_COLOURS[light]}"></span>'
                     f'<b style="color:{LIGHT_COLOURS[light]}">{LIGHT_NAMES[light]}</b></div>'
                     f'<div class="n">{now}<small> 项</small></div>{_delta(now, before)}</div>')
    return f'<div class="tiles">{"".join(tiles)}</div>'


def changed(changes: Changes, has_previous: bool) -> str:
    if not has_previous:
        return '<p class="muted">这是第一期通报，没有上期可比。</p>'
    chips = [f'<span class="chip">{CHANGE_NAMES[c]} <b>{changes.count(c)}</b> 项</span>'
             for c in ("newly_red", "newly_yellow", "back_to_green", "closed")]
    return f'<div class="chips">{"".join(chips)}</div>'


def red_items(board: Board) -> str:
    red = board.flagged[board.flagged["light"] == RED]
    if red.empty:
        return '<p class="muted">本期没有红灯事项。</p>'
    cards = []
    for r in red.head(RED_SHOWN).itertuples():
        facts = [escape(str(r.unit_name or ""))]
        if pd.notna(r.days_overdue):
            facts.append(f"逾期{int(r.days_overdue)}天")
        facts.append(f"连续{int(r.notices_in_light)}个月")
        label = "" if not r.overridden else f'（{escape(light_label(r.light, True).removeprefix(LIGHT_NAMES[r.light]))}）'
        cards.append(f'<div class="card"><b>{escape(str(r.title))}{label}</b><span class="muted">{" · ".join(facts)}</span></div>')
    more = len(red) - RED_SHOWN
    return "".join(cards) + (f'<p class="muted">另有{more}项红灯，见完整看板。</p>' if more > 0 else "")


def badge(water_class: int) -> str:
    """A water class as the bulletin's badge (a square, never a dot: it is not a light)."""
    return (f'<span class="badge" style="background:{CLASS_COLOURS[int(water_class)]}">'
            f'{CLASS_NAMES[int(water_class)]}</span>')


def water(month: dt.date, sections: pd.DataFrame, met: float | None, tp: float | None, nh3n: float | None,
          said: str = "") -> str:
    """The month's sections by class, the share meeting target and that year's TP and NH3-N means to the month."""
    measured = sections[sections["water_class"].notna()]
    if measured.empty:
        return f'<p class="muted">{escape(said or "本月没有监测数据。")}</p>'
    counts = measured["water_class"].astype(int).value_counts().sort_index()
    parts = [f'<p class="muted">{escape(said)}</p>' if said else "",
             f'<p>{cn_month(month)}监测{len(measured)}个断面：'
             + " ".join(f"{badge(c)}{n}个" for c, n in counts.items()) + "</p>"]
    facts = []
    if met is not None:
        facts.append(f"断面达标率 <b>{met:.1%}</b>")
    for name, value in (("总磷", tp), ("氨氮", nh3n)):
        if value is not None and not pd.isna(value):
            facts.append(f"{month.year}年1–{month.month}月{name}均值 <b>{value:.3f}</b> mg/L")
    if facts:
        parts.append(f'<div class="chips">{"".join(f"<span class=chip>{f}</span>" for f in facts)}</div>')
    return "".join(parts)


def page(what: str, blocks: list[tuple[str, str]]) -> str:
    """The whole phone screen: one line of what it is, then each (heading, block)."""
    body = "".join(f"<h3>{escape(h)}</h3>{b}" if h else b for h, b in blocks)
    return f'{CSS}<div class="glance"><p class="muted">{escape(what)}</p>{body}</div>'


def legend() -> str:
    return '<p class="muted">' + "；".join(
        f'<span class="dot" style="background:{LIGHT_COLOURS[light]}"></span>{escape(words)}'
        for light, words in S.GLANCE_LIGHTS) + "</p>"
