"""Accounts, sessions, lockout, roles and the audit log — each test on SQLite and on PostgreSQL."""
import datetime as dt

import pytest
from sqlalchemy import update

from riverchief import access, clock
from riverchief.access import Forbidden, Principal
from riverchief.board import Filters
from riverchief.office import accounts, audit, database
from riverchief.office.accounts import AccountError
from riverchief.office.models import LoginSession
from tiny import tiny_tables

OFFICE = Principal("hzb", "区河长办", access.OFFICE)
ANALYST = Principal("fx", "分析员", access.ANALYST)


def test_an_account_starts_with_a_one_time_password_that_must_be_changed(office_db):
    pw = accounts.create(OFFICE, "shuiwu", "区水务局", access.UNIT, "D1", units={"D1", "T1"})
    assert pw and len(pw) >= 12
    who, must_change = accounts.authenticate("shuiwu", pw)
    assert (who.role, who.unit_id, must_change) == (access.UNIT, "D1", True)
    # the one-time password opens no session: no login recorded, no last login yet
    assert not (audit.log()["action"] == "login").any()
    assert [u["last_login"] for u in accounts.users() if u["username"] == "shuiwu"] == [None]
    with pytest.raises(AccountError, match="至少"):
        accounts.change_password("shuiwu", pw, "short1")
    with pytest.raises(AccountError, match="字母和数字"):
        accounts.change_password("shuiwu", pw, "onlyletterslong")
    with pytest.raises(AccountError, match="原密码"):
        accounts.change_password("shuiwu", "wrong", "Good-pass-2024")
    accounts.change_password("shuiwu", pw, "Good-pass-2024")
    assert accounts.authenticate("shuiwu", "Good-pass-2024")[1] is False
    assert (audit.log()["action"] == "login").sum() == 1
    with pytest.raises(AccountError):
        accounts.authenticate("shuiwu", pw)  # the one-time password is gone


def test_no_account_and_no_default_password_exist_at_start(office_db):
    assert not accounts.any_account()
    for name, pw in [("admin", "admin"), ("admin", ""), ("root", "123456")]:
        with pytest.raises(AccountError, match="账号或密码不正确"):
            accounts.authenticate(name, pw)


def test_the_password_is_stored_as_an_argon2_hash(office_db):
    pw = accounts.create("命令行", "fx", "分析员", access.ANALYST)
    from sqlalchemy import select

    from riverchief.office.models import User

    with database.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "fx"))
    assert stored.startswith("$argon2id$") and pw not in stored


def test_five_failures_lock_the_account_and_are_logged(office_db):
    pw = accounts.create("命令行", "fx", "分析员", access.ANALYST)
    for _ in range(accounts.MAX_FAILED - 1):
        with pytest.raises(AccountError, match="不正确"):
            accounts.authenticate("fx", "guess")
    with pytest.raises(AccountError, match="锁定"):
        accounts.authenticate("fx", "guess")
    with pytest.raises(AccountError, match="锁定"):
        accounts.authenticate("fx", pw)  # even the right password, while locked
    log = audit.log(actor="fx")
    assert (log["action"] == "login_failed").sum() == accounts.MAX_FAILED + 1
    assert (log["action"] == "locked").sum() == 1
    accounts.update(OFFICE, "fx", unlock=True)
    assert accounts.authenticate("fx", pw)[0].role == access.ANALYST


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(office_db):
    pw = accounts.create("命令行", "fx", "分析员", access.ANALYST)
    who, _ = accounts.authenticate("fx", pw)
    token = accounts.start_session(who)
    assert accounts.resume(token) == who
    accounts.update(OFFICE, "fx", disabled=True)
    assert accounts.resume(token) is None
    with pytest.raises(AccountError, match="停用"):
        accounts.authenticate("fx", pw)
    with pytest.raises(AccountError) as wrong:  # without the password a disabled name says what any name says
        accounts.authenticate("fx", "not-the-password-1")
    with pytest.raises(AccountError) as nobody:
        accounts.authenticate("nobody-here", "not-the-password-1")
    assert str(wrong.value) == str(nobody.value) == "账号或密码不正确"


