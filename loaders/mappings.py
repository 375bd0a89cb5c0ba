"""Column mappings the office chose for sheets the importer did not understand, remembered by the shape
of the header row (so next month's file of the same shape goes in by itself, on the page and the CLI).

    <data dir>/mappings/<shape>.json   {"table": "readings", "headers": [...], "columns": {header key: column or ""}}
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from loaders.read import SKIP, header_key, shape_of
from loaders.specs import SPECS


def folder(root: Path) -> Path:
    return Path(root) / "mappings"


def load(root: Path) -> dict[str, dict]:
    out = {}
    base = folder(root)
    if not base.is_dir():
        return out
    for path in sorted(base.glob("*.json")):
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a damaged mapping is as if never saved: the sheet is asked about again
        if isinstance(saved, dict) and (saved.get("table") in SPECS or saved.get("table") == SKIP) \
                and isinstance(saved.get("columns"), dict):
            out[path.stem] = saved
    return out


def save(root: Path, headers: list, table: str, columns: dict[str, str]) -> Path:
    """Remember that a header row of this shape holds `table`, column by column ("" = ignore); the table
    SKIP ("") means sheets of this shape are not imported at all."""
    if table not in SPECS and table != SKIP:
        raise ValueError(table)
    known = {f.column for f in SPECS[table].fields} if table else set()
    said = {header_key(k): v for k, v in columns.items()}  # 完成\n时限 on the sheet, 完成时限 on the command line
    chosen = {header_key(h): (said.get(header_key(h)) or "") for h in headers if h is not None}
    if any(c and c not in known for c in chosen.values()):
        raise ValueError("unknown column")
    base = folder(root)
    base.mkdir(parents=True, exist_ok=True)
    path = base / f"{shape_of(headers)}.json"
    tmp = base / f".{path.name}.{secrets.token_hex(4)}"
    tmp.write_text(json.dumps({"table": table, "headers": [None if h is None else str(h) for h in headers],
                               "columns": chosen}, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path
