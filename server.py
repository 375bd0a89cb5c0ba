"""The web server: the app (app.py) served by Streamlit, plus the two routes that set and clear the session
cookie from the server, so it is HttpOnly (no page script reads it), SameSite=Strict, and Secure over HTTPS.
Run it as `streamlit run server.py` (make run and make serve do); `app.py` alone has no way to sign in.

The login page checks the password and hands the browser a one-time ticket; the browser posts it to
/riverboard/session, whose answer sets the cookie. /riverboard/leave ends the session and clears it.

Single sign-on: .streamlit/secrets.toml is read here first — a syntax error stops the start, naming the file and
line — and Streamlit gets [auth] with defaults that work with a standard provider (riverchief/office/sso.py),
as read at start: a change to [auth] takes effect when the app is restarted ([riverboard.sso] at once).
What Streamlit's own sign-on routes answer with a bare error or silently is turned into the login page with a
Chinese sentence naming the setting (SignOnErrors)."""
from __future__ import annotations

import logging
import secrets
import sys
from urllib.parse import parse_qs, urlencode, urlparse

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from streamlit.url_util import make_url_path

from riverchief import settings
from riverchief.office import accounts, sso
from riverchief.office.database import Unavailable
from ui import strings as S
from ui.auth import COOKIE
from ui.text import md

log = logging.getLogger("riverboard")


def _https(request: Request) -> bool:
    """Served over HTTPS: directly, or behind a proxy the server trusts (uvicorn takes X-Forwarded-Proto from
    loopback, i.e. make serve's nginx, or from the addresses FORWARDED_ALLOW_IPS names)."""
    return request.url.scheme == "https"


def _same_origin(request: Request) -> bool:
    """Only the app's own page may set or clear the session: the browser says where a request comes from
    (Sec-Fetch-Site), else its Origin must be this server; a request that says neither is refused."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    if not origin:
        return False
    parsed = urlparse(origin)
    return parsed.scheme == request.url.scheme and parsed.netloc == request.headers.get("host", "")


async def enter(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    form = await request.form()
    try:
        token = await run_in_threadpool(accounts.redeem, str(form.get("ticket") or ""))
    except Unavailable:
        return Response(status_code=503)
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204)
    response.set_cookie(COOKIE, token, path="/", httponly=True, samesite="strict", secure=_https(request))
    return response


async def leave(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    token = request.cookies.get(COOKIE)
    if token:
        try:
            await run_in_threadpool(accounts.end_session, token)
        except Unavailable:
            pass  # the cookie is cleared all the same; the session ends with its idle time
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_https(request))
    return response


def _sign_on_failure(path: str, status: int, headers: list[tuple[bytes, bytes]], query: dict) -> str | None:
    """The error code of a sign-on step Streamlit ended badly, or None when it went through."""
    if path.endswith("/auth/login"):
        return "provider" if status >= 400 else None  # the provider's metadata could not be had
    if "error" in query:
        return sso.error_code(query["error"][0])
    if "code" not in query or status not in (302, 303, 307):
        return None  # e.g. the provider's sign-out coming back
    cookies = [v.decode("latin-1") for k, v in headers if k.lower() == b"set-cookie"]
    user = [c for c in cookies if c.startswith("_streamlit_user") and not c.startswith("_streamlit_user_tokens")]
    cleared = [c for c in user if "max-age=0" in c.lower() or c.split(";")[0].endswith(('=""', "="))]
    if len(user) > len(cleared):
        return None  # signed in (its cookie set, maybe in chunks)
    # the code was not exchanged (Streamlit clears its cookie): client_id, client_secret, clocks; nothing set at all:
    # the login came back to another address than it started from (no state), or a callback seen twice
    return "token" if cleared else "state"


class SignOnErrors:
    """Streamlit's /auth/login answers a bare 'Authentication error' when the provider cannot be reached, and
    /oauth2callback silently sends the user back when the provider refused or the secret is wrong: both go to
    the login page with ?sso_error=<code> instead, said in Chinese there and here in the log."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.endswith(("/auth/login", "/oauth2callback")):
            return await self.app(scope, receive, send)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))

        async def answer(message):
            if message["type"] == "http.response.start":
                code = _sign_on_failure(path, message["status"], message.get("headers", []), query)
                if code:
                    log.error("single sign-on failed (%s): %s", code, sso.error_sentence(code))
                    home = make_url_path(st.get_option("server.baseUrlPath") or "", "/")
                    target = f"{home}?{urlencode({'sso_error': code})}".encode()
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"location"]
                    message = {**message, "status": 302, "headers": headers + [(b"location", target)]}
            await send(message)

        await self.app(scope, receive, answer)


def _script_error(exc: Exception) -> bool:
    """Whatever a run raises outside a page's own guard (the login gate, the frame) is a Chinese sentence with an
    error id the server log carries — never Streamlit's English box."""
    error_id = getattr(exc, "error_id", None) or secrets.token_hex(4)
    log.error("run failed, error id %s", error_id, exc_info=exc)
    st.error(md(exc.message) if isinstance(exc, Unavailable) else S.PAGE_ERROR.format(id=error_id), icon=":material/error:")
    return True


def _secrets() -> dict:
    """The secrets Streamlit would read, every other setting checked with them (riverchief/settings.py), or the
    start refused with what is wrong (the file and line of a syntax error, the setting that cannot be used)."""
    try:
        found = settings.current(st.get_option("secrets.files")).secrets
    except settings.SettingsError as exc:
        print(f"河长看板未启动：{exc}", file=sys.stderr)
        raise SystemExit(2) from None
    for problem in sso.problems(found):
        log.error("single sign-on settings: %s", problem)
    return found


SECRETS = _secrets()
app = st.App("app.py", routes=[Route("/riverboard/session", enter, methods=["POST"]),
                               Route("/riverboard/leave", leave, methods=["POST"])],
             middleware=[Middleware(SignOnErrors)], on_script_error=_script_error,
             secrets={"auth": sso.with_defaults(SECRETS["auth"], (SECRETS.get("riverboard") or {}).get("sso"))}
             if isinstance(SECRETS.get("auth"), dict) else None)
