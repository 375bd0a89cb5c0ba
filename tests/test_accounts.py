"""Accounts, sessions, throttling, roles and the audit log — each test on SQLite and on PostgreSQL."""
import datetime as dt

import pytest
from sqlalchemy import update

from riverchief import access, clock
from riverchief.access import Forbidden, Principal
from riverchief.board import Filters
from riverchief.office import accounts, audit, database, throttle
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


@pytest.fixture
def frozen(monkeypatch):
    """The clock stands still until the test moves it (the waits are counted in seconds)."""
    at = [dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.timezone.utc)]
    monkeypatch.setattr(clock, "_instant", lambda: at[0])

    def later(seconds: float) -> None:
        at[0] += dt.timedelta(seconds=seconds)
    return later


@pytest.mark.parametrize("failures,free,wait", [(0, 3, 0), (3, 3, 0), (4, 3, 1), (5, 3, 2), (6, 3, 4), (13, 3, 512),
                                                (14, 3, 900), (10**6, 3, 900), (10, 10, 0), (11, 10, 1)])
def test_the_wait_doubles_after_the_free_failures_and_stops_at_fifteen_minutes(failures, free, wait):
    assert throttle.wait_after(failures, free) == wait


def test_failures_slow_the_address_they_come_from_never_lock_the_account(office_db, frozen):
    """Issue 25, finding 4: five wrong passwords locked the office account for anyone, again and again. Now an
    outsider's address waits longer and longer; the office, from its own address, signs in at once."""
    pw = accounts.create("命令行", "hzb", "区河长办", access.OFFICE)
    outsider, desk = "10.9.9.9", "10.1.2.3"
    for _ in range(throttle.FREE["pair"]):
        with pytest.raises(AccountError, match="^账号或密码不正确$"):
            accounts.authenticate("hzb", "guess", address=outsider)
    with pytest.raises(AccountError, match="^账号或密码不正确$"):
        accounts.authenticate("hzb", "guess", address=outsider)  # the 4th failure sets a wait of 1 s
    with pytest.raises(AccountError, match="^登录尝试过于频繁，请1秒后再试$"):
        accounts.authenticate("hzb", pw, address=outsider)  # even the right password waits
    assert accounts.authenticate("hzb", pw, address=desk)[0].username == "hzb"  # the office is not locked out
    waits = []
    for _ in range(12):  # the outsider goes on, each time when its wait is over
        frozen(900)
        with pytest.raises(AccountError):
            accounts.authenticate("hzb", "guess", address=outsider)
        with pytest.raises(AccountError, match="过于频繁") as refused:
            accounts.authenticate("hzb", "guess", address=outsider)
        waits.append(int(str(refused.value).split("请")[1].split("秒")[0]))
    assert waits[:5] == [2, 4, 8, 16, 32] and waits[-1] == 900  # growing, then capped at 15 minutes
    assert accounts.authenticate("hzb", pw, address=desk)[0].username == "hzb"
    assert [u["locked"] for u in accounts.users() if u["username"] == "hzb"] == [True]  # shown on 账号管理
    log = audit.log()
    assert (log["action"] == "login_failed").sum() == 16 and "来自 10.9.9.9" in log["detail"].iloc[0]
    assert not (log["action"] == "locked").any()
    accounts.update(OFFICE, "hzb", unlock=True)  # the office lifts the name's waits (账号管理 → 解锁)
    assert [u["locked"] for u in accounts.users() if u["username"] == "hzb"] == [False]
    with pytest.raises(AccountError, match="过于频繁"):  # the address's own wait stays until lifted too
        accounts.authenticate("hzb", pw, address=outsider)
    accounts.unlock_address(OFFICE, outsider)
    assert accounts.authenticate("hzb", pw, address=outsider)[0].username == "hzb"


def test_an_address_trying_many_names_waits_and_the_office_lifts_it(office_db, frozen):
    pw = accounts.create("命令行", "hzb", "区河长办", access.OFFICE)
    spray = "10.6.6.6"
    for i in range(throttle.FREE["addr"] + 1):
        with pytest.raises(AccountError, match="账号或密码不正确"):
            accounts.authenticate(f"name{i}", "guess", address=spray)
    with pytest.raises(AccountError, match="过于频繁"):
        accounts.authenticate("hzb", pw, address=spray)
    assert accounts.unlock_address(OFFICE, spray) >= 1
    assert accounts.authenticate("hzb", pw, address=spray)[0].username == "hzb"
    frozen(3600 + 1)  # an hour later old failures are forgotten: one more is free again
    for i in range(3):
        with pytest.raises(AccountError, match="账号或密码不正确"):
            accounts.authenticate(f"x{i}", "guess", address=spray)


