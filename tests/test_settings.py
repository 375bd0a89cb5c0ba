"""The settings: every one declared once and documented (docs/SETTINGS.md), read from the environment and the
secrets files, each mistake refused in Chinese naming the setting — never a silent fallback."""
from pathlib import Path

import pytest

from riverchief import settings
from riverchief.office import database

DOC = Path(__file__).resolve().parent.parent / "docs" / "SETTINGS.md"


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_every_setting_has_its_line_in_the_docs(setting):
    default = f"`{setting.default}`" if setting.default else "(not set)"
    assert f"| `{setting.name}` | {default} |" in DOC.read_text(encoding="utf-8")


def test_the_docs_name_no_setting_that_is_not_declared():
    import re
    written = set(re.findall(r"^\| `([^`]+)` \|", DOC.read_text(encoding="utf-8"), flags=re.M))
    assert written == {s.name for s in settings.SETTINGS}


def test_every_setting_the_code_reads_is_declared():
    """No RIVERBOARD_* variable read anywhere but declared in SETTINGS (and read only in settings.py)."""
    import re
    root = DOC.parent.parent
    declared = {s.name for s in settings.SETTINGS}
    read_elsewhere = []
    for path in [root / "app.py", root / "server.py", *(p for f in ("app_pages", "ui", "riverchief", "loaders",
                                                                    "exports", "rendering") for p in (root / f).rglob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"\bRIVERBOARD_[A-Z0-9_]+", text):
            assert name in declared, f"{path.name} names {name}, which SETTINGS does not declare"
        if path.name != "settings.py" and re.search(r"os\.environ|getenv", text):
            read_elsewhere.append(path.name)
    assert read_elsewhere == []


def test_the_defaults(tmp_path):
    got = settings.load({}, [tmp_path / "none.toml"])
    assert (got.data_dir, got.db_url, got.idle_minutes, str(got.time_zone), got.tiles, got.public_address) == (
        Path("data"), "", 30, "Asia/Shanghai", None, "")
    assert got.auth == {} and got.sso == {} and not got.strict


def test_the_database_url_comes_from_the_environment_else_the_secrets(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[database]\nurl = "postgresql+psycopg://hzb@10.0.0.9/riverboard"\n', encoding="utf-8")
    assert settings.load({}, [secrets]).db_url == "postgresql+psycopg://hzb@10.0.0.9/riverboard"
    assert settings.load({"RIVERBOARD_DB_URL": "sqlite:////srv/x.sqlite"}, [secrets]).db_url == "sqlite:////srv/x.sqlite"


@pytest.mark.parametrize("env,secrets,said", [
    ({"RIVERBOARD_IDLE_MINUTES": "半小时"}, "", "RIVERBOARD_IDLE_MINUTES=“半小时” 无法使用：应为不小于1的整数"),
    ({"RIVERBOARD_IDLE_MINUTES": "0"}, "", "RIVERBOARD_IDLE_MINUTES=“0”"),
    ({"RIVERBOARD_TIME_ZONE": "Asia/Beijing"}, "", "时区设置 RIVERBOARD_TIME_ZONE=“Asia/Beijing” 无法识别"),
    ({"RIVERBOARD_TILES": "bing"}, "", "无法识别的底图设置 RIVERBOARD_TILES"),
    ({"RIVERBOARD_DB_URL": "postgres//hzb@host"}, "", "RIVERBOARD_DB_URL 的数据库地址写法有误"),
    ({}, '[database]\nurl = "not a url"\n', "[database] url 的数据库地址写法有误"),
    ({}, "[database]\nurl = 5\n", "[database] 的 url 应为文字"),
    ({}, 'database = "postgresql://x"\n', "[database] 应为一节设置"),
    ({}, 'auth = "on"\n', "[auth] 应为一节设置"),
    ({}, '[riverboard]\nsso = 1\n', "[riverboard.sso] 应为一节设置"),
    ({}, "[auth\n", "第1行"),
])
def test_a_setting_that_cannot_be_used_stops_the_start_naming_it(tmp_path, env, secrets, said):
    path = tmp_path / "secrets.toml"
    path.write_text(secrets, encoding="utf-8")
    with pytest.raises(settings.SettingsError) as caught:
        settings.load(env, [path])
    assert said in caught.value.message


def test_a_data_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "data").write_text("x")
    with pytest.raises(settings.SettingsError, match="不是文件夹"):
        settings.load({"RIVERBOARD_DATA_DIR": str(tmp_path / "data")}, [])


def test_the_office_store_follows_the_settings_in_force(tmp_path, monkeypatch):
    """The layers below read the one Settings: the office store's URL without anything written to os.environ."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "elsewhere.sqlite"}"\n', encoding="utf-8")
    monkeypatch.delenv("RIVERBOARD_DB_URL", raising=False)
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(settings, "_files", (str(secrets),))
    monkeypatch.setattr(settings, "_read", None)
    monkeypatch.setattr(settings, "_given", None)
    assert database.default_url() == f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
    secrets.write_text("", encoding="utf-8")  # the file changed: read again
    assert database.default_url() == f"sqlite:///{(tmp_path / 'data' / 'office.sqlite').resolve()}"
    import os
    assert "RIVERBOARD_DB_URL" not in os.environ


def test_the_app_stops_at_start_on_a_broken_setting(monkeypatch, tiny_dir):
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("RIVERBOARD_IDLE_MINUTES", "ten")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and len(at.error) == 1 and "RIVERBOARD_IDLE_MINUTES" in at.error[0].value
    assert not at.dataframe and not at.metric  # nothing of the data was shown


def test_a_command_line_tool_stops_on_a_setting_it_cannot_use(tmp_path):
    """python -m riverchief.office (and loaders, exports) read the same settings first: a sentence, exit 2."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "RIVERBOARD_DATA_DIR": str(tmp_path), "RIVERBOARD_TIME_ZONE": "Asia/Beijing"}
    for tool in (["riverchief.office", "list"], ["loaders", "templates", "--out", str(tmp_path)]):
        out = subprocess.run([sys.executable, "-m", *tool], env=env, cwd=tmp_path, capture_output=True, text=True)
        assert out.returncode == 2 and "河长看板未启动：时区设置 RIVERBOARD_TIME_ZONE=“Asia/Beijing”" in out.stderr
        assert "Traceback" not in out.stderr


def test_the_command_line_reads_the_secrets_files_streamlit_is_told_to(tmp_path):
    config = tmp_path / "config.toml"
    assert settings.configured_secrets_files(config) == settings.STREAMLIT_SECRETS  # no config: Streamlit's default
    config.write_text('[secrets]\nfiles = ["/etc/riverboard/secrets.toml"]\n', encoding="utf-8")
    assert settings.configured_secrets_files(config) == ("/etc/riverboard/secrets.toml",)
    config.write_text("[server]\nport = 8501\n", encoding="utf-8")
    assert settings.configured_secrets_files(config) == settings.STREAMLIT_SECRETS


def test_the_secrets_a_run_has_are_laid_over_the_files(tmp_path):
    """server.py hands Streamlit [auth] with its defaults; the files' [database] stays."""
    path = tmp_path / "secrets.toml"
    path.write_text('[database]\nurl = "sqlite:////srv/office.sqlite"\n[auth]\nclient_id = "a"\n', encoding="utf-8")
    got = settings.load({}, [path], secrets={"auth": {"client_id": "a", "expose_tokens": ["access"]}})
    assert got.db_url == "sqlite:////srv/office.sqlite" and got.auth == {"client_id": "a", "expose_tokens": ["access"]}
