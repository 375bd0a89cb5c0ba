"""The office store's connection: SQLite in the data folder unless RIVERBOARD_DB_URL (or the secrets'
[database] url, passed in by the frame) names another database, e.g. PostgreSQL shared by several app
servers. The schema is brought up to date by Alembic on first use."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from riverchief import store

MIGRATIONS = Path(__file__).parent / "migrations"
_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def default_url(root: Path | None = None) -> str:
    url = os.environ.get("RIVERBOARD_DB_URL", "").strip()
    if url:
        return url
    root = Path(root) if root is not None else store.data_dir()
    store.private_folder(root)
    return f"sqlite:///{(root / 'office.sqlite').resolve()}"


def _sqlite_pragmas(dbapi_connection, _record):
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")  # several sessions write: wait for the lock, never fail at once
    cur.close()


def engine(url: str | None = None) -> Engine:
    """One engine per database URL in this process, its schema migrated to the newest revision."""
    url = url or default_url()
    with _lock:
        if url not in _engines:
            eng = create_engine(url, pool_pre_ping=True)
            if eng.dialect.name == "sqlite":
                event.listen(eng, "connect", _sqlite_pragmas)
            migrate(eng)
            if eng.dialect.name == "sqlite" and eng.url.database:  # password and session hashes, the audit log:
                Path(eng.url.database).chmod(0o600)  # the office's alone (its journal files take the same mode)
            _engines[url] = eng
        return _engines[url]


def migrate(eng: Engine, revision: str = "head") -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def forget(url: str) -> None:
    """Drop a cached engine (tests that throw their database away)."""
    with _lock:
        eng = _engines.pop(url, None)
    if eng is not None:
        eng.dispose()


@contextmanager
def session(url: str | None = None):
    """A transaction: committed when the block ends, rolled back on any error."""
    maker = sessionmaker(engine(url), expire_on_commit=False)
    with maker.begin() as s:
        yield s

