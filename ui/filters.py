"""The shared filters in the sidebar, mirrored in the URL so any view can be sent as a link.

URL keys: month=2024-10, township=T05, river=R02, list=task, unit=D02. In the widgets "" means all
(a None option would show as an empty selectbox).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from riverchief.board import Filters
from riverchief.dates import cn_month, cn_notice
from riverchief.schema import LIST_NAMES
from ui import strings as S
from ui.text import md

_KEYS = ("month", "township", "river", "list", "unit")
ALL = ""


@dataclass(frozen=True)
class Selection:
    notice: dt.date
    filters: Filters
    scope: str  # the filters in force, in words ("全区" when none)


def _month_key(d: dt.date) -> str:
    return f"{d.year}-{d.month:02d}"


def render_sidebar(months: list[dt.date], options, own_unit: str | None = None, notices: bool = True) -> Selection:
    """Draw the filters (first run: from the URL), write the URL back, and return the selection.
    With own_unit (a unit's account) the unit filter holds that unit only, whatever the link says. Before the
    first list (notices=False) the months are those with readings, named as months, not notices."""
    by_month = {_month_key(d): d for d in sorted(months, reverse=True)}
    names = {kind: dict(zip(g["id"], g["name"])) for kind, g in options.groupby("kind")}
    choices = {
        "month": list(by_month),
        "township": [ALL, *names.get("township", {})],
        "river": [ALL, *names.get("river", {})],
        "list": [ALL, *LIST_NAMES],
        "unit": [own_unit] if own_unit else [ALL, *names.get("unit", {})],
    }
    if own_unit and st.session_state.get("f_unit") != own_unit:
        st.session_state["f_unit"] = own_unit
    if "f_month" not in st.session_state:  # a new session: take what the link says
        ignored = []
        for key in _KEYS:
            value = st.query_params.get(key)
            if value is not None and value not in choices[key]:
                ignored.append(f"{key}={value}")
                value = None
            st.session_state[f"f_{key}"] = value if value else choices[key][0]
        if ignored:
            st.warning(f'链接中的筛选条件无效，已忽略：{md("，".join(ignored))}')

    for key, value in st.session_state.pop("pending_filters", {}).items():  # set by a click on the map
        if value in choices[key]:
            st.session_state[f"f_{key}"] = value

    side = st.sidebar
    side.header("筛选")
    month = side.selectbox("通报月份" if notices else "监测月份", choices["month"], key="f_month",
                           format_func=lambda m: (cn_notice if notices else cn_month)(by_month[m]))
    labels = {
        "township": (S.TOWNSHIP, "全部镇街", names.get("township", {})),
        "river": ("河流（区级）", "全部河流", names.get("river", {})),
        "list": (S.LIST, "全部清单", LIST_NAMES),
        "unit": (S.UNIT, "全部责任单位", names.get("unit", {})),
    }
    chosen = {}
    for key, (label, all_label, mapping) in labels.items():
        chosen[key] = side.selectbox(label, choices[key], key=f"f_{key}",
                                     format_func=lambda v, m=mapping, a=all_label: m[v] if v else a)

    page_own = {k: v for k, v in st.query_params.to_dict().items() if k not in _KEYS}  # e.g. a page's trend=
    st.query_params.from_dict({"month": month, **{k: v for k, v in chosen.items() if v}, **page_own})
    scope = " · ".join(labels[k][2][v] for k, v in chosen.items() if v) or S.ALL_DISTRICT
    return Selection(by_month[month], Filters(**{k: v or None for k, v in chosen.items()}), scope)


def show_newest() -> None:
    """After a publish: the next run opens the newest notice, whatever month the session or the link held."""
    st.session_state.pop("f_month", None)
    if "month" in st.query_params:
        del st.query_params["month"]


def current() -> Selection:
    """The selection app.py made on this run (pages read it, never the widgets)."""
    return st.session_state["selection"]


def page_param(key: str, options: list[str], default: str | None) -> str | None:
    """A page's own choice kept in the URL beside the shared filters (unknown values fall back)."""
    value = st.query_params.get(key)
    return value if value in options else default


def set_page_param(key: str, value: str | None) -> None:
    if value:
        st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]


def request_filter(key: str, value: str) -> None:
    """Ask for a shared filter from a page (e.g. a click on the map); applied on the rerun it triggers."""
    st.session_state["pending_filters"] = {key: value}
    st.rerun()
