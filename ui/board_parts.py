"""Sections of the light board that other pages reuse: what changed, lights this year, supervision,
and the month's notice as downloads."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from exports import images
from exports.notice_files import notice_docx, notice_xlsx
from exports.pack import build_pack
from exports.paper_files import paper_docx
from riverchief import access, clock, supervision
from riverchief.access import EXPORT
from riverchief.office import actions, rounds
from riverchief.errors import RiverBoardError
from riverchief.office.database import Unavailable
from riverchief.dates import cn_date, cn_month, next_notice
from riverchief.lights import LIGHT_COLOURS, LIGHT_NAMES
from riverchief.schema import SUPERVISION_KINDS
from riverchief.notice import CHANGE_NAMES, Changes, filters_line
from ui import auth, data, frame, tables
from ui import strings as S
from ui.text import md
from ui.filters import Selection


def lights_legend() -> None:
    """The first screen's two lines: what this is, and what each light means (the full rule in 口径说明)."""
    st.caption(S.BOARD_WHAT)
    st.html('<div style="display:flex;flex-wrap:wrap;gap:4px 22px;font-size:0.95rem">' + "".join(
        f'<span style="white-space:nowrap"><span style="color:{LIGHT_COLOURS[light]};font-size:1.1em">{S.LIGHT_DOT}</span> '
        f'{words}</span>' for light, words in S.BOARD_LIGHTS) + "</div>")


def change_delta(change: int | None, unit: str, colour: str = "normal") -> dict:
    """st.metric's delta for a change on the previous notice: none without one, 持平 without an arrow for zero
    (an arrow on +0 reads as a rise), the signed number otherwise."""
    if change is None:
        return dict(delta=None)
    if change == 0:
        return dict(delta=S.METRIC_SAME, delta_color="off", delta_arrow="off")
    return dict(delta=f"{change:+d} {unit}", delta_color=colour)


def round_task_card(rnd: dict, task, on_report_page: bool = False) -> None:
    """A unit's task in the open round, first on its screen: the deadline, what is left, what came back (by title,
    with the office's reason); off the report page, a button to it."""
    late = clock.today() > rnd["deadline"] and task.to_do
    box = st.container(border=True)
    box.markdown(f"**{S.TASK_TITLE.format(month=cn_month(rnd['notice_date']), deadline=cn_date(rnd['deadline']))}**")
    if task.to_do == 0 and not task.returned:
        box.success(S.TASK_DONE, icon=":material/task_alt:")
    else:
        counts = dict(unfilled=task.unfilled, drafts=task.drafts, returned=len(task.returned), submitted=task.submitted,
                      accepted=task.accepted)
        box.markdown(S.TASK_LINE.format(open=task.open) + "，".join(
            S.TASK_PARTS[k].format(n=n) for k, n in counts.items() if n) + "。" + (f" **{S.TASK_OVERDUE}**" if late else ""))
    if task.returned:
        box.warning(S.TASK_RETURNED.format(n=len(task.returned)) + "\n" + "\n".join(
            f"- {md(title)}：{md(reason)}" for title, reason in task.returned), icon=":material/undo:")
    if not on_report_page and task.to_do:
        if box.button(S.TASK_GO, icon=":material/edit_note:", type="primary", key="task_go"):
            st.switch_page("app_pages/report.py")


def unit_round(version) -> None:
    """On a unit's first screen: its task in the open round, if there is one (the board draws without it when
    the office store cannot be reached)."""
    me = auth.current()
    if not (auth.may(access.REPORT) and me.unit_id):
        return
    try:
        rnd = rounds.open_round_now()
        if rnd is not None:
            task = rounds.unit_task(version.root, rnd, me.unit_id)
    except Unavailable:
        return
    if rnd is not None and task.open:
        round_task_card(rnd, task)


def rules_in_force(root: str, what: str):
    """The rules a page follows beyond the score (patrols, rivers judged, the warning's pace): the office's file,
    or — said on the page, naming `what` it decides there — the last good rules when that file is broken."""
    loaded = data.rules(root)
    if loaded.error:
        st.warning(S.RULES_FALLBACK.format(error=md(loaded.error), source=md(loaded.source), what=what),
                   icon=":material/rule:")
    return loaded.rules


