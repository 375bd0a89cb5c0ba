"""考核评分: every township and department scored for the year from its lights, water, rating and
complaints — ranked, broken down to the rows behind each point, with a what-if on the rules."""
import dataclasses

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from exports.score_file import score_xlsx
from rendering import figures
from riverchief.assessment import COMPONENT_NAMES, COMPONENTS, explain, section_scores
from riverchief.assessment_rules import Section
from riverchief import access
from riverchief.assessment_rules import rules_dir, rules_stamp
from riverchief.dates import cn_date
from riverchief.notice import filters_line
from riverchief.office import actions
from riverchief.errors import RiverBoardError
from ui import auth, board_parts, charts, data, filters, frame, tables
from ui import strings as S
from ui.text import md

version, sel, root, source, period, tables_label = frame.page(S.PAGE_SCORE, lambda notice: f"{notice.year}年度（截至{notice.month}月通报）")
loaded = data.rules(root)
rules = loaded.rules
st.session_state.setdefault("rules_stamp", rules_stamp(root))  # the rules a trial starts from
everyone = data.assessment(root, version.id, sel.notice, rules)
see_all = auth.may(access.VIEW_ALL)  # a unit sees its own score and the district means, not the others'
scores = everyone if see_all else everyone[everyone["unit_id"] == auth.current().unit_id]
if loaded.error:
    st.error(S.SCORE_RULES_ERROR.format(error=md(loaded.error), source=md(loaded.source)))
st.caption(f"计分规则：{md(loaded.source)}")
if any(sel.filters.params().values()):
    st.caption(S.SCORE_SCOPE_NOTE)

if scores.empty:
    st.info("本单位不在考核名单中（没有事项、断面或评价）。")
    st.stop()
towns, depts = scores[scores["unit_kind"] == "镇街"], scores[scores["unit_kind"] == "部门"]
cols = st.columns(4)
cols[0].metric("参评单位", f"{len(everyone)} 个", border=True)
cols[1].metric("镇街平均分", f"{everyone.loc[everyone['unit_kind'] == '镇街', 'total'].mean():.1f} 分", border=True)
cols[2].metric("部门平均分", f"{everyone.loc[everyone['unit_kind'] == '部门', 'total'].mean():.1f} 分", border=True)
lowest = scores.loc[scores["total"].idxmin()]
cols[3].metric(f"{'最低分' if see_all else '本单位得分'}（{lowest['unit_name']}）", f"{lowest['total']:.1f} 分",
               border=True)

points = lambda label: st.column_config.NumberColumn(label, format="%.1f")  # noqa: E731
rank_config = {"rank": S.COL_RANK, "unit_name": S.UNIT, "total": points(S.COL_TOTAL),
               **{c: points(COMPONENT_NAMES[c]) for c in COMPONENTS},
               "red_n": st.column_config.NumberColumn(S.COL_RED_LIGHTS, format="%d 次"),
               "yellow_n": st.column_config.NumberColumn(S.COL_YELLOW_LIGHTS, format="%d 次"), "rating": "评价等次"}
for tab, group in zip(st.tabs(["镇街排名", "部门排名"]), (towns, depts)):
    tables.show_in(tab, group[list(rank_config)].fillna({"rating": "未评价"}), hide_index=True, width="stretch",
                  height=min(36 * (len(group) + 1) + 4, 560), column_config=rank_config, label=tables_label)

# One unit: a waterfall from the base to the final score, and the rows behind each component.
st.subheader("单位得分明细", anchor=False)
by_id = scores.set_index("unit_id")
order = list(scores.sort_values("total")["unit_id"])
unit_id = st.selectbox("选择单位", order, format_func=lambda u: f"{by_id.loc[u, 'unit_name']}（{by_id.loc[u, 'total']:.1f}分）",
                       index=order.index(filters.page_param("score_unit", order, order[0])))
filters.set_page_param("score_unit", unit_id)
row = by_id.loc[unit_id]
words = explain(row, rules)
parts = "".join(f"，{COMPONENT_NAMES[c]}{row[c]:+.1f}" for c in COMPONENTS if row[c])
shown = [c for c in COMPONENTS if row[c] or c in COMPONENTS[:6]]  # a cap only where it bit
fig = go.Figure(go.Waterfall(
    x=["满分", *[COMPONENT_NAMES[c] for c in shown], "总分"],
    measure=["absolute", *["relative"] * len(shown), "total"],
    y=[row["base"], *[row[c] for c in shown], 0], text=[f"{row['base']:g}", *[f"{row[c]:+.1f}" for c in shown],
                                                        f"{row['total']:.1f}"],
    textposition="outside", connector=dict(line=dict(color="#DADCE0")),
    increasing=dict(marker=dict(color="#1E8E3E")), decreasing=dict(marker=dict(color="#D93025")),
    totals=dict(marker=dict(color=figures.ACCENT))))
fig.update_yaxes(range=[min(0, row["total"] - 10), row["base"] + 15])
title = S.SCORE_WATERFALL.format(unit=row["unit_name"], total=row["total"], base=row["base"], parts=parts)
charts.show(figures.finish(fig, title, source, height=420), key="waterfall")
if row["cap_note"]:
    st.warning(md(row["cap_note"]), icon=":material/vertical_align_bottom:")
st.markdown("**各部分得分（扣完为止）**")
parts_table = pd.DataFrame(section_scores(row, rules))
tables.show(parts_table.assign(capped=parts_table["capped"].map({True: "已扣完", False: ""})),
            hide_index=True, width="stretch", title="各部分得分", column_config=S.SCORE_SECTION_COLS, label=tables_label)

