"""SQL lives in small .sql files beside this module, one question per file, parameters bound.

Each file's first line declares what it takes (`-- params: notice, township` or `-- params: none`); a call
must pass exactly those (`checked`), and tests/test_sql_files.py holds every file and call to it.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent
_HEADER = "-- params:"


@cache
def load_sql(name: str) -> str:
    return (_HERE / f"{name}.sql").read_text(encoding="utf-8")


@cache
def params_of(name: str) -> frozenset[str]:
    """The parameters a file declares in its header line."""
    first = load_sql(name).split("\n", 1)[0]
    if not first.startswith(_HEADER):
        raise ValueError(f"{name}.sql does not start with '{_HEADER} …'")
    words = [w.strip() for w in first.removeprefix(_HEADER).split(",")]
    return frozenset() if words == ["none"] else frozenset(words)


def checked(name: str, params: dict) -> str:
    """The file's text, once the call passes exactly the parameters it declares (a missing one would fail
    in DuckDB anyway; an extra one would be silently ignored, which hides a filter that does nothing)."""
    wanted = params_of(name)
    if set(params) != wanted:
        missing, extra = sorted(wanted - set(params)), sorted(set(params) - wanted)
        raise TypeError(f"{name}.sql takes {sorted(wanted)}: missing {missing}, not taken {extra}")
    return load_sql(name)
