"""会议模式: the board on a projector — no sidebar, large type, one idea per screen, paged by buttons or
the arrow keys. Screen 1 the totals and what changed; then the red items a few at a time, then the
yellow ones; last the units with most lights this year. The screen is in the URL (screen=N)."""
from html import escape

import pandas as pd
import streamlit as st

from riverchief.board import headline, light_label
from riverchief.dates import cn_date, cn_notice
from riverchief.lights import GREEN, LIGHT_COLOURS, RED, YELLOW
from riverchief.notice import change_summary
from ui import data, filters, frame
from ui import strings as S

version, sel, root, *_ = frame.page(None)  # the meeting screen draws its own title
board = data.board(root, version.id, sel.notice, sel.filters)
changes = data.changes(root, version.id, sel.notice, sel.filters)

st.html("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {padding: 1.2rem 3rem 1rem 3rem; max-width: 100%;}
.meeting p, .meeting li, .meeting td {font-size: 30px; line-height: 1.45;}
.meeting h1 {font-size: 46px;} .meeting h2 {font-size: 40px; margin: .2em 0 .4em 0;}
.meeting .big {font-size: 96px; font-weight: 700; line-height: 1.1;}
.meeting .card {border: 2px solid #DADCE0; border-radius: 8px; padding: 14px 22px; margin-bottom: 14px;}
.meeting .dot {display: inline-block; width: 26px; height: 26px; border-radius: 50%; margin-right: 10px;
  vertical-align: -2px;}
.meeting .muted {color: #5F6368;} .meeting table {border-collapse: collapse; width: 100%;}
.meeting td {padding: 6px 14px; border-bottom: 1px solid #E6E8EB;}
[data-testid="stBaseButton-secondary"] p {font-size: 24px !important;}
@media (max-width: 640px) {  /* a leader's phone: the same screens, sized for 390 px */
  [data-testid="stMainBlockContainer"] {padding: .5rem .7rem 1rem .7rem;}
  .meeting p, .meeting li, .meeting td {font-size: 17px; line-height: 1.4;}
  .meeting h1 {font-size: 23px;} .meeting h2 {font-size: 20px;}
  .meeting .big {font-size: 38px; white-space: nowrap;}
  .meeting td {padding: 4px 5px;} .meeting td:first-child {min-width: 7em;}
  .meeting .dot {width: 13px; height: 13px; margin-right: 4px;}
  .meeting .muted {font-size: 14px;} .meeting .card {padding: 8px 10px;}
  [data-testid="stBaseButton-secondary"] p {font-size: 15px !important;}
}
</style>""")

red = board.flagged[board.flagged["light"] == RED]
yellow = board.flagged[board.flagged["light"] == YELLOW]


def paged(kind: str, items, size: int) -> list:
    pages = -(-len(items) // size)
    return [(kind, items.iloc[j * size:(j + 1) * size], j + 1, pages) for j in range(pages)]


screens = [("totals", None, 1, 1)] + paged("red", red, 3) + paged("yellow", yellow, 4)
screens += [("ytd", None, 1, 1)] if len(changes.ytd) else []
n = len(screens)
current = filters.page_param("screen", [str(i) for i in range(1, n + 1)], "1")
i = int(current)


def light_html(light: str, overridden: bool = False) -> str:
    return (f'<span class="dot" style="background:{LIGHT_COLOURS[light]}"></span>'
            f'<b style="color:{LIGHT_COLOURS[light]}">{light_label(light, overridden)}</b>')


demo = f" ｜ {S.DEMO_TAG}" if version.is_demo else ""
top, nav = st.columns([5, 3], vertical_alignment="center")
buttons = nav.container(horizontal=True, horizontal_alignment="right")  # one row, on a phone too
top.html(f'<div class="meeting"><p class="muted">{S.PAGE_BOARD} · {cn_notice(sel.notice)} ｜ '
         f'筛选条件：{escape(sel.scope)}{demo} ｜ 第 {i} / {n} 页</p></div>')
parts = ['<div class="meeting">']
kind, rows, k, pages = screens[i - 1]
if kind == "totals":
    parts.append(f"<h1>{cn_notice(sel.notice)}亮灯情况</h1><table><tr>")
    for light in (RED, YELLOW, GREEN):
        now = board.count(light)
        change = None if board.prev_notice is None else now - board.count(light, True)
        delta = "" if change is None else "较上期持平" if change == 0 else f"较上期 {change:+d}"
        parts.append(f'<td>{light_html(light)}<div class="big">{now} 项</div><p class="muted">{delta}</p></td>')
    parts.append(f"</tr></table><h2>{escape(headline(board))}</h2>")
    if board.prev_notice is not None:
        parts.append(f"<p>{escape(change_summary(changes))}</p>")
elif kind in ("red", "yellow"):
    parts.append(f"<h2>{'红灯' if kind == 'red' else '黄灯'}事项（{k}/{pages}）</h2>")
    for r in rows.itertuples():
        facts = [escape(r.unit_name or "")]
        if pd.notna(r.days_overdue):
            facts.append(f"逾期 {int(r.days_overdue)} 天")
        facts.append(f"连续 {int(r.notices_in_light)} 个月")
        deadline = f" · 时限 {cn_date(r.deadline.date())}" if pd.notna(r.deadline) else ""
        parts.append(f'<div class="card"><p>{light_html(r.light, r.overridden)} <b>{escape(r.title)}</b></p>'
                     f'<p>{" · ".join(facts)}{deadline}</p><p class="muted">{escape(r.light_reason)}</p></div>')
else:
    parts.append("<h2>本年亮灯次数较多的责任单位</h2><table>")
    for r in changes.ytd.head(8).itertuples():
        parts.append(f"<tr><td>{escape(r.unit_name)}</td><td>{light_html(RED)} {r.red_lights} 次</td>"
                     f"<td>{light_html(YELLOW)} {r.yellow_lights} 次</td></tr>")
    parts.append("</table>")
parts.append("</div>")
st.html("".join(parts))

go = None
if buttons.button("上一页", shortcut="Left", disabled=i == 1, icon=":material/arrow_back:"):
    go = i - 1
if buttons.button("下一页", shortcut="Right", disabled=i == n, icon=":material/arrow_forward:"):
    go = i + 1
if buttons.button("退出", shortcut="Esc", icon=":material/close:"):
    filters.set_page_param("screen", None)
    st.switch_page("app_pages/light_board.py", query_params=st.query_params.to_dict())
if go is not None:
    filters.set_page_param("screen", str(go))
    st.rerun()
filters.set_page_param("screen", str(i))
