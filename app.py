"""RiverBoard (河长看板): the frame. Page config, the current data version, shared filters, navigation.

The pages live in app_pages/, not pages/: Streamlit treats a pages/ folder beside the main script as a
legacy multipage app and would then run a page without this frame (first run of a server, AppTest reruns).
"""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import streamlit as st

from riverchief import store
from riverchief.store import NoData, StoreError
from ui import data, filters, tables
from ui import strings as S
from ui.assets import ensure_assets

HERE = Path(__file__).parent
st.set_page_config(page_title=S.APP_TITLE, page_icon=str(HERE / "static" / "favicon.png"), layout="wide")
ensure_assets()

PAGES = [  # file, title, icon, url path (None: the default page at /)
    ("light_board", S.PAGE_BOARD, ":material/traffic:", None),
    ("meeting", S.PAGE_MEETING, ":material/co_present:", "meeting"),
    ("item", S.PAGE_ITEM, ":material/assignment:", "item"),
    ("progress", S.PAGE_PROGRESS, ":material/task_alt:", "progress"),
    ("water", S.PAGE_WATER, ":material/water_drop:", "water"),
    ("river_map", S.PAGE_MAP, ":material/map:", "map"),
    ("score", S.PAGE_SCORE, ":material/leaderboard:", "score"),
    ("data_admin", S.PAGE_DATA, ":material/database:", "data"),
]
START = st.Page(HERE / "app_pages" / "start.py", title=S.PAGE_START, icon=":material/flag:", url_path="start")



def _recovery(reason: str) -> None:
    """The only page while the data served cannot be read: why, and the versions to roll back to."""
    st.session_state["broken"] = reason
    st.navigation([st.Page(HERE / "app_pages" / "recover.py", title=S.PAGE_RECOVER, icon=":material/healing:")],
                  position="hidden").run()
    st.stop()


data.recover_once(str(store.data_dir()))  # finish what a stopped publish left (once per server)
try:
    version = data.current_version()
    store.check_version(version)
    db = data.database(version)
except NoData:
    version = None
    if store.any_version(store.data_dir()):  # versions but no CURRENT: never start afresh over real data
        _recovery(S.NO_CURRENT)
except Exception as exc:  # a damaged CURRENT or version: say so, and still offer the versions to roll back to
    _recovery(str(exc) if isinstance(exc, StoreError) else S.BAD_DATA)

if version is None:  # an empty data folder: start the district (or look at the demo first)
    st.navigation([START], position="hidden").run()
    st.stop()

st.session_state["version"] = version
if version.notices:
    st.session_state["selection"] = filters.render_sidebar(
        version.notices, data.filter_options(str(version.path.parent.parent), version.id))
else:  # a district just started: every page but 数据管理 says to bring the files in first
    st.session_state["selection"] = None


def _page(name: str, title: str, icon: str, url: str | None) -> st.Page:
    script = name if version.notices or name == "data_admin" else "no_lists"
    return st.Page(HERE / "app_pages" / f"{script}.py", title=title, icon=icon, url_path=url or None, default=url is None)


page = st.navigation([_page(*p) for p in PAGES] + ([START] if version.is_demo else []))
st.session_state["page_title"] = page.title
tables.start_page()
try:
    page.run()
except Exception:  # never a traceback on a page: a sentence, and an id to find the traceback in the server log
    if os.environ.get("RIVERBOARD_STRICT"):  # the tests want to see the error itself
        raise
    error_id = secrets.token_hex(4)
    logging.getLogger("riverboard").exception("page %s failed, error id %s", page.title, error_id)
    st.error(S.PAGE_ERROR.format(id=error_id), icon=":material/error:")
