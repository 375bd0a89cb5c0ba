"""事项详情: one item — every field, its light on every notice with the reason, progress against
schedule, the supervision on it, and the office's light override (with who, when and why)."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from rendering import figures
from riverchief import access, supervision
from riverchief.board import light_label
from riverchief.dates import cn_date, cn_month, cn_notice, on_day
from riverchief.lights import LIGHT_COLOURS, LIGHT_NAMES, LIGHTS
from riverchief.office import actions
from riverchief.schema import LIST_NAMES
from riverchief.errors import RiverBoardError
from riverchief.office.database import Unavailable
from ui import auth, board_parts, charts, data, filters, frame, tables
from ui import strings as S
from ui.text import md

ITEMS_LISTED = 2000  # in the picker (it is sent to the browser on every run); any other opens by its link
version, sel, root, source, _, tables_label = frame.page(S.PAGE_ITEM)
choices = data.query(root, version.id, "item_choices", notice=sel.notice, **sel.filters.params())
wanted = st.query_params.get("item")
options = choices["item_id"].head(ITEMS_LISTED).tolist()  # red first: a province's notice lists ~47,000 items
linked = data.query(root, version.id, "item_history", item=wanted) if wanted and wanted not in options else None
if linked is not None and len(linked) and access.may_see_unit(  # a unit opens only its own items, whatever the link
        auth.current(), [*linked["unit_id"], *"、".join(linked["co_unit_ids"].dropna()).split("、")]):
    options.insert(0, wanted)  # an item from a link, off this notice or outside the filters
if not options:
    st.info("所选范围内本期没有事项。")
    st.stop()
labels = dict(zip(choices["item_id"].tolist(), (  # on whole columns: a province's notice lists ~47,000 items
    choices["item_id"] + " " + choices["title"].fillna("") + "（" + choices["light"].map(LIGHT_NAMES).fillna("—") + "）"
).tolist()))
if len(choices) > ITEMS_LISTED:
    st.caption(S.ITEM_PICK_FIRST.format(shown=ITEMS_LISTED, n=len(choices)))
item_id = st.selectbox("选择事项", options, index=options.index(filters.page_param("item", options, options[0])),
                       format_func=lambda i: labels.get(i) or f"{i} （—）")
filters.set_page_param("item", item_id)
history = data.query(root, version.id, "item_history", item=item_id)
on_notice = history[on_day(history["notice_date"], sel.notice)]
row = (on_notice if len(on_notice) else history).iloc[-1]
if on_notice.empty:
    st.warning(S.ITEM_NOT_ON_NOTICE.format(notice=cn_notice(sel.notice)))


# The light now, with its reason; an override says who set it and when.
st.subheader(md(row["title"]), anchor=False)
st.markdown(f":{ {'red': 'red', 'yellow': 'orange', 'green': 'green'}[row['light']] }[**● {LIGHT_NAMES[row['light']]}**] "
            f"{md(row['light_reason'])}")
if pd.notna(row["override_light"]):
    st.info("本期灯色为人工认定：{reason}（{by}，{at}）".format(reason=md(row["override_reason"]), by=md(row["override_by"]),
                                     at=pd.Timestamp(row["override_at"]).strftime("%Y年%m月%d日 %H:%M")
                                     if pd.notna(row["override_at"]) else "时间未记录"))


def date_or_blank(v, blank=""):
    return cn_date(pd.Timestamp(v).date()) if pd.notna(v) else blank


qty = lambda v: "" if pd.isna(v) else f"{v:,.10g} {row['target_unit']}"  # noqa: E731
fields = {
    "item_id": row["item_id"], "list": LIST_NAMES[row["list"]], "title": row["title"], "unit_name": row["unit_name"],
    "co_units": row["co_unit_names"] or "", "river_name": row["river_name"], "co_rivers": row["co_river_names"] or "",
    "township_name": row["township_name"],
    "start_date": date_or_blank(row["start_date"]), "deadline": date_or_blank(row["deadline"], "长期坚持"),
    "target": qty(row["target_qty"]), "done": qty(row["done_qty"]), "progress": f"{row['progress']:.0%}",
    "status": row["status"], "done_date": date_or_blank(row["done_date"]),
    "funds_plan": "" if pd.isna(row["funds_plan_wan"]) else f"{row['funds_plan_wan']:,.1f} 万元",
    "funds": "" if pd.isna(row["funds_wan"]) else f"{row['funds_wan']:,.1f} 万元",
    "funds_spent": "" if pd.isna(row["funds_spent_wan"]) else f"{row['funds_spent_wan']:,.1f} 万元",
    "source": row["source"] or "", "exposed": "是" if row["exposed"] else "",
    "at_risk": row["at_risk_note"] if row["at_risk"] else "",
}
left, right = st.columns([2, 3])
with left:
    st.markdown("**基本情况**")
    tables.show(pd.DataFrame([(S.FIELD_NAMES[k], str(v)) for k, v in fields.items() if v not in ("", None)],
                              columns=["项目", "内容"]), hide_index=True, width="stretch", label=tables_label)
with right:
    counts = history["light"].value_counts()
    title = S.ITEM_TIMELINE_TITLE.format(n=len(history), red=int(counts.get("red", 0)),
                                         yellow=int(counts.get("yellow", 0)), green=int(counts.get("green", 0)))
    fig = go.Figure()
    for light in LIGHTS:
        h = history[history["light"] == light]
        fig.add_scatter(x=h["notice_date"], y=[LIGHT_NAMES[light]] * len(h), mode="markers", name=LIGHT_NAMES[light],
                        marker=dict(color=LIGHT_COLOURS[light], size=18, line=dict(color="white", width=1)),
                        customdata=h["light_reason"], hovertemplate="%{x|%Y年%-m月}：%{customdata}<extra></extra>")
    fig.add_vline(x=pd.Timestamp(sel.notice).timestamp() * 1000, line=dict(color="#5F6368", dash="dot"))
    fig.update_yaxes(categoryorder="array", categoryarray=[LIGHT_NAMES[l] for l in reversed(LIGHTS)])
    fig.update_xaxes(tickformat="%Y年%-m月")
    charts.show(figures.finish(fig, title, source, height=260), key="timeline")
    if history["deadline"].notna().any():
        fig = go.Figure()
        fig.add_scatter(x=history["notice_date"], y=history["progress"], mode="lines+markers",
                        name=S.PROGRESS, line=dict(color=figures.ACCENT, width=3))
        fig.add_scatter(x=history["notice_date"], y=history["expected"], mode="lines", name=S.SCHEDULE,
                        line=dict(color="#5F6368", dash="dash", width=2))
        fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
        fig.update_xaxes(tickformat="%Y年%-m月")
        charts.show(figures.finish(fig, "完成进度与序时进度", source, height=300), key="progress")

st.markdown("**历次亮灯**")
tables.show(history.assign(month=[cn_month(pd.Timestamp(d).date()) for d in history["notice_date"]],
                            light_text=[light_label(l, pd.notna(o))
                                        for l, o in zip(history["light"], history["override_light"])],
                            progress_pct=history["progress"] * 100)[
    ["month", "light_text", "progress_pct", "status", "light_reason"]].iloc[::-1], hide_index=True, width="stretch",
    column_config={"month": "通报月份", "light_text": S.COL_LIGHT, "status": "状态", "light_reason": S.COL_REASON,
                   "progress_pct": st.column_config.ProgressColumn(S.PROGRESS, format="%.0f%%", min_value=0,
                                                                   max_value=100)}, label=tables_label)

st.markdown("**督办记录**")
records = data.query(root, version.id, "supervision_for", notice=None, year=None, unit=None, item=item_id)
if records.empty:
    st.caption("该事项没有督办记录。")
else:
    board_parts.supervision_table(records, label=tables_label)
    board_parts.issued_papers(version, item=item_id)

if auth.may(access.SUPERVISE) and not on_notice.empty and row["light"] in supervision.KIND_FOR_LIGHT:
    board_parts.paper_form(version, sel.notice, row)
if not auth.may(access.OVERRIDE):
    st.stop()
with st.expander("人工认定灯色（河长办）", icon=":material/edit:", expanded=False):
    st.caption(S.ITEM_OVERRIDE_HELP)
    if on_notice.empty:
        st.caption(S.ITEM_NOT_ON_NOTICE.format(notice=cn_notice(sel.notice)))
    else:
        with st.form("override"):
            choice = st.radio("认定灯色", [*LIGHTS, "clear"], horizontal=True,
                              format_func=lambda l: "撤销人工认定" if l == "clear" else LIGHT_NAMES[l])
            reason = st.text_area("认定理由（必填）")
            if st.form_submit_button("保存认定"):
                if choice != "clear" and not reason.strip():
                    st.error("请填写认定理由。")
                else:
                    try:
                        new = actions.override(auth.current(), version.root, item_id, sel.notice,
                                               None if choice == "clear" else choice, reason, expect_current=version.id)
                        frame.flash(f"已保存：生成新的数据版本 {new.id}。")
                        st.rerun()  # the new light shows at once; the notice says which version holds it
                    except Unavailable as exc:  # the log's write after the new version: it may well be saved
                        frame.show_error(exc)
                    except RiverBoardError as exc:
                        frame.show_error(exc, "未保存：")
