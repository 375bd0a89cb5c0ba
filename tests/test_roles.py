"""Role × page × action with AppTest: what each role opens, sees and may do, on the tiny district.
Login itself, lockout and sessions: tests/test_accounts.py; the whole round in a browser: test_browser.py."""
import time

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, signed_in
from riverchief import access, publishing, versions

APP = str(ROOT / "app.py")
ALL_PAGES = ("light_board", "glance", "meeting", "item", "progress", "water", "river_map", "score", "report", "rounds",
             "data_admin", "accounts", "audit")


def app(monkeypatch, root, role=None, own=None, **query) -> AppTest:
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(root))
    at = AppTest.from_file(APP, default_timeout=60)
    if role:
        signed_in(at, role, own)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def opens(at, page: str) -> bool:
    try:
        at.switch_page(f"app_pages/{page}.py")
    except ValueError:  # not in the role's navigation: its URL opens the role's first page instead
        return False
    at.run()
    assert not at.exception, (page, [e.value for e in at.exception])
    return True


@pytest.mark.parametrize("role", [access.LEADER, access.ANALYST, access.OFFICE, access.UNIT])
def test_each_role_opens_exactly_its_pages_and_each_renders(monkeypatch, tiny_dir, role):
    at = app(monkeypatch, tiny_dir, role, "T1" if role == access.UNIT else None)
    opened = {p for p in ALL_PAGES if opens(at, p)}
    assert opened == set(access.PAGES[role])
    assert at.title and not at.get("exception")


def test_nobody_signed_in_sees_only_the_login_page_on_real_data(monkeypatch, tiny_dir):
    at = app(monkeypatch, tiny_dir)
    assert [t.value for t in at.title] == ["河长看板 · 登录"]
    assert not at.dataframe, "dataframe"
    assert not at.metric and not at.get("plotly_chart") and not at.get("download_button")
    for page in ALL_PAGES:  # whichever page a link asks for, the frame answers with the login first
        try:
            at.switch_page(f"app_pages/{page}.py")
        except ValueError:
            continue
        at.run()
        assert [t.value for t in at.title] == ["河长看板 · 登录"] and not at.dataframe and not at.metric, page


def test_the_demo_opened_without_a_browser_also_asks_for_a_login(monkeypatch, demo_dir):
    """Only a browser asking for localhost gets the demo's guest; a request without a Host is not trusted."""
    at = app(monkeypatch, demo_dir)
    assert [t.value for t in at.title] == ["河长看板 · 登录"]


def test_a_leader_reads_but_exports_nothing_and_changes_nothing(monkeypatch, tiny_dir):
    at = app(monkeypatch, tiny_dir, access.LEADER)
    assert at.metric and at.get("plotly_chart") and not at.get("download_button")
    at.switch_page("app_pages/item.py").run()
    assert not at.radio  # no override form
    at.switch_page("app_pages/score.py").run()
    assert not [b for b in at.button if b.label == "保存为正式规则"] and not at.get("download_button")


def _chart_buttons_removed(at) -> set[str]:
    import json
    return {b for c in at.get("plotly_chart") for b in json.loads(c.proto.config)["modeBarButtonsToRemove"]}


def test_streamlit_own_exports_follow_the_role(monkeypatch, tiny_dir):
    """Issue 25, finding 9: a leader gets no PNG from the chart's own toolbar (an analyst does), and nobody
    gets Streamlit's table CSV (made in the browser from raw values: =HYPERLINK(…) would reach Excel live)."""
    import tomllib
    assert tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["client"]["disableDataExport"] is True
    assert "toImage" in _chart_buttons_removed(app(monkeypatch, tiny_dir, access.LEADER))
    assert "toImage" not in _chart_buttons_removed(app(monkeypatch, tiny_dir, access.ANALYST))


def test_an_analyst_exports_but_cannot_override_or_save_rules(monkeypatch, tiny_dir):
    at = app(monkeypatch, tiny_dir, access.ANALYST)
    assert at.get("download_button")
    at.switch_page("app_pages/item.py").run()
    assert not at.radio
    at.switch_page("app_pages/score.py").run()
    at.number_input(key="rule_complaint_points").set_value(-5.0).run()  # a what-if is reading, allowed
    assert [d for d in at.dataframe if "rank_trial" in d.value.columns]
    assert not [b for b in at.button if b.label == "保存为正式规则"]


