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


SAME = {"Sec-Fetch-Site": "same-origin"}


def client(base: str = "http://testserver") -> TestClient:
    app = Starlette(routes=[Route("/riverboard/session", server.enter, methods=["POST"]),
                            Route("/riverboard/leave", server.leave, methods=["POST"])])
    return TestClient(app, base_url=base)


def _set_cookie(response) -> str:
    return "; ".join(response.headers.get_list("set-cookie"))


def test_a_ticket_sets_an_httponly_strict_cookie_once(office_db):
    accounts.create("tests", "hzb", "区河长办", access.OFFICE)
    token = accounts.start_session(WHO)
    ticket = accounts.ticket_for(token)
    answer = client().post("/riverboard/session", data={"ticket": ticket}, headers=SAME)
    assert answer.status_code == 204
    cookie = _set_cookie(answer)
    assert cookie.startswith(f"riverboard_session={token};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie and "Max-Age" not in cookie and "expires" not in cookie.lower()  # ends with the browser
    again = client().post("/riverboard/session", data={"ticket": ticket}, headers=SAME)
    assert again.status_code == 403 and not _set_cookie(again)  # once only
    assert client().post("/riverboard/session", data={"ticket": "made-up"}, headers=SAME).status_code == 403
    assert accounts.resume(token) == WHO


@pytest.mark.parametrize("base,secure", [("https://testserver", True), ("http://testserver", False)])
def test_secure_when_served_over_https(office_db, base, secure):
    """The scheme the server saw: HTTPS itself, or as a proxy it trusts said (uvicorn, from loopback by default)."""
    ticket = accounts.ticket_for(accounts.start_session(WHO))
    answer = client(base).post("/riverboard/session", data={"ticket": ticket}, headers=SAME)
    assert answer.status_code == 204 and ("Secure" in _set_cookie(answer)) is secure


@pytest.mark.parametrize("headers,allowed", [
    ({"Sec-Fetch-Site": "same-origin"}, True), ({"Sec-Fetch-Site": "same-site"}, False),
    ({"Sec-Fetch-Site": "cross-site"}, False), ({"Origin": "http://testserver"}, True),
    ({"Origin": "http://evil.example"}, False), ({"Origin": "https://testserver"}, False), ({}, False),
])
def test_only_the_app_s_own_page_may_sign_in(office_db, headers, allowed):
    ticket = accounts.ticket_for(accounts.start_session(WHO))
    answer = client().post("/riverboard/session", data={"ticket": ticket}, headers=headers)
    assert (answer.status_code == 204) is allowed


def test_a_ticket_is_taken_once_even_by_tries_at_the_same_moment(office_db):
    from concurrent.futures import ThreadPoolExecutor

    for _ in range(5):
        ticket = accounts.ticket_for(accounts.start_session(WHO))
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(lambda _: accounts.redeem(ticket), range(4)))
        assert sum(t is not None for t in got) == 1, got


def test_leaving_ends_the_session_and_clears_the_cookie(office_db):
    accounts.create("tests", "hzb", "区河长办", access.OFFICE)
    token = accounts.start_session(WHO)
    c = client()
    c.cookies.set("riverboard_session", token)
    answer = c.post("/riverboard/leave", headers=SAME)
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
