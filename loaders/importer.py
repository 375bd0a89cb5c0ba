"""Import office files into a new data version: read, convert, resolve names, validate, preview, publish.

Every problem is collected (file, sheet, row, column, what was expected) and nothing is published while
any stands; the version being served is untouched until a publish succeeds.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

import shapely

from loaders import convert, maps
from loaders.read import RawTable, ReadError, match, read_bytes
from loaders.specs import SPECS, Field, TableSpec
from riverchief import schema, store

REF_TABLES = {"river": ("rivers", "river_id"), "township": ("townships", "township_id"), "unit": ("units", "unit_id"),
              "section": ("sections", "section_id")}
REF_NAMES = {"river": "河流", "township": "镇街", "unit": "责任单位", "section": "监测断面"}


@dataclass(frozen=True)
class Issue:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = "，".join(p for p in (self.file, f"工作表“{self.sheet}”" if self.sheet else None,
                                     f"第{self.row}行" if self.row else None,
                                     f"“{self.column}”列" if self.column else None) if p)
        return f"{where}：{self.message}"


@dataclass
class Prepared:
    files: list[str]
    issues: list[Issue] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the whole data set after the import
    changes: pd.DataFrame | None = None  # per table: added, changed, removed
    based_on: str | None = None  # the version the import was merged into

    @property
    def ok(self) -> bool:
        return not self.issues and bool(self.files)


def _lookup(tables: dict[str, pd.DataFrame], ref: str) -> dict[str, str]:
    name, key = REF_TABLES[ref]
    frame = tables[name]
    return {**dict(zip(frame["name"], frame[key])), **{k: k for k in frame[key]}}


def _convert(raw: RawTable, refs: dict[str, dict], issues: list[Issue]) -> pd.DataFrame:
    spec = raw.spec
    fields = {f.column: f for f in spec.fields}
    by_header = {i: fields[c] for i, h in enumerate(raw.headers) if h is not None and (c := match(spec, h))}
    present = {f.column for f in by_header.values()}
    for f in spec.fields:
        if f.required and f.column not in present:
            issues.append(Issue(raw.file, raw.sheet, None, f.header, f"缺少必填列“{f.header}”"))
    records = []
    for number, cells in raw.rows:
        record = {"_row": number}
        for i, f in by_header.items():
            value = cells[i] if i < len(cells) else None
            try:
                record.update(_value(f, value, refs))
            except convert.BadValue as exc:
                issues.append(Issue(raw.file, raw.sheet, number, f.header, str(exc)))
                record[f.column] = None
        records.append(record)
    return pd.DataFrame(records)


def _value(f: Field, value, refs: dict[str, dict]) -> dict:
    if value is None:
        return {f.column: None} | ({f"{f.column}_bdl": False} if f.kind == "conc" else {})
    kind = f.kind
    if kind == "text":
        return {f.column: str(value).strip()}
    if kind == "date":
        return {f.column: convert.to_date(value)}
    if kind == "datetime":
        return {f.column: convert.to_datetime(value)}
    if kind == "int":
        return {f.column: convert.to_int(value)}
    if kind == "float":
        return {f.column: convert.to_float(value, percent=f.column == "progress")}
    if kind == "bool":
        return {f.column: convert.to_bool(value)}
    if kind == "class":
        return {f.column: convert.to_class(value)}
    if kind == "conc":
        number, bdl = convert.to_concentration(value, f.column)
        return {f.column: number, f"{f.column}_bdl": bdl}
    if kind == "choice":
        if f.column == "list":
            return {f.column: convert.to_list(value)}
        text = str(value).strip()
        mapped = {"河流": "river", "湖库": "lake"}.get(text, text) if f.column == "water_body" else text
        if text not in f.choices:
            raise convert.BadValue(f"“{text}”不在可选值中，应为 {'、'.join(f.choices)}")
        return {f.column: mapped}
    if kind in REF_TABLES:
        text = str(value).strip()
        known = refs[kind]
        if text in known:
            return {f.column: known[text]}
        near = difflib.get_close_matches(text, [k for k in known if not k[:1].isascii()], n=1, cutoff=0.5)
        hint = f"，您是否要填“{near[0]}”？" if near else ""
        raise convert.BadValue(f"未知的{REF_NAMES[kind]}“{text}”{hint}")
    raise AssertionError(kind)


def _schema(spec: TableSpec) -> pa.DataFrameSchema:
    """The declared checks of a table after conversion: required, ranges, unique identity."""
    columns = {}
    for f in spec.fields:
        checks = []
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum, error=f"应不小于 {f.minimum:g}"))
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum, error=f"应不大于 {f.maximum:g}"))
        columns[f.column] = pa.Column(nullable=not f.required, checks=checks, required=False)
    checks = []
    if {"start_date", "deadline"} <= {f.column for f in spec.fields}:
        checks.append(pa.Check(lambda d: d["deadline"].isna() | d["start_date"].isna() | (d["deadline"] >= d["start_date"]),
                               element_wise=False, error="完成时限早于开始日期"))
    return pa.DataFrameSchema(columns, checks=checks, unique=list(spec.key), report_duplicates="all")


def _validate(raw: RawTable, frame: pd.DataFrame, issues: list[Issue]) -> None:
    if frame.empty:
        return
    said = {(i.row, i.column) for i in issues}  # a value already refused is not also reported as missing
    headers = {f.column: f.header for f in raw.spec.fields}
    try:
        _schema(raw.spec).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples():
            row = int(frame["_row"].iloc[case.index]) if pd.notna(case.index) else None
            check = str(case.check)
            if "not_nullable" in check:
                message = "必填，不能为空"
            elif "field_uniqueness" in check or "multiple_fields_uniqueness" in check:
                message = "与其他行重复（" + "、".join(headers[k] for k in raw.spec.key) + "相同）"
            else:
                message = f"{check}（实际为 {case.failure_case}）"
            column = headers.get(case.column) if isinstance(case.column, str) else None
            if (row, column) not in said:
                issues.append(Issue(raw.file, raw.sheet, row, column, message))


def _finish(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Fill what the file leaves to the rules: progress of quantified tasks, item defaults, missing columns."""
    out = frame.drop(columns="_row")
    if spec.table == "problems":  # unreported progress: done when rectified, else not started
        reported = out["progress"] if "progress" in out else pd.Series(float("nan"), index=out.index)
        rectified = out["rectified_date"] if "rectified_date" in out else pd.Series(None, index=out.index)
        out["progress"] = reported.fillna(rectified.notna().astype(float))
    if spec.table == "complaints":
        out["negative_impact"] = out["negative_impact"].fillna(False) if "negative_impact" in out else False
    if spec.table == "items":
        qty = out["target_qty"].notna() & out.get("done_qty", pd.Series(index=out.index)).notna()
        missing = out.get("progress", pd.Series(index=out.index)).isna()
        out.loc[qty & missing, "progress"] = (out["done_qty"] / out["target_qty"]).clip(upper=1.0)
        out["progress"] = out["progress"].fillna(0.0)
        for column, default in (("exposed", False), ("at_risk", False), ("status", "推进中")):
            out[column] = out[column].fillna(default) if column in out else default
    for column in schema.TABLES[spec.table].names:
        if column not in out and column not in ("light", "light_reason", "expected"):
            out[column] = None
    keep = [c for c in schema.TABLES[spec.table].names if c in out]
    return out[keep]