def test_an_analyst_refused_an_office_action_in_the_domain_too(tiny_dir):
    from riverchief.office import actions

    analyst = access.Principal("fx", "分析", access.ANALYST)
    before = versions.current_version(tiny_dir).id
    with pytest.raises(access.Forbidden, match="无权回退数据版本"):
        actions.rollback(analyst, tiny_dir, before, expect_current=before)
    with pytest.raises(access.Forbidden, match="无权人工认定亮灯"):
        actions.override(analyst, tiny_dir, "B", versions.current_version(tiny_dir).notices[-1], "green", "x", before)
    from loaders.importer import prepare, publish

    prepared = prepare([("水质.csv", "断面,采样时间,总磷\n一号河断面,2023-08-01,0.12\n".encode())], tiny_dir)
    with pytest.raises(access.Forbidden, match="无权导入"):
        publish(prepared, tiny_dir, analyst)
    assert versions.current_version(tiny_dir).id == before


def test_a_unit_sees_its_own_items_and_the_district_only_in_totals(monkeypatch, tiny_dir):
    at = app(monkeypatch, tiny_dir, access.UNIT, "T1", unit="D1")  # a link naming another unit
    assert "甲镇" in at.title[0].value
    assert {m.label: m.value for m in at.metric}["事项总数"] == "2 项"  # A and E are T1's
    assert "全区汇总：红灯 3 项 · 黄灯 1 项 · 绿灯 1 项（共 5 项）" in at.info[0].value
    red_yellow = at.dataframe[0].value
    assert set(red_yellow["unit_name"]) == {"甲镇"}
    assert at.query_params["unit"] in ("T1", ["T1"])  # the link is rewritten to the unit's own


def test_a_unit_cannot_open_another_units_item_by_link(monkeypatch, tiny_dir):
    at = app(monkeypatch, tiny_dir, access.UNIT, "T1", item="B")  # B is 区水利局's
    at.switch_page("app_pages/item.py").run()
    assert at.selectbox[-1].value != "B" and "B" not in at.selectbox[-1].options[0]


def test_a_unit_sees_its_own_score_not_the_ranking(monkeypatch, tiny_dir):
    at = app(monkeypatch, tiny_dir, access.UNIT, "T2")
    at.switch_page("app_pages/score.py").run()
    shown = set().union(*[set(d.value["unit_name"]) for d in at.dataframe if "unit_name" in d.value.columns])
    assert shown == {"乙街道"}
    assert {m.label for m in at.metric} >= {"本单位得分（乙街道）"}


def test_the_office_manages_accounts_on_the_page(monkeypatch, tiny_dir):
    from riverchief.office import accounts, audit

    at = app(monkeypatch, tiny_dir, access.OFFICE)
    at.switch_page("app_pages/accounts.py").run()
    at.text_input[0].input("jiazhen")
    at.text_input[1].input("甲镇河长办")
    at.selectbox[0].set_value(access.UNIT)
    at.selectbox[1].set_value("T1")
    at.button[0].click().run()
    assert not at.exception
    assert "一次性密码" in at.success[0].value
    password = at.success[0].value.split("`")[1]
    who, must_change = accounts.authenticate("jiazhen", password)
    assert (who.role, who.unit_id, must_change) == (access.UNIT, "T1", True)
    assert (at.text_input[0].value, at.selectbox[0].value) == ("", access.ROLES[0])  # created: the form is empty
    at.text_input[0].input("jiazhen")  # the same name again: refused, and what was typed stays
    at.text_input[1].input("甲镇二号")
    at.selectbox[0].set_value(access.UNIT)
    at.selectbox[1].set_value("T1")
    at.button[0].click().run()
    assert at.error and (at.text_input[0].value, at.text_input[1].value, at.selectbox[0].value, at.selectbox[1].value) \
        == ("jiazhen", "甲镇二号", access.UNIT, "T1")
    at.switch_page("app_pages/audit.py").run()
    log = at.dataframe[0].value
    assert "新建账号" in " ".join(log["detail"]) and set(audit.log()["actor"]) >= {"test-office"}