def test_a_session_ends_after_the_idle_time(office_db):
    pw = accounts.create("命令行", "fx", "分析员", access.ANALYST)
    token = accounts.start_session(accounts.authenticate("fx", pw)[0])
    assert accounts.resume(token, idle=30) is not None
    with database.session() as s:  # half an hour and a minute later
        s.execute(update(LoginSession).values(last_seen=clock.now() - dt.timedelta(minutes=31)))
    assert accounts.resume(token, idle=30) is None
    assert accounts.resume(token, idle=30) is None  # and it is gone, not only refused
    assert accounts.resume("made-up-token") is None and accounts.resume(None) is None


def test_only_the_office_manages_accounts(office_db):
    with pytest.raises(Forbidden, match="无权管理账号"):
        accounts.create(ANALYST, "x1", "x", access.LEADER)
    with pytest.raises(Forbidden):
        accounts.reset_password(ANALYST, "hzb")
    with pytest.raises(AccountError, match="不能停用自己"):
        accounts.update(OFFICE, "hzb", disabled=True)
    with pytest.raises(AccountError, match="须指定所属单位"):
        accounts.create(OFFICE, "u1", "单位", access.UNIT)
    with pytest.raises(AccountError, match="不在本区单位名录"):
        accounts.create(OFFICE, "u1", "单位", access.UNIT, "Z9", units={"T1"})
    with pytest.raises(AccountError, match="角色"):
        accounts.create(OFFICE, "u1", "单位", "admin")


def test_reset_gives_a_new_one_time_password_and_ends_sessions(office_db):
    pw = accounts.create("命令行", "fx", "分析员", access.ANALYST)
    token = accounts.start_session(accounts.authenticate("fx", pw)[0])
    new = accounts.reset_password(OFFICE, "fx")
    assert accounts.resume(token) is None
    assert accounts.authenticate("fx", new)[1] is True


def test_single_sign_on_maps_users_and_groups_to_roles(office_db):
    mapping = {"users": {"li@hz.gov.cn": "office", "wang@hz.gov.cn": "unit:T1", "bad@hz.gov.cn": "unit"},
               "groups": {"河长办分析组": "analyst"}}
    assert accounts.sso_principal({"email": "li@hz.gov.cn"}, mapping).role == access.OFFICE
    unit = accounts.sso_principal({"email": "wang@hz.gov.cn", "name": "王"}, mapping)
    assert (unit.role, unit.unit_id, unit.name, unit.via) == (access.UNIT, "T1", "王", "sso")
    assert accounts.sso_principal({"email": "zhao@hz.gov.cn", "groups": ["河长办分析组"]}, mapping).role == access.ANALYST
    assert accounts.sso_principal({"email": "nobody@x"}, mapping) is None
    assert accounts.sso_principal({"email": "bad@hz.gov.cn"}, mapping) is None  # a unit role without its unit
    assert accounts.sso_principal({}, mapping) is None
    accounts.create(OFFICE, "zhao@hz.gov.cn", "赵", access.LEADER, sso_only=True)  # an account wins over groups
    assert accounts.sso_principal({"email": "zhao@hz.gov.cn", "groups": ["河长办分析组"]}, mapping).role == access.LEADER
    with pytest.raises(AccountError):
        accounts.authenticate("zhao@hz.gov.cn", "")  # no password for an SSO-only account


def test_the_audit_log_filters_by_who_what_and_when(office_db):
    accounts.create(OFFICE, "fx", "分析员", access.ANALYST)
    accounts.reset_password(OFFICE, "fx")
    log = audit.log()
    assert list(log["action"]) == ["account", "account"] and set(log["actor"]) == {"hzb"}
    assert audit.log(actor="nobody").empty and audit.log(action="rollback").empty
    today = clock.today()  # the office's date, as the log keeps it
    assert len(audit.log(since=today, until=today)) == 2
    assert audit.log(since=today + dt.timedelta(days=1)).empty
    assert len(audit.log(actor="hzb' OR '1'='1")) == 0  # bound, never formatted in


