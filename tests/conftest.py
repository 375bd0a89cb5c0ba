import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders.importer import prepare, publish
from riverchief import publishing  # the project is installed in .venv (pyproject.toml, make test)
from tiny import tiny_tables  # tests/ is on the path as pytest's rootdir-relative test folder

ROOT = Path(__file__).resolve().parent.parent

# Pages raise instead of showing the error id, so AppTest and the browser tests see any failure itself.
os.environ.setdefault("RIVERBOARD_STRICT", "1")


def signed_in(at, role: str = "office", unit: str | None = None):
    """An AppTest session signed in with a role (the server-side session state a login leaves behind;
    the login itself is tested through the page and in the browser)."""
    from riverchief.access import ROLE_NAMES, Principal

    at.session_state["principal"] = Principal(f"test-{role}", f"测试{ROLE_NAMES.get(role, role)}", role, unit)
    return at


@pytest.fixture
def tiny_dir(tmp_path):
    """A data folder holding the tiny district, published through the real store."""
    publishing.publish(tmp_path, tiny_tables(), source="测试", created_by="tests")
    return tmp_path


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    """A data folder holding the demo district (built once per test run)."""
    from loaders.demo import build_demo

    root = tmp_path_factory.mktemp("demo")
    build_demo(root)
    return root


SAMPLES = ROOT.parent / "shared" / "samples" / "make_office_files.py"


@pytest.fixture(scope="session")
def office_files(tmp_path_factory) -> Path:
    """A fictional district's files as an office keeps them, written by the shared generator (never committed)."""
    if not SAMPLES.exists():
        pytest.skip("../shared/samples is not beside this checkout")
    out = tmp_path_factory.mktemp("qingchuan")
    subprocess.run([sys.executable, str(SAMPLES), str(out)], check=True, capture_output=True)
    return out


# --- the office store: the same tests on SQLite and on a real, throwaway PostgreSQL ------------------

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


class PostgresServer:
    """A PostgreSQL server of the tests' own (initdb in a temporary folder, a free port), as the postgres user
    when the tests run as root (initdb refuses root). `make test` installs Debian's postgresql; without it
    these tests fail rather than pass unseen."""

    def __init__(self):
        import pwd
        import shutil
        import socket
        import tempfile

        assert PG_BIN, "PostgreSQL is missing: run `make test` (it installs it) or apt-get install postgresql"
        self.bin = PG_BIN[-1]
        self.folder = Path(tempfile.mkdtemp(prefix="riverboard-pg-"))  # not under pytest's folder: postgres cannot enter it
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.as_user = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            shutil.chown(self.folder, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.folder / "data"
        subprocess.run([*self.as_user, str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"],
                       check=True, capture_output=True)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"
        self.start()

    def _ctl(self, *args) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), *args], check=True,
                       capture_output=True)

    def start(self) -> None:
        self._ctl("-w", "-l", str(self.folder / "log"), "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._ctl("-m", "immediate", "stop")

    def remove(self) -> None:
        import shutil

        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    """The test PostgreSQL shared by the session's tests, stopped at the end."""
    server = PostgresServer()
    try:
        yield server.url
    finally:
        server.remove()


_pg_count = iter(range(10**6))


@pytest.fixture(params=["sqlite", "postgresql"])
def office_db(request, tmp_path, monkeypatch):
    """RIVERBOARD_DB_URL for one test: a fresh SQLite file, or a fresh database on the test PostgreSQL."""
    from riverchief.office import database

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'office.sqlite'}"
    else:
        import sqlalchemy as sa

        server = request.getfixturevalue("postgres")
        name = f"t{next(_pg_count)}_{os.getpid()}"
        admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = f"{server}/{name}"
    monkeypatch.setenv("RIVERBOARD_DB_URL", url)
    yield url
    database.forget(url)


# --- a started district for import tests -----------------------------------------------------------


def xlsx_of(sheets: dict[str, list[list]]) -> bytes:
    """A workbook of the given sheets, each a list of rows."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def small(tmp_path):
    """A started district with two townships, two departments, two rivers and a section."""
    publishing.init_district(tmp_path, "测试区")
    refs = xlsx_of({
        "乡镇": [["乡镇（街道）名称"], ["东风镇"], ["西湖街道"]],
        "部门": [["成员单位"], ["区水务局"], ["区环保局"]],
        "河流": [["河湖名称", "河流等级", "目标水质", "牵头部门"], ["东河", "区级", "3类", "区水务局"],
                 ["西湖水库", "区级", "II", "区环保局"]],
        "断面": [["断面名称", "所属河流", "经度", "纬度"], ["东河桥", "东河", "106°30′00″", "29°30′00″"]],
    })
    publish(prepare([("基础名录.xlsx", refs)], tmp_path), tmp_path, "测试")
    return tmp_path


@pytest.fixture
def tiny_late_water_dir(tmp_path):
    """The tiny district with S1's June samples taken in April instead: the June notice (N2) has no readings,
    as a month whose round is published before the laboratory's results."""
    import datetime as dt

    tables = tiny_tables()
    r = tables["readings"]
    june = r["sampled_at"].dt.month.eq(6) & r["sampled_at"].dt.year.eq(2023)
    r.loc[june, "sampled_at"] = r.loc[june, "sampled_at"] - dt.timedelta(days=61)
    publishing.publish(tmp_path, tables, source="测试", created_by="tests")
    return tmp_path
