"""数据管理: import the office's Excel, CSV and map files — templates, every problem listed at once,
a preview of what changes, an atomic publish — and every earlier version kept, to roll back to."""
import pandas as pd
import streamlit as st

from exports.xlsx import table_xlsx
from loaders.importer import issues_frame, prepare, publish
from loaders.specs import SPECS
from loaders.templates import template_xlsx
from riverchief import store
from ui import filters, frame, tables
from ui import strings as S

version = st.session_state["version"]
sel = filters.current()
root = version.path.parent.parent
frame.header(S.PAGE_DATA, sel, version, S.DATA_PERIOD)
m = version.manifest
st.caption(S.DATA_CURRENT.format(id=version.id, created=m.get("created_at", ""), by=m.get("created_by", ""),
                                 source=m.get("source", "")))

st.subheader(S.DATA_TEMPLATES, anchor=False)
st.caption(S.DATA_TEMPLATES_HELP)
left, right = st.columns([3, 1], vertical_alignment="bottom")
table = left.selectbox(S.DATA_TEMPLATE_PICK, list(SPECS), format_func=lambda t: SPECS[t].title)
right.download_button(S.DATA_TEMPLATE_DOWNLOAD, lambda: template_xlsx(SPECS[table]), icon=":material/download:",
                      file_name=f"{SPECS[table].title}导入模板.xlsx", on_click="ignore",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader(S.DATA_UPLOAD, anchor=False)
st.caption(S.DATA_UPLOAD_HELP)
uploads = st.file_uploader(S.DATA_UPLOAD, accept_multiple_files=True, label_visibility="collapsed", key="uploads",
                           type=["xlsx", "xlsm", "csv", "geojson", "json", "gpkg", "zip"])
if uploads:
    files = [(u.name, u.getvalue()) for u in uploads]
    prepared = prepare(files, root)
    if prepared.issues:
        st.error(S.DATA_ISSUES.format(n=len(prepared.issues)))
        report = issues_frame(prepared.issues)
        st.dataframe(report, hide_index=True, width="stretch")
        st.download_button(S.DATA_ISSUES_REPORT, table_xlsx(report, [(c, c, 14 if c != "问题" else 60) for c in report.columns],
                                                            "导入问题清单：" + "、".join(prepared.files), "导入问题清单"),
                           file_name="导入问题清单.xlsx", icon=":material/error:")
    else:
        st.success(S.DATA_PREVIEW)
        tables.show(prepared.changes, hide_index=True, width="stretch", title="导入预览", column_config={
            "table": S.COL_TABLE, "file": S.COL_FILE, "sheet": S.COL_SHEET, "rows": S.COL_ROWS, "added": S.COL_ADDED,
            "changed": S.COL_CHANGED, "removed": S.COL_REMOVED})
        with st.form("publish"):
            by = st.text_input(S.DATA_BY)
            if st.form_submit_button(S.DATA_PUBLISH, type="primary"):
                try:
                    new = publish(prepared, root, by)
                    st.session_state["data_notice"] = S.DATA_PUBLISHED.format(id=new.id)
                    del st.session_state["uploads"]
                    st.rerun()
                except store.StoreError as exc:
                    st.error(S.DATA_PUBLISH_ERROR.format(error=exc))
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
    left, middle, right = st.columns([3, 2, 1], vertical_alignment="bottom")
    target = left.selectbox(S.DATA_ROLLBACK_PICK, [v.id for v in reversed(versions) if v.id != version.id] or [None])
    by = middle.text_input(S.DATA_ROLLBACK_BY, key="rollback_by")
    if right.form_submit_button(S.DATA_ROLLBACK) and target:
        if not by.strip():
            st.error(S.DATA_ROLLBACK_BY)
        else:
            store.rollback(root, target, by.strip())
            st.session_state["data_notice"] = S.DATA_ROLLED_BACK.format(id=target)
            st.rerun()
