"""Every setting of RiverBoard in one place: declared once in SETTINGS (name, default, meaning — docs/SETTINGS.md
has a line for each, and tests/test_settings.py holds the two together), read from the environment and the
secrets files Streamlit reads (.streamlit/secrets.toml) by `load`, checked there, each mistake said in Chinese
naming the setting. app.py and server.py read them at start (`current`), so a mistake stops the start; the
layers below take what they need from the one `Settings` `current()` returns. No layer hands a setting to
another through os.environ.

`current()` reads again only when the environment's RIVERBOARD_* variables or a secrets file change (the
tests set them per test; a running server never changes them)."""
from __future__ import annotations

import json
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from riverchief.errors import RiverBoardError

# Streamlit's own default for its secrets.files option: the user's, then the project's (later sections win).
STREAMLIT_SECRETS = ("~/.streamlit/secrets.toml", ".streamlit/secrets.toml")
STREAMLIT_CONFIG = Path(".streamlit/config.toml")  # where an office may name other secrets files ([secrets] files)


@dataclass(frozen=True)
class Setting:
    name: str  # an environment variable, or a section of .streamlit/secrets.toml in brackets
    default: str  # as written in the docs ("" = not set)
    meaning: str


SETTINGS = (
    Setting("RIVERBOARD_DATA_DIR", "data", "The data folder: every data version, the rules, the office's answers "
            "and (with SQLite) the office store. Relative to where the app is started."),
    Setting("RIVERBOARD_DB_URL", "", "The office store (accounts, monthly rounds, the audit trail) as an SQLAlchemy "
            "URL, e.g. postgresql+psycopg://user@host/db. Not set: `[database] url`, else SQLite office.sqlite in "
            "the data folder."),
    Setting("[database] url", "", "In .streamlit/secrets.toml: the office store's URL when RIVERBOARD_DB_URL is "
            "not set (keeps a password out of the environment)."),
    Setting("RIVERBOARD_IDLE_MINUTES", "30", "Minutes a signed-in session may stay idle before it must sign in "
            "again (a whole number, at least 1)."),
    Setting("RIVERBOARD_TIME_ZONE", "Asia/Shanghai", "The office's time zone: every time made, stored or compared "
            "(an IANA name such as Asia/Urumqi), whatever zone the server is kept in."),
    Setting("RIVERBOARD_TILES", "", "Tiles under the vector map: empty or none (no tiles, nothing requested from "
            "outside), tianditu, gaode, or a URL template with {z}/{x}/{y}."),
    Setting("RIVERBOARD_TIANDITU_KEY", "", "天地图's key (tk), required with RIVERBOARD_TILES=tianditu."),
    Setting("RIVERBOARD_TILES_ATTR", "底图", "The attribution shown for tiles from a URL template."),
    Setting("RIVERBOARD_TILES_GCJ02", "0", "1 when tiles from a URL template are in GCJ-02 (shapes are then "
            "converted to sit on them)."),
    Setting("RIVERBOARD_PUBLIC_ADDRESS", "", "The address the office reaches the app at when a proxy stands in "
            "front (make serve sets it); decides whether a request is local (the demo opens without login only "
            "then)."),
    Setting("[auth]", "", "In .streamlit/secrets.toml: the single sign-on provider(s) (docs/ACCOUNTS.md). Not "
            "there: local accounts only."),
    Setting("[riverboard.sso]", "", "In .streamlit/secrets.toml: who signs in through single sign-on as which "
            "role and unit, and where the claims are read (docs/ACCOUNTS.md)."),
    Setting("RIVERBOARD_STRICT", "", "Tests only: 1 lets a page's fault raise instead of showing its error id."),
)


class SettingsError(RiverBoardError):
    """A setting that cannot be used: the app does not start (a silent fallback — SQLite instead of the office's
    database, local logins instead of its single sign-on — would be worse). The message names the setting."""


