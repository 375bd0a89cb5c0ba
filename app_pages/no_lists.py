"""Any page of a district just started, before its first list is imported: what to do next."""
import streamlit as st

from ui import frame
from ui import strings as S

frame.page(st.session_state.get("page_title", S.APP_TITLE), "尚无通报")
st.info(S.NO_NOTICES, icon=":material/upload_file:")
st.page_link("app_pages/data_admin.py", label=S.PAGE_DATA, icon=":material/database:")
