"""Sections of the light board that other pages reuse: what changed, lights this year, supervision,
and the month's notice as downloads."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from exports import images
from exports.notice_files import notice_docx, notice_xlsx
from exports.pack import build_pack
from riverchief.access import EXPORT
from riverchief.assessment_rules import load_rules
from riverchief.lights import LIGHT_NAMES
from riverchief.notice import CHANGE_NAMES, Changes, filters_line
from ui import auth, data, tables
from ui import strings as S
from ui.text import md
from ui.filters import Selection


def changes_section(changes: Changes, has_previous: bool) -> None:
    st.subheader(S.CHANGES_TITLE, anchor=False)
    if not has_previous:
        st.caption(S.CHANGES_FIRST)
        return
    shown = ["newly_red", "newly_yellow", "back_to_green", "closed", "still_red"]
    cols = st.columns(len(shown))
    for col, change in zip(cols, shown):
        col.metric(CHANGE_NAMES[change], f"{changes.count(change)} 项")
    changed = changes.items[changes.items["change"].isin(shown)]
    if changed.empty:
        st.caption(S.CHANGES_NONE)
        return
    tabs = st.tabs([f"{CHANGE_NAMES[c]}（{changes.count(c)}）" for c in shown])
    for tab, change in zip(tabs, shown):
        rows = changed[changed["change"] == change]
        tables.show_in(tab, rows.assign(prev=rows["prev_light"].map(LIGHT_NAMES), now=rows["light"].map(LIGHT_NAMES))[
            ["item_id", "title", "unit_name", "prev", "now", "days_overdue"]], hide_index=True, width="stretch",
            column_config={"item_id": S.COL_ITEM_ID, "title": S.COL_TITLE, "unit_name": S.COL_UNIT,
                           "prev": "上期灯色", "now": "本期灯色",
                           "days_overdue": st.column_config.NumberColumn(S.COL_OVERDUE, format="%d 天")})


def ytd_section(changes: Changes) -> None:
    st.subheader(S.YTD_TITLE, anchor=False)
    tables.show(changes.ytd[["unit_name", "unit_kind", "red_lights", "yellow_lights"]], hide_index=True,
                 width="stretch", height=min(36 * (len(changes.ytd) + 1) + 4, 400), column_config={
                     "unit_name": S.COL_UNIT, "unit_kind": S.COL_KIND,
                     "red_lights": st.column_config.NumberColumn(S.COL_RED_LIGHTS, format="%d 次"),
                     "yellow_lights": st.column_config.NumberColumn(S.COL_YELLOW_LIGHTS, format="%d 次")})


def supervision_table(records: pd.DataFrame) -> None:
    tables.show(records[["kind", "date", "unit_name", "item_title", "by_whom", "person", "content"]].fillna(""),
                 hide_index=True, width="stretch", column_config={
                     "kind": S.COL_SV_KIND, "date": st.column_config.DateColumn(S.COL_SV_DATE, format="YYYY年M月D日"),
                     "unit_name": S.COL_UNIT, "item_title": S.COL_SV_ITEM, "by_whom": S.COL_SV_BY,
                     "person": S.COL_SV_PERSON, "content": S.COL_SV_CONTENT})


def supervision_section(changes: Changes) -> None:
    st.subheader(S.SUPERVISION_TITLE, anchor=False)
    records = changes.supervision
    if records.empty:
        st.caption(S.SUPERVISION_NONE)
        return
    counts = records["kind"].value_counts()
    st.markdown(S.SUPERVISION_LINE.format(**{k: int(counts.get(k, 0)) for k in ("批示", "约谈", "提醒", "通报")}))
    supervision_table(records)


def notice_downloads(sel: Selection, root: str, version) -> None:
    """The month's notice, built only when a download is asked for."""
    st.subheader(S.NOTICE_TITLE, anchor=False)
    st.caption(S.NOTICE_HELP)
    month = f"{sel.notice.year}-{sel.notice.month:02d}"
    stem = f"三色亮灯通报_{month}" + ("" if sel.scope == S.ALL_DISTRICT else "_" + sel.scope.replace(" · ", "_"))
    line = filters_line(sel.notice, sel.scope, version.id)

    def build(kind):
        notice = data.notice(root, version.id, sel.notice, sel.filters, sel.scope)
        return (notice_docx if kind == "docx" else notice_xlsx)(notice, line, version.is_demo)

    if not auth.may(EXPORT):  # a leader reads the notice here; the files are for the office and analysts
        _notice_preview(root, version, sel)
        return
    left, middle, right = st.columns(3)
    if images.available():
        middle.download_button(
            S.PACK_PPTX, lambda: build_pack(data.database(version), version, sel.notice, sel.filters, sel.scope,
                                            load_rules(root).rules),
            file_name=f"会议材料_{month}" + stem.removeprefix(f"三色亮灯通报_{month}") + ".pptx", icon=":material/slideshow:",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", on_click="ignore",
            key="dl_pptx", help=S.PACK_HELP)
    else:
        middle.caption(S.CHART_EXPORT_UNAVAILABLE)
    left.download_button(S.NOTICE_DOCX, lambda: build("docx"), file_name=f"{stem}.docx", icon=":material/description:",
                         mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         on_click="ignore", key="dl_docx")
    right.download_button(S.NOTICE_XLSX, lambda: build("xlsx"), file_name=f"{stem}.xlsx", icon=":material/table:",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          on_click="ignore", key="dl_xlsx")
    _notice_preview(root, version, sel)


def _notice_preview(root: str, version, sel: Selection) -> None:
    with st.expander(S.NOTICE_PREVIEW):
        notice = data.notice(root, version.id, sel.notice, sel.filters, sel.scope)
        st.markdown(f"**{md(notice.title)}**")
        for p in notice.paragraphs:
            st.markdown(md(p))
