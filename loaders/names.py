"""Names and identities at import: how names are compared (exactly, then loosely), ids made from what a
row is (序号 is never an identity), and the next free number for a new township, unit, river or section."""
from __future__ import annotations

import hashlib
import re

import pandas as pd

from loaders import convert
from loaders.read import RawTable, header_key

REF_TABLES = {"river": ("rivers", "river_id"), "township": ("townships", "township_id"), "unit": ("units", "unit_id"),
              "section": ("sections", "section_id")}
REF_NAMES = {"river": "河流", "township": "镇街", "unit": "责任单位", "section": "监测断面"}
ID_PREFIX = {"townships": "T", "units": "D", "rivers": "R", "sections": "S", "problems": "WT", "supervision": "DB",
             "patrols": "XH", "lookbacks": "HT", "complaints": "JB"}
LIST_PREFIX = {"major": "ZD", "task": "YH", "problem": "TC"}



def name_key(name) -> str:
    """How names are compared (never stored): half-width, no spaces, one kind of bracket."""
    return header_key(name)


def _lookup(tables: dict[str, pd.DataFrame], ref: str) -> dict[str, str | tuple]:
    """name key → id; a name two rows share → the tuple of their ids (then only an id will do)."""
    name, key = REF_TABLES[ref]
    frame = tables[name]
    out: dict[str, str | tuple] = {}
    for n, i in zip(frame["name"], frame[key]):
        if n is not None:
            k = name_key(n)
            out[k] = i if k not in out or out[k] == i else tuple(sorted({*_ids(out[k]), i}))
    out.update({name_key(k): k for k in frame[key].dropna()})
    return out


def _ids(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


_AFFIXES = ("人民政府", "办事处", "监测断面", "断面", "监测点位", "点位", "街道", "镇", "乡")
_NOTE_IN_BRACKETS = re.compile(r"（[^（）]*）$")  # 青川河（区级）, 区水利局（牵头）
_AND_OTHERS = re.compile(r"等(?:单位|部门|镇街|乡镇|相关单位|相关部门)?$")


def loose_key(name, district: str = "") -> str:
    """A name with what offices add or leave out set aside: the district in front (青川区水利局), 区 in
    front of a department (区水利局 / 水利局), 人民政府, 镇 / 街道 / 乡, 断面 / 点位 at the end."""
    key = _NOTE_IN_BRACKETS.sub("", name_key(name)) or name_key(name)
    key = _AND_OTHERS.sub("", key) or key  # 土桥镇等, 区水利局等单位: the first of several named
    district = name_key(district)
    if district and key.startswith(district) and len(key) > len(district):
        key = key[len(district):]
    key = key.removeprefix("区") if len(key) > 2 else key
    for affix in _AFFIXES:
        if key.endswith(affix) and len(key) > len(affix) + 1:
            key = key[: -len(affix)]
    return key


def _loose_lookup(tables: dict[str, pd.DataFrame], ref: str, district: str) -> dict[str, str | None]:
    """loose key → id, or None when two names share a loose key (then only the exact name will do)."""
    name, key = REF_TABLES[ref]
    out: dict[str, str | None] = {}
    for n, i in zip(tables[name]["name"], tables[name][key]):
        if n is not None:
            k = loose_key(n, district)
            out[k] = i if out.get(k, i) == i else None
    return out


def _next_ids(existing, prefix: str, n: int) -> list[str]:
    numbers = [int(m[1]) for x in existing if isinstance(x, str) and (m := re.fullmatch(re.escape(prefix) + r"(\d+)", x))]
    start = max(numbers, default=0) + 1
    return [f"{prefix}{k:02d}" for k in range(start, start + n)]


def _digest(*parts) -> str:
    text = "\x1f".join("" if p is None or p is pd.NaT or (isinstance(p, float) and p != p) else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6].upper()


def _dedupe(ids: list[str]) -> list[str]:
    """Two rows describing the same thing get -2, -3 … in the order of the file."""
    seen: dict[str, int] = {}
    out = []
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
        out.append(i if seen[i] == 1 else f"{i}-{seen[i]}")
    return out


def _is_sequence(raw: RawTable, column: str) -> bool:
    """序号 is never an identity: a column headed 序号, or holding only whole numbers, is a row number."""
    index = next((j for j, f in raw.columns.items() if f.column == column), None)
    if index is None:
        return True
    if header_key(raw.headers[index]) == "序号":
        return True
    values = raw.data[index].dropna().unique() if index in raw.data else []
    return bool(len(values)) and all(re.fullmatch(r"\d{1,4}", convert.plain(v)) for v in values)
