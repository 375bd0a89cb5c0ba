"""When the version being served cannot be read: say why, and offer the versions that can, to roll back."""
import pandas as pd
import streamlit as st

from riverchief import access, versions
from riverchief.dates import cn_stamp
from riverchief.office import actions
from riverchief.errors import RiverBoardError
from ui import auth, frame
from ui import strings as S
from ui.text import md

root = versions.data_dir()
st.title(S.PAGE_RECOVER, anchor=False)
st.error(S.RECOVER_INTRO.format(reason=md(st.session_state.get("broken", ""))), icon=":material/error:")
good = []
for v in reversed(versions.list_versions(root)):
    try:
        versions.check_version(v)
        good.append(v)
    except versions.StoreError:
        continue
if not good:
    st.info("没有可回退的完好版本。请联系系统管理员检查数据文件夹。")
    st.stop()
st.dataframe(pd.DataFrame([dict(版本=v.id, 发布时间=cn_stamp(v.manifest.get("created_at")), 操作人=v.manifest.get("created_by"),
                                来源=v.manifest.get("source"), 通报期数=len(v.manifest.get("notices", []))) for v in good]),
             hide_index=True, width="stretch", placeholder="")
if not auth.may(access.ROLLBACK):
    st.info("回退数据版本须以河长办账号登录。")
    st.stop()
with st.form("recover"):
    target = st.selectbox(S.DATA_ROLLBACK_PICK, [v.id for v in good])
    if st.form_submit_button(S.DATA_ROLLBACK, type="primary"):
        try:
            actions.rollback(auth.current(), root, target, expect_current=versions.pointer(root))
        except RiverBoardError as exc:
            frame.show_error(exc)
        else:
            st.rerun()
