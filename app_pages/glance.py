"""手机看板: the month on a phone (政务微信, 浙政钉) — the lights and their change, what changed, the red items and
the water on one narrow screen, readable without zoom; the full board and the meeting mode a tap away."""
import streamlit as st

from riverchief import access
from riverchief.water_report import fallback_words, month_figures, ytd_means
from ui import auth, board_parts, data, frame, glance
from ui import strings as S

version, sel, root, *_ = frame.page(S.PAGE_GLANCE, compact=True)
st.html("""<style>
[data-testid="stMainBlockContainer"] {padding: 3.6rem 0.9rem 2rem 0.9rem;}
h1 {font-size: 1.45rem !important; line-height: 1.3 !important;}
</style>""")
board_parts.unit_round(version)  # a township's clerk on a phone lands on its task too
board = data.board(root, version.id, sel.notice, sel.filters)
changes = data.changes(root, version.id, sel.notice, sel.filters)
water = data.water(root, version.id, sel.notice, sel.filters.township, sel.filters.river,
                   data.rules(root).rules.share_min_sections)  # the same cached view as the water page's
met, means = month_figures(water.sections)["met"], ytd_means(water.annual)
blocks = [("", glance.legend()), ("本期灯色", glance.lights(board)),
          ("与上期相比", glance.changed(changes, board.prev_notice is not None)),
          ("红灯事项", glance.red_items(board)),
          ("水质", glance.water(water.month, water.sections,  # the notice's month, or the latest with readings
                                None if met.value is None or met.sections == 0 else met.value,
                                means["tp"].value, means["nh3n"].value, fallback_words(water) or ""))]
st.html(glance.page(S.GLANCE_WHAT, blocks))
row = st.container(horizontal=True)
if row.button(S.GLANCE_FULL, icon=":material/traffic:"):
    st.switch_page("app_pages/light_board.py", query_params=st.query_params.to_dict() | frame.FULL_VIEW)
if auth.may(access.MEETING) and row.button(S.PAGE_MEETING, icon=":material/co_present:"):
    st.switch_page("app_pages/meeting.py", query_params=st.query_params.to_dict())
