"""The office's clock: every time the app makes, stores or compares is the district office's wall-clock time
(Asia/Shanghai unless RIVERBOARD_TIME_ZONE names another zone), whatever zone the server itself is kept in.

The office store's columns and the Parquet timestamps are naive, so `now()` is naive and means office time;
text meant to be read elsewhere (a manifest's created_at, commits.log lines) carries the offset (`stamp()`).
"""
from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

from riverchief import settings

ClockError = settings.SettingsError  # the time-zone setting names no zone the machine knows (said in Chinese)


@functools.cache
def zone() -> ZoneInfo:
    """The office's time zone (RIVERBOARD_TIME_ZONE, riverchief/settings.py), taken once."""
    return settings.current().time_zone


def _instant() -> dt.datetime:
    """The current instant, aware (the one place the server's clock is read; the tests freeze it here)."""
    return dt.datetime.now(dt.timezone.utc)


def instant() -> dt.datetime:
    """The current instant in the office's zone, aware, to the microsecond."""
    return _instant().astimezone(zone())


def now() -> dt.datetime:
    """The office's wall-clock time to the second, naive: as the office store and the snapshots keep times."""
    return instant().replace(microsecond=0, tzinfo=None)


def today() -> dt.date:
    """The office's date (on a server kept in UTC, 00:30 in Beijing is already tomorrow)."""
    return instant().date()


def stamp(at: dt.datetime | None = None) -> str:
    """ISO text with the office's offset, e.g. 2026-12-02T11:20:00+08:00: now, or `at` (an office time from now())."""
    local = instant() if at is None else at.replace(tzinfo=zone())
    return local.isoformat(timespec="seconds")
