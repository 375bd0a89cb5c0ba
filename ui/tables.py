"""Every table on every page: shown with st.dataframe and downloadable as Excel — header styled,
widths set, lights and water classes as cell colours, the filters in force written above it. What a table is
exported under (page, scope, notice, data version) is passed in: a `Label`, made by frame.page for its page."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from exports.xlsx import table_xlsx
from riverchief.access import EXPORT
from ui import auth
from ui import strings as S

ROWS_SHOWN = 300  # a longer table is sent to the browser in its first rows; the Excel download has every row


@dataclass
class Label:
    """What one run of a page exports its tables under: the page's title, the selection's scope and notice, the
    data version. It numbers the page's tables in order, so their download keys are the same on every run."""
    page: str
    scope: str = ""
    notice: str = ""
    version: str = ""
    _count: itertools.count = field(default_factory=lambda: itertools.count(1), repr=False, compare=False)

    def next_table(self) -> int:
        return next(self._count)


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


def show_in(container, data, *, label: Label, title: str | None = None, **kwargs):
    """`container.dataframe(data, **kwargs)` plus an Excel download of every row, headed by `label` (the page's,
    from frame.page) and named `title` (else the page's table number). Beyond ROWS_SHOWN rows only the first are
    sent to the browser, and a line above the table says so; a table without rows is the words 暂无数据 (and
    None is returned: there is nothing to select)."""
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
    n = label.next_table()
    name = title or f"{label.page}_表{n}"
    line = S.TABLE_EXPORT_LINE.format(title=name, scope=label.scope, version=label.version, notice=label.notice)
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", name)

    def workbook() -> bytes:  # widths and formats worked out only when someone downloads (not on every run)
        columns, percent = export_columns(frame, kwargs.get("column_config"), kwargs.get("column_order"))
        return table_xlsx(frame, columns, line, name, percent)

    container.download_button("下载表格（Excel）", workbook,
                              file_name=f"{stem}.xlsx", key=f"xlsx_{n}", on_click="ignore", type="tertiary",
                              icon=":material/download:",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return result


def show(data, *, label: Label, **kwargs):
    return show_in(st, data, label=label, **kwargs)
