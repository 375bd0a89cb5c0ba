"""整改进度: for any river, township or unit — are problems being fixed, do fixes hold (回头看), are
tasks on schedule, and are the chiefs finding problems at all. Every count opens into its rows."""
import pandas as pd
import streamlit as st

from output import figures
from riverchief import rectification as R
from riverchief.dates import cn_month, on_day
from ui import charts, data, frame, tables
from ui import strings as S

version, sel, root, source, _ = frame.page(
    S.PAGE_PROGRESS, lambda notice: S.PROGRESS_PERIOD.format(year=notice.year, month=notice.month))
prog = data.progress(root, version.id, sel.notice, sel.filters)
problems = prog.problems
pct = lambda label: st.column_config.NumberColumn(label, format="percent")  # noqa: E731
days = lambda label: st.column_config.NumberColumn(label, format="%.0f 天")  # noqa: E731


def rows(frame_, columns: dict, label: str | None = None) -> None:
    """A count opened into the rows behind it."""
    with st.expander(label or S.PR_ROWS.format(n=len(frame_))):
        tables.show(frame_[list(columns)], hide_index=True, width="stretch", column_config=columns)


PROBLEM_COLUMNS = {"problem_id": S.COL_ITEM_ID, "title": S.COL_TITLE, "source": S.COL_SOURCE, "unit_name": S.COL_UNIT,
                   "river_name": S.COL_RIVER, "status": "状态", "found_date": st.column_config.DateColumn("发现日期"),
                   "deadline": st.column_config.DateColumn(S.COL_DEADLINE), "days_overdue": days(S.COL_OVERDUE),
                   "days_to_rectify": days("整改用时")}
tabs = st.tabs([S.TAB_PROBLEMS, S.TAB_LOOKBACK, S.TAB_TASKS, S.TAB_PATROLS])

with tabs[0]:
    fl = R.flow(problems).set_index("stage")["n"]
    found, rectified, closed = fl["发现"], fl["已整改"], fl["已销号"]
    late = problems[problems["days_overdue"].notna()]
    cols = st.columns(5)
    cols[0].metric(S.PR_M_FOUND, f"{found} 个", border=True)
    cols[1].metric(S.PR_M_RECTIFIED, f"{rectified} 个", border=True)
    cols[2].metric(S.PR_M_RATE, f"{rectified / found:.1%}" if found else "—", border=True)
    cols[3].metric(S.PR_M_OVERDUE, f"{len(late)} 个", border=True)
    median = problems["days_to_rectify"].median()
    cols[4].metric(S.PR_M_MEDIAN, "—" if pd.isna(median) else f"{median:.0f} 天", border=True)
    left, right = st.columns(2)
    with left:
        title = S.PR_FLOW_TITLE.format(found=found, rectified=rectified, rate=rectified / found if found else 0,
                                       closed=closed)
        charts.show(figures.bars(R.flow(problems), "stage", [("n", S.COL_COUNT, figures.ACCENT)], title, source,
                                horizontal=True, height=320), key="flow")
    with right:
        src = R.by_source(problems)
        top = src.sort_values("total", ascending=False).iloc[0] if len(src) else None
        title = S.PR_SOURCE_TITLE.format(top=top["source"], n=top["total"]) if top is not None else S.COL_SOURCE
        charts.show(figures.bars(src, "source", [("rectified", S.COL_RECTIFIED, figures.ACCENT),
                                                ("open", S.COL_OPEN, figures.GREY_BAR)], title, source,
                                horizontal=True, height=320), key="sources")
    rows(problems, PROBLEM_COLUMNS)

    st.subheader(S.PR_EXPOSED.format(year=prog.year), anchor=False)
    exposed = prog.exposed
    done = int(exposed["done_date"].notna().sum())
    st.markdown(S.PR_EXPOSED_LINE.format(n=len(exposed), done=done, open=len(exposed) - done))
    tables.show(exposed[["item_id", "title", "unit_name", "exposed_on", "deadline", "status", "light_reason"]],
                 hide_index=True, width="stretch", column_config={
                     "item_id": S.COL_ITEM_ID, "title": S.COL_TITLE, "unit_name": S.COL_UNIT,
                     "exposed_on": st.column_config.DateColumn("曝光日期"), "deadline": st.column_config.DateColumn(S.COL_DEADLINE),
                     "status": "状态", "light_reason": S.COL_REASON})

    left, right = st.columns(2)
    with left:
        charts.show(figures.bars(R.overdue(problems), "bucket", [("n", S.COL_COUNT, "#D93025")],
                                S.PR_OVERDUE_TITLE.format(n=len(late)), source, height=320), key="overdue")
        rows(late.sort_values("days_overdue", ascending=False), PROBLEM_COLUMNS)
    with right:
        times = R.rectify_time(problems)
        st.markdown(f"**{S.PR_TIME_TITLE}**")
        tables.show(times, hide_index=True, width="stretch", height=320, column_config={
            "unit_name": S.COL_UNIT, "n": S.COL_TOTAL_PROBLEMS, "median": days(S.COL_MEDIAN), "p25": days(S.COL_P25),
            "p75": days(S.COL_P75), "max": days(S.COL_MAX)})
    st.subheader(S.PR_COMPLETION, anchor=False)
    for col, key, label in zip(st.columns(2), ("township_name", "unit_name"), (S.PR_TOWNSHIP, S.PR_UNIT)):
        col.markdown(f"**{label}**")
        tables.show_in(col, R.completion(problems, key), hide_index=True, width="stretch", height=360, column_config={
            key: label[1:], "total": S.COL_TOTAL_PROBLEMS, "rectified": S.COL_RECTIFIED, "rate": pct(S.COL_RATE),
            "rank": S.COL_RANK})

