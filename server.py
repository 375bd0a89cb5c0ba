"""The web server: the app (app.py) served by Streamlit, plus the two routes that set and clear the session
cookie from the server, so it is HttpOnly (no page script reads it), SameSite=Strict, and Secure over HTTPS.
Run it as `streamlit run server.py` (make run and make serve do); `app.py` alone has no way to sign in.

The login page checks the password and hands the browser a one-time ticket; the browser posts it to
/riverboard/session, whose answer sets the cookie. /riverboard/leave ends the session and clears it."""
from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from riverchief.office import accounts
from riverchief.office.database import Unavailable
from ui.auth import COOKIE


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


app = st.App("app.py", routes=[Route("/riverboard/session", enter, methods=["POST"]),
                               Route("/riverboard/leave", leave, methods=["POST"])])
