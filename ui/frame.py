"""The frame every page shares: the title line with period and scope, the demo tag, the method note."""
from __future__ import annotations

import datetime as dt
from typing import Callable, NamedTuple

import streamlit as st

from riverchief.dates import cn_month, cn_notice
from riverchief.store import Version
from ui import filters
from ui import strings as S
from ui.filters import Selection
from ui.text import md


class Page(NamedTuple):
    """What a page works with: the data version, the shared selection (None before the district's first notice),
    the data folder as text (the cache key of every query), the line naming the source under each chart, and
    the period as the title says it."""
    version: Version
    sel: Selection | None
    root: str
    source: str
    period: str | None


def page(title: str | None, period: str | Callable[[dt.date], str] | None = None) -> Page:
    """Open a page: its title line (none for the meeting screen, which draws its own) and what it works with.
    `period` is the title's period in words, or made from the notice; by default the notice."""
    version, sel = st.session_state["version"], filters.current()
    if period is None and sel and not version.notices:  # before the first list the month is a month of readings
        period = cn_month
    said = (period(sel.notice) if sel else None) if callable(period) else period
    if title is not None:
        header(title, sel, version, said)
    return Page(version, sel, str(version.root), source_line(sel, version) if sel else "", said)


def header(page: str, selection: Selection | None, version: Version, period: str | None = None) -> None:
    """`三色看板 · 2023年6月通报 · 全区`: the page, the period (the notice by default) and the scope.
    Before a district has any notice there is no selection: the district names the scope."""
    scope = selection.scope if selection else version.manifest.get("district", "")
    st.title(f"{page} · {period or cn_notice(selection.notice)} · {md(scope)}", anchor=False)
    guest = getattr(st.session_state.get("principal"), "via", None) == "guest"
    if version.is_demo:
        st.badge(S.DEMO_TAG, icon=":material/science:", color="orange")
        if guest:
            st.badge("访客只读", icon=":material/lock:", color="gray")
        st.caption(S.DEMO_NOTE + (S.AUTH_GUEST_BANNER if guest else ""))


def method_note(text: str) -> None:
    with st.expander(S.METHOD_TITLE, icon=":material/info:"):
        st.markdown(text)


def source_line(selection: Selection, version: Version) -> str:
    district = version.manifest.get("district", "")
    line = S.CHART_SOURCE.format(district=district, notice=selection.notice.isoformat(), scope=selection.scope)
    return line + (f" · {S.DEMO_TAG}" if version.is_demo else "")
