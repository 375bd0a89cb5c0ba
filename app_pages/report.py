"""本单位月报: a unit enters the progress of its own open items and problems for the month's round — on
screen or in its pre-filled Excel sheet — saves drafts and submits once; the office then reviews.
What the office returned comes first, by title with its reason; what is submitted or accepted is shown apart,
locked, so no edit is silently dropped."""
import datetime as dt

import pandas as pd
import streamlit as st

from loaders import report_sheet
from riverchief import reporting
from riverchief.dates import cn_date, cn_month
from riverchief.office import rounds
from riverchief.reporting import Report
from riverchief.errors import RiverBoardError
from ui import auth, board_parts, frame, tables
from ui import strings as S
from ui.text import md

rnd = rounds.open_round_now()
version, *_, tables_label = frame.page(S.PAGE_REPORT, cn_month(rnd["notice_date"]) if rnd else None)
root = version.root
me = auth.current()
if rnd is None:
    st.info("当前没有进行中的月报送，无需填报。", icon=":material/event_available:")
    st.stop()
work = rounds.work(root, rnd, me.unit_id)
if work.empty:
    st.info("本单位没有需要填报的未完成事项或问题。")
    st.stop()
task = rounds.unit_task(root, rnd, me.unit_id)
board_parts.round_task_card(rnd, task, on_report_page=True)
st.markdown(S.REPORT_INTRO.format(notice=cn_date(rnd["notice_date"]), deadline=cn_date(rnd["deadline"])))
mine = rounds.entries(rnd["id"], me.unit_id).set_index(["kind", "ref_id"])
uploaded = st.session_state.get("report_upload", {})  # what an uploaded sheet said, until saved
LOCKED = (reporting.SUBMITTED, reporting.ACCEPTED)  # sent: the office reviews it, or returns it to be changed


def _value(w, field, entry, default):
    """What a row shows: an uploaded sheet's value until saved, else the entry's, else last month's. A row
    submitted or accepted shows what was sent, whatever a sheet says."""
    key = (w["kind"], w["ref_id"])
    if key in uploaded and (entry is None or entry["status"] not in LOCKED):
        return getattr(uploaded[key], field)
    return entry[field] if entry is not None else default


rows = []
for w in work.to_dict("records"):
    key = (w["kind"], w["ref_id"])
    e = mine.loc[key] if key in mine.index else None
    quantified = w["kind"] == "item" and pd.notna(w["target_qty"])
    progress = _value(w, "progress", e, w["progress"])
    status = e["status"] if e is not None else ""
    rows.append(dict(
        kind=S.KIND_NAMES[w["kind"]], ref_id=w["ref_id"], title=w["title"], status=status,
        deadline=cn_date(w["deadline"]) if pd.notna(w["deadline"]) else S.REPORT_STANDING,
        target=f"{w['target_qty']:g} {w['target_unit'] or ''}" if quantified else "",
        before=float(w["progress"]) * 100,
        done_qty=_value(w, "done_qty", e, w["done_qty"]) if quantified else None,
        progress=None if quantified or pd.isna(progress) else float(progress) * 100,
        no_progress=bool(_value(w, "no_progress", e, False)),
        done_date=_value(w, "done_date", e, None), at_risk=bool(_value(w, "at_risk", e, False)),
        risk_reason=_value(w, "risk_reason", e, "") or "", note=_value(w, "note", e, "") or "",
        status_name=S.REPORT_STATUS.get(status, S.REPORT_STATUS[""]),
        return_reason=(e["return_reason"] or "") if status == reporting.RETURNED else ""))
table = pd.DataFrame(rows)
# returned first, then what was never entered, then drafts: the order of what there is to do
table = table.assign(order=table["status"].map({reporting.RETURNED: 0, "": 1, reporting.DRAFT: 2}).fillna(3))\
    .sort_values("order", kind="stable").drop(columns="order")
open_rows, locked_rows = table[~table["status"].isin(LOCKED)], table[table["status"].isin(LOCKED)]
kinds = {v: k for k, v in S.KIND_NAMES.items()}
ignored = [k for k in uploaded if k in set(zip(locked_rows["kind"].map(kinds), locked_rows["ref_id"]))]
if ignored:
    st.info(S.REPORT_UPLOAD_LOCKED.format(n=len(ignored)), icon=":material/lock:")


def _reports(frame_: pd.DataFrame) -> dict:
    out = {}
    for r in frame_.to_dict("records"):
        done_date = r["done_date"]
        if isinstance(done_date, (pd.Timestamp, dt.datetime)):
            done_date = done_date.date()
        out[(kinds[r["kind"]], r["ref_id"])] = Report(
            done_qty=None if pd.isna(r["done_qty"]) else float(r["done_qty"]),
            progress=None if pd.isna(r["progress"]) else float(r["progress"]) / 100,
            done_date=None if done_date is None or pd.isna(done_date) else done_date, at_risk=bool(r["at_risk"]),
            risk_reason=r["risk_reason"] or "", note=r["note"] or "", no_progress=bool(r["no_progress"]))
    return out


if open_rows.empty:
    st.info(S.REPORT_ALL_SENT, icon=":material/lock:")
