"""本单位月报: a unit enters the progress of its own open items and problems for the month's round — on
screen or in its pre-filled Excel sheet — saves drafts and submits once; the office then reviews."""
import datetime as dt

import pandas as pd
import streamlit as st

from loaders import report_sheet
from riverchief import access, reporting
from riverchief.dates import cn_date, cn_month
from riverchief.office import rounds
from riverchief.reporting import Report, ReportError
from ui import auth, frame
from ui import strings as S
from ui.text import md

rnd = rounds.open_round_now()
version = frame.page(S.PAGE_REPORT, cn_month(rnd["notice_date"]) if rnd else None).version
root = version.root
me = auth.current()
if rnd is None:
    st.info("当前没有进行中的月报送，无需填报。", icon=":material/event_available:")
    st.stop()
st.markdown(S.REPORT_INTRO.format(notice=cn_date(rnd["notice_date"]), deadline=cn_date(rnd["deadline"])))
work = rounds.work(root, rnd, me.unit_id)
if work.empty:
    st.info("本单位没有需要填报的未完成事项或问题。")
    st.stop()
mine = rounds.entries(rnd["id"], me.unit_id).set_index(["kind", "ref_id"])
if "report_notice" in st.session_state:
    st.success(st.session_state.pop("report_notice"))

uploaded = st.session_state.get("report_upload", {})  # what an uploaded sheet said, until saved


def _value(w, field, entry, default):
    key = (w["kind"], w["ref_id"])
    if key in uploaded:
        return getattr(uploaded[key], field)
    return entry[field] if entry is not None else default


rows = []
for w in work.to_dict("records"):
    key = (w["kind"], w["ref_id"])
    e = mine.loc[key] if key in mine.index else None
    quantified = w["kind"] == "item" and pd.notna(w["target_qty"])
    progress = _value(w, "progress", e, w["progress"])
    rows.append(dict(kind=S.KIND_NAMES[w["kind"]], ref_id=w["ref_id"], title=w["title"],
                     deadline=w["deadline"] if pd.notna(w["deadline"]) else None,
                     target=f"{w['target_qty']:g} {w['target_unit'] or ''}" if quantified else "",
                     before=float(w["progress"]) * 100,
                     done_qty=_value(w, "done_qty", e, w["done_qty"]) if quantified else None,
                     progress=None if quantified or pd.isna(progress) else float(progress) * 100,
                     done_date=_value(w, "done_date", e, None), at_risk=bool(_value(w, "at_risk", e, False)),
                     risk_reason=_value(w, "risk_reason", e, ""), note=_value(w, "note", e, ""),
                     status_name=reporting.ENTRY_STATUS_NAMES.get(e["status"], "") if e is not None else "未填",
                     return_reason=e["return_reason"] if e is not None else ""))
table = pd.DataFrame(rows)
locked = mine["status"].isin([reporting.SUBMITTED, reporting.ACCEPTED]).all() and len(mine) == len(work)
if locked:
    st.info("已提交，审核中（被退回的项目可修改后重新提交）。", icon=":material/lock:")
returned = mine[mine["status"] == reporting.RETURNED] if len(mine) else mine
for (kind, ref), e in returned.iterrows():
    st.warning(f"{S.ROUND_RETURNED}：{md(ref)} — {md(e['return_reason'])}", icon=":material/undo:")

pct = lambda label: st.column_config.NumberColumn(label, min_value=0.0, max_value=100.0, format="%.0f%%")  # noqa: E731
edited = st.data_editor(
    table, hide_index=True, width="stretch", key="report_editor", disabled=locked or ["kind", "ref_id", "title", "deadline",
                                                                                      "target", "before", "status_name",
                                                                                      "return_reason"],
    column_config={"kind": S.REPORT_COLS["kind"], "ref_id": None, "title": S.REPORT_COLS["title"],
                   "deadline": st.column_config.DateColumn(S.REPORT_COLS["deadline"], format="YYYY-MM-DD"),
                   "target": S.REPORT_COLS["target"], "before": pct(S.REPORT_COLS["before"]),
                   "done_qty": st.column_config.NumberColumn(S.REPORT_COLS["done_qty"], min_value=0.0),
                   "progress": pct(S.REPORT_COLS["progress"]),
                   "done_date": st.column_config.DateColumn(S.REPORT_COLS["done_date"], format="YYYY-MM-DD",
                                                            max_value=rnd["notice_date"]),
                   "at_risk": st.column_config.CheckboxColumn(S.REPORT_COLS["at_risk"]),
                   "risk_reason": st.column_config.TextColumn(S.REPORT_COLS["risk_reason"], max_chars=200),
                   "note": st.column_config.TextColumn(S.REPORT_COLS["note"], max_chars=500),
                   "status_name": S.REPORT_COLS["status_name"], "return_reason": S.REPORT_COLS["return_reason"]})


def _reports(frame: pd.DataFrame) -> dict:
    kinds = {v: k for k, v in S.KIND_NAMES.items()}
    out = {}
    for r in frame.to_dict("records"):
        done_date = r["done_date"]
        if isinstance(done_date, (pd.Timestamp, dt.datetime)):
            done_date = done_date.date()
        out[(kinds[r["kind"]], r["ref_id"])] = Report(
            done_qty=None if pd.isna(r["done_qty"]) else float(r["done_qty"]),
            progress=None if pd.isna(r["progress"]) else float(r["progress"]) / 100,
            done_date=None if done_date is None or pd.isna(done_date) else done_date, at_risk=bool(r["at_risk"]),
            risk_reason=r["risk_reason"] or "", note=r["note"] or "")
    return out


left, right, _ = st.columns([1, 1, 3])
for button, submit in ((left.button("保存草稿", icon=":material/save:", disabled=locked), False),
                       (right.button("提交", icon=":material/send:", type="primary", disabled=locked), True)):
    if button:
        try:
            n = rounds.save(me, root, rnd["id"], _reports(edited), submit=submit)
        except (ReportError, access.Forbidden) as exc:
            st.error(md(exc))
        else:
            st.session_state.pop("report_upload", None)
            st.session_state["report_notice"] = "已提交，等待区河长办审核。" if submit else f"已保存 {n} 项草稿。"
            st.rerun()

with st.expander(S.REPORT_DOWNLOAD + " / " + S.REPORT_UPLOAD, icon=":material/table:"):
    title = f"{me.name} · {cn_month(rnd['notice_date'])}月报送（截止{cn_date(rnd['deadline'])}）"
    st.download_button(S.REPORT_DOWNLOAD, lambda: report_sheet.write(work, mine.reset_index(), title),
                       file_name=f"{me.name}_{cn_month(rnd['notice_date'])}月报送.xlsx", on_click="ignore",
                       icon=":material/download:", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = st.file_uploader(S.REPORT_UPLOAD, type=["xlsx"], key="report_file", disabled=locked)
    if sheet is not None and st.session_state.get("report_file_seen") != sheet.file_id:
        st.session_state["report_file_seen"] = sheet.file_id
        try:
            st.session_state["report_upload"] = report_sheet.read(sheet.getvalue(), sheet.name, work)
        except report_sheet.SheetError as exc:
            st.error("\n".join(f"- {md(p)}" for p in exc.problems))
        else:
            st.session_state["report_notice"] = f'已读入 {len(st.session_state["report_upload"])} 项，请核对后保存或提交。'
            st.session_state.pop("report_editor", None)
            st.rerun()