def test_the_office_opens_a_round_on_the_page_and_the_unit_sees_its_work(monkeypatch, tiny_dir):
    from riverchief.office import rounds

    at = app(monkeypatch, tiny_dir, access.OFFICE)
    at.switch_page("app_pages/rounds.py").run()
    assert "当前没有进行中的月报送" in at.info[0].value
    [b for b in at.button if b.label == "开启"][0].click().run()
    assert not at.exception and "已开启2023年7月月报送" in at.success[0].value
    assert rounds.open_round_now()["notice_date"].isoformat() == "2023-07-31"
    assert [m.value for m in at.metric][:3] == ["0.0%", "0 个", "3 个"]  # nobody reported yet
    assert "甲镇" in at.code[0].value and "区水利局" in at.code[0].value  # the reminder list

    unit = app(monkeypatch, tiny_dir, access.UNIT, "D1")
    unit.switch_page("app_pages/report.py").run()
    assert not unit.exception
    assert "2023年7月" in unit.title[0].value and "区水利局" in unit.title[0].value
    assert any("2023年7月31日" in m.value for m in unit.markdown)
    assert {b.label for b in unit.button} >= {"保存草稿", "提交"}


@pytest.mark.parametrize("address,host,local", [
    ("127.0.0.1", "127.0.0.1:8501", True), ("127.0.0.1", "localhost:8501", True), ("localhost", "localhost", True),
    ("::1", "[::1]:8501", True),
    ("127.0.0.1", "riverboard.hzb.gov.cn", False),  # a proxy on the same machine passing the public name on
    ("0.0.0.0", "127.0.0.1:8501", False),  # listening on every address: anyone may be asking
    ("10.1.2.3", "10.1.2.3:8501", False), ("", "localhost:8501", False), ("127.0.0.1", "", False),
    ("127.0.0.1", "127.0.0.1.evil.example:80", False), ("127.0.0.1", "[bad", False),
])
def test_only_a_loopback_server_asked_by_a_loopback_name_is_local(address, host, local):
    from ui.auth import loopback_request

    assert loopback_request(address, host) is local


SSO = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32, "client_id": "rb",
       "client_secret": "x", "server_metadata_url": "https://sso.example/.well-known/openid-configuration"}


def test_a_single_sign_on_cookie_without_a_fresh_login_is_sent_back_to_the_provider(monkeypatch, tiny_dir):
    """Streamlit's sign-on cookie lives 30 days; a login it carries counts once: without RiverBoard's own live
    session it is not a login again."""
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = SSO
    at.secrets["riverboard"] = {"sso": {"users": {"li@hzb.gov.cn": "office"}}}
    user = {"is_logged_in": True, "email": "li@hzb.gov.cn", "iat": 1764600000, "nonce": "n1"}
    from riverchief.office import accounts, sso
    assert accounts.use_sso_login(sso.login_marker(user), url=f"sqlite:///{tiny_dir / 'office.sqlite'}")  # used before
    at.user = user
    at.run()
    assert not at.exception and "本次登录已结束" in at.info[0].value and not at.metric
    assert [b.label for b in at.button] == ["重新登录（统一身份认证）", "退出登录"]


def sso_app(monkeypatch, root, user: dict) -> AppTest:
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(root))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = SSO
    at.secrets["riverboard"] = {"sso": {"users": {"li@hzb.gov.cn": "office", "wang@t1.gov.cn": "unit:T1"},
                                        "groups": {"分析组": "analyst"}}}
    if user.get("is_logged_in"):  # just back from the provider: its ID token was issued now
        user = user | {"iat": int(time.time()), "nonce": str(time.time_ns())}
    at.user = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if "session_token" in at.session_state:  # signed in: the browser loads the page again with its cookie
        at.run()
    return at


def test_with_sso_configured_the_login_page_offers_only_single_sign_on(monkeypatch, tiny_dir):
    at = sso_app(monkeypatch, tiny_dir, {"is_logged_in": False})
    assert [t.value for t in at.title] == ["河长看板 · 登录"]
    assert [b.label for b in at.button] == ["统一身份认证登录"] and not at.text_input  # no password form
    assert not at.dataframe and not at.metric


@pytest.mark.parametrize("user,role,title", [
    ({"is_logged_in": True, "email": "li@hzb.gov.cn", "name": "李"}, access.OFFICE, "三色看板 · 2023年6月通报 · 全区"),
    ({"is_logged_in": True, "email": "wang@t1.gov.cn"}, access.UNIT, "三色看板 · 2023年6月通报 · 甲镇"),
    ({"is_logged_in": True, "email": "zhao@hzb.gov.cn", "groups": ["分析组"]}, access.ANALYST,
     "三色看板 · 2023年6月通报 · 全区"),
])
def test_a_single_sign_on_user_gets_the_mapped_role(monkeypatch, tiny_dir, user, role, title):
    at = sso_app(monkeypatch, tiny_dir, user)
    assert at.title[0].value == title
    assert at.session_state["principal"].role == role and at.session_state["principal"].via == "sso"
    assert opens(at, "data_admin") is (role == access.OFFICE)


