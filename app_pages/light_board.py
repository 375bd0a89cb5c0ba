"""三色看板: lights of the three lists on one notice — totals and change, by unit, the red and yellow items."""
import pandas as pd
import streamlit as st

from rendering import figures
from riverchief import access
from riverchief.board import Filters, headline, light_label
from riverchief.dates import cn_notice, cn_stamp
from riverchief.lights import GREEN, LIGHT_COLOURS, RED, YELLOW
from riverchief.schema import LIST_NAMES
from ui import auth, board_parts, charts, data, filters, frame, tables
from ui import strings as S
from ui.text import md

frame.send_phones_to_glance()
version, sel, root, source, _, tables_label = frame.page(S.PAGE_BOARD)
board_parts.lights_legend()
board_parts.unit_round(version)  # a unit lands on its task in the open round
board = data.board(root, version.id, sel.notice, sel.filters)

if not auth.may(access.VIEW_ALL):  # a unit: its own items below, the district only as totals
    district = data.board(root, version.id, sel.notice, Filters())
    st.info(S.UNIT_SCOPE_NOTE.format(unit=md(auth.current().name)) + "\n\n" + S.UNIT_DISTRICT_TOTALS.format(
        red=district.count(RED), yellow=district.count(YELLOW), green=district.count(GREEN),
        total=int(district.totals["n"].sum())), icon=":material/domain:")
elif auth.may(access.MEETING) and st.button(S.PAGE_MEETING, icon=":material/co_present:", help=S.MEETING_ENTER_HELP,
                                            key="enter_meeting"):
    st.switch_page("app_pages/meeting.py", query_params={k: v for k, v in st.query_params.to_dict().items()})

# Key numbers, each with its change on the previous notice (more red is bad, more green is good).
cols = st.columns(4)
help_text = S.METRIC_HELP_DELTA.format(prev=cn_notice(board.prev_notice)) if board.prev_notice else S.METRIC_NO_PREV
for col, light, label, colour_rule in ((cols[0], RED, "红灯", "inverse"),
                                       (cols[1], YELLOW, "黄灯", "inverse"),
                                       (cols[2], GREEN, "绿灯", "normal")):
    delta = board.count(light) - board.count(light, previous=True) if board.prev_notice else None
    col.metric(label, f"{board.count(light)} {S.UNIT_ITEMS}", **board_parts.change_delta(delta, S.UNIT_ITEMS, colour_rule),
               help=help_text, border=True)
total, prev_total = int(board.totals["n"].sum()), int(board.totals["prev_n"].sum())
cols[3].metric("事项总数", f"{total} {S.UNIT_ITEMS}",
               **board_parts.change_delta(total - prev_total if board.prev_notice else None, S.UNIT_ITEMS, "off"),
               help=help_text, border=True)

# The main chart, titled with its finding.
left, right = st.columns([3, 2])
with left:
    if (board.by_unit["red"] + board.by_unit["yellow"]).sum() == 0:
        st.info(S.NO_FLAGGED)
    else:
        picked = charts.show(figures.lights_by_unit(board.by_unit, headline(board), source), key="by_unit",
                             on_select=True)
        units = dict(zip(board.by_unit["unit_name"], board.by_unit["unit_id"]))
        points = picked.selection.points if picked else []
        if points and units.get(points[0].get("y")) and units[points[0]["y"]] != sel.filters.unit:
            filters.request_filter("unit", units[points[0]["y"]])  # drill down: district → unit
with right:
    charts.show(figures.lights_by_list(board.by_list, source), key="by_list")

# The table behind it.
st.subheader("红灯、黄灯事项清单", anchor=False)
st.caption(S.DRILL_HINT)
flagged = board.flagged
if flagged.empty:
    st.info(S.NO_FLAGGED)