def changes_section(changes: Changes, has_previous: bool, *, label: tables.Label) -> None:
    st.subheader("与上期相比", anchor=False)
    if not has_previous:
        st.caption("这是第一期通报，没有上期可比。")
        return
    shown = ["newly_red", "newly_yellow", "back_to_green", "closed", "still_red"]
    cols = st.columns(len(shown))
    for col, change in zip(cols, shown):
        col.metric(CHANGE_NAMES[change], f"{changes.count(change)} 项")
    changed = changes.items[changes.items["change"].isin(shown)]
    if changed.empty:
        st.caption("本期与上期相比没有变化。")
        return
    tabs = st.tabs([f"{CHANGE_NAMES[c]}（{changes.count(c)}）" for c in shown])
    for tab, change in zip(tabs, shown):
        rows = changed[changed["change"] == change]
        tables.show_in(tab, rows.assign(prev=rows["prev_light"].map(LIGHT_NAMES), now=rows["light"].map(LIGHT_NAMES))[
            ["item_id", "title", "unit_name", "prev", "now", "days_overdue"]], hide_index=True, width="stretch",
            column_config={"item_id": S.COL_ITEM_ID, "title": S.ITEM, "unit_name": S.UNIT,
                           "prev": "上期灯色", "now": "本期灯色",
                           "days_overdue": st.column_config.NumberColumn(S.COL_OVERDUE, format="%d 天")}, label=label)


def ytd_section(changes: Changes, *, label: tables.Label) -> None:
    st.subheader("本年亮灯次数（考核口径）", anchor=False)
    tables.show(changes.ytd[["unit_name", "unit_kind", "red_lights", "yellow_lights"]], hide_index=True,
                 width="stretch", height=min(36 * (len(changes.ytd) + 1) + 4, 400), column_config={
                     "unit_name": S.UNIT, "unit_kind": S.COL_KIND,
                     "red_lights": st.column_config.NumberColumn(S.COL_RED_LIGHTS, format="%d 次"),
                     "yellow_lights": st.column_config.NumberColumn(S.COL_YELLOW_LIGHTS, format="%d 次")}, label=label)


def supervision_table(records: pd.DataFrame, *, label: tables.Label) -> None:
    tables.show(records[["kind", "date", "unit_name", "item_title", "by_whom", "person", "content"]].fillna(""),
                 hide_index=True, width="stretch", column_config={
                     "kind": "方式", "date": st.column_config.DateColumn("日期", format="YYYY年M月D日"),
                     "unit_name": S.UNIT, "item_title": S.ITEM, "by_whom": "督办人",
                     "person": S.WHOM, "content": S.CONTENT}, label=label)


def supervision_section(changes: Changes, version, sel: Selection, *, label: tables.Label) -> None:
    st.subheader("本期督办", anchor=False)
    records = changes.supervision
    if records.empty:
        st.caption("本期没有督办记录。")
        return
    counts = records["kind"].value_counts()
    st.markdown(S.SUPERVISION_LINE.format(**{k: int(counts.get(k, 0)) for k in SUPERVISION_KINDS}))
    supervision_table(records, label=label)
    issued_papers(version, notice=sel.notice, unit=sel.filters.unit)


def notice_downloads(sel: Selection, root: str, version) -> None:
    """The month's notice, built only when a download is asked for."""
    st.subheader("每月亮灯通报", anchor=False)
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
            "下载会议材料（PPT）", lambda: build_pack(data.database(version), version, sel.notice, sel.filters, sel.scope,
                                            data.rules(str(root)).rules),
            file_name=f"会议材料_{month}" + stem.removeprefix(f"三色亮灯通报_{month}") + ".pptx", icon=":material/slideshow:",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", on_click="ignore",
            key="dl_pptx", help=S.PACK_HELP)
    else:
        middle.caption(S.CHART_EXPORT_UNAVAILABLE)
    left.download_button("下载通报（Word）", lambda: build("docx"), file_name=f"{stem}.docx", icon=":material/description:",
                         mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         on_click="ignore", key="dl_docx")
    right.download_button("下载三色清单（Excel）", lambda: build("xlsx"), file_name=f"{stem}.xlsx", icon=":material/table:",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          on_click="ignore", key="dl_xlsx")
    _notice_preview(root, version, sel)


def _notice_preview(root: str, version, sel: Selection) -> None:
    with st.expander("通报文稿预览"):
        notice = data.notice(root, version.id, sel.notice, sel.filters, sel.scope)
        st.markdown(f"**{md(notice.title)}**")
        for p in notice.paragraphs:
            st.markdown(md(p))


