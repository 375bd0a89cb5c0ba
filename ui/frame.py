"""The frame every page shares: the title line with period and scope, the demo tag, the method note."""
from __future__ import annotations

import streamlit as st

from riverchief.dates import cn_notice
from riverchief.store import Version
from ui import strings as S
from ui.text import md
from ui.filters import Selection


def header(page: str, selection: Selection | None, version: Version, period: str | None = None) -> None:
    """`三色看板 · 2023年6月通报 · 全区`: the page, the period (the notice by default) and the scope.
    Before a district has any notice there is no selection: the district names the scope."""
    scope = selection.scope if selection else version.manifest.get("district", "")
    st.title(f"{page} · {period or cn_notice(selection.notice)} · {md(scope)}", anchor=False)
    guest = getattr(st.session_state.get("principal"), "via", None) == "guest"
    if version.is_demo:
        st.badge(S.DEMO_TAG, icon=":material/science:", color="orange")
        if guest:
            st.badge(S.AUTH_GUEST_TAG, icon=":material/lock:", color="gray")
        st.caption(S.DEMO_NOTE + (S.AUTH_GUEST_BANNER if guest else ""))


def method_note(text: str) -> None:
    with st.expander(S.METHOD_TITLE, icon=":material/info:"):
        st.markdown(text)


def source_line(selection: Selection, version: Version) -> str:
    district = version.manifest.get("district", "")
    line = S.CHART_SOURCE.format(district=district, notice=selection.notice.isoformat(), scope=selection.scope)
    return line + (f" · {S.DEMO_TAG}" if version.is_demo else "")
