"""Every table on every page: shown with st.dataframe and downloadable as Excel — header styled,
widths set, lights and water classes as cell colours, the filters in force written above it."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from exports.xlsx import table_xlsx
from riverchief.access import EXPORT
from ui import auth
from ui import strings as S

_COUNTER = "_tables_on_page"
ROWS_SHOWN = 300  # a longer table is sent to the browser in its first rows; the Excel download has every row


def start_page() -> None:
    """Called by app.py before each page runs: numbers the tables so their download keys are stable."""
    st.session_state[_COUNTER] = 0


def _label(name: str, config) -> str | None:
    if config is None:
        return name
    if isinstance(config, str):
        return config
    return config.get("label") or name


def export_columns(frame: pd.DataFrame, column_config: dict | None, column_order=None):
    """(column, header, width) for each shown column, and the columns formatted as percent."""
    config = column_config or {}
    names = list(column_order or frame.columns)
    columns, percent = [], []
    for name in names:
        if name not in frame.columns or (name in config and config[name] is None):
            continue
        label = _label(name, config.get(name))
        lengths = frame[name].map(lambda v: 0 if v is None or v is pd.NA or v != v else len(str(v)))
        width = min(max(len(label) * 2 + 2, int(lengths.quantile(0.9)) + 2 if len(frame) else 10), 60)
        columns.append((name, label, width))
        cfg = config.get(name)
        if isinstance(cfg, dict) and (cfg.get("type_config") or {}).get("format") == "percent":
            percent.append(name)
    return columns, tuple(percent)


def _head(data, n: int):
    """The first n rows, a Styler keeping its cell styles (styling every row of a province's table costs
    seconds on each rerun: pandas renders each cell's display value and style in Python)."""
    if isinstance(data, Styler):
        return data.data.head(n).style.use(data.export())
    return data.head(n)


def show_in(container, data, *, title: str | None = None, **kwargs):
    """`container.dataframe(data, **kwargs)` plus an Excel download of every row. Beyond ROWS_SHOWN rows
    only the first are sent to the browser, and a line above the table says so; a table without rows is the
    words 暂无数据 (and None is returned: there is nothing to select)."""
    frame = data.data if isinstance(data, Styler) else data
    if frame.empty:  # Streamlit would draw a header row over the English word "empty"
        container.caption("暂无数据")
        return None
    may_export = auth.may(EXPORT)
    if len(frame) > ROWS_SHOWN:
        container.caption((S.TABLE_FIRST_ROWS_EXCEL if may_export else S.TABLE_FIRST_ROWS).format(
            shown=ROWS_SHOWN, n=len(frame)))
        data = _head(data, ROWS_SHOWN)
    kwargs.setdefault("placeholder", S.TABLE_MISSING)  # Streamlit writes a missing value as the English "None"
    result = container.dataframe(data, **kwargs)
    if not may_export:
        return result
    n = st.session_state.get(_COUNTER, 0) + 1
    st.session_state[_COUNTER] = n
    sel, version = st.session_state.get("selection"), st.session_state.get("version")
    page_title = st.session_state.get("page_title", S.APP_TITLE)
    name = title or f"{page_title}_表{n}"
    line = S.TABLE_EXPORT_LINE.format(title=name, scope=sel.scope if sel else "", version=version.id if version else "",
                                      notice=sel.notice.isoformat() if sel else "")
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", name)

    def workbook() -> bytes:  # widths and formats worked out only when someone downloads (not on every run)
        columns, percent = export_columns(frame, kwargs.get("column_config"), kwargs.get("column_order"))
        return table_xlsx(frame, columns, line, name, percent)

    container.download_button("下载表格（Excel）", workbook,
                              file_name=f"{stem}.xlsx", key=f"xlsx_{n}", on_click="ignore", type="tertiary",
                              icon=":material/download:",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return result


def show(data, **kwargs):
    return show_in(st, data, **kwargs)
