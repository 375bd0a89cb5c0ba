"""Single sign-on against a real OpenID Connect provider (npm's certified oidc-provider, tests/oidc/provider.js,
on loopback; its claims only in the userinfo answer, as many providers do), through Chromium: office by group,
unit by user, an unmapped user refused, an account beating the mapping, logout, the idle end, and each
misconfiguration an office's IT admin makes, said in Chinese naming the setting. Issue 29."""
import datetime as dt
import json
import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import ROOT
from test_browser import ARTIFACTS, _free_port, browser  # noqa: F401 (the browser fixture)
from riverchief import access, publishing, versions
from riverchief.office import accounts, audit, database, sso

pytestmark = pytest.mark.browser
PROVIDER = ROOT / "tests" / "oidc"
ACCOUNTS = {  # the provider's users: login name → the claims it gives
    "wang": {"email": "wang@hz.gov.cn", "name": "王科长", "groups": ["hzb-office"]},
    "jia": {"email": "jia@hz.gov.cn", "name": "甲镇联络员", "groups": ["townships"]},
    "stranger": {"email": "stranger@other.gov.cn", "name": "外单位", "groups": ["other-office"]},
    "li": {"email": "li@hz.gov.cn", "name": "李主任", "groups": ["hzb-office"]},
}
SECRET = "provider-shared-secret-2026"


@pytest.fixture(scope="module")
def ports():
    """The app servers' ports, registered at the provider beforehand as an office registers its address."""
    return {name: _free_port() for name in ("main", "secret", "down", "mapping")}


@pytest.fixture(scope="module")
def app_port(ports):
    return ports["main"]


@pytest.fixture(scope="module")
def provider(ports, tmp_path_factory):
    assert (PROVIDER / "node_modules" / "oidc-provider").is_dir(), "run `make test`: it installs tests/oidc"
    port = _free_port()
    callbacks = [f"http://localhost:{p}/oauth2callback" for p in ports.values()]
    config = {"port": port, "accounts": ACCOUNTS, "clients": [{
        "client_id": "riverboard", "client_secret": SECRET, "redirect_uris": callbacks,
        "post_logout_redirect_uris": callbacks, "token_endpoint_auth_method": "client_secret_basic"}]}
    path = tmp_path_factory.mktemp("oidc") / "provider.json"
    path.write_text(json.dumps(config))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "oidc-provider.log", "w") as log:
        proc = subprocess.Popen(["node", str(PROVIDER / "provider.js"), str(path)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2)
                break
            except OSError:
                assert proc.poll() is None, (ARTIFACTS / "oidc-provider.log").read_text()
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def secrets_text(app_port: int, provider_url: str, **change) -> str:
    auth = {"redirect_uri": f"http://localhost:{app_port}/oauth2callback",
            "cookie_secret": "a-long-random-cookie-secret-for-the-tests-0123456789",
            "client_id": "riverboard", "client_secret": SECRET,
            "server_metadata_url": f"{provider_url}/.well-known/openid-configuration"} | change.get("auth", {})
    auth = {k: v for k, v in auth.items() if v is not None}
    users = change.get("users", {"jia@hz.gov.cn": "unit:T1"})
    groups = change.get("groups", {"hzb-office": "office"})
    lines = ["[auth]", *(f"{k} = {json.dumps(v)}" for k, v in auth.items()),
             "[riverboard.sso.users]", *(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in users.items()),
             "[riverboard.sso.groups]", *(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in groups.items())]
    return "\n".join(lines) + "\n"


@contextmanager
def app_with(root: Path, secrets: str, port: int, name: str):
    """`streamlit run server.py` on `port` with these secrets; yields (url, process) once it answers (or exits)."""
    from tiny import tiny_tables

    if not versions.any_version(root):
        publishing.publish(root, tiny_tables(), source="测试", created_by="tests")
    path = root / "secrets.toml"
    path.write_text(secrets, encoding="utf-8")
    log_path = ARTIFACTS / f"streamlit-sso-{name}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--server.headless", "true",
                                 "--secrets.files", str(path)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env=os.environ | {"RIVERBOARD_DATA_DIR": str(root)})
    url = f"http://localhost:{port}"
    try:
        for _ in range(200):
            if proc.poll() is not None:
                break
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        yield url, proc, log_path
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def sso_app(provider, app_port, tmp_path_factory):
    root = tmp_path_factory.mktemp("sso-district")
    url_db = database.default_url(root)
    accounts.create("tests", "li@hz.gov.cn", "李主任", access.LEADER, sso_only=True, url=url_db)  # beats the group
    with app_with(root, secrets_text(app_port, provider), app_port, "main") as (url, proc, _):
        assert proc.poll() is None
        yield url, root


