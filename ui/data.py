"""Cached access to the domain package: one connection per data version, results keyed by version."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from riverchief import outlook, versions
from riverchief.board import Board, Filters, load_board
from riverchief.assessment import load_inputs, score_units
from riverchief.assessment_rules import LoadedRules, Rules, load_rules, rules_stamp
from riverchief.dates import month_end
from riverchief.db import Database
from riverchief.geo import MapData, load_map
from riverchief.notice import Changes, Notice, build_notice, load_changes
from riverchief.rectification import Progress, load_progress
from riverchief.water_report import WaterView, load_water


@st.cache_resource(show_spinner=False)
def recover_once(root: str) -> list[str]:
    """Stale temp folders removed and a stopped publish rolled forward, once per server and data folder."""
    done = versions.recover(root)
    if done:
        logging.getLogger("riverboard").warning("data folder %s recovered: %s", root, "; ".join(done))
    return done


def current_version() -> versions.Version:
    """The version named in CURRENT, read on every run so a new publish is served at once."""
    return versions.current_version()


@st.cache_resource(show_spinner=False, max_entries=4)
def _rules(root: str, stamp: str) -> LoadedRules:
    return load_rules(Path(root))


def rules(root: str) -> LoadedRules:
    """The assessment rules, read (and remembered as the last good ones) once per change of the rules file,
    not on every run of the score page: the file's stamp is the cache key."""
    return _rules(root, rules_stamp(Path(root)))


@st.cache_resource(show_spinner=False, max_entries=4)
def _database(root: str, version_id: str) -> Database:
    return Database(versions.read_version(root, version_id))


def database(version: versions.Version) -> Database:
    return _database(str(version.root), version.id)


@st.cache_data(show_spinner=False, max_entries=512)
def board(root: str, version_id: str, notice: dt.date, filters: Filters) -> Board:
    return load_board(_database(root, version_id), notice, filters)


@st.cache_data(show_spinner=False, max_entries=8)
def filter_options(root: str, version_id: str) -> pd.DataFrame:
    return _database(root, version_id).query("filter_options")


@st.cache_data(show_spinner=False, max_entries=8)
def reading_months(root: str, version_id: str) -> list[dt.date]:
    """The months with readings, as month ends (the date a month is chosen by, like a notice)."""
    months = _database(root, version_id).query("reading_months")["month"]
    return [month_end(m.year, m.month) for m in pd.to_datetime(months)]


@st.cache_data(show_spinner=False, max_entries=256)
def water(root: str, version_id: str, notice: dt.date, township: str | None, river: str | None,
          share_min_sections: int) -> WaterView:
    """The month's water; rivers with at least `share_min_sections` sections (the rules') judged by shares."""
    return load_water(_database(root, version_id), notice, township, river, share_min_sections)


@st.cache_data(show_spinner=False, max_entries=64)
def water_outlook(root: str, version_id: str, notice: dt.date, township: str | None, river: str | None,
                  share_min_sections: int) -> pd.DataFrame:
    """达标形势: what the rest of the year must average, for the district and every section and factor (from the
    water view the page has, hence its rules' value)."""
    view = water(root, version_id, notice, township, river, share_min_sections)
    return outlook.water_outlook(outlook.with_scope(view.series, view.scope, river=bool(river)), notice.year,
                                 notice.month)


@st.cache_data(show_spinner=False, max_entries=64)
def map_data(root: str, version_id: str, notice: dt.date) -> MapData:
    return load_map(_database(root, version_id), notice)


@st.cache_data(show_spinner=False, max_entries=32)
def map_view(root: str, version_id: str, notice: dt.date, colour_by: str, tiles, focus: tuple, unit: str | None):
    """The river map rendered for the component, once per map: the data (a unit's view keeps only its own
    problems), the folium map and its HTML and script."""
    from ui import leaflet_map

    return leaflet_map.render(leaflet_map.build_map(map_for(root, version_id, notice, unit), colour_by, tiles, dict(focus)))


def map_for(root: str, version_id: str, notice: dt.date, unit: str | None) -> MapData:
    """The map's data as `unit` may see it: a unit's account sees only its own problems (None: all of them)."""
    geo = map_data(root, version_id, notice)
    if unit is None:
        return geo
    return dataclasses.replace(geo, problems=geo.problems[geo.problems["unit_id"] == unit])


@st.cache_data(show_spinner=False, max_entries=256)
def changes(root: str, version_id: str, notice: dt.date, filters: Filters) -> Changes:
    return load_changes(_database(root, version_id), notice, filters)


@st.cache_data(show_spinner=False, max_entries=64)
def notice(root: str, version_id: str, notice: dt.date, filters: Filters, scope: str) -> Notice:
    version = versions.read_version(root, version_id)
    return build_notice(_database(root, version_id), notice, filters, scope, version.manifest.get("district", ""),
                        board=board(root, version_id, notice, filters), changes=changes(root, version_id, notice, filters))


@st.cache_data(show_spinner=False, max_entries=256)
def query(root: str, version_id: str, name: str, **params) -> pd.DataFrame:
    """Any riverchief/sql query, cached by data version and parameters."""
    return _database(root, version_id).query(name, **params)


@st.cache_data(show_spinner=False, max_entries=64)
def assessment(root: str, version_id: str, notice: dt.date, rules: Rules) -> pd.DataFrame:
    return score_units(load_inputs(_database(root, version_id), notice), rules)


@st.cache_resource(show_spinner=False, max_entries=32)
def progress(root: str, version_id: str, notice: dt.date, filters: Filters) -> Progress:
    """Shared between sessions, not copied on each rerun (a province's year of task rows took a seventh of
    the page's rerun to unpickle): the page and riverchief.rectification only read it, never change it."""
    return load_progress(_database(root, version_id), notice, filters)


@st.cache_resource(show_spinner=False, max_entries=2)  # ~200 MB each in a province; kept only to word a month
def _trajectory(root: str, version_id: str, filters: Filters) -> pd.DataFrame:
    """Every item on every notice under the filters (shared, never changed: the rule works on copies)."""
    version = versions.read_version(Path(root), version_id)
    return outlook.numbered(_database(root, version_id).query_large("item_trajectory", notice=max(version.notices),
                                                                    **filters.params()))


@st.cache_data(show_spinner=False, max_entries=16)
def _replay_pairs(root: str, version_id: str, filters: Filters, tolerance: float, pace_notices: int) -> pd.DataFrame:
    return outlook.replay_pairs(_trajectory(root, version_id, filters), tolerance, pace_notices)


@st.cache_data(show_spinner=False, max_entries=64)
def warnings(root: str, version_id: str, notice: dt.date, filters: Filters, tolerance: float, pace_notices: int):
    """(the next notice's warnings, the warning's track record over every earlier notice) under the filters, each
    item's pace over its last `pace_notices` notices (the rules').
    The trajectory and the replay are computed once per version and filters, whichever month is chosen."""
    trajectory = _trajectory(root, version_id, filters)
    return (outlook.warnings(trajectory, notice, tolerance=tolerance, pace_notices=pace_notices),
            outlook.record_upto(_replay_pairs(root, version_id, filters, tolerance, pace_notices), notice))
