"""The office store on a bad day (issue 25, findings 11 and 13): removed, locked, its PostgreSQL stopped, a NUL
byte in a name, the store failing between a round's version and its record. Each fault is a Chinese sentence
with an error id, never Streamlit's English crash box; pages that need no store keep working; the store is
used again by itself once it is back; a round is never published twice."""
import datetime as dt
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, PostgresServer, signed_in
from riverchief import access, clock, publishing, versions
from riverchief.access import Principal
from riverchief.office import accounts, audit, database, rounds
from riverchief.reporting import Report, ReportError

APP = str(ROOT / "app.py")
PASSWORD = "river2026abc"
OFFICE = Principal("hzb", "区河长办", access.OFFICE)
JULY = dt.date(2023, 7, 31)


def _account(url: str, name: str = "hzb") -> None:
    first = accounts.create("tests", name, "区河长办", access.OFFICE, url=url)
    accounts.change_password(name, first, PASSWORD, url=url)


def _is_unavailable(exc: Exception) -> None:
    assert "账号与报送库暂时无法使用（错误编号 " in str(exc) and len(exc.error_id) == 8


def _login_page_says_store_is_down(monkeypatch, root) -> AppTest:
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(root))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["session_token"] = "a cookie from yesterday"  # the store must be asked who it is
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["河长看板 · 登录"]
    assert any("账号与报送库暂时无法使用（错误编号" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.metric and not at.dataframe
    return at


def test_a_removed_store_is_said_and_used_again_once_put_back(monkeypatch, tiny_dir):
    url = database.default_url(tiny_dir)
    _account(url)
    assert accounts.authenticate("hzb", PASSWORD, url=url)[0].username == "hzb"
    path = tiny_dir / "office.sqlite"
    aside = tiny_dir.parent / "office.sqlite.aside"
    path.rename(aside)
    with pytest.raises(database.Unavailable) as exc:
        accounts.authenticate("hzb", PASSWORD, url=url)
    _is_unavailable(exc.value)
    assert not path.exists()  # not made again empty behind the office's back
    _login_page_says_store_is_down(monkeypatch, tiny_dir)
    aside.rename(path)  # put back: no restart
    assert accounts.authenticate("hzb", PASSWORD, url=url)[0].username == "hzb"


def test_a_store_replaced_by_a_backup_is_read_not_the_old_file(tiny_dir):
    url = database.default_url(tiny_dir)
    _account(url)
    path = tiny_dir / "office.sqlite"
    backup = path.read_bytes()
    _account(url, "later")  # made after the backup
    path.unlink()
    path.write_bytes(backup)
    assert [u["username"] for u in accounts.users(url)] == ["hzb"]


def test_a_store_that_is_no_database_is_said_then_used_again(tiny_dir):
    url = database.default_url(tiny_dir)
    _account(url)
    path = tiny_dir / "office.sqlite"
    good = path.read_bytes()
    path.unlink()
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(database.Unavailable):
        accounts.authenticate("hzb", PASSWORD, url=url)
    path.unlink()
    path.write_bytes(good)
    assert accounts.authenticate("hzb", PASSWORD, url=url)[0].username == "hzb"


def test_a_store_locked_past_the_wait_is_said_then_used_again(monkeypatch, tiny_dir):
    url = database.default_url(tiny_dir)
    _account(url)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    database.forget(url)
    holder = sqlite3.connect(tiny_dir / "office.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(database.Unavailable) as exc:
            accounts.authenticate("hzb", PASSWORD, url=url)
        _is_unavailable(exc.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert accounts.authenticate("hzb", PASSWORD, url=url)[0].username == "hzb"


@pytest.fixture
def stoppable_postgres(monkeypatch):
    server = PostgresServer()
    url = f"{server.url}/postgres"
    monkeypatch.setenv("RIVERBOARD_DB_URL", url)
    try:
        yield server, url
    finally:
        database.forget(url)
        server.remove()


def test_postgresql_stopped_then_started_again(monkeypatch, tiny_dir, stoppable_postgres):
    server, url = stoppable_postgres
    _account(url)
    assert accounts.authenticate("hzb", PASSWORD)[0].username == "hzb"
    server.stop()
    with pytest.raises(database.Unavailable) as exc:
        accounts.authenticate("hzb", PASSWORD)
    _is_unavailable(exc.value)
    _login_page_says_store_is_down(monkeypatch, tiny_dir)
    server.start()
    at = AppTest.from_file(APP, default_timeout=60).run()  # signed in through the login page: a session token
    at.text_input[0].set_value("hzb")
    at.text_input[1].set_value(PASSWORD)
    at.button[0].click().run()
    at.run()
    assert at.session_state["session_token"] and at.metric
    server.stop()
    # a page that needs no store keeps working for who is signed in; one that needs it says so in Chinese
    at.run()
    assert not at.exception and at.metric and at.get("plotly_chart"), [e.value for e in at.error]
    at.switch_page("app_pages/accounts.py").run()
    assert not at.exception and any("错误编号" in e.value for e in at.error), [e.value for e in at.error]
    server.start()  # back: no restart of the app
    assert accounts.authenticate("hzb", PASSWORD)[0].username == "hzb"


def test_a_guest_opens_the_demo_with_the_store_down(monkeypatch, demo_dir, tmp_path):
    from ui import auth

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("RIVERBOARD_DB_URL", f"sqlite:///{tmp_path}/no-such-folder/office.sqlite")
    monkeypatch.setattr(auth, "is_local", lambda: True)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["session_token"] = "a cookie from yesterday"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric and at.get("plotly_chart")


def test_a_nul_byte_in_a_name_is_a_wrong_login_not_a_crash(office_db):
    _account(office_db)
    for typed in ("hzb\x00", "\x00", "h\x00zb' OR 1=1 --"):
        with pytest.raises(accounts.AccountError, match="账号或密码不正确"):
            accounts.authenticate(typed, PASSWORD)
    with pytest.raises(accounts.AccountError):
        accounts.create("tests", "x\x00y", "某某", access.OFFICE)
    names = audit.log()["actor"].tolist()
    assert all("\x00" not in n for n in names)


def test_a_round_whose_record_fails_after_its_version_is_recorded_not_published_twice(tiny_dir, office_db,
                                                                                      monkeypatch):
    """The interleaving forced: the version is written, then the office store stops before the round is marked
    published. The page said 数据未受影响 and 发布 again published a duplicate; now it says the notice is out,
    and the next look (or 发布 again) records the round as published by that version, once."""
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2027, 8, 5))
    versions_before = len(versions.list_versions(tiny_dir))
    real_publish, real_engine = publishing.publish, database.engine
    dead = ("sqlite:////no-such-folder/office.sqlite" if office_db.startswith("sqlite")
            else "postgresql+psycopg://postgres@127.0.0.1:9/gone")

    def publish_then_the_store_stops(*args, **kwargs):
        new = real_publish(*args, **kwargs)
        monkeypatch.setattr(database, "engine", lambda url=None: real_engine(dead))
        return new

    monkeypatch.setattr(rounds.publishing, "publish", publish_then_the_store_stops)
    with pytest.raises(ReportError, match=r"2023年7月通报已发布为版本 .*错误编号 [0-9a-f]{8}.*请勿重复发布"):
        rounds.publish(OFFICE, tiny_dir, rnd["id"], versions.current_version(tiny_dir).id)
    monkeypatch.setattr(database, "engine", real_engine)  # the store is back
    assert rounds.open_round_now()["status"] == "publishing"
    with pytest.raises(ReportError, match="已发布"):  # 发布 pressed again
        rounds.publish(OFFICE, tiny_dir, rnd["id"], versions.current_version(tiny_dir).id)
    assert len(versions.list_versions(tiny_dir)) == versions_before + 1
    assert rounds.open_round_now() is None
    done = rounds.all_rounds()[0]
    assert done["status"] == "published" and done["published_version"] == versions.current_version(tiny_dir).id
    log = audit.log(action="round_publish")
    assert len(log) == 1 and "补记" in log["detail"].iloc[0]
    with pytest.raises(ReportError):
        rounds.save(Principal("slj", "区水利局", access.UNIT, "D1"), tiny_dir, rnd["id"],
                    {("item", "B"): Report(progress=0.5)})


def _stalled_publish(tiny_dir, rnd, monkeypatch):
    """A publish of the round that stops after its version is committed and before the round is recorded
    (the process killed there): the round stays 'publishing' with the attempt's version in the data folder."""
    real_publish = publishing.publish

    class Killed(BaseException):
        pass

    def publish_then_killed(*args, **kwargs):
        real_publish(*args, **kwargs)
        raise Killed

    monkeypatch.setattr(rounds.publishing, "publish", publish_then_killed)
    with pytest.raises(Killed):
        rounds.publish(OFFICE, tiny_dir, rnd["id"], versions.current_version(tiny_dir).id)
    monkeypatch.setattr(rounds.publishing, "publish", real_publish)


def test_a_publish_under_way_is_not_recorded_by_a_look_nor_started_twice(tiny_dir, office_db, monkeypatch):
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2027, 8, 5))
    _stalled_publish(tiny_dir, rnd, monkeypatch)
    assert rounds.open_round_now()["status"] == "publishing"
    assert rounds.reconcile(tiny_dir) == []  # a look at 月报送 leaves a publish of a minute ago alone
    assert rounds.open_round_now()["status"] == "publishing"
    later = clock.instant() + rounds.LIVE_PUBLISH + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "_instant", lambda: later)
    assert rounds.reconcile(tiny_dir) == [f"2023年7月月报送已发布为 {versions.current_version(tiny_dir).id}"]
    log = audit.log(action="round_publish")
    assert len(log) == 1 and log["actor"].iloc[0] == "hzb" and "补记" in log["detail"].iloc[0]