# --- roles, pure ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role,action,allowed", [
    (access.LEADER, access.MEETING, True), (access.LEADER, access.EXPORT, False),
    (access.LEADER, access.IMPORT, False), (access.ANALYST, access.EXPORT, True),
    (access.ANALYST, access.ROLLBACK, False), (access.ANALYST, access.OVERRIDE, False),
    (access.ANALYST, access.RULES, False), (access.OFFICE, access.IMPORT, True),
    (access.OFFICE, access.ROUNDS, True), (access.OFFICE, access.REPORT, False),
    (access.UNIT, access.REPORT, True), (access.UNIT, access.VIEW_ALL, False),
    (access.UNIT, access.ROUNDS, False), (access.GUEST, access.EXPORT, True),
    (access.GUEST, access.IMPORT, False), (access.GUEST, access.ACCOUNTS, False),
])
def test_role_action_matrix(role, action, allowed):
    who = Principal("u", "某人", role, "T1" if role == access.UNIT else None)
    assert access.can(who, action) is allowed
    if not allowed:
        with pytest.raises(Forbidden):
            access.require(who, action)


def test_nobody_may_do_anything():
    assert not any(access.can(None, a) for a in access.ACTIONS)
    with pytest.raises(Forbidden, match="请先登录"):
        access.require(None, access.EXPORT)


def test_a_link_cannot_widen_what_a_unit_sees():
    unit = Principal("u", "甲镇", access.UNIT, "T1")
    assert access.scoped(unit, Filters(unit="D1", river="R1")) == Filters(unit="T1", river="R1")
    assert access.scoped(unit, Filters()) == Filters(unit="T1")
    assert access.scoped(ANALYST, Filters(unit="D1")) == Filters(unit="D1")
    assert access.may_see_unit(unit, ["D1", "T1"]) and not access.may_see_unit(unit, ["D1", None])


def test_a_unit_principal_needs_its_unit_and_roles_are_known():
    with pytest.raises(ValueError):
        Principal("u", "x", access.UNIT)
    with pytest.raises(ValueError):
        Principal("u", "x", "superuser")


def test_the_office_store_and_the_data_folder_are_the_server_s_alone(tmp_path):
    """office.sqlite holds password and session hashes and the audit log: 0600, in a data folder of 0700."""
    import stat

    from riverchief import store
    from riverchief.office import database

    root = tmp_path / "data"
    root.mkdir(mode=0o755)
    store.publish(root, tiny_tables(), source="测试", created_by="tests")
    database.engine(database.default_url(root))
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "office.sqlite").stat().st_mode) == 0o600


def test_a_name_typed_at_the_login_that_is_no_account_is_not_kept_as_typed(tmp_path):
    """A password typed in the name field must not land in the audit log in clear."""
    from riverchief.office import accounts, audit, database

    url = database.default_url(tmp_path)
    with pytest.raises(accounts.AccountError):
        accounts.authenticate("Secret-Pass-123", "whatever", url=url)
    log = audit.log(url)
    assert not log.astype(str).apply(lambda c: c.str.contains("Secret-Pass-123")).any().any()
    assert log["actor"].iloc[-1].startswith("未知账号#") and log["actor"].iloc[-1].endswith("（15字）")


def test_the_account_command_refuses_an_unknown_unit_a_long_name_and_control_characters(tiny_dir, monkeypatch, capsys):
    from riverchief.office.__main__ import main

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    monkeypatch.delenv("RIVERBOARD_DB_URL", raising=False)
    assert main(["add", "u99", "--role", "unit", "--unit", "T99"]) == 2
    assert "单位“T99”不在本区单位名录中" in capsys.readouterr().err
    assert main(["add", "longname", "--role", "analyst", "--name", "长" * 101]) == 2
    err = capsys.readouterr().err
    assert "最长50个字符" in err and "argon2" not in err and "Traceback" not in err
    assert main(["add", "nul\x00name", "--role", "analyst"]) == 2
    assert main(["add", "jiazhen", "--role", "unit", "--unit", "T1"]) == 0  # a unit of the district: made
