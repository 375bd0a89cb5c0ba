"""SQL lives in small .sql files beside this module, one question per file, parameters bound."""
from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent


@cache
def load_sql(name: str) -> str:
    return (_HERE / f"{name}.sql").read_text(encoding="utf-8")