def test_failures_at_the_same_moment_are_each_counted(office_db):
    """Tries from many sessions at once: each failure counts (an atomic upsert), none ends in an error."""
    from concurrent.futures import ThreadPoolExecutor

    accounts.create("命令行", "hzb", "区河长办", access.OFFICE)

    def one(i):
        try:
            accounts.authenticate("hzb", f"guess-{i}", address="10.7.7.7")
        except AccountError as exc:
            return str(exc)

    with ThreadPoolExecutor(6) as pool:
        said = list(pool.map(one, range(12)))
    assert all(s in ("账号或密码不正确",) or s.startswith("登录尝试过于频繁") for s in said), said
    from sqlalchemy import select

    from riverchief.office.models import Throttle
    with database.session() as s:
        counted = s.scalar(select(Throttle.failures).where(Throttle.key == "addr:10.7.7.7"))
    assert counted == said.count("账号或密码不正确")  # every failure that ran was counted, no more, no less


@pytest.mark.parametrize("a,b,same", [("2001:db8::1", "2001:db8::ffff:1", True), ("2001:db8::1", "2001:db8:0:1::1", False),
                                      ("::ffff:10.1.2.3", "10.1.2.3", True), ("10.1.2.3", "10.1.2.4", False),
                                      ("not an address", "unknown", True)])
def test_an_address_is_counted_as_one_machine_would_hold_it(a, b, same):
    assert (throttle.address_group(a) == throttle.address_group(b)) is same


def test_guessing_one_name_from_many_addresses_slows_but_not_the_office_s_own_desk(office_db, frozen):
    pw = accounts.create("命令行", "hzb", "区河长办", access.OFFICE)
    accounts.change_password("hzb", pw, "Desk-pass-2026")
    accounts.authenticate("hzb", "Desk-pass-2026", address="10.1.2.3")  # the office's own desk, known
    for i in range(throttle.FREE["name"] + 1):  # one failure from each of many addresses
        with pytest.raises(AccountError, match="账号或密码不正确"):
            accounts.authenticate("hzb", "guess", address=f"10.8.{i // 250}.{i % 250 + 1}")
    with pytest.raises(AccountError, match="过于频繁"):  # any new address now waits for that name
        accounts.authenticate("hzb", "Desk-pass-2026", address="10.9.9.1")
    assert accounts.authenticate("hzb", "Desk-pass-2026", address="10.1.2.3")[0].username == "hzb"
    frozen(throttle.MAX_WAIT["name"])  # the name's wait is short: at most a minute
    assert accounts.authenticate("hzb", "Desk-pass-2026", address="10.9.9.1")[0].username == "hzb"


def test_a_right_password_halves_its_address_s_count_and_a_pattern_lifts_nothing(office_db, frozen):
    pw = accounts.create("命令行", "hzb", "区河长办", access.OFFICE)
    for i in range(8):
        with pytest.raises(AccountError):
            accounts.authenticate(f"typo{i}", "x", address="10.3.3.3")
    accounts.authenticate("hzb", pw, address="10.3.3.3")
    for i in range(throttle.FREE["addr"] - 4):  # 8 // 2 = 4 left: six more are still free
        with pytest.raises(AccountError, match="账号或密码不正确"):
            accounts.authenticate(f"more{i}", "x", address="10.3.3.3")
    with pytest.raises(AccountError, match="账号或密码不正确"):
        accounts.authenticate("late", "x", address="10.3.3.3")
    with pytest.raises(AccountError, match="过于频繁"):
        accounts.authenticate("hzb", pw, address="10.3.3.3")
    assert accounts.unlock_address(OFFICE, "%") == 0 and accounts.unlock_address(OFFICE, "10.3.3._") == 0
    assert [w["address"] for w in accounts.waiting_addresses()] == ["10.3.3.3"]
    assert accounts.unlock_address(OFFICE, "10.3.3.3") >= 1 and accounts.waiting_addresses() == []


def test_a_name_that_exists_answers_as_one_that_does_not(office_db, frozen, monkeypatch):
    """Issue 25, finding 5: the same words, and the same work (one argon2 check), for an account, a disabled
    account, an SSO-only account and no account; the wait comes after the same number of tries for each."""
    accounts.create("命令行", "hzb", "区河长办", access.OFFICE)
    accounts.create("命令行", "old", "旧账号", access.OFFICE)
    accounts.update(OFFICE, "old", disabled=True)
    accounts.create("命令行", "sso", "统一认证", access.ANALYST, sso_only=True)
    checks = []
    real_verify = accounts._hasher.verify
    monkeypatch.setattr(accounts._hasher, "verify", lambda pw, h: checks.append(1) or real_verify(pw, h))
    answers = {}
    for name in ("hzb", "old", "sso", "nobody"):
        said = []
        for i in range(throttle.FREE["pair"] + 2):
            checks.clear()
            with pytest.raises(AccountError) as exc:
                accounts.authenticate(name, "wrong-password-1", address=f"10.0.0.{len(answers) + 1}")
            said.append((str(exc.value), len(checks)))
        answers[name] = said
    assert answers["hzb"] == answers["old"] == answers["sso"] == answers["nobody"]
    assert answers["nobody"][-1] == ("登录尝试过于频繁，请1秒后再试", 0)


