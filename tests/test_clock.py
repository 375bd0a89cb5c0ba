"""The office's clock on a server kept in UTC: versions, the audit logs, light overrides and lateness in the
monthly round are all in the office's wall-clock time (Asia/Shanghai unless RIVERBOARD_TIME_ZONE says otherwise).
The expected times are worked by hand from the UTC instant, +8 hours (+6 for Urumqi)."""
import datetime as dt
import json
import os
import re
import time

import pytest

from riverchief import access, clock, publishing, versions
from riverchief.access import Principal
from riverchief.office import accounts, audit, rounds
from riverchief.reporting import Report
from tiny import N2, tiny_tables

OFFICE = Principal("hzb", "区河长办", access.OFFICE)
D1 = Principal("slj", "区水利局", access.UNIT, "D1")
DEADLINE = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def server_in_utc(monkeypatch):
    """The process's own zone is UTC (as many servers are kept), the office's zone is read afresh."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    monkeypatch.delenv("RIVERBOARD_TIME_ZONE", raising=False)
    clock.zone.cache_clear()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()
    clock.zone.cache_clear()


def freeze(monkeypatch, *utc):
    """The clock stopped at a UTC instant."""
    monkeypatch.setattr(clock, "_instant", lambda: dt.datetime(*utc, tzinfo=dt.timezone.utc))


def test_the_server_is_in_utc_and_the_office_in_beijing(monkeypatch):
    assert time.strftime("%z") == "+0000"
    freeze(monkeypatch, 2026, 6, 30, 16, 30, 5, 123456)
    assert clock.now() == dt.datetime(2026, 7, 1, 0, 30, 5)  # naive, to the second
    assert clock.today() == dt.date(2026, 7, 1)
    assert clock.stamp() == "2026-07-01T00:30:05+08:00"
    assert clock.stamp(dt.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05+08:00"


def _submit_at(monkeypatch, tiny_dir, utc) -> dict:
    """D1 reports all its open work at a UTC instant in the round for May 2026 (deadline 30 June)."""
    freeze(monkeypatch, 2026, 6, 1, 2, 0)
    rnd = rounds.open_round(OFFICE, tiny_dir, dt.date(2026, 5, 31), DEADLINE)
    work = rounds.work(tiny_dir, rnd, "D1")
    freeze(monkeypatch, *utc)
    rounds.save(D1, tiny_dir, rnd["id"], {(k, r): Report(progress=0.5) for k, r in zip(work["kind"], work["ref_id"])},
                submit=True)
    return rnd


@pytest.mark.parametrize("office_db", ["sqlite"], indirect=True)
@pytest.mark.parametrize("utc,beijing,late", [
    ((2026, 6, 30, 1, 0), dt.datetime(2026, 6, 30, 9, 0), False),  # 09:00 on the deadline day
    ((2026, 6, 30, 15, 59, 59), dt.datetime(2026, 6, 30, 23, 59, 59), False),  # the last second of it
    ((2026, 6, 30, 16, 0), dt.datetime(2026, 7, 1, 0, 0), True),  # midnight: the UTC date still says 30 June
    ((2026, 6, 30, 23, 30), dt.datetime(2026, 7, 1, 7, 30), True),  # the next morning, still 30 June in UTC
    ((2026, 7, 1, 15, 0), dt.datetime(2026, 7, 1, 23, 0), True),  # 23:00 the day after
])
def test_lateness_in_the_round_is_by_the_office_date(monkeypatch, tiny_dir, office_db, utc, beijing, late):
    rnd = _submit_at(monkeypatch, tiny_dir, utc)
    got = rounds.entries(rnd["id"], "D1")
    assert len(got) and (got["submitted_at"] == beijing).all()
    warned = rounds.review_table(tiny_dir, rnd)["warnings"]
    assert all(("逾期报送（报送截止2026-06-30）" in w) == late for w in warned)
    submitted = audit.log(office_db, action="submit")
    assert list(submitted["at"]) == [beijing]
    assert list(audit.log(office_db, since=beijing.date(), until=beijing.date(), action="submit")["at"]) == [beijing]


@pytest.mark.parametrize("office_db", ["sqlite"], indirect=True)
def test_an_account_is_created_at_office_time(monkeypatch, tmp_path, office_db):
    freeze(monkeypatch, 2026, 12, 1, 16, 30)
    accounts.create(OFFICE, "zhang", "张三", access.ANALYST)
    made = next(u for u in accounts.users(office_db) if u["username"] == "zhang")
    assert made["created_at"] == dt.datetime(2026, 12, 2, 0, 30)


@pytest.mark.parametrize("zone,vid,stamp", [
    (None, "20261202T003000-", "2026-12-02T00:30:00+08:00"),
    ("Asia/Urumqi", "20261201T223000-", "2026-12-01T22:30:00+06:00"),
])
def test_a_version_carries_the_office_time(monkeypatch, tmp_path, zone, vid, stamp):
    if zone:
        monkeypatch.setenv("RIVERBOARD_TIME_ZONE", zone)
    freeze(monkeypatch, 2026, 12, 1, 16, 30)
    version = publishing.publish(tmp_path, tiny_tables(), source="测试", created_by="tests")
    assert version.id.startswith(vid) and version.manifest["created_at"] == stamp
    line = json.loads((tmp_path / "commits.log").read_text(encoding="utf-8").splitlines()[-1])
    assert (line["at"], line["version"]) == (stamp, version.id)


def test_a_light_override_is_stamped_in_office_time(monkeypatch, tmp_path):
    publishing.publish(tmp_path, tiny_tables(), source="测试", created_by="tests")
    freeze(monkeypatch, 2026, 12, 1, 16, 30)
    version = publishing.override_light(tmp_path, "B", N2, "red", "现场核查未动工", "区河长办")
    items = versions.read_tables(version)["items"]
    at = items[(items["item_id"] == "B") & (items["notice_date"].astype(str) == N2.isoformat())]["override_at"]
    assert list(at) == [dt.datetime(2026, 12, 2, 0, 30)]


def test_the_zone_is_read_once(monkeypatch):
    freeze(monkeypatch, 2026, 12, 1, 16, 30)
    assert clock.now() == dt.datetime(2026, 12, 2, 0, 30)
    monkeypatch.setenv("RIVERBOARD_TIME_ZONE", "Asia/Urumqi")
    assert clock.now() == dt.datetime(2026, 12, 2, 0, 30)  # the setting is read at start, not per call


@pytest.mark.parametrize("name", ["Beijing", "Asia", "Asia/Beijing", "../etc/passwd"])
def test_an_unknown_zone_is_refused_in_chinese(monkeypatch, name):
    monkeypatch.setenv("RIVERBOARD_TIME_ZONE", name)
    with pytest.raises(clock.ClockError, match=re.escape(f"时区设置 RIVERBOARD_TIME_ZONE=“{name}” 无法识别（应形如 Asia/Shanghai）")):
        clock.now()


def test_an_import_on_new_years_morning_knows_the_new_year(monkeypatch):
    from loaders import convert

    freeze(monkeypatch, 2026, 12, 31, 16, 30)  # 00:30 on 1 January 2027 in Beijing
    assert convert.plausible(dt.datetime(2027, 1, 1, 0, 10), latest_years=0).year == 2027


def test_the_app_stops_at_start_on_an_unknown_zone(monkeypatch, tiny_dir):
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("RIVERBOARD_TIME_ZONE", "Asia/Beijing")
    clock.zone.cache_clear()  # as a server started with the setting (tiny_dir read the default)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and [e.value for e in at.error] == [
        "时区设置 RIVERBOARD_TIME_ZONE=“Asia/Beijing” 无法识别（应形如 Asia/Shanghai）"]