else:
    table = flagged.assign(
        light_text=[f"{S.LIGHT_DOT} {light_label(l, o)}" for l, o in zip(flagged["light"], flagged["overridden"])],
        list_name=flagged["list"].map(LIST_NAMES),
        quantity=[f"{d:,.10g}/{t:,.10g} {u}" if pd.notna(u) else "" for d, t, u in
                  zip(flagged["done_qty"], flagged["target_qty"], flagged["target_unit"])],
        progress_pct=pd.to_numeric(flagged["progress"]) * 100,
        expected_pct=pd.to_numeric(flagged["expected"]) * 100,
        days_overdue=pd.to_numeric(flagged["days_overdue"]).astype("float"),
    )[["light_text", "title", "unit_name", "deadline", "days_overdue", "notices_in_light", "progress_pct",
       "light_reason", "expected_pct", "quantity", "item_id", "list_name", "river_name", "township_name", "light"]]
    colour = {f"{S.LIGHT_DOT} {light_label(l, o)}": LIGHT_COLOURS[l] for l in (RED, YELLOW) for o in (False, True)}
    styled = table.style.map(lambda v: f"color: {colour.get(v, 'inherit')}; font-weight: 600", subset=["light_text"])
    chosen = tables.show(
                 styled, hide_index=True, width="stretch", height=min(36 * (len(table) + 1) + 4, 640),
                 on_select="rerun", selection_mode="single-row", key="flagged_table",
                 column_order=[c for c in table.columns if c != "light"],
                 column_config={
                     "light_text": st.column_config.TextColumn(S.COL_LIGHT, width="small"),
                     "item_id": st.column_config.TextColumn(S.COL_ITEM_ID),
                     "list_name": st.column_config.TextColumn(S.LIST),
                     "title": st.column_config.TextColumn(S.ITEM, width="medium"),
                     "unit_name": st.column_config.TextColumn(S.UNIT),
                     "river_name": st.column_config.TextColumn(S.RIVER),
                     "township_name": st.column_config.TextColumn(S.TOWNSHIP),
                     "deadline": st.column_config.DateColumn(S.COL_DEADLINE, format="YYYY年M月D日"),
                     "days_overdue": st.column_config.NumberColumn(S.COL_OVERDUE, format="%d 天"),
                     "notices_in_light": st.column_config.NumberColumn("连续亮灯", format="%d 个月"),
                     "progress_pct": st.column_config.ProgressColumn(S.PROGRESS, format="%.0f%%", min_value=0,
                                                                     max_value=100),
                     "expected_pct": st.column_config.NumberColumn(S.SCHEDULE, format="%.0f%%"),
                     "quantity": st.column_config.TextColumn("完成量/目标"),
                     "light_reason": st.column_config.TextColumn(S.COL_REASON, width="large"),
                 }, label=tables_label)
    if chosen.selection.rows:  # drill down: one item
        item = table["item_id"].iloc[chosen.selection.rows[0]]
        st.switch_page("app_pages/item.py", query_params=st.query_params.to_dict() | {"item": item})

tolerance, pace = version.tolerance, board_parts.rules_in_force(root, "下期预警的进度推算期数").pace_notices
warned, record = data.warnings(root, version.id, sel.notice, sel.filters, tolerance, pace)
board_parts.warning_section(warned, sel.notice, pace, label=tables_label)

changes = data.changes(root, version.id, sel.notice, sel.filters)
board_parts.changes_section(changes, board.prev_notice is not None, label=tables_label)
left, right = st.columns([2, 3])
with left:
    board_parts.ytd_section(changes, label=tables_label)
with right:
    board_parts.supervision_section(changes, version, sel, label=tables_label)
board_parts.notice_downloads(sel, root, version)

frame.method_note(S.METHOD_BOARD.format(
    tolerance=f"{version.tolerance:.0%}",
    lit="；".join(version.manifest.get("lit_with", {}).get(sel.notice.isoformat(), [])) or "发布时的规则",
    prev=cn_notice(board.prev_notice) if board.prev_notice else S.METRIC_NO_PREV,
    source=md(version.manifest.get("source", "")), version=version.id, created=cn_stamp(version.manifest.get("created_at", "")))
    + board_parts.track_record_words(record, pace))