class TileConfigError(SettingsError, ValueError):
    """RIVERBOARD_TILES (or its companions) cannot be used."""


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str
    subdomains: str = "abc"
    gcj02: bool = False


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_url: str  # "" = SQLite in the data folder
    idle_minutes: int
    time_zone: ZoneInfo
    tiles: Tiles | None
    public_address: str
    strict: bool
    secrets: dict = field(repr=False)  # the secrets files as read ([auth], [riverboard.sso], [database])

    @property
    def auth(self) -> dict:
        """[auth]: the single sign-on provider(s); {} when there is none."""
        return self.secrets.get("auth") or {}

    @property
    def sso(self) -> dict:
        """[riverboard.sso]: who signs in as what."""
        return (self.secrets.get("riverboard") or {}).get("sso") or {}


def tiles_from_env(env: Mapping[str, str]) -> Tiles | None:
    choice = (env.get("RIVERBOARD_TILES") or "").strip()
    if choice.lower() in ("", "none", "off"):
        return None
    if choice.lower() == "tianditu":
        key = (env.get("RIVERBOARD_TIANDITU_KEY") or "").strip()
        if not key:
            raise TileConfigError("RIVERBOARD_TILES=tianditu 需要同时设置 RIVERBOARD_TIANDITU_KEY（天地图密钥 tk）")
        return Tiles(url="https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                         "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
                         f"&TILECOL={{x}}&tk={key}", attribution="天地图", subdomains="01234567")
    if choice.lower() == "gaode":
        return Tiles(url="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                         "&x={x}&y={y}&z={z}", attribution="高德地图", subdomains="1234", gcj02=True)
    if all(part in choice for part in ("{z}", "{x}", "{y}")):
        return Tiles(url=choice, attribution=env.get("RIVERBOARD_TILES_ATTR") or _default("RIVERBOARD_TILES_ATTR"),
                     gcj02=(env.get("RIVERBOARD_TILES_GCJ02") or "") in ("1", "true", "yes"))
    raise TileConfigError(f"无法识别的底图设置 RIVERBOARD_TILES={choice!r}：应为 tianditu、gaode 或含 {{z}}/{{x}}/{{y}} 的地址模板")


def _default(name: str) -> str:
    return next(s.default for s in SETTINGS if s.name == name)


def _get(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or "").strip() or _default(name)


def time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones, such as "Asia"
        raise SettingsError(f"时区设置 RIVERBOARD_TIME_ZONE=“{name}” 无法识别（应形如 "
                            f"{_default('RIVERBOARD_TIME_ZONE')}）") from None


def _idle_minutes(text: str) -> int:
    try:
        minutes = int(text)
    except ValueError:
        minutes = 0
    if minutes < 1:
        raise SettingsError(f"RIVERBOARD_IDLE_MINUTES=“{text}” 无法使用：应为不小于1的整数（分钟），"
                            f"不设置即为 {_default('RIVERBOARD_IDLE_MINUTES')} 分钟")
    return minutes


def _table(secrets: dict, *path: str) -> dict:
    """A section of the secrets that must be a table when it is there."""
    value = secrets
    for i, key in enumerate(path):
        value = value.get(key, {}) if isinstance(value, dict) else None
        if not isinstance(value, dict):
            raise SettingsError(f".streamlit/secrets.toml 中的 [{'.'.join(path[:i + 1])}] 应为一节设置（表），"
                                "请改正后再启动。")
    return value


def _db_url(env: Mapping[str, str], secrets: dict) -> str:
    from sqlalchemy import make_url  # the office store's own library; only here to check the URL's form
    from sqlalchemy.exc import ArgumentError

    written = (env.get("RIVERBOARD_DB_URL") or "").strip()
    where = "RIVERBOARD_DB_URL"
    if not written:
        url = _table(secrets, "database").get("url", "")
        if not isinstance(url, str):
            raise SettingsError(".streamlit/secrets.toml 中 [database] 的 url 应为文字（带引号的数据库地址）")
        written, where = url.strip(), "[database] url"
    if written:
        try:
            make_url(written)
        except ArgumentError:
            raise SettingsError(f"{where} 的数据库地址写法有误（应形如 postgresql+psycopg://用户@主机/库名）："
                                "账号与报送库无法连接，请改正后再启动。") from None
    return written


def load(env: Mapping[str, str] | None = None, secrets_files: Sequence[str | Path] = STREAMLIT_SECRETS,
         secrets: Mapping | None = None) -> Settings:
    """Every setting, read and checked; SettingsError (Chinese, naming the setting) on the first that cannot be
    used. The secrets files are always read (a syntax error is said with its file and line); `secrets`, when
    given, are the secrets as the app's run has them (Streamlit's st.secrets: its files and folders, or what
    server.py passed it) and are the ones used."""
    from riverchief.office import sso  # reads the secrets files (and says where a syntax error is)

    env = os.environ if env is None else env
    read = sso.read_secrets([Path(p).expanduser() for p in secrets_files])
    secrets = read if secrets is None else read | dict(secrets)  # what the run has wins, section by section
    _table(secrets, "auth"), _table(secrets, "riverboard", "sso")
    data_dir = Path(_get(env, "RIVERBOARD_DATA_DIR"))
    if data_dir.exists() and not data_dir.is_dir():
        raise SettingsError(f"RIVERBOARD_DATA_DIR=“{data_dir}” 不是文件夹：数据文件夹应为一个文件夹")
    return Settings(data_dir=data_dir, db_url=_db_url(env, secrets),
                    idle_minutes=_idle_minutes(_get(env, "RIVERBOARD_IDLE_MINUTES")),
                    time_zone=time_zone(_get(env, "RIVERBOARD_TIME_ZONE")), tiles=tiles_from_env(env),
                    public_address=_get(env, "RIVERBOARD_PUBLIC_ADDRESS"),
                    strict=bool(_get(env, "RIVERBOARD_STRICT")), secrets=secrets)


def configured_secrets_files(config: Path = STREAMLIT_CONFIG) -> tuple[str, ...]:
    """The secrets files Streamlit reads, as a command-line tool finds them without Streamlit: `[secrets] files` of
    the project's .streamlit/config.toml when it names some, else Streamlit's default."""
    try:
        files = tomllib.loads(config.read_text(encoding="utf-8")).get("secrets", {}).get("files")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError):
        return STREAMLIT_SECRETS
    return tuple(map(str, files)) if isinstance(files, list) and files else STREAMLIT_SECRETS


