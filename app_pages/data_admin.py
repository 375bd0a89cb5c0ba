"""数据管理: bring the office's files in — every file at once, sheets it cannot read mapped once and
remembered, every problem listed, a preview of exactly what changes, an atomic publish — and every
earlier version kept, to roll back to."""
import dataclasses
import hashlib

import pandas as pd
import streamlit as st

from exports.xlsx import table_xlsx
from loaders import convert, mappings
from loaders.importer import prepare, publish
from loaders.issues import issues_frame
from loaders.specs import SPECS
from loaders.templates import template_xlsx
from riverchief import access, store
from riverchief.office import actions
from ui import auth, frame, tables
from ui import strings as S
from ui.text import md

version = frame.page(S.PAGE_DATA, S.DATA_PERIOD).version
root = version.root
m = version.manifest
st.caption(S.DATA_CURRENT.format(id=version.id, created=m.get("created_at", ""), by=md(m.get("created_by", "")),
                                 source=md(m.get("source", ""))))
if version.is_demo:
    st.info(S.DATA_SWITCH, icon=":material/info:")
    st.page_link("app_pages/start.py", label=S.DATA_SWITCH_LINK, icon=":material/flag:")

st.subheader(S.DATA_TEMPLATES, anchor=False)
st.caption(S.DATA_TEMPLATES_HELP)
left, right = st.columns([3, 1], vertical_alignment="bottom")
table = left.selectbox(S.DATA_TEMPLATE_PICK, list(SPECS), format_func=lambda t: SPECS[t].title)
right.download_button(S.DATA_TEMPLATE_DOWNLOAD, lambda: template_xlsx(SPECS[table]), icon=":material/download:",
                      file_name=f"{SPECS[table].title}导入模板.xlsx", on_click="ignore",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _check(files: list, options: dict):
    """The preview of an upload, checked once per files, options, data version and saved mappings (not on
    every rerun). Only the preview is kept in the session: the new data set itself is built again when
    publishing, so offices waiting to press 发布 hold no copy of the data (the server stays small)."""
    digest = hashlib.sha1(repr((version.id, sorted(mappings.load(root)), options)).encode())
    for name, data in files:
        digest.update(name.encode() + hashlib.sha1(data).digest())
    key = digest.hexdigest()
    if st.session_state.get("import_check", (None,))[0] != key:
        with st.spinner(S.DATA_CHECKING):
            checked = prepare(files, root, **options)
        st.session_state["import_check"] = (key, dataclasses.replace(checked, tables={}))
    return st.session_state["import_check"][1]


st.subheader(S.DATA_UPLOAD, anchor=False)
st.caption(S.DATA_UPLOAD_HELP)
uploads = st.file_uploader(S.DATA_UPLOAD, accept_multiple_files=True, label_visibility="collapsed", key="uploads",
                           type=["xlsx", "xlsm", "xls", "csv", "geojson", "json", "gpkg", "zip"])
with st.expander(S.DATA_OPTIONS, icon=":material/tune:"):
    picked = st.text_input(S.DATA_NOTICE_PICK, placeholder="2024-06", key="import_notice")
    crs = st.text_input(S.DATA_CRS, key="import_crs")
    map_kind = st.selectbox(S.DATA_MAP_KIND, list(S.DATA_MAP_KINDS), format_func=S.DATA_MAP_KINDS.get, key="import_map_kind")
notice = None
if picked.strip():
    try:
        notice = convert.to_notice_month(picked)
    except convert.BadValue as exc:
        st.error(md(exc))
if uploads:
    files = [(u.name, u.getvalue()) for u in uploads]
    options = dict(notice=notice, crs=crs.strip() or None, map_kind=map_kind or None)
    prepared = _check(files, options)
    for u in prepared.unknown:
        with st.container(border=True):
            st.warning(S.DATA_UNKNOWN.format(n=len(prepared.unknown)), icon=":material/help:")
            st.markdown(f"**{md(u.label)}** · " + S.DATA_MAP_HEADER_ROW.format(row=u.header_row + 1))
            shown = [str(h) if h is not None else f"（第{i + 1}列）" for i, h in enumerate(u.headers)]
            preview = pd.DataFrame([[("" if v is None else str(v)) for v in (r + [None] * len(shown))[:len(shown)]]
                                    for r in u.preview], columns=pd.Index(shown).str.cat([""] * len(shown)))
            st.dataframe(preview, hide_index=True)
            key = hashlib.sha1(u.label.encode()).hexdigest()[:8]
            kind = st.selectbox(S.DATA_MAP_TABLE, [*SPECS, ""], key=f"map_t_{key}",
                                format_func=lambda t: SPECS[t].title if t else S.DATA_MAP_SKIP)
            fields = {"": S.DATA_MAP_IGNORE} | ({f.column: f.header + ("（必填）" if f.required else "")
                                                  for f in SPECS[kind].fields} if kind else {})
            cols = st.columns(min(4, max(len(shown), 1)))
            chosen = {}
            for i, h in enumerate(u.headers if kind else []):
                if h is not None:
                    chosen[str(h)] = cols[i % len(cols)].selectbox(str(h), list(fields), format_func=fields.get,
                                                                   key=f"map_{key}_{kind}_{i}")
            if st.button(S.DATA_MAP_SAVE, key=f"map_save_{key}", icon=":material/save:"):
                mappings.save(root, u.headers, kind, chosen)
                st.session_state["data_notice"] = S.DATA_MAP_SAVED.format(label=u.label)
                st.rerun()
    if prepared.issues:
        st.error(S.DATA_ISSUES.format(n=len(prepared.issues)))
        report = issues_frame(prepared.issues)
        st.dataframe(report, hide_index=True, width="stretch")
        st.download_button(S.DATA_ISSUES_REPORT, table_xlsx(report, [(c, c, 14 if c != "问题" else 60) for c in report.columns],
                                                            "导入问题清单：" + "、".join(prepared.files), "导入问题清单"),
                           file_name="导入问题清单.xlsx", icon=":material/error:")
    elif prepared.ok and prepared.unchanged:
        st.info(S.DATA_UNCHANGED, icon=":material/check_circle:")
    elif prepared.ok:
        st.success(S.DATA_PREVIEW)
        tables.show(prepared.changes, hide_index=True, width="stretch", title="导入预览", column_config={
            "table": S.COL_TABLE, "file": S.COL_FILE, "sheets": S.COL_SHEET, "rows": S.COL_ROWS, "added": S.COL_ADDED,
            "changed": S.COL_CHANGED, "removed": S.COL_REMOVED, "unchanged": S.COL_UNCHANGED,
            "ignored": S.COL_IGNORED, "skipped": S.COL_SKIPPED})
        if len(prepared.details):
            with st.expander(S.DATA_DETAILS.format(n=len(prepared.details)), icon=":material/list:"):
                tables.show(prepared.details, hide_index=True, width="stretch", title="逐行变化", column_config={
                    "table": S.COL_TABLE, "action": S.COL_ACTION, "what": S.COL_WHAT, "change": S.COL_CHANGE})
        if prepared.notes:
            with st.expander(S.DATA_NOTES.format(n=len(prepared.notes)), icon=":material/info:"):
                st.dataframe(issues_frame(prepared.notes).rename(columns={"问题": "说明"}), hide_index=True, width="stretch")
        accepted = True
        if prepared.new_units:
            st.warning(S.DATA_NEW_UNITS.format(n=len(prepared.new_units), names=md("、".join(prepared.new_units))))
            accepted = st.checkbox(S.DATA_NEW_UNITS_OK)
        with st.form("publish"):
            st.caption(S.DATA_BY_WHO.format(who=md(auth.current().label)))
            if st.form_submit_button(S.DATA_PUBLISH, type="primary"):
                try:
                    if not accepted:
                        raise store.StoreError(S.DATA_NEW_UNITS_NEEDED)
                    with st.spinner(S.DATA_PUBLISHING):
                        full = prepare(files, root, **options)  # the same check again, now kept to publish
                    if not full.changes.equals(prepared.changes):
                        raise store.StoreError(S.DATA_CHANGED_SINCE)
                    new = publish(full, root, auth.current())
                    st.session_state["data_notice"] = S.DATA_PUBLISHED.format(id=new.id)
                    del st.session_state["uploads"]
                    st.session_state.pop("f_month", None)  # the newest notice is shown after an import
                    st.rerun()
                except (store.StoreError, access.Forbidden) as exc:
                    st.error(S.DATA_PUBLISH_ERROR.format(error=md(exc)))
if "data_notice" in st.session_state:
    st.success(st.session_state.pop("data_notice"))

st.subheader(S.DATA_VERSIONS, anchor=False)
versions = store.list_versions(root)
history = pd.DataFrame([dict(seq=v.manifest.get("seq"), id=v.id, created=v.manifest.get("created_at"),
                             by=v.manifest.get("created_by"), source=v.manifest.get("source"),
                             notices=len(v.manifest.get("notices", [])),
                             current=S.DATA_CURRENT_MARK if v.id == version.id else "") for v in reversed(versions)])
tables.show(history, hide_index=True, width="stretch", title="数据版本", column_config={
    "seq": "序号", "id": "版本", "created": "发布时间", "by": "操作人", "source": "来源", "notices": "通报期数", "current": ""})
with st.form("rollback"):
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    earlier = [v.id for v in reversed(versions) if v.id != version.id]
    target = left.selectbox(S.DATA_ROLLBACK_PICK, earlier, placeholder=S.DATA_ROLLBACK_NONE, index=0 if earlier else None,
                            disabled=not earlier)
    if right.form_submit_button(S.DATA_ROLLBACK) and target:
        try:
            actions.rollback(auth.current(), root, target, expect_current=version.id)
        except (store.StoreError, access.Forbidden) as exc:
            st.error(md(exc))
        else:
            st.session_state["data_notice"] = S.DATA_ROLLED_BACK.format(id=target)
            st.rerun()
