"""One chart theme for the whole app, and the chart builders the pages share (Plotly)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from riverchief.board import LIST_NAMES
from riverchief.lights import LIGHT_COLOURS, LIGHT_NAMES, LIGHTS
from ui import strings as S

FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
GRID = "#E6E8EB"
TEXT = "#202124"

pio.templates["riverboard"] = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=15, color=TEXT),
    title=dict(font=dict(size=20), x=0, xanchor="left"),
    paper_bgcolor="white", plot_bgcolor="white",
    xaxis=dict(gridcolor=GRID, zerolinecolor=GRID), yaxis=dict(gridcolor=GRID, zerolinecolor=GRID),
    legend=dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom", traceorder="normal",
                bgcolor="rgba(255,255,255,0.8)"),
    margin=dict(l=10, r=20, t=70, b=90),
))

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900, "scale": 1},
}


def finish(fig: go.Figure, title: str, source: str, height: int) -> go.Figure:
    """Title with the finding in words, the source line at the foot, the app's template."""
    fig.update_layout(template="riverboard", title=dict(text=title), height=height)
    fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, yshift=-60, showarrow=False,
                       xanchor="left", yanchor="top", font=dict(size=12, color="#5F6368"))
    return fig


def show(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key)


def lights_by_unit(by_unit: pd.DataFrame, title: str, source: str, top: int = 15) -> go.Figure:
    """Stacked horizontal bars of red / yellow / green per responsible unit, worst at the top."""
    data = by_unit[(by_unit["red"] + by_unit["yellow"]) > 0].head(top).iloc[::-1]
    fig = go.Figure()
    for light in LIGHTS:
        fig.add_bar(y=data["unit_name"], x=data[light], orientation="h", name=LIGHT_NAMES[light],
                    marker_color=LIGHT_COLOURS[light], text=data[light].where(data[light] > 0),
                    textposition="inside", insidetextanchor="middle",
                    hovertemplate="%{y}：%{x}项" + f"{LIGHT_NAMES[light]}<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_title=S.CHART_UNITS_AXIS, bargap=0.25)
    fig.update_yaxes(showgrid=False)
    return finish(fig, title, source, height=140 + 34 * max(len(data), 3))


def lights_by_list(by_list: pd.DataFrame, source: str) -> go.Figure:
    data = by_list.assign(name=by_list["list"].map(LIST_NAMES)).iloc[::-1]
    fig = go.Figure()
    for light in LIGHTS:
        fig.add_bar(y=data["name"], x=data[light], orientation="h", name=LIGHT_NAMES[light],
                    marker_color=LIGHT_COLOURS[light], text=data[light].where(data[light] > 0),
                    textposition="inside", hovertemplate="%{y}：%{x}项" + f"{LIGHT_NAMES[light]}<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_title=S.CHART_UNITS_AXIS, showlegend=False)
    fig.update_yaxes(showgrid=False)
    return finish(fig, S.CHART_BY_LIST_TITLE, source, height=300)