def test_the_login_page_slows_down_repeated_failures(monkeypatch, tiny_dir, frozen):
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    accounts.create("命令行", "hzb", "区河长办", access.OFFICE, url=database.default_url(tiny_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    for _ in range(throttle.FREE["pair"] + 2):
        at.text_input[0].set_value("hzb")
        at.text_input[1].set_value("guess")
        at.button[0].click().run()
    assert not at.exception and [e.value for e in at.error][-1].startswith("登录尝试过于频繁")


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
    for claims, why in [({"email": "nobody@x", "groups": ["外单位"]}, "未在河长看板授权.*外单位"),
                        ({"email": "bad@hz.gov.cn"}, "映射有误：.*用户 bad@hz.gov.cn.*须写明单位编号"),  # a unit role without its unit
                        ({}, "没有给出用户名"), ({"email": "wang@hz.gov.cn"}, None)]:
        if why is None:  # a unit the district does not have: refused, not signed in to crash on every page
            with pytest.raises(AccountError, match="单位编号 T1 不在本区单位名录中"):
                accounts.sso_principal(claims, mapping, units={"T2"})
            continue
        with pytest.raises(AccountError, match=why):
            accounts.sso_principal(claims, mapping)
    refused = audit.log(action="login_failed")
    assert len(refused) == 4 and refused["detail"].str.startswith("统一身份认证：").all()  # in the audit log
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

    from riverchief import publishing
    from riverchief.office import database

    root = tmp_path / "data"
    root.mkdir(mode=0o755)
    publishing.publish(root, tiny_tables(), source="测试", created_by="tests")
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


def test_the_account_list_says_the_state_the_page_says(tiny_dir, monkeypatch, capsys):
    """`list` shows 待修改初始密码 for an account whose one-time password is not yet changed (it said 正常), and
    every subcommand has its help text."""
    from riverchief.office.__main__ import main

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    monkeypatch.delenv("RIVERBOARD_DB_URL", raising=False)
    assert main(["add", "fx", "--role", "analyst", "--name", "分析员"]) == 0
    assert main(["add", "old", "--role", "analyst"]) == 0 and main(["disable", "old"]) == 0
    capsys.readouterr()
    assert main(["list"]) == 0
    rows = {line.split("\t")[0]: line.split("\t")[-1] for line in capsys.readouterr().out.splitlines()}
    assert rows == {"fx": "待修改初始密码", "old": "已停用"}
    with pytest.raises(SystemExit):
        main(["--help"])
    said = capsys.readouterr().out
    assert all(word in said for word in ("重置密码", "停用账号", "恢复已停用的账号", "列出全部账号", "解除登录等待"))


def test_a_store_from_before_throttling_keeps_its_accounts_when_migrated(office_db):
    """Migration 0002 drops the lock columns (SQLite rebuilds the table): the accounts stay, and sign in."""
    import sqlalchemy as sa

    eng = sa.create_engine(office_db)
    database.migrate(eng, "0001")
    hashed = accounts._hasher.hash("Old-pass-2025")
    with eng.begin() as c:
        c.execute(sa.text("INSERT INTO users (username, name, role, password_hash, must_change, failed, locked_until, "
                          "disabled, created_at, row_version) VALUES ('hzb', '区河长办', 'office', :h, false, 4, "
                          ":until, false, :now, 1)"), dict(h=hashed, until=dt.datetime(2030, 1, 1), now=dt.datetime(2025, 1, 1)))
    database.migrate(eng, "head")
    eng.dispose()
    who, must_change = accounts.authenticate("hzb", "Old-pass-2025")  # the old lock is gone with its column
    assert who.role == access.OFFICE and must_change is False


def test_the_accounts_page_lists_and_lifts_an_address_s_wait(monkeypatch, tiny_dir, frozen):
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT, signed_in

    url = database.default_url(tiny_dir)
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    accounts.create("命令行", "hzb", "区河长办", access.OFFICE, url=url)
    for i in range(throttle.FREE["addr"] + 1):
        with pytest.raises(AccountError):
            accounts.authenticate(f"n{i}", "x", url=url, address="10.4.4.4")
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), access.OFFICE).run()
    at.switch_page("app_pages/accounts.py").run()
    assert not at.exception and "登录等待中的地址" in [h.value for h in at.subheader]
    [b for b in at.button if b.label == "解除该地址的登录等待"][0].click().run()
    assert not at.exception and accounts.waiting_addresses(url) == []
    assert "解除该地址的登录等待" in audit.log(url)["detail"].iloc[0]
