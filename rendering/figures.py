"""One chart theme for the whole app, and the chart builders (Plotly, no Streamlit): pages draw them through
ui/charts.py, the briefing pack (exports/pack.py) puts them on slides."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from riverchief import water_rules
from riverchief.lights import LIGHT_COLOURS, LIGHT_NAMES, LIGHTS
from riverchief.schema import LIST_NAMES

FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
GRID = "#E6E8EB"
TEXT = "#202124"
ACCENT = "#1A5FB4"  # the one calm accent colour for everything that is neither a light nor a class

pio.templates["riverboard"] = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=15, color=TEXT),
    title=dict(font=dict(size=20), x=0, xanchor="left", pad=dict(l=12)),  # never against the edge
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


def wrapped_title(fig: go.Figure, chars: int = 16) -> go.Figure:
    """A copy for a narrow screen: the title broken into lines of `chars` characters (Plotly never wraps it),
    the top margin grown to hold them."""
    text = fig.layout.title.text or ""
    lines = [text[i:i + chars] for i in range(0, len(text), chars)] or [""]
    narrow = go.Figure(fig)
    narrow.update_layout(title=dict(text="<br>".join(lines)), margin=dict(t=50 + 26 * len(lines)), height=(fig.layout.height or 400) + 26 * (len(lines) - 1))
    return narrow


def lights_by_unit(by_unit: pd.DataFrame, title: str, source: str, top: int = 15) -> go.Figure:
    """Stacked horizontal bars of red / yellow / green per responsible unit, worst at the top."""
    data = by_unit[(by_unit["red"] + by_unit["yellow"]) > 0].head(top).iloc[::-1]
    fig = go.Figure()
    for light in LIGHTS:
        fig.add_bar(y=data["unit_name"], x=data[light], orientation="h", name=LIGHT_NAMES[light],
                    marker_color=LIGHT_COLOURS[light], text=data[light].where(data[light] > 0),
                    textposition="inside", insidetextanchor="middle",
                    hovertemplate="%{y}：%{x}项" + f"{LIGHT_NAMES[light]}<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_title="事项数（项）", bargap=0.25)
    fig.update_yaxes(showgrid=False)
    return finish(fig, title, source, height=140 + 34 * max(len(data), 3))


def lights_by_list(by_list: pd.DataFrame, source: str) -> go.Figure:
    data = by_list.assign(name=by_list["list"].map(LIST_NAMES)).iloc[::-1]
    fig = go.Figure()
    for light in LIGHTS:
        fig.add_bar(y=data["name"], x=data[light], orientation="h", name=LIGHT_NAMES[light],
                    marker_color=LIGHT_COLOURS[light], text=data[light].where(data[light] > 0),
                    textposition="inside", hovertemplate="%{y}：%{x}项" + f"{LIGHT_NAMES[light]}<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_title="事项数（项）", showlegend=False)
    fig.update_yaxes(showgrid=False)
    return finish(fig, "三张清单亮灯情况", source, height=300)


def class_bands(fig: go.Figure, factor: str, water_body: str, y_max: float) -> None:
    """Shade each class range behind a concentration line and label it (Ⅱ Ⅲ Ⅳ …) at the right edge.
    The shapes and labels are added at once (plotly's add_hrect re-validates every shape on each call)."""
    limits = water_rules.limits(factor, water_body)
    lower, shapes, labels = 0.0, [], []
    for cls in range(1, 7):
        upper = min(limits[cls - 1] if cls <= 5 else y_max, y_max)
        if upper > lower:
            shapes.append(dict(type="rect", xref="x domain", x0=0, x1=1, yref="y", y0=lower, y1=upper,
                               fillcolor=water_rules.CLASS_COLOURS[cls], opacity=0.10, line_width=0, layer="below"))
            labels.append(dict(x=1.0, xref="x domain", y=(lower + upper) / 2, yref="y", showarrow=False,
                               text=water_rules.CLASS_NAMES[cls].removesuffix("类"), xanchor="left",
                               font=dict(size=12, color=water_rules.CLASS_COLOURS[cls])))
        lower = max(lower, upper)
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *labels])


