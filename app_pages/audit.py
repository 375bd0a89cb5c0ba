"""操作记录: every change with who, when and what — filtered by person, action and dates, exported."""
import datetime as dt

import streamlit as st

from riverchief import access, clock
from riverchief.office import audit
from ui import auth, frame, tables
from ui import strings as S

*_, tables_label = page = frame.page(S.PAGE_AUDIT, "谁在何时做了什么")
if not auth.may(access.AUDIT):  # the menu hides it; a typed URL is refused too
    st.error(f"无权操作：{access.ACTION_NAMES[access.AUDIT]}")
    st.stop()
everything = audit.trail(page.root)
a, b, c, d = st.columns(4)
actor = a.selectbox("操作人", ["", *sorted(everything["actor"].unique())], format_func=lambda v: v or S.AUDIT_ALL)
action = b.selectbox("操作", ["", *audit.TRAIL_NAMES], format_func=lambda v: audit.TRAIL_NAMES.get(v, S.AUDIT_ALL))
since = c.date_input("起始日期", value=clock.today() - dt.timedelta(days=90), format="YYYY-MM-DD")
until = d.date_input("截止日期", value=clock.today(), format="YYYY-MM-DD")
log = audit.trail(page.root, actor=actor or None, action=action or None, since=since, until=until)
if log.empty:
    st.info("没有符合条件的记录。")
else:
    shown = log.assign(action=log["action"].map(audit.TRAIL_NAMES),
                       role=log["role"].map(access.ROLE_NAMES).fillna(""), at=log["at"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    tables.show(shown, hide_index=True, width="stretch", title="操作记录", column_config=S.AUDIT_COLS, label=tables_label)
st.caption(S.AUDIT_FILE_NOTE)
