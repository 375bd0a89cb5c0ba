"""Who is using this session: single sign-on (st.login) when the office configured a provider, else local
accounts with a session cookie; the demo on localhost opens as a read-only guest. Draws the login page and
stops the run when nobody is signed in and login is required — so no page renders data before it."""
from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlparse

import streamlit as st

from riverchief import access, settings, versions
from riverchief.access import Principal
from riverchief.errors import RiverBoardError
from riverchief.office import accounts, sso
from riverchief.office.database import Unavailable
from ui import data, frame
from ui import strings as S
from ui.text import md

COOKIE = "riverboard_session"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def secrets_of_this_run() -> dict:
    """The secrets as Streamlit has them for this run (its files and folders, or what server.py passed it, with
    [auth]'s defaults), for the settings. Called after the files were read: a syntax error was said already."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as exc:  # Streamlit's StreamlitSecretNotFoundError, for every way secrets fail
        if getattr(exc, "error_id", None) == "no-secrets-found":  # no secrets at all: none are needed
            return {}
        raise settings.SettingsError("Streamlit 无法读取本系统的机密设置（.streamlit/secrets.toml 或 secrets 文件夹）："
                                     "统一身份认证和数据库设置都在其中，请改正后再启动。", str(exc)) from None


def _auth() -> dict:
    """[auth] of the secrets: the sign-on provider(s), as read and checked at start (riverchief/settings.py)."""
    return settings.current().auth


def _sso_mapping() -> dict:
    """[riverboard.sso]: who signs in as what, and where the claims are read from."""
    return settings.current().sso


def sso_configured() -> bool:
    return bool(_auth())


def loopback_request(address: str, host: str) -> bool:
    """Whether the server listens on loopback only and the browser asked for a loopback name. Behind a
    proxy or on an intranet address the Host header names the server: then it is not local."""
    try:
        name = urlparse(f"//{host}").hostname or ""
    except ValueError:
        return False
    return address in _LOOPBACK and name in {h.strip("[]") for h in _LOOPBACK}


def listening_address() -> str:
    """Where the office reaches the app: the proxy's address when one stands in front (make serve sets
    RIVERBOARD_PUBLIC_ADDRESS), else the address Streamlit listens on."""
    return settings.current().public_address or str(st.get_option("server.address") or "")


def is_local() -> bool:
    """The demo may open without login only for a request that is local (see loopback_request)."""
    host = st.context.headers.get("Host", "") if st.context.headers else ""
    return loopback_request(listening_address(), host if isinstance(host, str) else "")


def client_address() -> str:
    """The address a browser connects from, for throttling and the log. Behind a proxy the server (uvicorn)
    has already taken it from X-Forwarded-For — from a proxy on this machine by default (make serve's nginx,
    which overwrites the header), from a gateway elsewhere when FORWARDED_ALLOW_IPS names it (docs/deploy.md)."""
    return st.context.ip_address or "127.0.0.1"


def current() -> Principal | None:
    return st.session_state.get("principal")


def may(action: str) -> bool:
    return access.can(current(), action)


def _touch_idle() -> bool:
    """False when the session stayed idle longer than allowed (then it is ended)."""
    now = time.time()
    last = st.session_state.get("last_seen", now)
    st.session_state["last_seen"] = now
    return now - last <= accounts.idle_minutes() * 60


def gate(demo_or_empty: bool) -> Principal:
    """The principal of this session, or the login page drawn and the run stopped. With the office store
    unavailable the demo still opens as a guest on this machine; anything else says so and stops."""
    try:
        principal = _signed_in()
    except Unavailable as exc:
        if demo_or_empty and is_local() and not st.session_state.get("want_login"):
            st.session_state["principal"] = access.GUEST_PRINCIPAL
            return access.GUEST_PRINCIPAL
        st.title(S.AUTH_TITLE, anchor=False)
        frame.show_error(exc)
        st.stop()
    if principal is not None:
        if not _touch_idle():
            logout(S.AUTH_IDLE.format(minutes=accounts.idle_minutes()))
        st.session_state["principal"] = principal
        return principal
    if demo_or_empty and is_local() and not st.session_state.get("want_login") and "sso_error" not in st.query_params:
        st.session_state["principal"] = access.GUEST_PRINCIPAL  # (back from the provider with an error: the login page says it)
        return access.GUEST_PRINCIPAL
    _login_page()
    st.stop()


def _signed_in() -> Principal | None:
    if sso_configured():
        return _sso_signed_in()
    held = st.session_state.get("principal")
    if held is not None and held.via == "local" and "session_token" not in st.session_state:
        return held  # signed in on this session without a cookie (tests set it on the server side)
    token = _cookie_token()
    try:
        who = accounts.resume(token)
    except Unavailable:
        if held is not None and held.via == "local" and token == st.session_state.get("session_token"):
            return held  # the store is down: who this session already signed in stays (the idle limit still holds)
        raise
    if who is None:
        st.session_state.pop("session_token", None)
        st.session_state.pop("principal", None)
        return None
    st.session_state["session_token"] = token
    return who


def _cookie_token() -> str | None:
    """This tab's session token: the one it signed in with, else the browser's cookie (not after a logout)."""
    token = st.session_state.get("session_token")
    if token is None and not st.session_state.get("signed_out"):
        token = st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) else None  # no browser behind the session (AppTest): None


def _sso_signed_in() -> Principal | None:
    """A sign-on user with a live RiverBoard session is who that session signed in (no call to the provider);
    a login just made at the provider gets a session, once; a browser back on Streamlit's sign-on cookie after
    its session ended (idle, logged out) must go through the provider again."""
    if not getattr(st.user, "is_logged_in", False):
        return None
    claims = dict(st.user)
    token = _cookie_token()
    who = accounts.resume(token)
    if who is not None and who.via == "sso":
        st.session_state["session_token"] = token
        return who
    if st.session_state.get("signed_out") or not accounts.use_sso_login(sso.login_marker(claims)):
        _sso_expired()
    _enter(_sso_principal(claims))


def _sso_principal(claims: dict) -> Principal:
    """Who a new sign-on login is (claims completed from the provider's userinfo when the ID token lacks them);
    a user not allowed in sees why, and the run stops."""
    mapping = _sso_mapping()
    if sso.needs_userinfo(claims, mapping):
        section = sso.providers(_auth()).get(str(claims.get("provider") or "default"), {})
        tokens = getattr(st.user, "tokens", {}) or {}
        answer = sso.userinfo(str(section.get("server_metadata_url") or ""), tokens.get("access"))
        named = any(str(claims.get(c) or "").strip() for c in ("email", "preferred_username"))
        if (not answer and not named) or answer.get("sub") not in (None, claims.get("sub")):  # another's: OIDC 5.3.2
            _refused_sso(sso.username(claims), S.AUTH_SSO_NO_USERINFO)
        claims = claims | answer
    try:
        return accounts.sso_principal(claims, mapping, units=_units())
    except accounts.AccountError as exc:
        _refused_sso(sso.username(claims) or str(claims.get("name") or ""), str(exc))


def _units() -> set[str] | None:
    """The district's unit ids (a unit mapping must name one of them), None when no data is served."""
    try:
        version = versions.current_version()
        options = data.filter_options(str(version.root), version.id)  # cached per version
    except Exception:  # no data yet, or a damaged version (the frame says so): the ids are not checked
        return None
    return set(options.loc[options["kind"] == "unit", "id"].astype(str))


def _sso_error_said() -> None:
    """What the provider sent the user back with (?sso_error=…, set by server.py), in Chinese."""
    code = st.query_params.get("sso_error")
    if code:
        where = str(_auth().get("redirect_uri") or "").removesuffix("/oauth2callback")
        extra = S.AUTH_SSO_OPEN_AT.format(where=where) if sso.error_code(code) == "state" and where else ""
        st.error(sso.error_sentence(code) + extra, icon=":material/error:")


def _refused_sso(name: str, why: str) -> None:
    st.title(S.AUTH_TITLE, anchor=False)
    _sso_error_said()
    st.error(S.AUTH_SSO_REFUSED.format(name=md(name), why=md(why)), icon=":material/block:")
    st.button(S.AUTH_LOGOUT, on_click=st.logout)
    st.stop()


def _sso_expired() -> None:
    """The tab's session ended: say so, and sign in again through the provider (never on the old cookie)."""
    st.title(S.AUTH_TITLE, anchor=False)
    _sso_error_said()
    said = frame.take_flash(on=S.AUTH_TITLE)
    st.info(said[0] if said else S.AUTH_SSO_EXPIRED.format(minutes=accounts.idle_minutes()), icon=":material/schedule:")
    provider = str(getattr(st.user, "provider", "") or "default")
    st.button(S.AUTH_SSO_AGAIN, on_click=st.login, args=() if provider == "default" else (provider,),
              type="primary", icon=":material/login:")
    st.button(S.AUTH_LOGOUT, on_click=st.logout, type="tertiary")
    st.stop()


def _post(path: str, fields: dict[str, str], reload: bool = False) -> None:
    """Have the browser post to one of the server's session routes (server.py): their answer sets or clears
    the HttpOnly cookie, which no script on the page can read. With reload, the page asked for is then loaded
    again, signed in by the cookie (the login page stood in for it) — only when the cookie was set; else the
    page says so."""
    failed = json.dumps(S.AUTH_COOKIE_FAILED)
    then = (".then(r => { if (r.ok) { window.location.reload(); } else { document.body.insertAdjacentText("
            f"'afterbegin', {failed}); }}}})" if reload else "")
    st.html(f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
            f"body: new URLSearchParams({json.dumps(fields)})}}){then};</script>", unsafe_allow_javascript=True)


def _login_page() -> None:
    st.title(S.AUTH_TITLE, anchor=False)
    frame.show_flash(on=S.AUTH_TITLE)
    if sso_configured():
        _sso_login()
        return
    pending = st.session_state.get("must_change")
    if pending:
        _change_password_form(pending)
        return
    down = False  # the store said it is unavailable once on this page: not twice
    with st.form("login"):
        username = st.text_input("账号", max_chars=64)
        password = st.text_input("密码", type="password", max_chars=128)
        if st.form_submit_button(S.AUTH_LOGIN, type="primary", icon=":material/login:"):
            try:
                who, must_change = accounts.authenticate(username, password, address=client_address())
            except RiverBoardError as exc:
                frame.show_error(exc)
                down = isinstance(exc, Unavailable)
            else:
                if must_change:
                    st.session_state["must_change"] = who.username
                    st.rerun()
                _enter(who)
    try:
        none_yet = not down and not accounts.any_account()
    except Unavailable as exc:
        frame.show_error(exc)
        none_yet = False
    if none_yet:
        st.info(S.AUTH_NO_ACCOUNTS, icon=":material/info:")
    if st.session_state.get("want_login"):
        st.button("返回示例数据", on_click=lambda: st.session_state.pop("want_login", None), type="tertiary")


def _sso_login() -> None:
    """The sign-on button, or — when the settings are wrong or the provider sent the user back with an error —
    what to fix, naming the setting (the same sentences are in the server log)."""
    _sso_error_said()
    wrong = sso.auth_problems(_auth())
    mapped = mapping_problems()
    if wrong:  # nobody can sign in: what to fix, naming the setting (no secret values in it)
        _log_once("single sign-on settings: " + "; ".join(wrong))
        st.error(S.AUTH_SSO_BROKEN + "\n\n" + "\n".join(f"- {md(w)}" for w in wrong), icon=":material/settings:")
        return
    if mapped:  # the users and groups it names are the office's business: a count here, the detail on 账号管理
        _log_once("single sign-on mapping: " + "; ".join(mapped))
        st.warning(S.AUTH_SSO_MAPPING.format(n=len(mapped)), icon=":material/settings:")
    st.markdown("本系统使用单位统一身份认证登录。")
    for name in sso.providers(_auth()):
        st.button("统一身份认证登录" + ("" if name == "default" else f" {name}"), on_click=st.login,
                  args=() if name == "default" else (name,), type="primary", icon=":material/login:", key=f"sso_{name}")


_LOGGED: set[str] = set()


def _log_once(line: str) -> None:
    """A settings problem is logged once per server, not at every visit of the login page."""
    if line not in _LOGGED:
        _LOGGED.add(line)
        logging.getLogger("riverboard").error(line)


def mapping_problems() -> list[str]:
    """What is wrong in [riverboard.sso] against the roles and the district's units (账号管理 lists it)."""
    return sso.mapping_problems(_sso_mapping(), _units()) if sso_configured() else []


def _change_password_form(username: str) -> None:
    st.warning("首次登录（或密码被重置后）须先修改密码。", icon=":material/key:")
    with st.form("change_password"):
        old = st.text_input("当前密码（一次性密码）", type="password")
        new = st.text_input("新密码", type="password", help="至少10位，同时包含字母和数字，不能包含账号名")
        again = st.text_input("再次输入新密码", type="password")
        if st.form_submit_button("修改密码并登录", type="primary"):
            if new != again:
                st.error("两次输入的新密码不一致")
                return
            try:
                accounts.change_password(username, old, new)
                who, _ = accounts.authenticate(username, new, address=client_address())
            except RiverBoardError as exc:
                frame.show_error(exc)
            else:
                st.session_state.pop("must_change", None)
                _enter(who)


def _enter(who: Principal) -> None:
    try:
        token = accounts.start_session(who)
        ticket = accounts.ticket_for(token)
    except Unavailable as exc:
        frame.show_error(exc)
        return
    st.session_state.update(principal=who, session_token=token, last_seen=time.time())
    for key in ("want_login", "f_month", "signed_out"):  # the filters start afresh for who came in
        st.session_state.pop(key, None)
    _post("/riverboard/session", {"ticket": ticket}, reload=True)
    st.stop()  # the browser loads the page again once the cookie is set


def logout(notice: str | None = None) -> None:
    """End this tab's session (and the browser's cookie). A sign-on user who logs out is signed out at the
    provider too; one whose session went idle sees why, and signs in again through the provider."""
    who = current()
    try:
        accounts.end_session(st.session_state.get("session_token"), who if who and who.via != "guest" else None)
    except Unavailable:  # the session here ends all the same; the store's record ends with its idle time
        pass
    for key in ("principal", "session_token", "last_seen", "must_change", "f_month"):
        st.session_state.pop(key, None)
    st.session_state["signed_out"] = True
    if notice:
        frame.flash(notice, "info", once=True, on=S.AUTH_TITLE)
    _post("/riverboard/leave", {})
    time.sleep(0.3)
    if who is not None and who.via == "sso" and not notice:
        st.logout()  # the browser goes to the provider's sign-out, then back to the login page
        st.stop()
    st.rerun()


def sidebar() -> None:
    """Who is signed in, and the way out (or in, for the demo's guest)."""
    who = current()
    side = st.sidebar
    if who is None:
        return
    if who.via == "guest":
        side.caption(S.AUTH_GUEST_SIDE)
        if side.button(S.AUTH_LOGIN, icon=":material/login:", key="guest_login"):
            st.session_state["want_login"] = True
            st.session_state.pop("principal", None)
            st.rerun()
        return
    side.caption(f"当前用户：{md(who.label)}")
    if side.button(S.AUTH_LOGOUT, icon=":material/logout:", key="logout"):
        logout()