def concentration_trend(trend: pd.DataFrame, factor: str, water_body: str, title: str, source: str) -> go.Figure:
    """Monthly means with the annual mean as a step, over the class bands of the factor."""
    name = water_rules.FACTOR_NAMES[factor]
    y_max = float(np.nanmax(trend[factor])) * 1.15 if len(trend) else 1.0
    fig = go.Figure()
    class_bands(fig, factor, water_body, y_max)
    fig.add_scatter(x=trend["month"], y=trend[factor], mode="lines+markers", name=f"{name}月均值",
                    line=dict(color=ACCENT, width=2), marker=dict(size=5),
                    hovertemplate="%{x|%Y年%-m月}：%{y:.3f} mg/L<extra></extra>")
    fig.add_scatter(x=trend["month"], y=trend[f"{factor}_year"], mode="lines", name=f"{name}年均值",
                    line=dict(color=TEXT, width=2, dash="dash", shape="hv"),
                    hovertemplate="%{x|%Y年}年均值：%{y:.3f} mg/L<extra></extra>")
    fig.update_yaxes(title_text=f"{name}（mg/L）", range=[0, y_max], tickformat=".2f")
    fig.update_xaxes(tickformat="%Y年", dtick="M12", ticklabelmode="period")
    fig.update_layout(margin=dict(r=40))
    return finish(fig, title, source, height=420)


def attainment_lines(att: pd.DataFrame, title: str, source: str) -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(x=att["month"], y=att["met_share"], mode="lines+markers", name="达标率",
                    line=dict(color=ACCENT, width=2), hovertemplate="%{x|%Y年%-m月}：%{y:.1%}<extra></extra>")
    fig.add_scatter(x=att["month"], y=att["good_share"], mode="lines", name="Ⅰ–Ⅲ类比例",
                    line=dict(color="#5F6368", width=2, dash="dot"), hovertemplate="%{x|%Y年%-m月}：%{y:.1%}<extra></extra>")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    fig.update_xaxes(tickformat="%Y年", dtick="M12", ticklabelmode="period")
    return finish(fig, title, source, height=380)


def class_badge_style(value) -> str:
    """Cell style of a water-class name: a filled badge in the bulletin palette (never a dot)."""
    cls = next((k for k, v in water_rules.CLASS_NAMES.items() if v == value), None)
    if cls is None:
        return ""
    text = "#202124" if cls == 4 else "white"
    return f"background-color: {water_rules.CLASS_COLOURS[cls]}; color: {text}; font-weight: 600"


GREY_BAR = "#9AA0A6"


def bars(frame: pd.DataFrame, category: str, series: list[tuple[str, str, str]], title: str, source: str,
         horizontal: bool = False, stacked: bool = True, percent: bool = False, height: int | None = None) -> go.Figure:
    """Bars of one or more series (column, name, colour) per category, labelled with their values."""
    fig = go.Figure()
    fmt = "%{x:.1%}" if percent and horizontal else "%{y:.1%}" if percent else None
    for column, name, colour in series:
        values = frame[column]
        kwargs = dict(x=values, y=frame[category], orientation="h") if horizontal else dict(x=frame[category], y=values)
        fig.add_bar(name=name, marker_color=colour, text=values, texttemplate=fmt or "%{text:,.0f}",
                    textposition="inside" if stacked else "outside", **kwargs)
    fig.update_layout(barmode="stack" if stacked else "group", showlegend=len(series) > 1)
    axis = fig.update_xaxes if horizontal else fig.update_yaxes
    axis(tickformat=".0%" if percent else ",.0f")
    if horizontal:
        fig.update_yaxes(autorange="reversed", showgrid=False)
    return finish(fig, title, source, height=height or (140 + 30 * max(len(frame), 4) if horizontal else 380))


def lines(frame: pd.DataFrame, x: str, series: list[tuple[str, str, str, str]], title: str, source: str,
          percent: bool = False) -> go.Figure:
    """Lines (column, name, colour, dash) over x, e.g. planned and actual progress (an S-curve)."""
    fig = go.Figure()
    for column, name, colour, dash in series:
        fig.add_scatter(x=frame[x], y=frame[column], mode="lines+markers", name=name,
                        line=dict(color=colour, width=3, dash=dash))
    if percent:
        fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    fig.update_xaxes(tickformat="%Y年%-m月")
    return finish(fig, title, source, height=380)