def _ready(pg):
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)


def sign_in_at_provider(pg, url: str, login: str) -> None:
    pg.goto(url)
    _ready(pg)
    pg.get_by_role("button", name="统一身份认证登录").click()
    pg.wait_for_selector('input[name="login"]', timeout=30000)  # the provider's own page
    pg.fill('input[name="login"]', login)
    pg.fill('input[name="password"]', "any")
    pg.click('button[type="submit"]')
    pg.wait_for_url(f"{url}/**", timeout=30000)
    _ready(pg)


@pytest.fixture
def pg(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()


def nav(pg):
    return pg.locator('[data-testid="stSidebarNav"]')


def test_the_office_signs_in_by_its_group_with_claims_from_userinfo(pg, sso_app):
    url, root = sso_app
    sign_in_at_provider(pg, url, "wang")
    expect(pg.locator("h1").first).to_contain_text("三色看板", timeout=30000)
    expect(pg.get_by_text("当前用户：王科长（河长办）")).to_be_visible()
    expect(nav(pg)).to_contain_text("账号管理")
    cookie = [c for c in pg.context.cookies() if c["name"] == "riverboard_session"]
    assert cookie and cookie[0]["httpOnly"]  # the idle limit is kept by RiverBoard's own session
    pg.reload()
    _ready(pg)
    expect(pg.get_by_text("当前用户：王科长（河长办）")).to_be_visible()
    log = audit.log(database.default_url(root))
    assert "按组 hzb-office授权" in " ".join(log[log["action"] == "login"]["detail"])


def test_a_unit_signs_in_by_its_user_and_sees_its_own_scope(pg, sso_app):
    url, _ = sso_app
    sign_in_at_provider(pg, url, "jia")
    expect(pg.get_by_text("当前用户：甲镇联络员（责任单位）")).to_be_visible(timeout=30000)
    expect(nav(pg)).not_to_contain_text("账号管理")
    expect(nav(pg)).to_contain_text("本单位月报")


def test_an_unmapped_user_is_refused_in_chinese_and_logged(pg, sso_app):
    url, root = sso_app
    sign_in_at_provider(pg, url, "stranger")
    expect(pg.get_by_text("不能进入河长看板：未在河长看板授权")).to_be_visible(timeout=30000)
    expect(pg.get_by_text("other-office")).to_be_visible()
    expect(pg.locator('[data-testid="stMetric"]')).to_have_count(0)
    log = audit.log(database.default_url(root))
    assert ((log["action"] == "login_failed") & (log["target"] == "stranger@other.gov.cn")).any()


def test_an_account_made_by_the_office_beats_the_mapping(pg, sso_app):
    url, _ = sso_app
    sign_in_at_provider(pg, url, "li")
    expect(pg.get_by_text("当前用户：李主任（领导）")).to_be_visible(timeout=30000)
    expect(nav(pg)).not_to_contain_text("数据管理")


def test_logout_ends_the_session_here_and_at_the_provider(pg, sso_app):
    url, _ = sso_app
    sign_in_at_provider(pg, url, "wang")
    expect(pg.get_by_text("当前用户：王科长（河长办）")).to_be_visible(timeout=30000)
    pg.get_by_role("button", name="退出登录").click()
    pg.wait_for_load_state()
    for _ in range(3):  # the provider may ask to confirm signing out
        button = pg.locator('button[autofocus], button:has-text("Yes")')
        if "/session/end" in pg.url and button.count():
            button.first.click()
        pg.wait_for_timeout(1000)
    pg.goto(url)
    _ready(pg)
    expect(pg.get_by_role("button", name="统一身份认证登录")).to_be_visible(timeout=30000)
    assert not [c for c in pg.context.cookies() if c["name"].startswith("_streamlit_user")]


def test_after_the_idle_time_a_new_tab_goes_through_the_provider_again(pg, sso_app):
    from sqlalchemy import select

    from riverchief.office.models import LoginSession

    url, root = sso_app
    sign_in_at_provider(pg, url, "wang")
    expect(pg.get_by_text("当前用户：王科长（河长办）")).to_be_visible(timeout=30000)
    with database.session(database.default_url(root)) as s:  # half an hour and a minute without use
        for row in s.scalars(select(LoginSession)):
            row.last_seen -= dt.timedelta(minutes=31)
    fresh_tab = pg.context.new_page()  # Streamlit's own sign-on cookie is still there: it must not be enough
    fresh_tab.goto(url)
    _ready(fresh_tab)
    expect(fresh_tab.get_by_text("分钟未操作")).to_be_visible(timeout=30000)
    expect(fresh_tab.locator('[data-testid="stMetric"]')).to_have_count(0)
    pg.reload()  # the idle tab too
    _ready(pg)
    expect(pg.get_by_text("分钟未操作")).to_be_visible(timeout=30000)
    pg.get_by_role("button", name="重新登录（统一身份认证）").click()  # through the provider, which still knows him
    pg.wait_for_url(f"{url}/**", timeout=30000)
    _ready(pg)
    expect(pg.get_by_text("当前用户：王科长（河长办）")).to_be_visible(timeout=30000)
    fresh_tab.close()


# --- misconfigurations: each a Chinese sentence naming the setting ----------------------------------------

def test_a_wrong_client_secret_is_said_naming_the_setting(pg, provider, ports, tmp_path):
    port = ports["secret"]
    with app_with(tmp_path, secrets_text(port, provider, auth={"client_secret": "not-the-secret"}), port, "secret") \
            as (url, _, log):
        sign_in_at_provider(pg, url, "wang")
        expect(pg.get_by_text("没有接受本系统的凭据")).to_be_visible(timeout=30000)
        expect(pg.get_by_text("client_secret")).to_be_visible()
        assert "single sign-on failed (token)" in log.read_text()


def test_a_provider_that_cannot_be_reached_is_said_naming_the_setting(pg, provider, ports, tmp_path):
    port = ports["down"]
    gone = f"http://127.0.0.1:{_free_port()}"
    with app_with(tmp_path, secrets_text(port, gone), port, "down") as (url, _, log):
        pg.goto(url)
        _ready(pg)
        pg.get_by_role("button", name="统一身份认证登录").click()
        pg.wait_for_url("**sso_error=provider**", timeout=30000)
        _ready(pg)
        expect(pg.get_by_text("无法连接统一身份认证服务")).to_be_visible(timeout=30000)
        expect(pg.get_by_text("server_metadata_url")).to_be_visible()
        expect(pg.get_by_text("Authentication error")).to_have_count(0)


def test_settings_missing_a_cookie_secret_say_so_instead_of_a_crash(pg, provider, tmp_path):
    port = _free_port()
    with app_with(tmp_path, secrets_text(port, provider, auth={"cookie_secret": None}), port, "cookie") as (url, _, log):
        pg.goto(url)
        _ready(pg)
        expect(pg.get_by_text("[auth] 缺少 cookie_secret")).to_be_visible(timeout=30000)
        expect(pg.get_by_role("button", name="统一身份认证登录")).to_have_count(0)
        expect(pg.locator('[data-testid="stException"]')).to_have_count(0)
        assert "[auth] 缺少 cookie_secret" in log.read_text()


def test_a_secrets_file_with_a_syntax_error_stops_the_start_naming_the_line(provider, tmp_path):
    port = _free_port()
    broken = secrets_text(port, provider).replace("[riverboard.sso.groups]", "[riverboard.sso.groups")
    with app_with(tmp_path, broken, port, "syntax") as (url, proc, log):
        proc.wait(30)
        assert proc.returncode != 0
        said = log.read_text()
        line = broken.splitlines().index("[riverboard.sso.groups") + 1
        assert "河长看板未启动" in said and f"第{line}行" in said and "secrets.toml" in said


def test_a_role_written_wrong_and_an_unknown_unit_are_said_and_refused(pg, provider, ports, tmp_path):
    port = ports["mapping"]
    text = secrets_text(port, provider, users={"jia@hz.gov.cn": "unit:T99"}, groups={"hzb-office": "Office"})
    with app_with(tmp_path, text, port, "mapping") as (url, _, log):
        pg.goto(url)
        _ready(pg)
        warning = pg.locator('[data-testid="stAlert"]').filter(has_text="应写作 office")
        expect(warning).to_have_count(0)  # the login page only counts them: who is mapped is the office's business
        expect(pg.get_by_text("映射有 2 处错误")).to_be_visible()
        assert "Office" in log.read_text() and "T99" in log.read_text()  # in the log, once
        sign_in_at_provider(pg, url, "wang")
        expect(pg.get_by_text("“组 hzb-office” = “Office”").first).to_be_visible(timeout=30000)
        expect(pg.get_by_text("应写作 office").first).to_be_visible()
        pg.context.clear_cookies()
        sign_in_at_provider(pg, url, "jia")
        expect(pg.get_by_text("单位编号 T99 不在本区单位名录中").first).to_be_visible(timeout=30000)
        expect(pg.locator('[data-testid="stException"]')).to_have_count(0)


# --- the settings, without a browser ------------------------------------------------------------------------

def test_defaults_that_work_with_a_standard_provider():
    auth = sso.with_defaults({"client_id": "x", "expose_tokens": "id"})
    assert auth["client_kwargs"] == {"prompt": "", "scope": "openid email profile"}  # no scope a provider may refuse
    mapped = sso.with_defaults({"client_id": "x"}, {"groups": {"g": "office"}})
    assert mapped["client_kwargs"]["scope"] == "openid email profile groups"  # groups asked for when mapped
    assert auth["expose_tokens"] == ["access", "id"]
    kept = sso.with_defaults({"kc": {"client_id": "x", "client_kwargs": {"prompt": "login", "scope": "openid"}}})
    assert kept["kc"]["client_kwargs"] == {"prompt": "login", "scope": "openid"}  # what the office set stays


@pytest.mark.parametrize("claims,mapping,ask", [
    ({"sub": "1"}, {}, True), ({"email": "a@b"}, {}, False), ({"email": "a@b"}, {"groups": {"g": "office"}}, True),
    ({"email": "a@b", "groups": []}, {"groups": {"g": "office"}}, False), ({"email": "a@b"}, {"claims_from": "userinfo"}, True),
    ({"sub": "1"}, {"claims_from": "id_token"}, False)])
def test_the_userinfo_answer_is_asked_when_the_id_token_lacks_claims(claims, mapping, ask):
    assert sso.needs_userinfo(claims, mapping) is ask


def test_each_setting_problem_names_its_setting():
    said = sso.problems({"auth": {"redirect_uri": "http://x/callback", "client_id": "c",
                                  "client_kwargs": {"scope": "email"}},
                         "riverboard": {"sso": {"users": {"a": "unit"}, "groups": {"g": "Leader", "h": "analyst:T1"},
                                                "claims_from": "both"}}}, units={"T1"})
    text = "\n".join(said)
    for expected in ("[auth] 缺少 cookie_secret", "redirect_uri = “http://x/callback”", "[auth] 缺少 client_secret",
                     "[auth] 缺少 server_metadata_url", "client_kwargs.scope 须包含 openid", "须写明单位编号",
                     "应写作 leader", "只有 unit 后面跟单位编号", "claims_from = “both”"):
        assert expected in text, expected
    assert sso.problems({}) == [] and sso.problems({"riverboard": {"sso": {"users": {"a": "x"}}}}) == []


def test_a_secrets_file_that_cannot_be_parsed_names_file_and_line(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('[database]\nurl = "postgresql://x"\n[auth\n', encoding="utf-8")
    with pytest.raises(sso.SecretsError, match=r"secrets.toml 第3行"):
        sso.read_secrets([path])
    assert sso.read_secrets([tmp_path / "none.toml"]) == {}


@pytest.mark.parametrize("path,status,cookies,query,code", [
    ("/auth/login", 400, [], {}, "provider"), ("/auth/login", 302, [], {}, None),
    ("/oauth2callback", 302, ["_streamlit_user=abc; Path=/; HttpOnly"], {"code": ["x"], "state": ["s"]}, None),
    ("/oauth2callback", 302, ["_streamlit_user__1=abc; Path=/", "_streamlit_user__2=def; Path=/"], {"code": ["x"]}, None),
    ("/oauth2callback", 302, ['_streamlit_user=""; Max-Age=0; Path=/', '_streamlit_user_tokens=""; Max-Age=0'],
     {"code": ["x"], "state": ["s"]}, "token"),
    ("/oauth2callback", 302, [], {"code": ["x"], "state": ["s"]}, "state"),  # came back to another address
    ("/oauth2callback", 302, [], {}, None),  # the provider's sign-out coming back
    ("/oauth2callback", 302, [], {"error": ["invalid_scope\nFORGED LOG LINE&x=1"]}, "invalid_scopeforgedloglinex"),
    ("/rb/oauth2callback", 302, [], {"error": ["access_denied"]}, "access_denied"),
])
def test_what_streamlit_s_sign_on_steps_answered_is_told_apart(path, status, cookies, query, code):
    import server

    headers = [(b"set-cookie", c.encode()) for c in cookies]
    assert server._sign_on_failure(path, status, headers, query) == code


def test_a_login_counts_once():
    first = {"iss": "https://sso", "sub": "u1", "iat": 1764600000, "nonce": "a"}
    assert sso.login_marker(first) == sso.login_marker(dict(first))
    assert sso.login_marker(first) != sso.login_marker(first | {"nonce": "b"})  # a new login at the provider
