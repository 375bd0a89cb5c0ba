"""开始使用本区数据: start the office's own district from nothing (or leave the demo), then import."""
import streamlit as st

from riverchief import access, versions
from riverchief.office import actions
from riverchief.errors import RiverBoardError
from ui import auth, filters, frame
from ui import strings as S

root = versions.data_dir()
st.title(S.PAGE_START, anchor=False)
st.markdown(S.START_INTRO)
me = auth.current()
if not auth.may(access.IMPORT) and me is not None and me.via != "guest":  # signed in, but not as the office
    st.info(S.START_NOT_OFFICE, icon=":material/hourglass_empty:")
elif not auth.may(access.IMPORT):
    st.info("开始使用本区数据须以河长办账号登录。", icon=":material/lock:")
    if st.button(S.AUTH_LOGIN, icon=":material/login:", type="primary"):
        st.session_state["want_login"] = True
        st.session_state.pop("principal", None)
        st.rerun()
else:
    with st.form("start"):
        district = st.text_input("本区名称（必填，如 青川区）", max_chars=20)
        code = st.text_input("行政区划代码（6位数字，可不填）", max_chars=6)
        if st.form_submit_button(S.PAGE_START, type="primary", icon=":material/flag:"):
            leaving_demo = (root / "CURRENT").exists()
            try:
                actions.init_district(auth.current(), root, district, code.strip())
            except RiverBoardError as exc:
                frame.show_error(exc)
            else:
                filters.show_newest()  # a new data set: filters start afresh
                if leaving_demo:
                    st.switch_page("app_pages/data_admin.py")
                st.rerun()  # from nothing this was the only page: the rerun opens 数据管理
if not (root / "CURRENT").exists():
    st.divider()
    st.caption(S.START_DEMO_HELP)
    if st.button("先看看示例数据", icon=":material/science:"):
        from loaders.demo import build_demo

        build_demo(root)
        st.rerun()
