"""数据管理: bring the office's files in — every file at once, sheets it cannot read mapped once and
remembered, every problem listed, a preview of exactly what changes, an atomic publish — and every
earlier version kept, to roll back to."""
import dataclasses
import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from exports.xlsx import table_xlsx
from loaders import answers, convert, mappings, read
from loaders.importer import prepare, publish
from loaders.issues import grouped, held_frame, issues_frame
from loaders.specs import SPECS
from loaders.templates import template_xlsx
from riverchief import lights, versions, water_rules
from riverchief.dates import cn_notice, cn_stamp
from riverchief.office import actions
from riverchief.errors import RiverBoardError
from riverchief.office.database import Unavailable
from ui import auth, filters, frame, tables
from ui import strings as S
from ui.text import md

version, *_, tables_label = frame.page(S.PAGE_DATA, "导入与版本")
root = version.root
m = version.manifest
st.caption(S.DATA_CURRENT.format(id=version.id, created=cn_stamp(m.get("created_at", "")), by=md(m.get("created_by", "")),
                                 source=md(m.get("source", ""))))
if version.is_demo:
    st.info(S.DATA_SWITCH, icon=":material/info:")
    st.page_link("app_pages/start.py", label=S.PAGE_START, icon=":material/flag:")

st.subheader("数据模板", anchor=False)
st.caption(S.DATA_TEMPLATES_HELP)
left, right = st.columns([3, 1], vertical_alignment="bottom")
table = left.selectbox("选择模板", list(SPECS), format_func=lambda t: SPECS[t].title)
right.download_button("下载模板", lambda: template_xlsx(SPECS[table]), icon=":material/download:",
                      file_name=f"{SPECS[table].title}导入模板.xlsx", on_click="ignore",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _check(files: list, options: dict):
    """The preview of an upload, checked once per files, options, data version and saved mappings (not on
    every rerun). Only the preview is kept in the session: the new data set itself is built again when
    publishing, so offices waiting to press 发布 hold no copy of the data (the server stays small)."""
    digest = hashlib.sha1(repr((version.id, sorted(mappings.load(root)), answers.load(root), options,
                                sorted(st.session_state.get("corrections", {}).items()))).encode())
    for name, data in files:
        digest.update(name.encode() + hashlib.sha1(data).digest())
    key = digest.hexdigest()
    if st.session_state.get("import_check", (None,))[0] != key:
        with st.spinner(S.DATA_CHECKING):
            checked = prepare(files, root, **options, corrections=st.session_state.get("corrections", {}))
        st.session_state["import_check"] = (key, dataclasses.replace(checked, tables={}))
    return st.session_state["import_check"][1]


def _mapping(label: str, headers: list, header_row: int | None, rows: list, table: str = "",
             columns: dict | None = None) -> None:
    """Say what a sheet holds, column by column (each header opens on its current or closest field), and keep it
    for sheets of this header shape, here and on the command line."""
    where = f"表头（第{header_row + 1}行）及前几行数据：" if header_row is not None else "表头及前几行数据："
    st.markdown(f"**{md(label)}** · {where}")
    shown = [str(h) if h is not None else f"（第{i + 1}列）" for i, h in enumerate(headers)]
    preview = pd.DataFrame([[("" if v is None else str(v)) for v in (list(r) + [None] * len(shown))[:len(shown)]]
                            for r in rows], columns=pd.Index(shown).str.cat([""] * len(shown)))
    st.dataframe(preview, hide_index=True, placeholder="")
    key = hashlib.sha1(label.encode()).hexdigest()[:8]
    choices = [*SPECS, ""]
    kind = st.selectbox("这张表是", choices, key=f"map_t_{key}", index=choices.index(table) if table in choices else 0,
                        format_func=lambda t: SPECS[t].title if t else "（不导入这张表，如统计表、说明）")
    fields = {"": "忽略"} | ({f.column: f.header + ("（必填）" if f.required else "") for f in SPECS[kind].fields}
                            if kind else {})
    cols = st.columns(min(4, max(len(shown), 1)))
    chosen = {}
    current = columns if columns is not None and kind == table else (read.guess_columns(kind, headers) if kind else {})
    for i, h in enumerate(headers if kind else []):
        if h is not None:
            chosen[str(h)] = cols[i % len(cols)].selectbox(md(h), list(fields), format_func=fields.get,
                                                           index=list(fields).index(current.get(i, "")),
                                                           key=f"map_{key}_{kind}_{i}")
    if st.button("保存对应关系", key=f"map_save_{key}", icon=":material/save:"):
        mappings.save(root, headers, kind, chosen)
        frame.flash(f"已记住“{md(label)}”这种表头的对应关系。")
        st.rerun()


def _readings(prepared) -> None:
    """How every sheet read was understood, column by column (close matches marked), and any of them to change."""
    if not prepared.readings:
        return
    with st.expander(f"各工作表的列对应（{len(prepared.readings)} 张表；不对时可修改，之后记住）", icon=":material/table_view:"):
        st.dataframe(pd.DataFrame([dict(工作表=r.label, 内容=SPECS[r.table].title,
                                        对应="；".join(f"{h}→{SPECS[r.table].headers_of().get(c, c)}{'（相近）' if i in r.guessed else ''}"
                                                      for i, (h, c) in sorted(r.columns.items())))
                                   for r in prepared.readings]), hide_index=True, width="stretch", placeholder="")
        labels = [r.label for r in prepared.readings]
        pick = st.selectbox("修改哪张表的对应", ["", *labels], format_func=lambda v: v or "（不修改）", key="remap_pick")
        if pick:
            r = prepared.readings[labels.index(pick)]
            _mapping(r.label, r.headers, None, r.preview, r.table, {i: c for i, (_, c) in r.columns.items()})


def _ask(prepared) -> None:
    """Values the import did not know, once each, with what they may mean: the office's answer is kept for this
    district (answers.json) and used by this and every later import, here and on the command line."""
    asked = answers.questions(prepared.issues)
    if not asked:
        return
    with st.form("answers"):
        st.markdown(f"**这些写法系统不认识（{len(asked)} 个）**：选一次它指的是什么，保存后重新检查，以后的导入也自动使用。")
        chosen = {}
        for (what, written), options in asked.items():
            key = hashlib.sha1(repr((what, written)).encode()).hexdigest()[:10]  # the value's own, not its place
            chosen[(what, written)] = st.selectbox(md(f"{answers.label(what)}“{written}”"), ["", *options[:30]],
                                                   key=f"ask_{key}", format_func=lambda o: o or "（暂不处理）")
        if st.form_submit_button("保存并重新检查", icon=":material/save:"):
            said = {k: v for k, v in chosen.items() if v}
            if said:
                try:
                    answers.remember(root, auth.current(), said)
                except RiverBoardError as exc:
                    frame.show_error(exc)
                    return
                frame.flash(f"已记住 {len(said)} 个写法，已按此重新检查。")
            st.rerun()


def _correct(prepared) -> None:
    """Each cell that held a row back (other than a name asked about above), with what is wrong, to correct on the
    page: the correction is read in place of the file's cell, recorded with the publish; the file is untouched."""
    cells = {}
    for sheet in prepared.editable:
        headers = [str(h) if h else "" for h in sheet.headers]
        for i in prepared.issues:
            if (i.file, i.sheet) == (sheet.file, sheet.sheet) and i.row in sheet.rows and i.column in headers and not i.ask:
                j = headers.index(i.column)
                cells.setdefault((sheet.file, sheet.sheet, i.row, j), (sheet.rows[i.row][j], i.column, i.message))
    if not cells:
        return
    with st.form("fix_cells"):
        st.markdown(f"**在这里直接改正暂缓的行（{len(cells)} 处）**：不必修改文件，改正内容随发布记入操作记录。")
        typed = {}
        for (file, sheet, row, j), (value, column, message) in sorted(cells.items(), key=str):
            where = f"{file}{' · ' + sheet if sheet else ''} 第{row}行“{column}”"
            key = hashlib.sha1(repr((file, sheet, row, j, value)).encode()).hexdigest()[:10]
            typed[(file, sheet, row, j)] = st.text_input(md(where), value=value, key=f"fix_{key}")
            st.caption(md(message))
        if st.form_submit_button("用改正后的内容重新检查", icon=":material/refresh:"):
            fixes = dict(st.session_state.get("corrections", {}))
            fixes.update({key: text for key, text in typed.items() if text != cells[key][0]})
            st.session_state["corrections"] = fixes
            frame.flash(f"已按改正后的内容重新检查（共改正 {len(fixes)} 处，发布时记入操作记录）。")
            st.rerun()


st.subheader(S.DATA_UPLOAD, anchor=False)
st.caption(S.DATA_UPLOAD_HELP)
uploads = st.file_uploader(S.DATA_UPLOAD, accept_multiple_files=True, label_visibility="collapsed", key="uploads",
                           type=["xlsx", "xlsm", "xls", "csv", "geojson", "json", "gpkg", "zip", "kml", "kmz"])
with st.expander("导入选项（一般不需要填写）", icon=":material/tune:"):
    picked = st.text_input("清单的通报月份（文件名和标题中没有写明月份时填写）", placeholder="2024-06", key="import_notice")
    crs = st.text_input(S.DATA_CRS, key="import_crs")
    map_kind = st.selectbox("地图文件的内容", list(S.DATA_MAP_KINDS), format_func=S.DATA_MAP_KINDS.get, key="import_map_kind")
notice = None
if picked.strip():
    try:
        notice = convert.to_notice_month(picked)
    except RiverBoardError as exc:
        frame.show_error(exc)
if uploads:
    files = [(u.name, u.getvalue()) for u in uploads]
    uploaded = {n: hashlib.sha1(d).hexdigest() for n, d in files}
    made_on = st.session_state.get("corrections_for", {})  # corrections belong to the files they were made on
    st.session_state["corrections"] = {k: v for k, v in st.session_state.get("corrections", {}).items()
                                       if made_on.get(k[0]) == uploaded.get(k[0])}
    st.session_state["corrections_for"] = uploaded
    options = dict(notice=notice, crs=crs.strip() or None, map_kind=map_kind or None)
    prepared = _check(files, options)
    for u in prepared.unknown:
        with st.container(border=True):
            st.warning(S.DATA_UNKNOWN.format(n=len(prepared.unknown)), icon=":material/help:")
            _mapping(u.label, u.headers, u.header_row, u.preview)
    _readings(prepared)
    if prepared.blocked:
        st.error(md(prepared.blocked))
    elif prepared.issues or prepared.held:
        causes = grouped(prepared.issues)
        found = (f"发现 {len(prepared.issues)} 个问题（{len(causes)} 类原因）" if len(prepared.issues) else
                 f"有 {len(prepared.unknown)} 张工作表需要先指定各列的内容")
        if prepared.publishable:
            st.warning(f"{found}：{len(prepared.held)} 处暂缓导入，其余可以照常发布。暂缓的部分改正后再导入即可。",
                       icon=":material/warning:")
        else:
            st.error(f"{found}，未发布：没有可以导入的内容。" + ("请按下面的说明改正。" if len(prepared.issues) else ""))
        if prepared.held:
            st.markdown("**暂缓导入**")
            st.dataframe(held_frame(prepared.held), hide_index=True, width="stretch", placeholder="")
        if len(prepared.issues):
            st.markdown("**问题（同一原因只列一次）**")
            st.dataframe(causes, hide_index=True, width="stretch", placeholder="",
                         column_config={"行数": st.column_config.NumberColumn(format="%d")})
            _ask(prepared)
            _correct(prepared)
            report = issues_frame(prepared.issues)
            st.download_button("下载问题清单（Excel，逐行）", table_xlsx(report, [(c, c, 14 if c != "问题" else 60)
                                                                          for c in report.columns],
                                                                  "导入问题清单：" + "、".join(prepared.files), "导入问题清单"),
                               file_name="导入问题清单.xlsx", icon=":material/error:")
    if prepared.unchanged and not prepared.blocked:
        st.info("无变化：上传的文件与当前数据完全相同，不需要发布新版本。", icon=":material/check_circle:")
    elif prepared.publishable:
        st.success("检查通过，发布后将发生以下变化：" if prepared.ok else "可以导入的部分发布后将发生以下变化：")
        tables.show(prepared.changes, hide_index=True, width="stretch", title="导入预览", column_config={
            "table": S.COL_TABLE, "file": "文件", "sheets": "工作表", "rows": "行数", "added": "新增",
            "changed": "修改", "removed": "删除", "unchanged": "不变",
            "ignored": "忽略的列", "skipped": "跳过的行"}, label=tables_label)
        if len(prepared.details):
            with st.expander(f"逐行变化（{len(prepared.details)} 行）", icon=":material/list:"):
                tables.show(prepared.details, hide_index=True, width="stretch", title="逐行变化", column_config={
                    "table": S.COL_TABLE, "action": "变化", "what": S.WHOM, "change": S.CONTENT}, label=tables_label)
        if prepared.notes:
            with st.expander(S.DATA_NOTES.format(n=len(prepared.notes)), icon=":material/info:"):
                st.dataframe(issues_frame(prepared.notes).rename(columns={"问题": "说明"}), hide_index=True,
                             width="stretch", placeholder="")
        accepted = True
        if prepared.new_units:
            st.warning(S.DATA_NEW_UNITS.format(n=len(prepared.new_units), names=md("、".join(prepared.new_units))))
            accepted = st.checkbox("确认将以上单位新增为部门")
        with st.form("publish"):
            st.caption(f"发布人：{md(auth.current().label)}（记入操作记录）")
            whole = not prepared.ok and st.checkbox("全部无误才发布（有暂缓导入的部分时不发布）")
            if st.form_submit_button("确认发布" if prepared.ok else "发布可以导入的部分", type="primary"):
                try:
                    if not accepted:
                        raise versions.StoreError("请先确认新增单位，或修改文件后重新上传。")
                    with st.spinner("正在发布……"):
                        full = prepare(files, root, **options,  # the same check again, now kept to publish
                                       corrections=st.session_state.get("corrections", {}))
                    if not full.changes.equals(prepared.changes):
                        raise versions.StoreError(S.DATA_CHANGED_SINCE)
                    new = publish(full, root, auth.current(), whole=whole)
                    frame.flash(f"已发布为数据版本 {new.id}。")
                    del st.session_state["uploads"]
                    st.session_state.pop("corrections", None)
                    filters.show_newest()  # the newest notice is shown after an import
                    st.rerun()
                except Unavailable as exc:  # the log's write after the publish: the version may well be served
                    frame.show_error(exc)
                except RiverBoardError as exc:
                    frame.show_error(exc, "未发布：")

st.subheader("历史版本", anchor=False)
kept = versions.list_versions(root)
history = pd.DataFrame([dict(seq=v.manifest.get("seq"), id=v.id, created=cn_stamp(v.manifest.get("created_at")),
                             by=v.manifest.get("created_by"), source=v.manifest.get("source"),
                             notices=len(v.manifest.get("notices", [])),
                             current="当前" if v.id == version.id else "") for v in reversed(kept)])
tables.show(history, hide_index=True, width="stretch", title="数据版本", column_config={
    "seq": "序号", "id": "版本", "created": "发布时间", "by": "操作人", "source": "来源", "notices": "通报期数", "current": ""}, label=tables_label)
with st.form("rollback"):
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    earlier = [v.id for v in reversed(kept) if v.id != version.id]
    target = left.selectbox(S.DATA_ROLLBACK_PICK, earlier, placeholder="（还没有其他版本）", index=0 if earlier else None,
                            disabled=not earlier)
    if right.form_submit_button(S.DATA_ROLLBACK) and target:
        try:
            actions.rollback(auth.current(), root, target, expect_current=version.id)
        except RiverBoardError as exc:
            frame.show_error(exc)
        else:
            frame.flash(f"已回退到版本 {target}。")
            st.rerun()

# The rules behind the figures: lights stay as their notice gave them until the office re-lights a notice (recorded);
# the monthly water value follows the rule chosen here.
st.subheader(S.DATA_RULES_TITLE, anchor=False)
lit = m.get("lit_with", {})
if lit:
    tables.show(pd.DataFrame([(cn_notice(dt.date.fromisoformat(n)), "；".join(rules)) for n, rules in sorted(lit.items())],
                             columns=["通报", "亮灯所依规则"]), hide_index=True, width="stretch", title="亮灯规则", label=tables_label)
st.caption(S.DATA_RELIGHT_HELP.format(rule=lights.lit_with(version.tolerance)))
with st.form("relight"):
    chosen = st.multiselect("重新亮灯的通报", version.notices, format_func=cn_notice, placeholder="选择通报期次")
    sure = st.checkbox(S.DATA_RELIGHT_CONFIRM)
    if st.form_submit_button("按现行规则重新亮灯", disabled=not version.notices):
        try:
            if not sure:
                raise versions.StoreError(S.DATA_RELIGHT_CONFIRM_FIRST)
            new = actions.relight(auth.current(), root, chosen, expect_current=version.id)
        except RiverBoardError as exc:
            frame.show_error(exc)
        else:
            frame.flash(f"已重新亮灯，发布为数据版本 {new.id}。")
            st.rerun()
rule = version.water_rule
st.caption(S.DATA_WATER_RULE_NOW.format(words=rule.words))
with st.form("water_rule"):
    left, right = st.columns([3, 1])
    kind = left.selectbox("水质月值口径", list(water_rules.MONTHLY_RULES), index=list(water_rules.MONTHLY_RULES).index(rule.kind),
                          format_func=lambda k: water_rules.MonthlyRule(k, rule.min_days).words)
    days = right.number_input("自动监测有效天数不少于", min_value=1, max_value=31, value=rule.min_days, step=1)
    if st.form_submit_button("按此口径重建水质月值"):
        try:
            new = actions.water_rule(auth.current(), root, water_rules.MonthlyRule(kind, int(days)), expect_current=version.id)
        except RiverBoardError as exc:
            frame.show_error(exc)
        else:
            frame.flash(f"水质月值已按新口径重建，发布为数据版本 {new.id}。")
            st.rerun()
