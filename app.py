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

try:
    version = data.current_version()
    db = data.database(version)
except StoreError as exc:
    st.error(S.NO_DATA if "CURRENT" in str(exc) else S.BAD_DATA.format(error=exc))
    st.stop()

st.session_state["version"] = version
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
    st.Page(HERE / "app_pages" / "data_admin.py", title=S.PAGE_DATA, icon=":material/database:", url_path="data"),
])
st.session_state["page_title"] = page.title
tables.start_page()
page.run()
