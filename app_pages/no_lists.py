"""Any page of a district just started, before its first list is imported: what to do next."""
import streamlit as st

from riverchief import access
from ui import auth, frame
from ui import strings as S

frame.page(st.session_state.get("page_title", S.APP_TITLE), "尚无通报")
if auth.may(access.IMPORT):  # the office brings the lists in; others wait for it (数据管理 is not their page)
    st.info(S.NO_NOTICES, icon=":material/upload_file:")
    st.page_link("app_pages/data_admin.py", label=S.PAGE_DATA, icon=":material/database:")
else:
    st.info(S.NO_NOTICES_WAIT, icon=":material/hourglass_empty:")