else:
    st.subheader(S.REPORT_TO_FILL.format(n=len(open_rows)), anchor=False)
    st.caption(S.REPORT_FILL_HELP)
    pct = lambda label: st.column_config.NumberColumn(label, min_value=0.0, max_value=100.0, format="%.0f%%")  # noqa: E731
    edited = st.data_editor(
        open_rows.drop(columns="status"), hide_index=True, width="stretch", key="report_editor", placeholder="",
        disabled=["kind", "ref_id", "title", "deadline", "target", "before", "status_name", "return_reason"],
        column_order=["status_name", "title", "return_reason", "deadline", "target", "before", "done_qty", "progress",
                      "no_progress", "done_date", "at_risk", "risk_reason", "note", "kind"],
        column_config={
            "status_name": st.column_config.TextColumn(S.REPORT_COLS["status_name"], pinned=True, width="small"),
            "title": st.column_config.TextColumn(S.REPORT_COLS["title"], pinned=True, width="medium"),
            "return_reason": st.column_config.TextColumn(S.REPORT_COLS["return_reason"], width="medium"),
            "kind": S.REPORT_COLS["kind"], "ref_id": None, "deadline": S.REPORT_COLS["deadline"],
            "target": S.REPORT_COLS["target"], "before": pct(S.REPORT_COLS["before"]),
            "done_qty": st.column_config.NumberColumn(S.REPORT_COLS["done_qty"], min_value=0.0,
                                                      help=S.REPORT_HELP["done_qty"]),
            "progress": st.column_config.NumberColumn(S.REPORT_COLS["progress"], min_value=0.0, max_value=100.0,
                                                      format="%.0f%%", help=S.REPORT_HELP["progress"]),
            "no_progress": st.column_config.CheckboxColumn(S.REPORT_COLS["no_progress"], help=S.REPORT_HELP["no_progress"]),
            "done_date": st.column_config.DateColumn(S.REPORT_COLS["done_date"], format="YYYY-MM-DD",
                                                     max_value=rnd["notice_date"]),
            "at_risk": st.column_config.CheckboxColumn(S.REPORT_COLS["at_risk"]),
            "risk_reason": st.column_config.TextColumn(S.REPORT_COLS["risk_reason"], max_chars=200),
            "note": st.column_config.TextColumn(S.REPORT_COLS["note"], max_chars=500, help=S.REPORT_HELP["note"])})
    left, right, _ = st.columns([1, 1, 3])
    for button, submit in ((left.button("保存草稿", icon=":material/save:"), False),
                           (right.button("提交", icon=":material/send:", type="primary"), True)):
        if button:
            try:
                n = rounds.save(me, root, rnd["id"], _reports(edited), submit=submit)
            except RiverBoardError as exc:
                frame.show_error(exc)
            else:
                st.session_state.pop("report_upload", None)
                st.session_state.pop("report_editor", None)
                frame.flash(S.REPORT_SUBMITTED if submit else S.REPORT_SAVED.format(n=n))
                st.rerun()

if not locked_rows.empty:
    st.subheader(S.REPORT_LOCKED.format(n=len(locked_rows)), anchor=False)
    st.caption(S.REPORT_LOCKED_HELP)
    shown_pct = lambda label: st.column_config.NumberColumn(label, format="%.0f%%")  # noqa: E731
    tables.show(locked_rows, hide_index=True, width="stretch", title="本单位已提交的报送",
                column_order=["status_name", "title", "deadline", "before", "done_qty", "progress", "done_date", "note"],
                column_config={"status_name": S.REPORT_COLS["status_name"], "title": S.REPORT_COLS["title"],
                               "deadline": S.REPORT_COLS["deadline"], "before": shown_pct(S.REPORT_COLS["before"]),
                               "done_qty": S.REPORT_COLS["done_qty"], "progress": shown_pct(S.REPORT_COLS["progress"]),
                               "done_date": st.column_config.DateColumn(S.REPORT_COLS["done_date"], format="YYYY-MM-DD"),
                               "note": S.REPORT_COLS["note"]}, label=tables_label)

with st.expander(S.REPORT_DOWNLOAD + " / " + S.REPORT_UPLOAD, icon=":material/table:"):
    title = f"{me.name} · {cn_month(rnd['notice_date'])}月报送（截止{cn_date(rnd['deadline'])}）"
    st.download_button(S.REPORT_DOWNLOAD, lambda: report_sheet.write(work, mine.reset_index(), title),
                       file_name=f"{me.name}_{cn_month(rnd['notice_date'])}月报送.xlsx", on_click="ignore",
                       icon=":material/download:", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = st.file_uploader(S.REPORT_UPLOAD, type=["xlsx"], key="report_file", disabled=open_rows.empty)
    if sheet is not None and st.session_state.get("report_file_seen") != sheet.file_id:
        st.session_state["report_file_seen"] = sheet.file_id
        try:
            st.session_state["report_upload"] = report_sheet.read(sheet.getvalue(), sheet.name, work,
                                                                    rnd["notice_date"])
        except report_sheet.SheetError as exc:
            frame.clear_flash()
            st.error("\n".join(f"- {md(p)}" for p in exc.problems))
        else:
            frame.flash(f'已读入 {len(st.session_state["report_upload"])} 项，请核对后保存或提交。')
            st.session_state.pop("report_editor", None)
            st.rerun()
