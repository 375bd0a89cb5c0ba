"""Merging an import into the data: by identity (snapshots replace their notice), in bulk, and saying
exactly what is added, changed (old → new) and removed."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from loaders.names import name_key
from loaders.specs import SPECS, TableSpec
from riverchief.schema import COMPUTED_COLUMNS



def _canon(value) -> str:
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, float):
        return "" if value != value else f"{value:.10g}"
    if isinstance(value, (bool,)) or type(value).__name__ == "bool_":
        return "是" if value else "否"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        ts = pd.Timestamp(value)
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _canon(value.item())
    return str(value)


def _canon_of(series: pd.Series) -> np.ndarray:
    """Each value as compared (see _canon), computed once per distinct value."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.array([_canon(u) for u in uniques] + [""], dtype=object)[codes]


def _key_codes(a: pd.DataFrame, b: pd.DataFrame, key: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Identities of the rows of two frames as integers (equal where the key columns compare equal)."""
    combined = np.zeros(len(a) + len(b), dtype=np.int64)
    for column in key:
        both = np.concatenate([_canon_of(a[column]) if len(a) else np.array([], dtype=object),
                               _canon_of(b[column]) if len(b) else np.array([], dtype=object)])
        codes, uniques = pd.factorize(both)
        combined = combined * (len(uniques) + 1) + codes
    return combined[:len(a)], combined[len(a):]


def _label(spec: TableSpec, row) -> str:
    for column in ("name", "title"):
        if column in row and isinstance(row[column], str):
            return row[column]
    return " ".join(_canon(row[k]) for k in spec.key)


def change_row(table: str, file: str, rows: int, *, sheets: str = "", added: int = 0, changed: int = 0,
               removed: int = 0, unchanged: int = 0, ignored: str = "", skipped: int = 0) -> dict:
    """One line of the preview: what a file (or sheet) does to a table."""
    return dict(table=table, file=file, sheets=sheets, rows=rows, added=added, changed=changed, removed=removed,
                unchanged=unchanged, ignored=ignored, skipped=skipped)


MARK = "_import"  # rows this import wrote: "added" or "kept" (dropped before publishing)
DETAILS_PER_KIND = 1000  # rows listed one by one per table and kind of change; the rest are counted


def _merge(spec: TableSpec, current: pd.DataFrame, new: pd.DataFrame, provided: set[str],
           replace: bool = True) -> tuple[pd.DataFrame, dict, list]:
    """Upsert by identity; snapshot rows replace every current row of the same notice (and list) unless
    `replace` is off (rows of the snapshot were held back). Columns the file does not hold keep their current
    values (a shape, an office override)."""
    key = list(spec.key)
    cur = current.drop(columns=[c for c in COMPUTED_COLUMNS if c in current]).reset_index(drop=True)
    new = new.reset_index(drop=True)
    cur_keys, new_keys = _key_codes(cur, new, key)
    last = pd.Series(np.arange(len(cur))).groupby(cur_keys).last()  # a key twice in the data: its last row
    matched = pd.Index(last.index).get_indexer(new_keys)
    have = matched >= 0
    at = last.to_numpy()[matched[have]]
    for c in [c for c in cur.columns if c not in provided and c != MARK]:  # values the file does not speak of stay
        if c not in new:
            new[c] = None
        if have.any():
            if new[c].dtype != cur[c].dtype:  # pandas 3 refuses to upcast in place (floats into a float64 column of NaN)
                new[c] = new[c].astype(object)
            new.loc[have, c] = cur[c].iloc[at].to_numpy()
    earlier = cur[MARK].to_numpy() if MARK in cur else np.full(len(cur), None, dtype=object)
    fresh = np.array([earlier[a] == "added" for a in at], dtype=bool)  # added by an earlier sheet of this import
    new[MARK] = np.where(have, "kept", "added").astype(object)
    if have.any():
        new.loc[have, MARK] = np.where(fresh, "added", "kept")
    scope = np.zeros(len(cur), dtype=bool)
    if spec.replace_by and len(cur) and replace:  # a snapshot replaces what was there before this import, not
        cur_scope, new_scope = _key_codes(cur, new, list(spec.replace_by))  # another sheet of it (任务清单 + 责任清单)
        scope = np.isin(cur_scope, new_scope) & pd.isna(earlier)
    in_new = np.isin(cur_keys, new_keys)
    removed = cur[scope & ~in_new]
    stayed = cur[~(scope | in_new)]
    merged = pd.concat([stayed, new], ignore_index=True) if len(stayed) else new.copy()
    headers = {f.column: f.header for f in spec.fields}
    compare = [c for c in new.columns if c in cur.columns and c != MARK]
    differs = {c: _canon_of(cur[c].iloc[at]) != _canon_of(new.loc[have, c]) for c in compare} if have.any() else {}
    changed_at = np.zeros(int(have.sum()), dtype=bool)
    for d in differs.values():
        changed_at |= d
    changed_at &= ~fresh  # a row this import added is counted once, as added
    details: list[dict] = []
    added_rows = np.flatnonzero(~have)
    for i in added_rows[:DETAILS_PER_KIND]:
        details.append({"table": spec.title, "action": "新增", "what": _label(spec, new.iloc[i]), "change": ""})
    _more(details, spec, "新增", len(added_rows))
    new_have, cur_at = np.flatnonzero(have), at
    changed_rows = np.flatnonzero(changed_at)
    for j in changed_rows[:DETAILS_PER_KIND]:
        i, old = new_have[j], cur.iloc[cur_at[j]]
        diffs = [(c, _canon(old[c]), _canon(new.at[i, c])) for c in compare if differs[c][j]]
        details.append({"table": spec.title, "action": "修改", "what": _label(spec, new.iloc[i]),
                        "change": "；".join(f"{headers.get(c, c)}：{a or '（空）'} → {b or '（空）'}" for c, a, b in diffs)})
    _more(details, spec, "修改", len(changed_rows))
    _removed_details(details, spec, removed)
    counts = {"added": len(added_rows), "changed": len(changed_rows), "removed": len(removed),
              "unchanged": int((~fresh).sum()) - len(changed_rows)}
    return merged, counts, details


def _removed_details(details: list, spec: TableSpec, removed: pd.DataFrame) -> None:
    for _, row in removed.head(DETAILS_PER_KIND).iterrows():
        details.append({"table": spec.title, "action": "删除", "what": _label(spec, row),
                        "change": "本次文件中已没有这一行（同一通报、同一清单的数据以本次文件为准）"})
    _more(details, spec, "删除", len(removed))


def remove_gone(spec: TableSpec, table: pd.DataFrame, scopes: list[pd.DataFrame]) -> tuple[pd.DataFrame, int, list]:
    """After every sheet of an import is merged: the rows that were there before it, in a notice and list some
    sheet of it gave whole, that no sheet of it holds any more (so two sheets of one list add up, in any order)."""
    if not scopes or table.empty or MARK not in table:
        return table, 0, []
    scope = pd.concat(scopes, ignore_index=True).drop_duplicates()
    cur_scope, given = _key_codes(table, scope, list(spec.replace_by))
    gone = np.isin(cur_scope, given) & table[MARK].isna().to_numpy()
    details: list[dict] = []
    _removed_details(details, spec, table[gone])
    return table[~gone].reset_index(drop=True), int(gone.sum()), details


def _more(details: list, spec: TableSpec, action: str, n: int) -> None:
    if n > DETAILS_PER_KIND:
        details.append({"table": spec.title, "action": action, "what": f"……其余 {n - DETAILS_PER_KIND:,} 行",
                        "change": "（逐行明细只列出前 {DETAILS_PER_KIND} 行）".format(DETAILS_PER_KIND=DETAILS_PER_KIND)})


def _township_units(tables: dict) -> tuple[pd.DataFrame, dict, list]:
    """Every township is also a responsible unit (镇街), with the township's id."""
    towns, units = tables["townships"], tables["units"]
    have = {name_key(n) for n in units["name"]}
    missing = towns[~towns["name"].map(name_key).isin(have)]
    if missing.empty:
        return units, {"added": 0}, []
    rows = pd.DataFrame({"unit_id": missing["township_id"], "name": missing["name"], "kind": "镇街",
                         "township_id": missing["township_id"]})
    details = [{"table": SPECS["units"].title, "action": "新增", "what": n, "change": "镇街自动作为责任单位"}
               for n in rows["name"]]
    return pd.concat([units, rows], ignore_index=True) if len(units) else rows, {"added": len(rows)}, details