def _merge(spec: TableSpec, current: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Upsert by key; a file of snapshot rows replaces every current row of the same notice and list."""
    key = list(spec.key)
    cur = current.drop(columns=[c for c in ("light", "light_reason", "expected") if c in current])
    def ids(frame):
        return set(map(tuple, frame[key].astype(str).values.tolist()))
    replaced = cur.iloc[0:0]  # rows the file takes the place of, beyond those with the same key
    if spec.replace_by:
        mask = pd.Series(False, index=cur.index)
        for values in new[list(spec.replace_by)].drop_duplicates().itertuples(index=False):
            hit = pd.Series(True, index=cur.index)
            for column, value in zip(spec.replace_by, values):
                hit &= cur[column].astype(str) == str(value)
            mask |= hit
        replaced = cur[mask]
    new_ids, old_ids = ids(new), ids(replaced)
    stayed = cur[~cur[key].astype(str).apply(tuple, axis=1).isin(new_ids | old_ids)] if len(cur) else cur
    merged = pd.concat([stayed, new], ignore_index=True) if len(stayed) else new.copy()
    common = [c for c in new.columns if c in cur.columns]
    both = cur.merge(new, on=key, suffixes=("_old", ""))
    changed = 0
    for _, row in both.iterrows():
        if any(str(row[f"{c}_old"]) != str(row[c]) for c in common if c not in key):
            changed += 1
    return merged, {"added": len(new_ids - ids(cur)), "changed": changed, "removed": len(old_ids - new_ids)}


def prepare(files: list[tuple[str, bytes]], root: Path, kind: str | None = None) -> Prepared:
    """Everything up to publishing: the new data set and what would change, or every issue found."""
    prepared = Prepared([name for name, _ in files])
    try:
        version = store.current_version(root)
        tables = store.read_tables(version)
        prepared.based_on = version.id
    except store.StoreError:
        version, tables = None, None
    raws: list[RawTable] = []
    layers = []
    for name, data in files:
        if name.lower().endswith(maps.MAP_SUFFIXES):
            try:
                layers.append((name, *maps.read_map(name, data)))
            except ReadError as exc:
                prepared.issues.append(Issue(name, None, None, None, str(exc)))
            continue
        try:
            found = read_bytes(name, data, kind)
        except ReadError as exc:
            prepared.issues.append(Issue(name, None, None, None, str(exc)))
            continue
        if not found:
            prepared.issues.append(Issue(name, None, None, None, "没有找到可识别的表头（请使用数据模板，或用 --kind 指明内容）"))
        raws += found
    if tables is None:
        prepared.issues.append(Issue("", None, None, None, "数据文件夹中还没有已发布的数据，请先导入或生成基础数据"))
        return prepared
    # Reference tables of this upload first, so later sheets can name what they add.
    order = {"townships": 0, "units": 1, "rivers": 2, "sections": 3}
    changes = []
    for raw in sorted(raws, key=lambda r: order.get(r.spec.table, 9)):
        refs = {k: _lookup(tables, k) for k in REF_TABLES}
        before = len(prepared.issues)
        frame = _convert(raw, refs, prepared.issues)
        _validate(raw, frame, prepared.issues)
        if len(prepared.issues) > before or frame.empty:
            continue
        merged, counts = _merge(raw.spec, tables[raw.spec.table], _finish(raw.spec, frame))
        tables[raw.spec.table] = merged
        changes.append({"table": raw.spec.title, "file": raw.file, "sheet": raw.sheet, "rows": len(frame), **counts})
    for name, layer, repaired in layers:
        change = _apply_layer(name, layer, repaired, tables, prepared.issues)
        if change:
            changes.append(change)
    prepared.tables = tables
    prepared.changes = pd.DataFrame(changes, columns=["table", "file", "sheet", "rows", "added", "changed", "removed"])
    return prepared


def _apply_layer(name: str, layer, repaired: int, tables: dict, issues: list[Issue]) -> dict | None:
    """Replace the shapes of the townships (polygons) or rivers (lines) the layer names."""
    try:
        target = maps.geometry_kind(layer)
    except ReadError as exc:
        issues.append(Issue(name, None, None, None, str(exc)))
        return None
    column = maps.name_column(layer)
    if column is None:
        issues.append(Issue(name, None, None, None, f"地图图层缺少名称字段（应为 {'、'.join(maps.NAME_COLUMNS[:5])} 之一）"))
        return None
    frame = tables[target]
    key = "township_id" if target == "townships" else "river_id"
    found, unknown = maps.match_names(layer[column], dict(zip(frame["name"], frame[key])))
    for i, (n, near) in enumerate(unknown):
        hint = f"，您是否要填“{near}”？" if near else ""
        issues.append(Issue(name, None, None, column, f"未知的{'镇街' if target == 'townships' else '河流'}“{n}”{hint}"))
    if unknown:
        return None
    shapes = {found[str(n).strip()]: g for n, g in zip(layer[column], layer.geometry)}
    updated = frame.copy()
    hit = updated[key].isin(shapes)
    updated.loc[hit, "geom_wkt"] = [shapely.set_precision(shapes[k], 1e-6).wkt for k in updated.loc[hit, key]]
    tables[target] = updated
    title = "镇街边界" if target == "townships" else "河流走向"
    return {"table": title + (f"（修复无效图形{repaired}个）" if repaired else ""), "file": name, "sheet": None,
            "rows": len(layer), "added": 0, "changed": int(hit.sum()), "removed": 0}


def publish(prepared: Prepared, root: Path, by: str) -> store.Version:
    if not prepared.ok:
        raise store.StoreError("导入仍有错误，未发布")
    if not by.strip():
        raise store.StoreError("发布需要填写操作人")
    current = store.current_version(root)
    source = "导入：" + "、".join(prepared.files)
    try:
        # data built on the demo stays labelled as demo
        return store.publish(root, prepared.tables, source=source, created_by=by.strip(), demo=current.is_demo,
                             tolerance=current.manifest.get("tolerance", 0.1), expect_current=prepared.based_on)
    except ValueError as exc:  # a rule refusing a value (e.g. progress beyond 100%) after the checks
        raise store.StoreError(f"发布被拒绝：{exc}") from exc


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame([dict(文件=i.file, 工作表=i.sheet or "", 行=i.row, 列=i.column or "", 问题=i.message)
                         for i in issues], columns=["文件", "工作表", "行", "列", "问题"])