def test_a_second_publish_while_one_is_under_way_is_refused(tiny_dir, office_db, monkeypatch):
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2027, 8, 5))
    real_publish, said = publishing.publish, []

    def publish_with_another_office_pressing_too(*args, **kwargs):
        try:
            rounds.publish(Principal("hzb2", "区河长办2", access.OFFICE), tiny_dir, rnd["id"],
                           versions.current_version(tiny_dir).id)
        except ReportError as exc:
            said.append(str(exc))
        return real_publish(*args, **kwargs)

    monkeypatch.setattr(rounds.publishing, "publish", publish_with_another_office_pressing_too)
    new = rounds.publish(OFFICE, tiny_dir, rnd["id"], versions.current_version(tiny_dir).id)
    assert said == ["本轮月报送正由hzb发布中，请稍后刷新查看"]
    assert versions.current_version(tiny_dir).id == new.id and rounds.all_rounds()[0]["status"] == "published"
    assert len(audit.log(action="round_publish")) == 1


def test_a_version_of_another_attempt_is_never_taken_for_this_round(tiny_dir, office_db, monkeypatch):
    """A store restored from a backup gives ids again: a version that names the same round id but another
    attempt (or was never committed) is not adopted; the round is published afresh."""
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2027, 8, 5))
    base = versions.current_version(tiny_dir)
    old = publishing.publish(tiny_dir, versions.read_tables(base), source="旧库的月报送", created_by="tests",
                        extra={"round": {"id": rnd["id"], "notice": JULY.isoformat(), "attempt": "0123456789abcdef"}})
    new = rounds.publish(OFFICE, tiny_dir, rnd["id"], old.id)  # nothing to reconcile: it publishes its own
    assert new.id != old.id and rounds.all_rounds()[0]["published_version"] == new.id