def test_a_single_sign_on_user_not_mapped_is_refused(monkeypatch, tiny_dir):
    at = sso_app(monkeypatch, tiny_dir, {"is_logged_in": True, "email": "stranger@example.com"})
    assert "未在河长看板授权" in at.error[0].value
    assert not at.dataframe and not at.metric and [b.label for b in at.button] == ["退出登录"]


def test_an_import_from_the_command_line_is_in_the_audit_log_too(monkeypatch, tiny_dir):
    from loaders.importer import prepare, publish
    from riverchief.office import audit

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    prepared = prepare([("水质.csv", "断面,采样时间,总磷\n一号河断面,2023-08-01,0.12\n".encode())], tiny_dir)
    version = publish(prepared, tiny_dir, "张某")
    entry = audit.log(action="import").iloc[0]
    assert (entry["actor"], entry["target"], entry["detail"]) == ("命令行：张某", version.id, "水质.csv")


def test_the_audit_trail_shows_every_version_once_whoever_made_it(monkeypatch, tiny_dir):
    """操作记录 is the one trail: an import logged by the office store appears once (its entry names the version);
    a version only the data folder's commit record knows (a publish from a script, or with the store down) is
    listed as 发布数据版本 with who and what the record says; a rollback through the page appears once."""
    from loaders.importer import prepare, publish
    from riverchief.office import actions, audit

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    first = versions.current_version(tiny_dir)  # the fixture's publish: in the commit record only
    prepared = prepare([("水质.csv", "断面,采样时间,总磷\n一号河断面,2023-08-01,0.12\n".encode())], tiny_dir)
    imported = publish(prepared, tiny_dir, "张某")
    office = access.Principal("hzb", "区河长办", access.OFFICE)
    actions.rollback(office, tiny_dir, first.id, expect_current=imported.id)
    trail = audit.trail(tiny_dir)
    assert [(r.action, r.target) for r in trail.itertuples()] == [
        ("rollback", first.id), ("import", imported.id), ("version", first.id)]
    made = trail.iloc[-1]
    assert (made["actor"], made["detail"]) == ("tests", first.manifest["source"])
    assert list(audit.trail(tiny_dir, action="version")["target"]) == [first.id]
    assert audit.trail(tiny_dir, actor="张某").empty  # the import's actor is 命令行：张某


def test_the_audit_trail_takes_an_older_override_entry_as_naming_its_version(monkeypatch, tiny_dir):
    """Override and paper entries written before they named their version: one within two minutes of a commit
    covers it (no second row for the same change)."""
    from riverchief.office import audit, database

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    first = versions.current_version(tiny_dir)
    made = publishing.override_light(tiny_dir, "B", first.notices[-1], "green", "已核实", "区河长办")
    with database.session(database.default_url(tiny_dir)) as s:
        audit.record(s, "hzb", "override", "B", "2023-06-30：认定为green，理由：已核实")  # the old wording
    trail = audit.trail(tiny_dir)
    assert made.id not in set(trail["target"]) and list(trail["action"]) == ["override", "version"]


def test_a_session_idle_too_long_ends_at_the_next_click(monkeypatch, tiny_dir):
    import time

    at = app(monkeypatch, tiny_dir, access.ANALYST)
    assert at.title[0].value.startswith("三色看板")
    at.session_state["last_seen"] = time.time() - 31 * 60  # the default idle time is 30 minutes
    at.run()
    assert [t.value for t in at.title] == ["河长看板 · 登录"] and "超过 30 分钟未操作" in at.info[0].value
    assert "principal" not in at.session_state and not at.metric


def test_behind_a_proxy_on_an_intranet_address_a_localhost_host_header_is_not_local(monkeypatch):
    """make serve: the backends listen on loopback, nginx on the office's address and passes the browser's Host on;
    `Host: localhost` from an intranet browser once opened the demo as a guest. Where nginx listens decides."""
    from ui.auth import listening_address, loopback_request

    monkeypatch.setenv("RIVERBOARD_PUBLIC_ADDRESS", "10.1.2.3")
    assert listening_address() == "10.1.2.3"
    assert loopback_request(listening_address(), "localhost:8501") is False
    monkeypatch.setenv("RIVERBOARD_PUBLIC_ADDRESS", "127.0.0.1")  # make serve on loopback: local as before
    assert loopback_request(listening_address(), "localhost:8501") is True