st.markdown("**计分依据**")
tables.show(pd.DataFrame([(COMPONENT_NAMES[c], round(float(row[c]), 2), words[c]) for c in COMPONENTS],
                          columns=["计分项", "得分", "说明"]), hide_index=True, width="stretch", label=tables_label)
for light, label in (("red", "红灯"), ("yellow", "黄灯")):
    rows = data.query(root, version.id, "assessment_evidence_lights", unit=unit_id, year=sel.notice.year,
                      notice=sel.notice, light=light)
    with st.expander(f"{label}明细（{len(rows)}次）"):
        tables.show(rows.assign(month=[cn_date(pd.Timestamp(d).date()) for d in rows["notice_date"]])[
            ["month", "item_id", "title", "light_reason"]], hide_index=True, width="stretch",
            column_config={"month": "通报日期", "item_id": S.COL_ITEM_ID, "title": S.ITEM, "light_reason": S.COL_REASON}, label=tables_label)
if row["unit_kind"] == "镇街":
    sections = data.query(root, version.id, "water_section_years", township=unit_id, river=None, upto=sel.notice.month)
    sections = sections[sections["year"].isin([sel.notice.year - 1, sel.notice.year])]
    with st.expander(f"水质明细（{sections['section_id'].nunique()}个断面，1–{sel.notice.month}月均值）"):
        tables.show(sections[["section_name", "river_name", "year", "months", "tp", "nh3n"]], hide_index=True,
                     width="stretch", column_config={
                         "section_name": S.COL_SECTION, "river_name": S.RIVER, "year": "年份", "months": "月数",
                         "tp": st.column_config.NumberColumn(S.COL_TP, format="%.3f"),
                         "nh3n": st.column_config.NumberColumn(S.COL_NH3N, format="%.3f")}, label=tables_label)
complaints = data.query(root, version.id, "assessment_evidence_complaints", unit=unit_id, year=sel.notice.year)
with st.expander(f"重复举报明细（{len(complaints)}件，计分{int(complaints['counted'].sum()) if len(complaints) else 0}件）"):
    tables.show(complaints, hide_index=True, width="stretch", label=tables_label)
supervised = data.query(root, version.id, "supervision_for", notice=None, year=sel.notice.year, unit=unit_id, item=None)
with st.expander(S.SCORE_SUPERVISION.format(n=len(supervised), kinds="、".join(
        f"{k}{n}次" for k, n in supervised["kind"].value_counts().items()) or "无")):
    board_parts.supervision_table(supervised, label=tables_label)

# What-if: change the points, compare rankings; saving is an office action, recorded.
if see_all:
    with st.expander("规则试算（不保存）", icon=":material/tune:"):
        st.caption(S.SCORE_WHATIF_HELP)
        fields = [f.name for f in dataclasses.fields(rules) if f.name in S.RULE_LABELS]
        grid = st.columns(4)
        values = {}
        for k, name in enumerate(fields):
            current = getattr(rules, name)
            step = 1 if isinstance(current, int) else 0.5 if "floor" not in name and "threshold" not in name else 0.01
            values[name] = grid[k % 4].number_input(S.RULE_LABELS[name], value=current, step=step, key=f"rule_{name}")
        st.caption("各部分满分（满分合计随之变化）：")
        grid = st.columns(max(len(rules.sections), 1))
        sections = tuple(Section(x.name, grid[k].number_input(f"{x.name}满分", value=x.full,
                                                              min_value=0.0, step=5.0, key=f"rule_section_{k}"), x.rules)
                         for k, x in enumerate(rules.sections))
        trial = dataclasses.replace(rules, **values, sections=sections, base=sum(x.full for x in sections))
        if trial != rules:
            tried = data.assessment(root, version.id, sel.notice, trial).set_index("unit_id")
            side = scores.set_index("unit_id")[["unit_name", "unit_kind", "total", "rank"]].join(
                tried[["total", "rank"]], suffixes=("", "_trial"))
            side["change"] = side["rank"] - side["rank_trial"]
            st.markdown("**正式排名与试算排名对比**")
            tables.show(side.sort_values(["unit_kind", "rank_trial"]), hide_index=True, width="stretch", column_config={
                "unit_name": S.UNIT, "unit_kind": S.COL_KIND, "total": points(S.COL_TOTAL), "rank": S.COL_RANK,
                "total_trial": points("试算总分"), "rank_trial": "试算名次",
                "change": st.column_config.NumberColumn("名次变化", format="%+d")}, label=tables_label)
            if auth.may(access.RULES) and st.button("保存为正式规则", icon=":material/save:"):
                try:
                    saved = actions.save_rules(auth.current(), root, trial, expect_stamp=st.session_state["rules_stamp"])
                    st.session_state["rules_stamp"] = rules_stamp(root)
                    st.success(f"已保存为正式规则：{md(saved)}")
                except RiverBoardError as exc:
                    frame.show_error(exc)

line = filters_line(sel.notice, S.ALL_DISTRICT, version.id) + f" · {period}"
if see_all and auth.may(access.EXPORT):
    st.download_button("下载考核结果（Excel）", lambda: score_xlsx(scores, rules, line, data.query(
        root, version.id, "assessment_lights_detail", year=sel.notice.year, notice=sel.notice)),
        file_name=f"考核评分_{sel.notice.year}年_截至{sel.notice.month}月.xlsx", on_click="ignore", icon=":material/table:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
frame.method_note(S.METHOD_SCORE.format(rules_file=rules_dir(root) / "assessment.toml",
                                        source=md(version.manifest.get("source", "")), version=version.id))
