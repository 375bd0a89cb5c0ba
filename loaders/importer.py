"""Import office files into a new data version: read, convert, resolve names, make ids, validate,
merge, preview, publish.

Every problem is collected (file, sheet, row, column, what was expected) and nothing is published while
any stands; the version being served is untouched until a publish succeeds. Rows are keyed by what they
are, never by 序号: the same file imported twice changes nothing, and a corrected value replaces the old.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import mappings as saved_mappings, maps
from loaders.cells import _convert, _Refs, _validate
from loaders.filling import _finish
from loaders.issues import Issue, cap
from loaders.layers import _apply_layer
from loaders.merge import _merge, _township_units, change_row
from loaders.names import REF_NAMES, REF_TABLES, _loose_lookup, _lookup
from loaders.read import RawTable, ReadError, Unknown, read_bytes
from loaders.specs import FACTORS, SPECS
from riverchief import access, store
from riverchief.office import actions

ORDER = {"townships": 0, "units": 1, "rivers": 2, "sections": 3, "items": 5, "problems": 6}  # references first
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv") + maps.MAP_SUFFIXES


CHANGE_COLUMNS = ["table", "file", "sheets", "rows", "added", "changed", "removed", "unchanged", "ignored", "skipped"]
DETAIL_COLUMNS = ["table", "action", "what", "change"]


@dataclass
class Prepared:
    files: list[str]
    issues: list[Issue] = field(default_factory=list)  # each one blocks the publish
    notes: list[Issue] = field(default_factory=list)  # said, not blocking: rows skipped, values read a certain way
    unknown: list[Unknown] = field(default_factory=list)  # sheets to map once
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the whole data set after the import
    changes: pd.DataFrame | None = None  # per table and file: rows, added, changed, removed, unchanged
    details: pd.DataFrame | None = None  # each row added, changed (old → new) or removed
    new_units: list[str] = field(default_factory=list)  # units named in lists, to be added as departments
    based_on: str | None = None  # the version the import was merged into
    demo: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues and not self.unknown and bool(self.files) and self.changes is not None

    @property
    def unchanged(self) -> bool:
        """Nothing to publish: every row read is already in the data exactly so."""
        return self.ok and not self.changes[["added", "changed", "removed"]].to_numpy().sum()


# -- the whole import ----------------------------------------------------------------------------------


def expand(paths: list[Path]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Files to import from files and folders (a folder: every Excel, CSV and map file in it, any depth);
    and the names of files in folders that were passed over."""
    files, passed = [], []
    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and not p.name.startswith((".", "~$")):
                    if p.name.lower().endswith(SUFFIXES):
                        files.append((p.name, p.read_bytes()))
                    else:
                        passed.append(p.name)
        else:
            files.append((path.name, path.read_bytes()))
    return files, passed


# One import is checked at a time in a server process: a few offices uploading at month end queue for
# seconds instead of each holding a copy of the data (scripts/bench_import.py measures both).
IMPORT_LOCK = threading.Lock()


def prepare(files: list[tuple[str, bytes]], root: Path, kind: str | None = None, notice: dt.date | None = None,
            crs: str | None = None, map_kind: str | None = None, accept_new_units: bool = True) -> Prepared:
    """Everything up to publishing: the new data set and what would change, or every issue found."""
    with IMPORT_LOCK:
        return _prepare(files, root, kind, notice, crs, map_kind, accept_new_units)