def test_the_reviewer_accepts_only_the_value_the_page_showed(monkeypatch, tiny_dir):
    """Shown 35%; meanwhile a colleague returns the entry and the unit resubmits 40% (no warning): 通过全部无提示的报送
    once accepted the 40% the reviewer never saw. The decision is on the version the page showed: refused."""
    import datetime as dt

    from riverchief.access import Principal
    from riverchief.office import rounds
    from riverchief.reporting import Report

    office = Principal("hzb", "区河长办", access.OFFICE)
    d1 = Principal("slj", "区水利局", access.UNIT, "D1")
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    rnd = rounds.open_round(office, tiny_dir, dt.date(2023, 7, 31), dt.date(2027, 8, 5))
    rounds.save(d1, tiny_dir, rnd["id"], {("item", "B"): Report(progress=0.35)}, submit=True)
    at = app(monkeypatch, tiny_dir, access.OFFICE)
    at.switch_page("app_pages/rounds.py").run()
    quiet = [b for b in at.button if b.label.startswith("通过全部无提示的报送")][0]
    assert quiet.label.endswith("（1）")
    entry = rounds.entries(rnd["id"], "D1").iloc[0]
    rounds.review(office, int(entry["id"]), int(entry["row_version"]), False, "请核实")  # a colleague returns it
    rounds.save(d1, tiny_dir, rnd["id"], {("item", "B"): Report(progress=0.4)}, submit=True)  # and 40% comes in
    [b for b in at.button if b.label.startswith("通过全部无提示的报送")][0].click().run()
    assert not at.exception
    assert any("已被修改" in e.value for e in at.error), [e.value for e in at.error]
    assert rounds.entries(rnd["id"], "D1").iloc[0]["status"] == "submitted"  # not accepted unseen


def test_a_sign_on_without_a_name_and_no_userinfo_says_so(monkeypatch, tiny_dir):
    """The ID token names nobody (sub only) and the provider's userinfo cannot be had: said, not 'not authorised'."""
    at = sso_app(monkeypatch, tiny_dir, {"is_logged_in": True, "sub": "opaque-id-1"})
    assert "认证服务没有给出用户信息" in at.error[0].value and not at.metric


def test_back_from_the_provider_with_an_error_the_demo_shows_the_login_page_saying_it(monkeypatch, demo_dir):
    """On this machine the demo opens as a guest; coming back from the provider with ?sso_error it must not hide
    the sentence behind the guest's board."""
    from ui import auth

    monkeypatch.setattr(auth, "is_local", lambda: True)
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(demo_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = SSO
    at.query_params["sso_error"] = "state"
    at.run()
    assert not at.exception and [t.value for t in at.title] == ["河长看板 · 登录"]
    said = at.error[0].value
    assert "登录没有回到发起它的地址" in said and "本系统应从 http://localhost:8501 打开" in said


def _round_with_a_return(monkeypatch, tiny_dir):
    """July's round: 区水利局 (D1) submitted B and had it returned; 甲镇 (T1) had A returned, the rest accepted."""
    import datetime as dt

    from riverchief.access import Principal
    from riverchief.office import rounds
    from riverchief.reporting import Report

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))  # the office store beside the data
    office = Principal("hzb", "区河长办", access.OFFICE)
    rnd = rounds.open_round(office, tiny_dir, dt.date(2023, 7, 31), dt.date(2027, 8, 5))
    rounds.save(Principal("slj", "区水利局", access.UNIT, "D1"), tiny_dir, rnd["id"],
                {("item", "B"): Report(progress=0.35)}, submit=True)
    t1 = Principal("jia", "甲镇", access.UNIT, "T1")
    work = rounds.work(tiny_dir, rnd, "T1")
    rounds.save(t1, tiny_dir, rnd["id"], {(k, r): Report(progress=min(1.0, p + 0.02)) for k, r, p in
                                          zip(work["kind"], work["ref_id"], work["progress"])}, submit=True)
    for e in rounds.entries(rnd["id"]).to_dict("records"):
        rounds.review(office, int(e["id"]), int(e["row_version"]), e["ref_id"] not in ("A", "B"), "请附现场照片")
    return rnd