def run_command(main) -> int:
    """A command-line tool (python -m loaders, exports, riverchief.office): the same settings as the app, read
    and checked before it starts; one that cannot be used stops it with the sentence naming it, no traceback."""
    try:
        current(configured_secrets_files())
    except SettingsError as exc:
        print(f"河长看板未启动：{exc}", file=sys.stderr)
        return 2
    return main()


_files: tuple[str, ...] = STREAMLIT_SECRETS  # the secrets files the server was started with (server.py, app.py)
_given: dict | None = None  # the secrets the app's run has (st.secrets), once app.py passed them
_read: tuple[tuple, Settings] | None = None


def _key(files: tuple[str, ...], given: dict | None) -> tuple:
    def stamp(path: Path):
        try:
            s = path.stat()
        except OSError:
            return None
        return s.st_mtime_ns, s.st_size

    return (tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("RIVERBOARD_"))),
            tuple((f, stamp(Path(f).expanduser())) for f in files),
            None if given is None else json.dumps(given, sort_keys=True, default=str))


def current(secrets_files: Sequence[str | Path] | None = None, secrets: Mapping | None = None) -> Settings:
    """The settings in force. The server's start (server.py, app.py) passes the secrets files Streamlit was told
    to read and the secrets as Streamlit has them; every later call, in any layer, gets the same settings, read
    again only if the environment, a secrets file or the secrets changed."""
    global _files, _given, _read
    if secrets_files is not None:
        _files = tuple(str(f) for f in secrets_files)
    if secrets is not None:
        _given = dict(secrets)
    key = _key(_files, _given)
    if _read is None or _read[0] != key:
        _read = (key, load(secrets_files=_files, secrets=_given))
    return _read[1]