def _prepare(files, root, kind, notice, crs, map_kind, accept_new_units) -> Prepared:
    prepared = Prepared([name for name, _ in files])
    try:
        version = store.current_version(root)
    except store.StoreError:
        prepared.issues.append(Issue("", None, None, None, "还没有本区数据：请先“开始使用本区数据”（页面上，或运行 "
                                     "python -m loaders init --district 区名），再导入文件"))
        return prepared
    if version.is_demo:
        prepared.issues.append(Issue("", None, None, None, "当前显示的是示例数据：本区的文件不能与示例数据混在一起。"
                                     "请先“开始使用本区数据”，再导入"))
        return prepared
    prepared.based_on = version.id
    tables = store.read_tables(version)
    maps_known = saved_mappings.load(root)
    raws: list[RawTable] = []
    layers = []
    for name, data in files:
        if name.lower().endswith(maps.MAP_SUFFIXES):
            try:
                layers.append((name, *maps.read_map(name, data, crs)))
            except ReadError as exc:
                prepared.issues.append(Issue(name, None, None, None, str(exc)))
            continue
        try:
            found = read_bytes(name, data, kind, maps_known)
        except ReadError as exc:
            prepared.issues.append(Issue(name, None, None, None, str(exc)))
            continue
        if not found.tables and not found.unknown:
            prepared.issues.append(Issue(name, None, None, None, "文件中没有数据"))
        prepared.unknown += found.unknown
        raws += found.tables
        for sheet in found.skipped:
            prepared.notes.append(Issue(name, sheet, None, None, "按设定，这张工作表不导入"))
    refs = _Refs({}, district=str(tables["district"]["name"].iloc[0]) if len(tables["district"]) else "")
    changes, details = [], []
    for raw in sorted(raws, key=lambda r: ORDER.get(r.spec.table, 9)):
        tables[raw.spec.table] = store.as_frame(tables[raw.spec.table])  # readings are read only when imported
        refs.lookups = {k: _lookup(tables, k) for k in REF_TABLES}
        refs.loose = {k: _loose_lookup(tables, k, refs.district) for k in REF_TABLES}
        refs.names = {k: dict(zip(tables[t][c], tables[t]["name"])) for k, (t, c) in REF_TABLES.items()}
        refs.unit_ids = tables["units"]["unit_id"].tolist()
        before, said = len(prepared.issues), len(refs.loosely)
        frame = _convert(raw, refs, prepared.issues)
        for kind, text, name in dict.fromkeys(refs.loosely[said:]):
            prepared.notes.append(Issue(raw.file, raw.sheet, None, None, f"{REF_NAMES[kind]}“{text}”按“{name}”识别"))
        _validate(raw, frame, prepared.issues)
        for row, why in raw.skipped:
            prepared.notes.append(Issue(raw.file, raw.sheet, row, None, f"已跳过{why}"))
        if frame.empty and len(prepared.issues) == before:
            prepared.notes.append(Issue(raw.file, raw.sheet, None, None, "只有表头，没有数据行"))
        if len(prepared.issues) > before or frame.empty:
            continue
        finished = _finish(raw, frame, tables, notice, prepared.issues, prepared.notes)
        if len(prepared.issues) > before:
            continue
        provided = {f.column for f in raw.columns.values()} | _derived_columns(raw.spec.table)
        provided |= {f"{f.column}_bdl" for f in raw.columns.values() if f.kind == "conc"}
        if raw.spec.table == "readings":  # one row per factor: the factors come from the 监测项目 column's values
            provided |= {c for c in finished.columns if c in FACTORS or c.removesuffix("_bdl") in FACTORS}
        merged, counts, rows = _merge(raw.spec, tables[raw.spec.table], finished, provided)
        tables[raw.spec.table] = merged
        details += rows
        changes.append(change_row(raw.spec.title, raw.file, len(frame), sheets=raw.sheet or "", **counts,
                                  ignored="、".join(raw.ignored), skipped=len(raw.skipped)))
        if raw.spec.table == "townships":
            tables["units"], counts, rows = _township_units(tables)
            if counts["added"]:
                details += rows
                changes.append(change_row(SPECS["units"].title, raw.file, counts["added"], sheets="（由镇街名单生成）",
                                          added=counts["added"]))
    if refs.new_units:
        _add_departments(refs, tables, changes, details)
        prepared.new_units = [text for text, _ in refs.new_units.values()]
        if not accept_new_units:
            prepared.issues.append(Issue("", None, None, "责任单位", "以下单位不在责任单位名单中：" + "、".join(prepared.new_units)
                                         + "。确认后将新增为部门"))
    for name, layer, repaired, how in layers:
        change = _apply_layer(name, layer, repaired, tables, prepared.issues, map_kind, details)
        if how:
            prepared.notes.append(Issue(name, None, None, None, how))
        if change:
            changes.append(change)
    prepared.issues = cap(prepared.issues)
    prepared.tables = tables
    prepared.changes = _summarise(changes)
    prepared.details = pd.DataFrame(details, columns=DETAIL_COLUMNS)
    return prepared


