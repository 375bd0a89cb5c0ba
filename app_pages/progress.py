"""整改进度: for any river, township or unit — are problems being fixed, do fixes hold (回头看), are
tasks on schedule, and are the chiefs finding problems at all. Every count opens into its rows."""
import pandas as pd
import streamlit as st

from rendering import figures
from riverchief import rectification as R
from riverchief.dates import cn_month, on_day
from ui import board_parts, charts, data, frame, tables
from ui import strings as S

version, sel, root, source, _, tables_label = frame.page(
    S.PAGE_PROGRESS, lambda notice: f"{notice.year}年（截至{notice.month}月通报）")
prog = data.progress(root, version.id, sel.notice, sel.filters)
problems = prog.problems
pct = lambda label: st.column_config.NumberColumn(label, format="percent")  # noqa: E731
days = lambda label: st.column_config.NumberColumn(label, format="%.0f 天")  # noqa: E731


def rows(frame_, columns: dict, label: str | None = None) -> None:
    """A count opened into the rows behind it."""
    with st.expander(label or f"查看明细（{len(frame_)}条）"):
        tables.show(frame_[list(columns)], hide_index=True, width="stretch", column_config=columns, label=tables_label)


PROBLEM_COLUMNS = {"problem_id": S.COL_ITEM_ID, "title": S.ITEM, "source": S.COL_SOURCE, "unit_name": S.UNIT,
                   "river_name": S.RIVER, "status": "状态", "found_date": st.column_config.DateColumn("发现日期"),
                   "deadline": st.column_config.DateColumn(S.COL_DEADLINE), "days_overdue": days(S.COL_OVERDUE),
                   "days_to_rectify": days("整改用时")}
tabs = st.tabs(["问题整改", "回头看", "任务推进", "巡河"])

with tabs[0]:
    fl = R.flow(problems).set_index("stage")["n"]
    found, rectified, closed = fl["发现"], fl["已整改"], fl["已销号"]
    late = problems[problems["days_overdue"].notna()]
    cols = st.columns(5)
    cols[0].metric("本年发现问题", f"{found} 个", border=True)
    cols[1].metric(S.RECTIFIED, f"{rectified} 个", border=True)
    cols[2].metric("整改率", f"{rectified / found:.1%}" if found else "—", border=True)
    cols[3].metric("逾期未整改", f"{len(late)} 个", border=True)
    median = problems["days_to_rectify"].median()
    cols[4].metric("整改用时中位数", "—" if pd.isna(median) else f"{median:.0f} 天", border=True)
    left, right = st.columns(2)
    with left:
        title = S.PR_FLOW_TITLE.format(found=found, rectified=rectified, rate=rectified / found if found else 0,
                                       closed=closed)
        charts.show(figures.bars(R.flow(problems), "stage", [("n", S.COL_COUNT, figures.ACCENT)], title, source,
                                horizontal=True, height=320), key="flow")
    with right:
        src = R.by_source(problems)
        top = src.sort_values("total", ascending=False).iloc[0] if len(src) else None
        title = f'问题来源：{top["source"]}发现最多（{top["total"]}个）' if top is not None else S.COL_SOURCE
        charts.show(figures.bars(src, "source", [("rectified", S.RECTIFIED, figures.ACCENT),
                                                ("open", "未整改", figures.GREY_BAR)], title, source,
                                horizontal=True, height=320), key="sources")
    rows(problems, PROBLEM_COLUMNS)

    st.subheader(f"曝光问题（{prog.year}年突出问题整改清单）", anchor=False)
    exposed = prog.exposed
    done = int(exposed["done_date"].notna().sum())
    st.markdown(f"曝光{len(exposed)}个，已整改{done}个，整改中{len(exposed) - done}个")
    tables.show(exposed[["item_id", "title", "unit_name", "exposed_on", "deadline", "status", "light_reason"]],
                 hide_index=True, width="stretch", column_config={
                     "item_id": S.COL_ITEM_ID, "title": S.ITEM, "unit_name": S.UNIT,
                     "exposed_on": st.column_config.DateColumn("曝光日期"), "deadline": st.column_config.DateColumn(S.COL_DEADLINE),
                     "status": "状态", "light_reason": S.COL_REASON}, label=tables_label)

    left, right = st.columns(2)
    with left:
        charts.show(figures.bars(R.overdue(problems), "bucket", [("n", S.COL_COUNT, "#D93025")],
                                f"逾期未整改问题{len(late)}个（按逾期时长）", source, height=320), key="overdue")
        rows(late.sort_values("days_overdue", ascending=False), PROBLEM_COLUMNS)
    with right:
        times = R.rectify_time(problems)
        st.markdown("**整改用时（天）：各责任单位中位数与四分位距**")
        tables.show(times, hide_index=True, width="stretch", height=320, column_config={
            "unit_name": S.UNIT, "n": S.COL_TOTAL_PROBLEMS, "median": days("中位数（天）"), "p25": days("下四分位"),
            "p75": days("上四分位"), "max": days("最长")}, label=tables_label)
    st.subheader("整改完成率排名", anchor=False)
    for col, key, label in zip(st.columns(2), ("township_name", "unit_name"), ("按镇街", "按责任单位")):
        col.markdown(f"**{label}**")
        tables.show_in(col, R.completion(problems, key), hide_index=True, width="stretch", height=360, column_config={
            key: label[1:], "total": S.COL_TOTAL_PROBLEMS, "rectified": S.RECTIFIED, "rate": pct(S.COL_RATE),
            "rank": S.COL_RANK}, label=tables_label)

