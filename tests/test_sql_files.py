"""Every .sql file says what it takes, is used by the app, and is called with exactly what it takes."""
import ast
import re
from pathlib import Path

import pytest

from riverchief import versions
from riverchief.db import Database
from riverchief.sql import params_of
from tiny import N2

ROOT = Path(__file__).resolve().parent.parent
SQL = ROOT / "riverchief" / "sql"
NAMES = sorted(p.stem for p in SQL.glob("*.sql"))
APP = [ROOT / "app.py", *(p for d in ("app_pages", "ui", "riverchief", "loaders", "exports", "output")
                          for p in sorted((ROOT / d).rglob("*.py")))]


def _body_params(name: str) -> set[str]:
    text = (SQL / f"{name}.sql").read_text(encoding="utf-8")
    return set(re.findall(r"\$([a-z_]+)", "\n".join(line.split("--")[0] for line in text.split("\n"))))


def calls(paths) -> list[tuple[str, str, set[str] | None]]:
    """(where, file name, keywords passed) of every call naming a .sql file; None when the keywords come
    through ** (those are checked when the call runs: Database.query refuses a wrong set)."""
    out = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            named = [a.value for a in node.args if isinstance(a, ast.Constant) and a.value in NAMES]
            if not named:
                continue
            keywords = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
            if isinstance(node.func, ast.Name) and node.func.id == "checked":  # checked(name, {...})
                given = node.args[1] if len(node.args) > 1 else None
                keywords = {k.value for k in given.keys} if isinstance(given, ast.Dict) else None
            out.append((f"{path.relative_to(ROOT)}:{node.lineno}", named[0], keywords))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_the_header_declares_what_the_file_uses(name):
    assert params_of(name) == _body_params(name)


def test_every_file_is_used_by_the_app():
    used = {name for _, name, _ in calls(APP)}
    assert set(NAMES) - used == set()


def test_every_call_passes_exactly_what_the_file_takes():
    found = calls(APP + sorted((ROOT / "scripts").glob("*.py")))
    wrong = [f"{where}: {name} given {sorted(kw)}, takes {sorted(params_of(name))}"
             for where, name, kw in found if kw is not None and kw != params_of(name)]
    assert wrong == []
    assert sum(kw is not None for *_, kw in found) >= 20  # the check reads real calls, not none


def test_a_wrong_set_of_parameters_is_refused_when_the_query_runs(tiny_dir):
    db = Database(versions.current_version(tiny_dir))
    with pytest.raises(TypeError, match="not taken \\['year'\\]"):
        db.query("light_totals", notice=N2, township=None, river=None, list=None, unit=None, year=2023)
    with pytest.raises(TypeError, match="missing \\['unit'\\]"):
        db.query("light_totals", notice=N2, township=None, river=None, list=None)
    assert len(db.query("light_totals", notice=N2, township=None, river=None, list=None, unit=None)) == 3
