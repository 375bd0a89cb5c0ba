"""RiverBoard (河长看板): the frame. Page config, the current data version, shared filters, navigation.

The pages live in app_pages/, not pages/: Streamlit treats a pages/ folder beside the main script as a
legacy multipage app and would then run a page without this frame (first run of a server, AppTest reruns).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from riverchief.store import StoreError
from ui import data, filters, tables
from ui import strings as S
from ui.assets import ensure_assets

HERE = Path(__file__).parent
st.set_page_config(page_title=S.APP_TITLE, page_icon=str(HERE / "static" / "favicon.png"), layout="wide")
ensure_assets()

START = st.Page(HERE / "app_pages" / "start.py", title=S.PAGE_START, icon=":material/flag:", url_path="start")
DATA = st.Page(HERE / "app_pages" / "data_admin.py", title=S.PAGE_DATA, icon=":material/database:", url_path="data")

try:
    version = data.current_version()
    db = data.database(version)
except StoreError as exc:
    if "CURRENT" not in str(exc):
        st.error(S.BAD_DATA)
        st.stop()
    version = None

if version is None:  # an empty data folder: start the district (or look at the demo first)
    st.navigation([START], position="hidden").run()
    st.stop()

st.session_state["version"] = version
if not version.notices:  # a district just started: bring its files in first
    st.session_state["selection"] = None
    st.info(S.NO_NOTICES, icon=":material/upload_file:")
    page = st.navigation([DATA, START] if version.is_demo else [DATA])
    st.session_state["page_title"] = page.title
    tables.start_page()
    page.run()
    st.stop()

st.session_state["selection"] = filters.render_sidebar(
    version.notices, data.filter_options(str(version.path.parent.parent), version.id))

page = st.navigation([
    st.Page(HERE / "app_pages" / "light_board.py", title=S.PAGE_BOARD, icon=":material/traffic:", default=True),
    st.Page(HERE / "app_pages" / "meeting.py", title=S.PAGE_MEETING, icon=":material/co_present:", url_path="meeting"),
    st.Page(HERE / "app_pages" / "item.py", title=S.PAGE_ITEM, icon=":material/assignment:", url_path="item"),
    st.Page(HERE / "app_pages" / "progress.py", title=S.PAGE_PROGRESS, icon=":material/task_alt:", url_path="progress"),
    st.Page(HERE / "app_pages" / "water.py", title=S.PAGE_WATER, icon=":material/water_drop:", url_path="water"),
    st.Page(HERE / "app_pages" / "river_map.py", title=S.PAGE_MAP, icon=":material/map:", url_path="map"),
    st.Page(HERE / "app_pages" / "score.py", title=S.PAGE_SCORE, icon=":material/leaderboard:", url_path="score"),
    DATA,
    *([START] if version.is_demo else []),
])
st.session_state["page_title"] = page.title
tables.start_page()
page.run()
