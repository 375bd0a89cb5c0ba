"""月报送: the office opens the month's reporting round, sees who reported (报送率) and who to chase,
reviews each entry with warnings, accepts or returns it, and publishes the round as the month's notice."""
import datetime as dt

import pandas as pd
import streamlit as st

from riverchief import clock, reporting, versions
from riverchief.dates import cn_date, cn_month, month_end, next_notice
from riverchief.office import rounds
from riverchief.reporting import ReportError
from riverchief.errors import RiverBoardError
from ui import auth, data, filters, frame, tables
from ui import strings as S
from ui.text import md

rounds.reconcile(versions.data_dir())  # a publish whose last step the store missed is recorded first
rnd = rounds.open_round_now()
version, *_, tables_label = frame.page(S.PAGE_ROUNDS, cn_month(rnd["notice_date"]) if rnd else None)
root = version.root
me = auth.current()
options = data.filter_options(str(root), version.id)
units = dict(zip(options.loc[options["kind"] == "unit", "id"], options.loc[options["kind"] == "unit", "name"]))


def _act(action, done: str) -> None:
    try:
        result = action()
    except RiverBoardError as exc:
        frame.show_error(exc)
    else:
        frame.flash(done.format(result=result))
        st.rerun()


if rnd is None:
    st.info("当前没有进行中的月报送。", icon=":material/event_available:")
    base = max(version.notices)
    month = next_notice(base)
    st.subheader("开启月报送", anchor=False)
    st.caption(S.ROUND_OPEN_HELP.format(base=cn_month(base), month=cn_month(month)))
    with st.form("open_round"):
        a, b = st.columns(2)
        picked = a.date_input("报送月份", value=month, format="YYYY-MM-DD")
        # five days after the month ends; a month long past (a catch-up) gets a week from today, not a date gone by
        deadline = b.date_input("报送截止日期", value=max(month + dt.timedelta(days=5), clock.today() + dt.timedelta(days=7)),
                                format="YYYY-MM-DD")
        if st.form_submit_button("开启", type="primary", icon=":material/play_arrow:"):
            notice = month_end(picked.year, picked.month)
            _act(lambda: rounds.open_round(me, root, notice, deadline),
                 f"已开启{cn_month(notice)}月报送，截止{cn_date(deadline)}。")
