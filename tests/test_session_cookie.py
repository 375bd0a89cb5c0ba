"""The session cookie is the server's (issue 25, finding 6): set by server.py's route in its own answer,
HttpOnly and SameSite=Strict, Secure over HTTPS (directly, or as make serve's nginx says), a browser-session
cookie; a ticket opens it once, only from the app's own page; leaving ends the session and clears it.
The real browser's side (no page script sees it, a reload stays signed in): tests/test_browser.py."""
import warnings

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
with warnings.catch_warnings():  # starlette would have httpx2; httpx is what Streamlit's sign-on needs
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import server
from riverchief import access
from riverchief.access import Principal
from riverchief.office import accounts

WHO = Principal("hzb", "区河长办", access.OFFICE)


def client(host: str = "127.0.0.1", base: str = "http://testserver") -> TestClient:
    app = Starlette(routes=[Route("/riverboard/session", server.enter, methods=["POST"]),
                            Route("/riverboard/leave", server.leave, methods=["POST"])])
    return TestClient(app, base_url=base, client=(host, 50000))


def _set_cookie(response) -> str:
    return "; ".join(response.headers.get_list("set-cookie"))


def test_a_ticket_sets_an_httponly_strict_cookie_once(office_db):
    accounts.create("tests", "hzb", "区河长办", access.OFFICE)
    token = accounts.start_session(WHO)
    ticket = accounts.ticket_for(token)
    answer = client().post("/riverboard/session", data={"ticket": ticket}, headers={"Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 204
    cookie = _set_cookie(answer)
    assert cookie.startswith(f"riverboard_session={token};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie and "Max-Age" not in cookie and "expires" not in cookie.lower()  # ends with the browser
    again = client().post("/riverboard/session", data={"ticket": ticket})
    assert again.status_code == 403 and not _set_cookie(again)  # once only
    assert client().post("/riverboard/session", data={"ticket": "made-up"}).status_code == 403
    assert accounts.resume(token) == WHO


def test_another_site_cannot_use_the_routes(office_db):
    ticket = accounts.ticket_for(accounts.start_session(WHO))
    answer = client().post("/riverboard/session", data={"ticket": ticket}, headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403 and not _set_cookie(answer)


@pytest.mark.parametrize("host,base,proto,behind_proxy,secure", [
    ("127.0.0.1", "https://testserver", None, False, True),  # served over HTTPS directly
    ("127.0.0.1", "http://testserver", "https", True, True),  # make serve's nginx terminated TLS
    ("127.0.0.1", "http://testserver", "https", False, False),  # no proxy of ours: the header is anyone's
    ("10.9.9.9", "http://testserver", "https", True, False),  # not from the proxy: the header is the visitor's
    ("127.0.0.1", "http://testserver", None, True, False),
])
def test_secure_when_served_over_https(office_db, monkeypatch, host, base, proto, behind_proxy, secure):
    if behind_proxy:
        monkeypatch.setenv("RIVERBOARD_PUBLIC_ADDRESS", "10.1.2.3")
    else:
        monkeypatch.delenv("RIVERBOARD_PUBLIC_ADDRESS", raising=False)
    ticket = accounts.ticket_for(accounts.start_session(WHO))
    headers = {"X-Forwarded-Proto": proto} if proto else {}
    answer = client(host, base).post("/riverboard/session", data={"ticket": ticket}, headers=headers)
    assert answer.status_code == 204 and ("Secure" in _set_cookie(answer)) is secure


def test_leaving_ends_the_session_and_clears_the_cookie(office_db):
    accounts.create("tests", "hzb", "区河长办", access.OFFICE)
    token = accounts.start_session(WHO)
    c = client()
    c.cookies.set("riverboard_session", token)
    answer = c.post("/riverboard/leave")
    assert answer.status_code == 204
    assert 'riverboard_session=""' in _set_cookie(answer) and "Max-Age=0" in _set_cookie(answer)
    assert accounts.resume(token) is None
    assert client().post("/riverboard/leave", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403


def test_an_expired_ticket_opens_nothing(office_db, monkeypatch):
    import datetime as dt

    from riverchief import clock

    ticket = accounts.ticket_for(accounts.start_session(WHO))
    later = clock.instant() + dt.timedelta(seconds=accounts.TICKET_SECONDS + 1)
    monkeypatch.setattr(clock, "_instant", lambda: later)
    assert accounts.redeem(ticket) is None