with tabs[1]:
    lb = prog.lookbacks
    relapsed = lb[lb["result"] == "反弹"]
    cols = st.columns(3)
    cols[0].metric(S.LB_M_INSPECTED, f"{len(lb)} 个", border=True)
    cols[1].metric(S.LB_M_RELAPSED, f"{len(relapsed)} 个", border=True)
    cols[2].metric(S.LB_M_SUSPECTED, f"{len(prog.suspected)} 个", border=True)
    left, right = st.columns([3, 2])
    left.markdown(f"**{S.LB_TABLE}**")
    tables.show_in(left, lb[["date", "problem_id", "title", "unit_name", "result", "notes"]], hide_index=True, width="stretch",
                   column_config={"date": st.column_config.DateColumn("抽查日期"), "problem_id": S.COL_ITEM_ID,
                                  "title": S.COL_TITLE, "unit_name": S.COL_UNIT, "result": "结果", "notes": "说明"})
    right.markdown(f"**{S.LB_BY_UNIT}**")
    tables.show_in(right, R.relapse_by_unit(lb), hide_index=True, width="stretch", column_config={
        "unit_name": S.COL_UNIT, "inspected": "抽查", "relapsed": "反弹", "rate": pct("反弹率")})
    st.markdown(f"**{S.LB_SUSPECTED.format(radius=R.RELAPSE_RADIUS_M, days=R.RELAPSE_WINDOW_DAYS)}**")
    tables.show(prog.suspected, hide_index=True, width="stretch", column_config={
        "closed_problem": "原问题", "closed_title": "原问题内容", "closed_date": st.column_config.DateColumn("销号日期"),
        "new_problem": "再次发现", "new_title": "新问题内容", "found_date": st.column_config.DateColumn("发现日期"),
        "days_after_closing": days("销号后"), "metres_apart": st.column_config.NumberColumn("相距", format="%d 米"),
        "river_name": S.COL_RIVER, "unit_name": S.COL_UNIT})