else:
    st.subheader(f'{cn_month(rnd["notice_date"])}月报送 · 截止{cn_date(rnd["deadline"])}', anchor=False)
    read = rounds.now(root, rnd)  # the round's work and entries, read once for this run
    over = rounds.overview(root, rnd, units, read)
    status = dict(zip(over["unit_id"], over["status"]))
    rate = reporting.report_rate(list(over["unit_id"]), status)
    cols = st.columns(5)
    cols[0].metric("报送率", f"{rate:.1%}", border=True)
    for col, label, key in ((cols[1], "已报送", reporting.REPORTED),
                            (cols[2], "未报送", reporting.NOT_REPORTED),
                            (cols[3], S.ROUND_RETURNED, reporting.UNIT_RETURNED)):
        col.metric(label, f"{sum(v == key for v in status.values())} 个", border=True)
    cols[4].metric("待审核", f"{int(over['pending'].sum())} 条", border=True)
    tables.show(over[list(S.ROUND_COLS)], hide_index=True, width="stretch", title="月报送情况", column_config=S.ROUND_COLS, label=tables_label)
    chase = over.loc[over["status"] != reporting.REPORTED, "unit"]
    st.markdown("**催报名单（可复制）**")
    if chase.empty:
        st.caption("所有单位都已报送。")
    else:
        st.code(S.ROUND_REMIND_TEXT.format(deadline=cn_date(rnd["deadline"]), month=cn_month(rnd["notice_date"]),
                                           names="、".join(chase)), language=None, wrap_lines=True)

    st.subheader(S.ROUND_REVIEW, anchor=False)
    st.caption(S.ROUND_REVIEW_HELP)
    review = rounds.review_table(root, rnd, read)
    if review.empty:
        st.info("还没有单位提交。")
    else:
        review = review[review["status"] != reporting.DRAFT]  # drafts are the unit's own until submitted
        # what waits for a decision first; what was decided keeps its state and the reason given
        review = review.assign(order=(review["status"] != reporting.SUBMITTED).astype(int))\
            .sort_values("order", kind="stable").drop(columns="order")
        shown = review.assign(
            unit=review["unit_id"].map(units).fillna(review["unit_id"]), kind=review["kind"].map(S.KIND_NAMES),
            before=review["before"] * 100, progress=review["progress"] * 100,
            risk=review["risk_reason"], status_name=review["status"].map(reporting.ENTRY_STATUS_NAMES),
            decision="", reason=review["return_reason"].where(review["status"] == reporting.RETURNED, "").fillna(""))
        pct = lambda label: st.column_config.NumberColumn(label, format="%.0f%%")  # noqa: E731
        # the decision and its reason first, beside the unit and the item (pinned); warnings wrap in tall rows
        decided = st.data_editor(
            shown[["id", "unit", "title", "status_name", "decision", "reason", "warnings", "before", "progress", "done_qty",
                   "done_date", "risk", "note", "kind"]],
            hide_index=True, width="stretch", key="review_editor", placeholder="", row_height=S.REVIEW_ROW_HEIGHT,
            disabled=["id", "unit", "kind", "title", "before", "progress", "done_qty", "done_date", "risk", "note",
                      "warnings", "status_name"],
            column_config={"id": None,
                           "unit": st.column_config.TextColumn(S.REVIEW_COLS["unit"], pinned=True, width="small"),
                           "title": st.column_config.TextColumn(S.REVIEW_COLS["title"], pinned=True, width="medium"),
                           "decision": st.column_config.SelectboxColumn(S.ROUND_ACCEPT + "/" + S.ROUND_RETURN, width=110,
                                                                        options=["", S.ROUND_ACCEPT, S.ROUND_RETURN]),
                           "reason": st.column_config.TextColumn("退回理由（退回时必填）", max_chars=200, width="medium"),
                           "status_name": st.column_config.TextColumn(S.REVIEW_COLS["status_name"], pinned=True,
                                                                      width=96),
                           "warnings": st.column_config.TextColumn(S.REVIEW_COLS["warnings"], width="large"),
                           "risk": st.column_config.TextColumn(S.REVIEW_COLS["risk"], width="medium"),
                           "note": st.column_config.TextColumn(S.REVIEW_COLS["note"], width="medium"),
                           **{k: v for k, v in S.REVIEW_COLS.items()
                              if k not in ("before", "progress", "unit", "title", "warnings", "status_name", "risk", "note")},
                           "before": pct(S.REVIEW_COLS["before"]), "progress": pct(S.REVIEW_COLS["progress"]),
                           "done_date": st.column_config.DateColumn(S.REVIEW_COLS["done_date"], format="YYYY-MM-DD")})
        # A decision is on the entry as this page showed it: the versions of the last render, not of the click's
        # rerun (a colleague's return and the unit's new value in between must not be accepted unseen).
        seen = st.session_state.get("review_seen", {})
        versions = dict(zip(review["id"], review["row_version"]))
        st.session_state["review_seen"] = versions
        shown_version = lambda entry_id: int(seen.get(entry_id, -1))  # noqa: E731  (-1: never shown, refused)
        about = dict(zip(shown["id"], shown["unit"] + "：" + shown["title"].fillna("")))
        a, b = st.columns(2)
        if a.button(S.ROUND_REVIEW + "：保存", icon=":material/rule:", type="primary"):
            def save_review():
                n = 0
                for r in decided[decided["decision"] != ""].to_dict("records"):
                    try:
                        rounds.review(me, int(r["id"]), shown_version(r["id"]), r["decision"] == S.ROUND_ACCEPT,
                                      r["reason"] or "", about=about[r["id"]])
                    except ReportError as exc:  # which row: the grid may hold several decisions
                        raise ReportError(f"{about[r['id']]}：{exc}" + (f"（前{n}条已保存）" if n else "")) from None
                    n += 1
                return n
            _act(save_review, S.ROUND_REVIEWED.replace("{n}", "{result}"))
        quiet = review[(review["status"] == reporting.SUBMITTED) & (review["warnings"] == "")]
        if b.button(S.ROUND_ACCEPT_QUIET.format(n=len(quiet)), disabled=quiet.empty, help=S.ROUND_ACCEPT_QUIET_HELP):
            def accept_quiet():
                for r in quiet.to_dict("records"):
                    rounds.review(me, int(r["id"]), shown_version(r["id"]), True, about=about[r["id"]])
                return len(quiet)
            _act(accept_quiet, S.ROUND_REVIEWED.replace("{n}", "{result}"))

    st.divider()
    st.subheader(S.ROUND_PUBLISH_TITLE.format(month=cn_month(rnd["notice_date"])), anchor=False)
    st.caption(S.ROUND_PUBLISH_HELP)
    not_reported = list(over.loc[over["status"] != reporting.REPORTED, "unit"])
    if st.button(f'发布为{cn_month(rnd["notice_date"])}通报…', type="primary", icon=":material/publish:"):
        st.session_state["publish_confirm"] = rnd["id"]
    if st.session_state.get("publish_confirm") == rnd["id"]:
        ahead = rounds.publish_preview(root, rnd, read)
        with st.container(border=True):
            st.markdown(S.ROUND_CONFIRM.format(month=cn_month(rnd["notice_date"]), rate=f"{rate:.1%}",
                                               reported=len(over) - len(not_reported), units=len(over)))
            if ahead.pending:
                st.error(S.ROUND_CONFIRM_PENDING.format(n=ahead.pending), icon=":material/rule:")
            if not_reported:
                st.warning(S.ROUND_CONFIRM_MISSING.format(n=len(not_reported), names=md("、".join(not_reported))),
                           icon=":material/warning:")
            if ahead.carried or ahead.standing_unreported:  # each said only when there is some
                st.markdown((S.ROUND_CONFIRM_CARRIED.format(carried=ahead.carried) if ahead.carried else "")
                            + (S.ROUND_CONFIRM_STANDING.format(standing=ahead.standing_unreported)
                               if ahead.standing_unreported else ""))
            yes, no, _ = st.columns([1, 1, 3])
            if yes.button(S.ROUND_CONFIRM_YES, type="primary", icon=":material/publish:", disabled=bool(ahead.pending)):
                def publish():
                    new = rounds.publish(me, root, rnd["id"], expect_current=version.id)
                    st.session_state.pop("publish_confirm", None)
                    filters.show_newest()  # every page opens the new notice
                    return new.id
                _act(publish, S.ROUND_PUBLISHED.replace("{month}", cn_month(rnd["notice_date"])).replace("{id}", "{result}"))
            if no.button(S.ROUND_CONFIRM_NO):
                st.session_state.pop("publish_confirm", None)
                st.rerun()

history = pd.DataFrame(rounds.all_rounds())
if len(history):
    st.subheader("历次月报送", anchor=False)
    shown = history.assign(month=history["notice_date"].map(cn_month), status=history["status"].map(S.ROUND_STATUS))
    tables.show(shown[["month", "deadline", "status", "opened_by", "opened_at", "published_version", "published_at"]],
                hide_index=True, width="stretch", title="历次月报送", column_config={
                    "month": "月份", "deadline": "报送截止", "status": "状态", "opened_by": "开启人", "opened_at": "开启时间",
                    "published_version": "发布版本", "published_at": "发布时间"}, label=tables_label)
