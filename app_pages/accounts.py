"""账号管理: the office creates accounts (a one-time password shown once), resets passwords, unlocks,
stops and re-roles them. Every change goes through riverchief.office.accounts, which checks the role."""
import pandas as pd
import streamlit as st

from riverchief import access
from riverchief.office import accounts
from riverchief.errors import RiverBoardError
from ui import auth, data, frame, tables
from ui import strings as S
from ui.text import md

version, _, root, *_, tables_label = frame.page(S.PAGE_ACCOUNTS, "账号与角色")
st.caption(S.ACC_ROLES_HELP)
me = auth.current()
options = data.filter_options(root, version.id)
units = dict(zip(options.loc[options["kind"] == "unit", "id"], options.loc[options["kind"] == "unit", "name"]))

mapping_wrong = auth.mapping_problems()
if mapping_wrong:  # the office sees in full what the login page only counts
    st.warning(S.ACC_SSO_MAPPING + "\n\n" + "\n".join(f"- {md(w)}" for w in mapping_wrong), icon=":material/settings:")


def _run(action, done: str | None = None, clear: bool = False) -> None:
    """Do it; on success say so after the rerun and, with `clear`, empty the new-account form (on an error it keeps
    what was typed)."""
    try:
        result = action()
    except RiverBoardError as exc:
        frame.show_error(exc)
    else:
        frame.flash((done or S.ACC_DONE).format(pw=result) if result else S.ACC_DONE, once=True)  # a password: once
        if clear:  # new widgets, empty: a browser sends a popped widget's old value back, a new key it cannot
            st.session_state["new_form"] = st.session_state.get("new_form", 0) + 1
        st.rerun()


st.subheader("新建账号", anchor=False)
form = st.session_state.get("new_form", 0)  # the form's generation: a new one after each account created
with st.form(f"new_account_{form}"):  # not cleared on submit: a refused account keeps what was typed
    a, b = st.columns(2)
    username = a.text_input("账号名（不含空格，如 shuiwuju 或 邮箱）", max_chars=64, key=f"new_username_{form}")
    name = b.text_input("显示名称（如 区水务局 或 张三）", max_chars=50, key=f"new_name_{form}")
    role = a.selectbox(S.ACC_ROLE, access.ROLES, format_func=access.ROLE_NAMES.get, key=f"new_role_{form}")
    unit = b.selectbox(S.ACC_UNIT, ["", *units], format_func=lambda u: units.get(u, "—"), key=f"new_unit_{form}")
    sso_only = st.checkbox("只用统一身份认证登录（不设密码）", value=auth.sso_configured(), key=f"new_sso_{form}")
    if st.form_submit_button("创建账号", type="primary", icon=":material/person_add:"):
        def create():
            return accounts.create(me, username, name or units.get(unit, ""), role, unit or None, sso_only=sso_only,
                                   units=set(units))
        _run(create, S.ACC_CREATED.replace("{user}", md(username.strip())) if not sso_only
             else "已创建账号 {user}，通过统一身份认证登录。".replace("{user}", md(username.strip())), clear=True)

with st.expander(S.ACC_UNIT_IDS):  # the ids a unit account or a sign-on mapping (unit:<编号>) names
    tables.show(pd.DataFrame({"单位编号": list(units), "单位名称": list(units.values())}), hide_index=True,
                width="stretch", title=S.ACC_UNIT_IDS, label=tables_label)

st.subheader("全部账号", anchor=False)
people = pd.DataFrame(accounts.users(), columns=["username", "name", "role", "unit_id", "disabled", "locked",
                                                  "must_change", "sso_only", "last_login", "created_at", "state"])
if people.empty:
    st.stop()
shown = people.assign(
    role=people["role"].map(access.ROLE_NAMES), unit=people["unit_id"].map(units).fillna(""))
tables.show(shown[list(S.ACC_COLS)], hide_index=True, width="stretch", title="账号", column_config=S.ACC_COLS, label=tables_label)

pick = st.selectbox("选择账号", list(people["username"]),
                    format_func=lambda u: f"{u}（{people.set_index('username').loc[u, 'name']}）")
row = people.set_index("username").loc[pick]
c1, c2, c3, c4 = st.columns(4)
if c1.button("重置密码", icon=":material/key:", disabled=bool(row["sso_only"])):
    _run(lambda: accounts.reset_password(me, pick), S.ACC_RESET_DONE.replace("{user}", md(pick)))
if c2.button("解除登录等待", icon=":material/lock_open:", disabled=not row["locked"]):
    _run(lambda: accounts.update(me, pick, unlock=True))
if c3.button("启用" if row["disabled"] else "停用", icon=":material/block:"):
    _run(lambda: accounts.update(me, pick, disabled=not row["disabled"]))
with c4.popover(S.ACC_SAVE_ROLE, icon=":material/badge:"):
    new_role = st.selectbox(S.ACC_ROLE, access.ROLES, index=access.ROLES.index(row["role"]),
                            format_func=access.ROLE_NAMES.get, key="acc_role")
    new_unit = st.selectbox(S.ACC_UNIT, ["", *units], format_func=lambda u: units.get(u, "—"), key="acc_unit",
                            index=([""] + list(units)).index(row["unit_id"]) if row["unit_id"] in units else 0)
    if st.button(S.ACC_SAVE_ROLE, key="acc_role_save"):
        _run(lambda: accounts.update(me, pick, role=new_role, unit_id=new_unit or None, units=set(units)))

waiting = pd.DataFrame(accounts.waiting_addresses(), columns=["address", "failures", "until"])
if len(waiting):
    st.subheader(S.ACC_WAITING_ADDRESSES, anchor=False)
    st.caption(S.ACC_WAITING_HELP)
    tables.show(waiting, hide_index=True, width="stretch", title=S.ACC_WAITING_ADDRESSES, column_config={
        "address": "地址", "failures": "近一小时输错次数", "until": st.column_config.DatetimeColumn("须等待至", format="HH:mm:ss")}, label=tables_label)
    where = st.selectbox("选择地址", list(waiting["address"]), key="acc_address")
    if st.button("解除该地址的登录等待", icon=":material/lock_open:"):
        _run(lambda: accounts.unlock_address(me, where) and None)
