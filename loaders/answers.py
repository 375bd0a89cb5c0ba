"""What the office said once about a value the import did not know — `土桥镇等` is 土桥镇, `区级部门` is the
unit kind 部门 — kept per district in the data folder as a readable file and used by every later import, on
the page and on the command line, so next month's files need no answer again.

    <data dir>/answers.json   {"unit": {"土桥镇等": "土桥镇"}, "choice:kind": {"区级部门": "部门"}}

The keys are what a value is (a reference kind, or choice:<column>), then the value as written.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from loaders.names import name_key

FILE = "answers.json"
KINDS = {"river": "河流", "township": "镇街", "unit": "责任单位", "section": "监测断面"}


def label(what: str) -> str:
    """What an answer is about, in the office's words."""
    if what.startswith("choice:"):
        from loaders.specs import SPECS

        column = what.split(":", 1)[1]
        headers = {f.header for s in SPECS.values() for f in s.fields if f.column == column}
        return "、".join(sorted(headers)) or column
    return KINDS.get(what, what)


def load(root: Path) -> dict[str, dict[str, str]]:
    """The answers, keyed by what and by the written value as compared (name_key)."""
    try:
        saved = json.loads((Path(root) / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or a damaged file: the values are asked about again
    if not isinstance(saved, dict):
        return {}
    return {what: {name_key(k): str(v) for k, v in pairs.items() if isinstance(k, str) and isinstance(v, str) and v}
            for what, pairs in saved.items() if isinstance(pairs, dict)}


def save(root: Path, answers: dict[tuple[str, str], str]) -> Path:
    """Remember each (what, written) → meant; an empty meant forgets the answer. The file is replaced whole."""
    path = Path(root) / FILE
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        saved = saved if isinstance(saved, dict) else {}
    except (OSError, ValueError):
        saved = {}
    for (what, written), meant in answers.items():
        if not isinstance(saved.get(what), dict):  # a hand-edited file with something else there: replaced
            saved[what] = {}
        pairs = saved[what]
        for k in [k for k in pairs if name_key(k) == name_key(written)]:
            del pairs[k]
        if meant:
            pairs[written] = meant
    saved = {w: p for w, p in saved.items() if p}
    tmp = path.with_name(f".{FILE}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(saved, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return path


def remember(root: Path, who, said: dict[tuple[str, str], str]) -> Path:
    """Save the answers and record them in the audit log (a principal's role is checked there)."""
    from riverchief.office import actions

    path = save(root, said)
    actions.answered(root, who, [f"{label(what)}“{written}”→“{meant or '（取消）'}”" for (what, written), meant in said.items()])
    return path


def questions(issues) -> dict[tuple[str, str], tuple[str, ...]]:
    """The values an import asks about, once each: (what, as written) → what it may mean, likeliest first."""
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for i in issues:
        if i.ask:
            what, written, options = i.ask
            out.setdefault((what, written), tuple(options))
    return out