def _derived_columns(table: str) -> set[str]:
    """Columns the import always computes for a table (so they replace the current values)."""
    return {"items": {"notice_date", "list", "list_year", "start_date", "progress", "done_qty", "status", "done_date",
                      "exposed", "at_risk", "item_id", "township_id", "co_unit_ids", "co_river_ids"},
            "problems": {"notice_date", "progress", "problem_id", "rectified_date"},
            "sections": {"water_body", "target_class", "section_id"},
            "townships": {"kind", "township_id"}, "units": {"kind", "township_id", "unit_id"},
            "rivers": {"river_id"}, "complaints": {"negative_impact"}}.get(table, set())


def _summarise(changes: list[dict]) -> pd.DataFrame:
    """One line per table and file: the sheets of a workbook (one per month of readings) added up."""
    frame = pd.DataFrame(changes, columns=CHANGE_COLUMNS)
    if frame.empty:
        return frame
    out = frame.groupby(["table", "file"], sort=False, as_index=False).agg(
        sheets=("sheets", lambda s: "、".join(x for x in s if x)), rows=("rows", "sum"), added=("added", "sum"),
        changed=("changed", "sum"), removed=("removed", "sum"), unchanged=("unchanged", "sum"),
        ignored=("ignored", lambda s: "、".join(dict.fromkeys(x for v in s for x in v.split("、") if x))),
        skipped=("skipped", "sum"))
    return out[CHANGE_COLUMNS]


def _add_departments(refs: _Refs, tables: dict, changes: list, details: list) -> None:
    """Units named in the lists but in no list of units: new departments (the preview says so)."""
    units = tables["units"]
    rows = []
    for text, new_id in refs.new_units.values():
        rows.append({"unit_id": new_id, "name": text, "kind": "部门", "township_id": None})
        details.append({"table": SPECS["units"].title, "action": "新增", "what": text,
                        "change": "清单中出现但不在责任单位名单中，新增为部门"})
    tables["units"] = pd.concat([units, pd.DataFrame(rows)], ignore_index=True) if len(units) else pd.DataFrame(rows)
    changes.append(change_row(SPECS["units"].title, "（清单中的新单位）", len(rows), added=len(rows)))


def publish(prepared: Prepared, root: Path, by: "str | access.Principal") -> store.Version:
    """Publish a checked import. From a page `by` is the signed-in principal: the role is checked here and
    the import is written to the audit log; from the command line it is the operator's name."""
    principal = by if isinstance(by, access.Principal) else None
    if principal is not None:
        access.require(principal, access.IMPORT)
        by = principal.name
    if not prepared.ok:
        raise store.StoreError("导入仍有错误，未发布")
    if prepared.unchanged:
        raise store.StoreError("与当前数据相比没有变化，无需发布")
    if not by.strip():
        raise store.StoreError("发布需要填写操作人")
    current = store.current_version(root)
    source = "导入：" + "、".join(prepared.files)
    try:
        version = store.publish(root, prepared.tables, source=source, created_by=by.strip(), demo=False,
                                tolerance=current.tolerance, expect_current=prepared.based_on)
    except ValueError:  # a rule refusing a value after the checks: a gap in the checks, said without internals
        raise store.StoreError("发布被拒绝：有数据不符合亮灯规则（如进度超出0–100%），请检查后重新导入") from None
    actions.published(root, principal or by.strip(), version, prepared.files)
    return version
