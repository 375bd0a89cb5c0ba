"""The office store's connection: SQLite in the data folder unless the settings (RIVERBOARD_DB_URL, or the
secrets' [database] url) name another database, e.g. PostgreSQL shared by several app
servers. The schema is brought up to date by Alembic on first use.

A store that cannot be reached — its file removed, read-only or locked past the wait, the server stopped —
raises Unavailable (a Chinese sentence with an error id; the detail goes to the server log), and the
engine is dropped so the next use connects afresh: the app recovers by itself once the store is back."""
from __future__ import annotations

import logging
import secrets
import threading
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import sessionmaker

from riverchief import settings, versions
from riverchief.errors import RiverBoardError

MIGRATIONS = Path(__file__).parent / "migrations"
_engines: dict[str, Engine] = {}
_files: dict[str, tuple[int, int]] = {}  # a SQLite store's (device, inode) when its engine was made
_migrated: set[str] = set()  # brought to the newest revision in this process (not again after each fault)
_lock = threading.Lock()


class Unavailable(RiverBoardError):
    """The office store cannot be used right now: said in Chinese with an error id the server log carries."""

    def __init__(self, detail: str):
        self.error_id = secrets.token_hex(4)
        logging.getLogger("riverboard").error("office store unavailable, error id %s: %s", self.error_id, detail)
        super().__init__(f"账号与报送库暂时无法使用（错误编号 {self.error_id}），登录、月报送和账号管理暂停；"
                         "看板等页面不受影响。请稍后刷新；如持续出现，请把错误编号告知系统管理员。", detail)


def default_url(root: Path | None = None) -> str:
    """The office store in force (riverchief/settings.py): the URL set, else SQLite in the data folder."""
    url = settings.current().db_url
    if url:
        return url
    root = Path(root) if root is not None else versions.data_dir()
    versions.private_folder(root)
    return f"sqlite:///{(root / 'office.sqlite').resolve()}"


BUSY_TIMEOUT_MS = 10000  # several sessions write: wait this long for SQLite's lock, never fail at once


def _sqlite_pragmas(dbapi_connection, _record):
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cur.close()


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    database = parsed.database if parsed.drivername.startswith("sqlite") else None
    return Path(database) if database and database != ":memory:" else None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _check_file(url: str) -> None:
    """A SQLite store this process opened must still be there: removed, it is not made again empty behind
    the office's back (accounts, rounds and the log would be gone without a word); put back (another
    file), the engine is made anew so the server does not keep the old one."""
    path = _sqlite_file(url)
    if path is None or url not in _files:
        return
    now = _identity(path)
    if now is None:
        forget(url)
        raise Unavailable(f"{path} is missing (the store is not made again empty while this server runs)")
    if now != _files[url]:
        forget(url)


def engine(url: str | None = None) -> Engine:
    """One engine per database URL in this process, its schema migrated to the newest revision."""
    url = url or default_url()
    with _lock:
        if url not in _engines:
            postgres = make_url(url).get_backend_name() == "postgresql"  # an unreachable host: 5 s, not TCP's minutes
            eng = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5} if postgres else {})
            if eng.dialect.name == "sqlite":
                event.listen(eng, "connect", _sqlite_pragmas)
            path = _sqlite_file(url)
            try:
                if url not in _migrated or (path is not None and _identity(path) != _files.get(url)):
                    migrate(eng)
                    _migrated.add(url)
                if path is not None:  # password and session hashes, the audit log: the office's alone
                    path.chmod(0o600)  # (its journal files take the same mode)
                    _files[url] = _identity(path)
            except BaseException:
                eng.dispose()
                raise
            _engines[url] = eng
        return _engines[url]


def migrate(eng: Engine, revision: str = "head") -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def forget(url: str) -> None:
    """Drop a cached engine: the next use connects afresh (after a fault; tests that throw their database
    away). A SQLite file this process opened is still expected back, not made again empty."""
    with _lock:
        eng = _engines.pop(url, None)
    if eng is not None:
        eng.dispose()


@contextmanager
def session(url: str | None = None):
    """A transaction: committed when the block ends, rolled back on any error; Unavailable when the store
    cannot be reached or written."""
    url = url or default_url()
    _check_file(url)
    try:
        eng = engine(url)
    except (DBAPIError, PoolTimeout, OSError, CommandError) as exc:  # unreachable, not a database, a newer schema
        raise Unavailable(f"{type(exc).__name__}: {exc}") from exc
    try:
        with sessionmaker(eng, expire_on_commit=False).begin() as s:
            yield s
    except IntegrityError:  # a refused write is the caller's to say, not a fault of the store
        raise
    except (DBAPIError, PoolTimeout) as exc:
        if "database is locked" not in str(exc):  # a lock held too long passes; anything else: connect afresh
            forget(url)
        raise Unavailable(f"{type(exc).__name__}: {exc}") from exc

