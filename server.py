"""The web server: the app (app.py) served by Streamlit, plus the two routes that set and clear the session
cookie from the server, so it is HttpOnly (no page script reads it), SameSite=Strict, and Secure over HTTPS.
Run it as `streamlit run server.py` (make run and make serve do); `app.py` alone has no way to sign in.

The login page checks the password and hands the browser a one-time ticket; the browser posts it to
/riverboard/session, whose answer sets the cookie. /riverboard/leave ends the session and clears it."""
from __future__ import annotations

import ipaddress
import os

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from riverchief.office import accounts
from riverchief.office.database import Unavailable
from ui.auth import COOKIE


def _from_our_proxy(request: Request) -> bool:
    """Behind make serve's nginx (RIVERBOARD_PUBLIC_ADDRESS set), a request from loopback is the proxy's."""
    try:
        loopback = request.client is not None and ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        loopback = False
    return loopback and bool(os.environ.get("RIVERBOARD_PUBLIC_ADDRESS", "").strip())


def _https(request: Request) -> bool:
    if request.url.scheme == "https":
        return True
    return _from_our_proxy(request) and request.headers.get("x-forwarded-proto", "") == "https"


def _same_origin(request: Request) -> bool:
    """A browser says where a request comes from: only the app's own page may set or clear the session."""
    return request.headers.get("sec-fetch-site", "same-origin") == "same-origin"


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
