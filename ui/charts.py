"""Charts on a page: drawn with the app's theme, each with a slide-ready PNG download.
The figure builders live in rendering/figures.py (no Streamlit), so exports draw the same charts."""
from __future__ import annotations

import re

import plotly.graph_objects as go
import streamlit as st

from exports import images
from riverchief.access import EXPORT
from ui import auth, frame
from ui import strings as S
from rendering.figures import PLOTLY_CONFIG, wrapped_title


def chart_config(may_export: bool) -> dict:
    """The chart's toolbar: its own 'download as PNG' only for a role that may export."""
    if may_export:
        return PLOTLY_CONFIG
    return PLOTLY_CONFIG | {"modeBarButtonsToRemove": [*PLOTLY_CONFIG["modeBarButtonsToRemove"], "toImage"]}


def show(fig: go.Figure, key: str, on_select: bool = False):
    """Draw a chart with a slide-ready PNG download under it (built only when asked for); with on_select,
    clicking a bar reruns the page and the selection is returned."""
    config = chart_config(auth.may(EXPORT))
    shown = fig
    if frame.on_a_phone():  # a phone: the title in lines and no toolbar over it (nobody exports from a phone)
        shown, config = wrapped_title(fig), config | {"displayModeBar": False}
    if on_select:
        event = st.plotly_chart(shown, width="stretch", config=config, key=key, on_select="rerun",
                                selection_mode="points")
    else:
        event = None
        st.plotly_chart(shown, width="stretch", config=config, key=key)
    if not auth.may(EXPORT):
        return event
    if images.available():
        title = (fig.layout.title.text or key).split("<")[0]
        stem = re.sub(r'[\\/:*?"<>|\s]+', "_", title)[:40]
        st.download_button("下载图片（PNG）", lambda: images.chart_png(fig), file_name=f"{stem}.png", mime="image/png",
                           key=f"{key}_png", on_click="ignore", type="tertiary", icon=":material/image:")
    else:
        st.caption(S.CHART_EXPORT_UNAVAILABLE)
    return event