with tabs[1]:
    lb = prog.lookbacks
    relapsed = lb[lb["result"] == "反弹"]
    cols = st.columns(3)
    cols[0].metric("回头看抽查", f"{len(lb)} 个", border=True)
    cols[1].metric("反弹", f"{len(relapsed)} 个", border=True)
    cols[2].metric("疑似反弹（未经回头看）", f"{len(prog.suspected)} 个", border=True)
    left, right = st.columns([3, 2])
    left.markdown("**回头看记录**")
    tables.show_in(left, lb[["date", "problem_id", "title", "unit_name", "result", "notes"]], hide_index=True, width="stretch",
                   column_config={"date": st.column_config.DateColumn("抽查日期"), "problem_id": S.COL_ITEM_ID,
                                  "title": S.ITEM, "unit_name": S.UNIT, "result": "结果", "notes": "说明"}, label=tables_label)
    right.markdown("**各责任单位反弹率**")
    tables.show_in(right, R.relapse_by_unit(lb), hide_index=True, width="stretch", column_config={
        "unit_name": S.UNIT, "inspected": "抽查", "relapsed": "反弹", "rate": pct("反弹率")}, label=tables_label)
    st.markdown(f"**{S.LB_SUSPECTED.format(radius=R.RELAPSE_RADIUS_M, days=R.RELAPSE_WINDOW_DAYS)}**")
    tables.show(prog.suspected, hide_index=True, width="stretch", column_config={
        "closed_problem": "原问题", "closed_title": "原问题内容", "closed_date": st.column_config.DateColumn("销号日期"),
        "new_problem": "再次发现", "new_title": "新问题内容", "found_date": st.column_config.DateColumn("发现日期"),
        "days_after_closing": days("销号后"), "metres_apart": st.column_config.NumberColumn("相距", format="%d 米"),
        "river_name": S.RIVER, "unit_name": S.UNIT}, label=tables_label)