with tabs[2]:
    tasks = prog.tasks
    now = tasks[on_day(tasks["notice_date"], sel.notice)]
    overall = R.overall_progress(now)
    curve = R.s_curve(tasks)
    cols = st.columns(4)
    cols[0].metric(S.TK_M_OVERALL, "—" if pd.isna(overall) else f"{overall:.2%}", border=True)
    cols[1].metric(S.TK_M_TASKS, f"{len(now)} 项", border=True)
    cols[2].metric(S.TK_M_DONE, f"{int(now['done_date'].notna().sum())} 项", border=True)
    cols[3].metric(S.TK_M_BEHIND, f"{int((now['progress'] + version.tolerance < now['planned']).sum())} 项", border=True)
    st.caption(S.TK_OVERALL_NOTE.format(n=len(now)))
    if len(curve):
        last = curve.iloc[-1]
        charts.show(figures.lines(curve, "notice_date", [("planned", S.TK_PLANNED, "#5F6368", "dash"),
                                                        ("actual", S.TK_ACTUAL, figures.ACCENT, "solid")],
                                 S.TK_S_CURVE.format(month=cn_month(sel.notice), actual=last["actual"],
                                                     planned=last["planned"]), source, percent=True), key="s_curve")
    for col, key, label in zip(st.columns(2), ("river_name", "lead_unit_name"), (S.TK_BY_RIVER, S.TK_BY_LEAD)):
        col.markdown(f"**{label}**")
        tables.show_in(col, R.progress_by(now, key), hide_index=True, width="stretch", height=360, column_config={
            key: label[1:], "tasks": S.COL_TASKS, "progress": st.column_config.ProgressColumn(
                S.COL_PROGRESS_MEAN, format="percent", min_value=0, max_value=1),
            "planned": pct(S.COL_PLANNED), "done": S.COL_DONE_TASKS, "behind": pct("落后")})
    st.markdown(f"**{S.TK_QUANTITIES}**")
    tables.show(R.quantities(now), hide_index=True, width="stretch", column_config={
        "target_unit": S.COL_MEASURE, "tasks": S.COL_TASKS, "target": st.column_config.NumberColumn(S.COL_TARGET_QTY, format="localized"),
        "planned": st.column_config.NumberColumn(S.COL_PLANNED_QTY, format="localized"),
        "done": st.column_config.NumberColumn(S.COL_DONE_QTY, format="localized"), "share": pct(S.COL_RATE)})
    rows(now, {"item_id": S.COL_ITEM_ID, "title": S.COL_TITLE, "river_name": S.COL_RIVER, "unit_name": S.COL_UNIT,
               "progress": pct(S.COL_PROGRESS), "planned": pct(S.COL_PLANNED)})
    funds = R.funds_by_quarter(prog.funds)
    if len(funds):
        funds = funds.assign(label=[f"第{q}季度" for q in funds["quarter"]])
        last = funds.iloc[-1]
        charts.show(figures.bars(funds, "label", [("secured", S.TK_FUNDS_SECURED, "#9AA0A6"),
                                                 ("spent", S.TK_FUNDS_SPENT, figures.ACCENT)],
                                S.TK_FUNDS.format(secured=last["secured"], spent=last["spent"]), source,
                                stacked=False), key="funds")
        rows(prog.funds, {"notice_date": st.column_config.DateColumn("通报日期"), "item_id": S.COL_ITEM_ID,
                          "title": S.COL_TITLE, "unit_name": S.COL_UNIT, "funds_wan": "落实资金（万元）",
                          "funds_spent_wan": "已支出（万元）"})

with tabs[3]:
    patrols = R.patrol_compliance(prog.patrols, sel.notice.month)
    cols = st.columns(3)
    cols[0].metric(S.PT_M_PATROLS, f"{int(patrols['patrols'].sum()):,} 次", border=True)
    cols[1].metric(S.PT_M_COMPLIANCE, f"{int((patrols['rate'] >= 1).sum())} / {len(patrols)} 人", border=True)
    cols[2].metric(S.PT_M_SILENT, f"{int(patrols['silent'].sum())} 人", border=True)
    levels = R.found_by_level(problems)
    charts.show(figures.bars(levels, "chief_level", [("found", S.PT_FOUND, figures.ACCENT),
                                                    ("serious", S.PT_SERIOUS, "#D93025")], S.PT_BY_LEVEL, source,
                            stacked=False), key="levels")
    st.markdown(f"**{S.PT_TABLE.format(**R.PATROLS_REQUIRED)}**")
    st.caption(S.PT_SILENT_NOTE)
    tables.show(patrols.assign(flag=patrols["silent"].map({True: "提醒", False: ""})), hide_index=True,
                 width="stretch", column_order=["flag", "chief", "chief_level", "river_name", "township_name", "patrols",
                                                "required", "rate", "problems_reported", "serious_reported"],
                 column_config={"flag": S.COL_FLAG, "chief": S.COL_CHIEF, "chief_level": S.COL_LEVEL,
                                "river_name": S.COL_RIVER, "township_name": S.COL_TOWNSHIP, "patrols": S.COL_PATROLS,
                                "required": S.COL_REQUIRED, "rate": pct("完成率"), "problems_reported": S.COL_REPORTED,
                                "serious_reported": S.COL_SERIOUS})

frame.method_note(S.METHOD_PROGRESS.format(days=R.RELAPSE_WINDOW_DAYS, radius=R.RELAPSE_RADIUS_M,
                                           source=version.manifest.get("source", ""), version=version.id))