def paper_form(version, notice, row) -> None:
    """督办: a 交办单 (red) or 提醒函 (yellow) for this item, or for all the unit's items of that light on the
    notice; issuing records it as supervision (a new version) and offers the Word file."""
    kind = supervision.KIND_FOR_LIGHT[row["light"]]
    root = version.root
    with st.expander(f"督办：{supervision.TITLES[kind]}", icon=":material/gavel:"):
        st.caption(S.PAPER_HELP)
        same = data.query(str(root), version.id, "item_choices", notice=notice, township=None, river=None, list=None,
                          unit=row["unit_id"])
        same = same[(same["light"] == row["light"]) & (same["unit_id"] == row["unit_id"])]
        with st.form("paper"):
            scope = st.radio("范围", ["item", "unit"], horizontal=True, format_func=lambda v: (
                "本事项" if v == "item" else f'{row["unit_name"]}本期全部{LIGHT_NAMES[row["light"]]}事项（{len(same)}项）'))
            reply_by = st.date_input("书面回复期限", value=clock.today() + dt.timedelta(days=10), format="YYYY-MM-DD")
            if st.form_submit_button("生成并登记", type="primary", icon=":material/send:"):
                ids = [row["item_id"]] if scope == "item" else list(same["item_id"])
                who = auth.current()
                try:
                    paper = supervision.build_paper(data.database(version), notice, row["unit_id"], ids, reply_by,
                                               supervision.ISSUER, clock.today(), light=row["light"])
                    new = actions.issue_paper(who, root, paper, expect_current=version.id)
                except RiverBoardError as exc:
                    frame.show_error(exc)
                else:
                    frame.flash(S.PAPER_ISSUED.format(number=paper.number, id=new.id))
                    st.rerun()


def issued_papers(version, notice: dt.date | None = None, item: str | None = None, unit: str | None = None) -> None:
    """已发督办文件: the 交办单 and 提醒函 issued (of a notice, or naming an item), each downloadable again as it
    was issued — made from its records when asked for, never kept in the session."""
    db = data.database(version)
    issued = supervision.issued_papers(db, notice=notice, item=item, unit=unit)
    if issued.empty:
        return
    st.markdown(f"**{S.PAPERS_ISSUED_TITLE.format(n=len(issued))}**")
    for p in issued.to_dict("records"):
        line = S.PAPERS_ISSUED_LINE.format(number=p["number"], title=p["title"], to=p["addressee"],
                                           date=cn_date(p["issued"]), reply=cn_date(p["reply_by"]),
                                           items="、".join(p["item_titles"]))
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(md(line))
        if auth.may(EXPORT):
            right.download_button(S.PAPERS_DOWNLOAD, lambda p=p: paper_docx(supervision.reissue(version.root, p), version.is_demo),
                                  file_name=f"{p['number']}_{p['addressee']}.docx", on_click="ignore",
                                  key=f"paper_{p['number']}", icon=":material/description:", type="tertiary",
                                  mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def warning_section(warned: pd.DataFrame, notice, pace_notices: int, *, label: tables.Label) -> None:
    """下期预警: items likely to turn red or yellow at the next notice, each with its reason (each item's pace over
    its last `pace_notices` notices)."""
    red, yellow = int((warned["predicted"] == "red").sum()), int((warned["predicted"] == "yellow").sum())
    st.subheader(S.WARN_TITLE.format(month=cn_month(next_notice(notice)), red=red, yellow=yellow), anchor=False)
    st.caption(S.WARN_HELP.format(pace=pace_notices))
    if warned.empty:
        st.info("按目前进度，下期通报预计没有事项转为黄灯或红灯。")
        return
    shown = warned.assign(
        predicted_text=[f"{S.LIGHT_DOT} {S.WARN_WILL}{LIGHT_NAMES[p]}" for p in warned["predicted"]],
        now_text=[LIGHT_NAMES[x] for x in warned["light"]], progress_pct=pd.to_numeric(warned["progress"]) * 100)
    colour = {f"{S.LIGHT_DOT} {S.WARN_WILL}{LIGHT_NAMES[p]}": LIGHT_COLOURS[p] for p in ("red", "yellow")}
    styled = shown[["predicted_text", "title", "unit_name", "now_text", "deadline", "progress_pct", "reason", "item_id"]]\
        .style.map(lambda v: f"color: {colour.get(v, 'inherit')}; font-weight: 600", subset=["predicted_text"])
    tables.show(styled, hide_index=True, width="stretch", title="下期预警", height=min(36 * (len(shown) + 1) + 4, 420),
                column_config={"predicted_text": "预警", "title": S.ITEM, "unit_name": S.UNIT,
                               "now_text": "本期灯色",
                               "deadline": st.column_config.DateColumn(S.COL_DEADLINE, format="YYYY年M月D日"),
                               "progress_pct": st.column_config.ProgressColumn(S.PROGRESS, format="%.0f%%",
                                                                               min_value=0, max_value=100),
                               "reason": st.column_config.TextColumn("预警依据", width="large"),
                               "item_id": S.COL_ITEM_ID}, label=label)


def track_record_words(record, pace_notices: int) -> str:
    """The warning's rule and its track record, for the 口径说明."""
    method = S.WARN_METHOD.format(pace=pace_notices)
    if not record.warned and not record.turned:
        return method + S.WARN_RECORD_NONE
    share = lambda x: "—" if x is None else f"{x:.0%}"  # noqa: E731
    return method + S.WARN_RECORD.format(notices=record.notices, warned=record.warned, hits=record.came_true,
                                         precision=share(record.precision), turned=record.turned,
                                         foreseen=record.foreseen, recall=share(record.recall))
