"""RiverBoard (河长看板): the frame. Page config, the current data version, shared filters, navigation.

The pages live in app_pages/, not pages/: Streamlit treats a pages/ folder beside the main script as a
legacy multipage app and would then run a page without this frame (first run of a server, AppTest reruns).
"""
from __future__ import annotations

import dataclasses
import logging
import secrets
from pathlib import Path

import streamlit as st

from riverchief import access, clock, settings, versions
from riverchief.office.database import Unavailable
from riverchief.versions import NoData, StoreError
from ui import auth, data, filters, frame
from ui import strings as S
from ui.assets import ensure_assets

HERE = Path(__file__).parent
st.set_page_config(page_title=S.APP_TITLE, page_icon=str(HERE / "static" / "favicon.png"), layout="wide")
ensure_assets()
frame.chinese_widgets()
try:  # every setting read and checked at start: a mistake (a time zone the machine does not know, a database URL
    # written wrong, a broken secrets file) stops the app here, said in Chinese, never a silent fallback
    settings.current(st.get_option("secrets.files"))  # the files first: a syntax error is said with its line
    config = settings.current(secrets=auth.secrets_of_this_run())
    clock.zone()
except settings.SettingsError as exc:
    st.error(str(exc), icon=":material/settings:")
    st.stop()

PAGES = [  # file, title, icon, url path (None: the default page at /)
    ("light_board", S.PAGE_BOARD, ":material/traffic:", None),
    ("meeting", S.PAGE_MEETING, ":material/co_present:", "meeting"),
    ("glance", S.PAGE_GLANCE, ":material/smartphone:", "phone"),
    ("item", S.PAGE_ITEM, ":material/assignment:", "item"),
    ("progress", S.PAGE_PROGRESS, ":material/task_alt:", "progress"),
    ("water", S.PAGE_WATER, ":material/water_drop:", "water"),
    ("river_map", S.PAGE_MAP, ":material/map:", "map"),
    ("score", S.PAGE_SCORE, ":material/leaderboard:", "score"),
    ("report", S.PAGE_REPORT, ":material/edit_note:", "report"),
    ("rounds", S.PAGE_ROUNDS, ":material/fact_check:", "rounds"),
    ("data_admin", S.PAGE_DATA, ":material/database:", "data"),
    ("accounts", S.PAGE_ACCOUNTS, ":material/manage_accounts:", "accounts"),
    ("audit", S.PAGE_AUDIT, ":material/history:", "audit"),
]
NEEDS_NO_LISTS = ("data_admin", "accounts", "audit")  # open before the district has any notice
NEEDS_READINGS_ONLY = ("water", "river_map")  # open on readings and reference tables alone
START = st.Page(HERE / "app_pages" / "start.py", title=S.PAGE_START, icon=":material/flag:", url_path="start")



def _recovery(reason: str) -> None:
    """The only page while the data served cannot be read: why, and the versions to roll back to."""
    st.session_state["broken"] = reason
    st.navigation([st.Page(HERE / "app_pages" / "recover.py", title=S.PAGE_RECOVER, icon=":material/healing:")],
                  position="hidden").run()
    st.stop()


data.recover_once(str(versions.data_dir()))  # finish what a stopped publish left (once per server)
version, broken = None, None
try:
    version = data.current_version()
    versions.check_version(version)
    db = data.database(version)
except NoData:
    version = None
    if versions.any_version(versions.data_dir()):  # versions but no CURRENT: never start afresh over real data
        broken = S.NO_CURRENT
except Exception as exc:  # a damaged CURRENT or version: say so, and still offer the versions to roll back to
    version, broken = None, (str(exc) if isinstance(exc, StoreError) else S.BAD_DATA)

# Nothing renders before this: the login page, unless it is the demo (or nothing yet) on localhost.
principal = auth.gate(demo_or_empty=broken is None and (version is None or version.is_demo))
auth.sidebar()
if broken:
    _recovery(broken)
if version is None:  # an empty data folder: start the district (or look at the demo first)
    st.navigation([START], position="hidden").run()
    st.stop()

st.session_state["version"] = version
# The months to choose from: the notices; before the first list, the months with readings (water and map open).
months = version.notices or data.reading_months(str(version.root), version.id)
if months:
    own = None if access.can(principal, access.VIEW_ALL) else principal.unit_id
    selection = filters.render_sidebar(months, data.filter_options(str(version.root), version.id),
                                       own_unit=own, notices=bool(version.notices))
    st.session_state["selection"] = dataclasses.replace(selection, filters=access.scoped(principal, selection.filters))
else:  # a district just started: every page but 数据管理 says to bring the files in first
    st.session_state["selection"] = None


def _page(name: str, title: str, icon: str, url: str | None) -> st.Page:
    opens = version.notices or name in NEEDS_NO_LISTS or (months and name in NEEDS_READINGS_ONLY)
    script = name if opens else "no_lists"
    return st.Page(HERE / "app_pages" / f"{script}.py", title=title, icon=icon, url_path=url or None, default=url is None)


allowed = access.pages_for(principal)  # a page not allowed is not in the menu, and its URL opens the first page
starts = version.is_demo and (principal.via == "guest" or access.can(principal, access.IMPORT))  # the office's step
page = st.navigation([_page(*p) for p in PAGES if p[0] in allowed] + ([START] if starts else []),
                     expanded=True)  # every page listed: folded, Streamlit adds an English "View N more"
st.session_state["page_title"] = page.title
try:
    page.run()
except Unavailable as exc:  # the office store is down: said with its id; the store reconnects by itself
    frame.show_error(exc)
except Exception:  # never a traceback on a page: a sentence, and an id to find the traceback in the server log
    if config.strict:  # the tests want to see the error itself
        raise
    error_id = secrets.token_hex(4)
    logging.getLogger("riverboard").exception("page %s failed, error id %s", page.title, error_id)
    st.error(S.PAGE_ERROR.format(id=error_id), icon=":material/error:")