with tabs[2]:
    tasks = prog.tasks
    now = tasks[on_day(tasks["notice_date"], sel.notice)]
    overall = R.overall_progress(now)
    curve = R.s_curve(tasks)
    cols = st.columns(4)
    cols[0].metric("“一河一策”总体进度", "—" if pd.isna(overall) else f"{overall:.2%}", border=True)
    cols[1].metric("年度任务", f"{len(now)} 项", border=True)
    cols[2].metric(S.DONE, f"{int(now['done_date'].notna().sum())} 项", border=True)
    cols[3].metric("落后序时进度", f"{R.behind_schedule(now, version.tolerance)} 项", border=True)
    st.caption(S.TK_OVERALL_NOTE.format(n=len(now)))
    if len(curve):
        last = curve.iloc[-1]
        charts.show(figures.lines(curve, "notice_date", [("planned", "计划（序时）", "#5F6368", "dash"),
                                                        ("actual", "实际", figures.ACCENT, "solid")],
                                 S.TK_S_CURVE.format(month=cn_month(sel.notice), actual=last["actual"],
                                                     planned=last["planned"]), source, percent=True), key="s_curve")
    for col, key, label in zip(st.columns(2), ("river_name", "lead_unit_name"), ("按河流", "按牵头单位")):
        col.markdown(f"**{label}**")
        tables.show_in(col, R.progress_by(now, key), hide_index=True, width="stretch", height=360, column_config={
            key: label[1:], "tasks": S.COL_TASKS, "progress": st.column_config.ProgressColumn(
                "平均进度", format="percent", min_value=0, max_value=1),
            "planned": pct(S.SCHEDULE), "done": S.DONE, "behind": pct("落后")}, label=tables_label)
    st.markdown("**量化指标完成情况**")
    tables.show(R.quantities(now), hide_index=True, width="stretch", column_config={
        "target_unit": "计量单位", "tasks": S.COL_TASKS, "target": st.column_config.NumberColumn(S.COL_TARGET_QTY, format="localized"),
        "planned": st.column_config.NumberColumn("序时应完成", format="localized"),
        "done": st.column_config.NumberColumn("已完成量", format="localized"), "share": pct(S.COL_RATE)}, label=tables_label)
    rows(now, {"item_id": S.COL_ITEM_ID, "title": S.ITEM, "river_name": S.RIVER, "unit_name": S.UNIT,
               "progress": pct(S.PROGRESS), "planned": pct(S.SCHEDULE)})
    funds = R.funds_by_quarter(prog.funds)
    if len(funds):
        funds = funds.assign(label=[f"第{q}季度" for q in funds["quarter"]])
        last = funds.iloc[-1]
        charts.show(figures.bars(funds, "label", [("secured", "落实资金", "#9AA0A6"),
                                                 ("spent", "已支出", figures.ACCENT)],
                                S.TK_FUNDS.format(secured=last["secured"], spent=last["spent"]), source,
                                stacked=False), key="funds")
        rows(prog.funds, {"notice_date": st.column_config.DateColumn("通报日期"), "item_id": S.COL_ITEM_ID,
                          "title": S.ITEM, "unit_name": S.UNIT, "funds_wan": "落实资金（万元）",
                          "funds_spent_wan": "已支出（万元）"})

with tabs[3]:
    required = board_parts.rules_in_force(root, "各级河长每月应巡河次数").patrols_required  # a month, by level
    patrols = R.patrol_compliance(prog.patrols, sel.notice.month, required)
    cols = st.columns(3)
    cols[0].metric(S.PATROLS, f"{int(patrols['patrols'].sum()):,} 次", border=True)
    cols[1].metric("巡河达标河长", f"{int((patrols['rate'] >= 1).sum())} / {len(patrols)} 人", border=True)
    cols[2].metric("巡河未报问题的河长", f"{int(patrols['silent'].sum())} 人", border=True)
    levels = R.found_by_level(problems)
    charts.show(figures.bars(levels, "chief_level", [("found", "发现问题", figures.ACCENT),
                                                    ("serious", "较重、严重问题", "#D93025")], "各级河长发现问题（其中较重、严重问题）", source,
                            stacked=False), key="levels")
    st.markdown(f"**{S.PT_TABLE.format(**required)}**")
    st.caption("标记“提醒”的河长本年有巡河记录但从未上报问题，建议提醒。")
    tables.show(patrols.assign(flag=patrols["silent"].map({True: "提醒", False: ""})), hide_index=True,
                 width="stretch", column_order=["flag", "chief", "chief_level", "river_name", "township_name", "patrols",
                                                "required", "rate", "problems_reported", "serious_reported"],
                 column_config={"flag": "提醒", "chief": "河长", "chief_level": "层级",
                                "river_name": S.RIVER, "township_name": S.TOWNSHIP, "patrols": S.PATROLS,
                                "required": "应巡次数", "rate": pct("完成率"), "problems_reported": "上报问题",
                                "serious_reported": "较重以上"}, label=tables_label)

frame.method_note(S.METHOD_PROGRESS.format(days=R.RELAPSE_WINDOW_DAYS, radius=R.RELAPSE_RADIUS_M,
                                           source=version.manifest.get("source", ""), version=version.id))