def test_a_unit_lands_on_its_task_and_what_came_back_comes_first(monkeypatch, tiny_dir):
    _round_with_a_return(monkeypatch, tiny_dir)
    at = app(monkeypatch, tiny_dir, access.UNIT, "D1")  # the first page: the board, with the task on top
    assert "2023年7月报送进行中 · 截止2027年8月5日" in at.markdown[0].value
    assert "被退回1项" in at.markdown[1].value
    assert "事项B：请附现场照片" in at.warning[0].value  # by title with the reason, never by code alone
    [b for b in at.button if b.label == "去填报"][0].click().run()
    assert not at.exception and "本单位月报" in at.title[0].value
    grid = at.dataframe[0].value
    assert (grid["status_name"].iloc[0], grid["return_reason"].iloc[0]) == ("被退回", "请附现场照片")

    t1 = app(monkeypatch, tiny_dir, access.UNIT, "T1")
    t1.switch_page("app_pages/report.py").run()
    editable, locked = t1.dataframe[0].value, t1.dataframe[1].value
    assert list(editable["ref_id"]) == ["A"]  # only what is not yet sent can be edited
    assert set(locked["status_name"]) == {"已通过"} and "A" not in set(locked["ref_id"])
    assert any("已提交或已通过" in s.value for s in t1.subheader)


def test_submitting_the_untouched_form_says_which_items_and_keeps_nothing(monkeypatch, tiny_dir):
    import datetime as dt

    from riverchief.access import Principal
    from riverchief.office import rounds

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    rnd = rounds.open_round(Principal("hzb", "区河长办", access.OFFICE), tiny_dir, dt.date(2023, 7, 31),
                            dt.date(2027, 8, 5))
    at = app(monkeypatch, tiny_dir, access.UNIT, "D1")
    at.switch_page("app_pages/report.py").run()
    [b for b in at.button if b.label == "提交"][0].click().run()
    assert not at.exception and "与上月相同" in at.error[0].value and "事项B" in at.error[0].value
    assert rounds.entries(rnd["id"], "D1").empty


def test_publishing_asks_first_with_the_rate_and_who_did_not_report_then_opens_the_new_month(monkeypatch, tiny_dir):
    from riverchief.office import rounds

    rnd = _round_with_a_return(monkeypatch, tiny_dir)
    at = app(monkeypatch, tiny_dir, access.OFFICE, month="2023-06")  # a link that names June
    at.switch_page("app_pages/rounds.py").run()
    [b for b in at.button if b.label.startswith("发布为2023年7月通报")][0].click().run()
    assert rounds.open_round_now() is not None  # one click publishes nothing
    said = " ".join(m.value for m in at.markdown)
    assert "报送率 **0.0%**" in said and "3个应报单位中0个已报送" in said  # two returned, one silent
    assert all(u in at.warning[-1].value for u in ("区水利局", "甲镇")) and "3个单位" in at.warning[-1].value
    said = " ".join(m.value for m in at.markdown)
    assert "没有已通过报送的**3**项事项和问题沿用上期数据" in said  # A and B returned, D never reported
    assert "长期坚持任务" not in said  # none in the tiny district: nothing said of them, no "0项"
    [b for b in at.button if b.label == "确认发布"][0].click().run()
    assert not at.exception and rounds.open_round_now() is None
    assert "已发布2023年7月通报" in at.success[0].value
    assert at.query_params.get("month") in (None, ["2023-07"], "2023-07")
    at.switch_page("app_pages/light_board.py").run()
    assert "2023年7月通报" in at.title[0].value  # the board follows the new month, not the link's June


@pytest.mark.parametrize("agent,phone", [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Mobile/15E148 Safari/604.1", True),
    ("Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
     True),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
     "wxwork/4.1.22 MicroMessenger/7.0.1", True),  # 政务微信 on a phone
    ("Mozilla/5.0 (Linux; U; Android 13; zh-CN; PGT-AN10) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0 "
     "Mobile Safari/537.36 AliApp(DingTalk/7.5.0) TaurusApp/7.5.0", True),  # 浙政钉 on a phone
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 "
     "wxwork/4.1.20 MicroMessenger/7.0.1 WindowsWechat(0x63090a13)", False),  # the messenger on an office PC
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) DingTalk(7.5.0) "
     "Mobile Safari", False),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
     False),
    ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/604.1",
     False),  # a tablet has room for the board
    ("", False),
])
def test_only_a_phone_is_sent_to_the_phone_view(agent, phone):
    from ui.frame import phone_agent

    assert phone_agent(agent) is phone
