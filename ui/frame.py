"""The frame every page shares: the title line with period and scope, the demo tag, the method note."""
from __future__ import annotations

import datetime as dt
import logging
import re
import time
from typing import Callable, NamedTuple

import streamlit as st

from riverchief.dates import cn_month, cn_notice
from riverchief.errors import RiverBoardError
from riverchief.versions import Version
from ui import filters, tables
from ui import strings as S
from ui.filters import Selection
from ui.text import md


class Page(NamedTuple):
    """What a page works with: the data version, the shared selection (None before the district's first notice),
    the data folder as text (the cache key of every query), the line naming the source under each chart, the
    period as the title says it, and what its tables are exported under (passed to every tables.show)."""
    version: Version
    sel: Selection | None
    root: str
    source: str
    period: str | None
    tables_label: tables.Label


def page(title: str | None, period: str | Callable[[dt.date], str] | None = None, compact: bool = False) -> Page:
    """Open a page: its title line (none for the meeting screen, which draws its own) and what it works with.
    `period` is the title's period in words, or made from the notice; by default the notice."""
    version, sel = st.session_state["version"], filters.current()
    if period is None and sel and not version.notices:  # before the first list the month is a month of readings
        period = cn_month
    said = (period(sel.notice) if sel else None) if callable(period) else period
    if title is not None:
        header(title, sel, version, said, compact)
        show_flash()
    label = tables.Label(title or S.APP_TITLE, sel.scope if sel else "", sel.notice.isoformat() if sel else "",
                         version.id)
    return Page(version, sel, str(version.root), source_line(sel, version) if sel else "", said, label)


def header(page: str, selection: Selection | None, version: Version, period: str | None = None,
           compact: bool = False) -> None:
    """`三色看板 · 2023年6月通报 · 全区`: the page, the period (the notice by default) and the scope.
    Before a district has any notice there is no selection: the district names the scope."""
    scope = selection.scope if selection else version.manifest.get("district", "")
    st.title(f"{page} · {period or cn_notice(selection.notice)} · {md(scope)}", anchor=False)
    guest = getattr(st.session_state.get("principal"), "via", None) == "guest"
    if version.is_demo:
        tags = st.container(horizontal=True)  # the tags on one line (a phone has no room for two)
        tags.badge(S.DEMO_TAG, icon=":material/science:", color="orange")
        if guest:
            tags.badge("访客只读", icon=":material/lock:", color="gray")
        if not compact:  # the phone view: the tags say it, the sentence would push the month off the screen
            st.caption(S.DEMO_NOTE + (S.AUTH_GUEST_BANNER if guest else ""))


def method_note(text: str) -> None:
    with st.expander(S.METHOD_TITLE, icon=":material/info:"):
        st.markdown(text)


def source_line(selection: Selection, version: Version) -> str:
    district = version.manifest.get("district", "")
    line = S.CHART_SOURCE.format(district=district, notice=selection.notice.isoformat(), scope=selection.scope)
    return line + (f" · {S.DEMO_TAG}" if version.is_demo else "")


_FLASH = "_flash"
FLASH_SECONDS = 30  # a message after an action stays through the reruns that follow it (a table's own refresh)


def show_error(exc: RiverBoardError, before: str = "") -> None:
    """A refusal, said the one way every page says it: the user's sentence (kept text, after `before`) in an
    error box; its detail goes to the server log. A message left by an earlier action goes (it no longer holds)."""
    clear_flash()
    if exc.detail:
        logging.getLogger("riverboard").info("refused: %s (%s)", exc.message, exc.detail)
    st.error(before + md(exc.message), icon=":material/error:")


def flash(text: str, kind: str = "success", *, once: bool = False, on: str | None = None) -> None:
    """Say `text` after the rerun an action triggers (st.rerun drops what the run drew): the one way a message
    outlives its run. On this page (or the page `on` names, such as the login page), for FLASH_SECONDS — or,
    `once`, at the next run only (a one-time password is not kept on screen)."""
    st.session_state[_FLASH] = (text, kind, on or st.session_state.get("page_title"), time.monotonic(), once)


def clear_flash() -> None:
    """An action went wrong: the last one's message must not stand above its error."""
    st.session_state.pop(_FLASH, None)


def take_flash(on: str | None = None) -> tuple[str, str] | None:
    """(text, kind) of the message left for this page (or the page `on` names), if it still holds."""
    said = st.session_state.get(_FLASH)
    if said is None:
        return None
    text, kind, page_title, at, once = said
    holds = page_title == (on or st.session_state.get("page_title")) and (once or time.monotonic() - at <= FLASH_SECONDS)
    if once or not holds:  # gone once shown (`once`), or once it no longer holds (another page, too old)
        st.session_state.pop(_FLASH, None)
    return (text, kind) if holds else None


def show_flash(on: str | None = None) -> None:
    """The last action's message where it was left; page() calls it below the title."""
    said = take_flash(on)
    if said is not None:
        text, kind = said
        (st.success if kind == "success" else st.info)(
            text, icon=":material/check_circle:" if kind == "success" else ":material/info:")


def chinese_widgets() -> None:
    """Streamlit's file uploader writes `Upload` and `200MB per file • XLSX` in English and takes no words for
    them: the app's CSS puts Chinese in their place (the accepted types and size go in each uploader's label)."""
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] button > * {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: "{S.UPLOAD_BUTTON}"; font-size: 1rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] > * {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"]::after {{ content: "{S.UPLOAD_DROP}"; font-size: 0.875rem; }}
</style>""")


_PHONE = re.compile(r"iPhone|Android.+Mobile|Mobile Safari|MicroMessenger|wxwork|DingTalk|TaurusApp|HarmonyOS.+Mobile", re.I)


_DESKTOP = re.compile(r"Windows NT|Macintosh|X11; Linux x86_64|WindowsWechat|MacWechat", re.I)


def phone_agent(agent: str) -> bool:
    """A browser that says it is a phone (or a government messenger's in-app browser on a phone, 政务微信 and
    浙政钉; their desktop clients name the messenger too, and stay on the full board)."""
    return bool(_PHONE.search(agent or "")) and not _DESKTOP.search(agent or "")


def on_a_phone() -> bool:
    return phone_agent((st.context.headers or {}).get("User-Agent", ""))


FULL_VIEW = {"view": "full"}  # on the board's link: a phone asked for the full board (kept by a reload or a share)


def send_phones_to_glance() -> None:
    """A phone opening the board lands on 手机看板, once a session; 完整看板 there brings it back for good."""
    if on_a_phone() and st.query_params.get("view") != "full" and not st.session_state.get("glance_sent"):
        st.session_state["glance_sent"] = True
        st.switch_page("app_pages/glance.py", query_params=st.query_params.to_dict())
