"""Cells into the data model's types, names into ids, and the declared checks of a table (pandera)."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from loaders import convert, layouts
from loaders.issues import MAX_ISSUES, Issue
from loaders.names import REF_NAMES, REF_TABLES, _is_sequence, _next_ids, loose_key, name_key
from loaders.read import RawTable
from loaders.specs import BODY_WORDS, Field, TableSpec
from riverchief import clock


@dataclass
class _Refs:
    lookups: dict[str, dict[str, str]]
    loose: dict[str, dict[str, str | None]] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # id → name, to say what a loose match chose
    loosely: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, as written, the name it was read as)
    unit_ids: list = field(default_factory=list)  # ids already taken, to number new departments
    district: str = ""
    new_units: dict[str, tuple[str, str]] = field(default_factory=dict)  # name key → (name as typed, its new id)
    held: dict[str, dict[str, str]] = field(default_factory=dict)  # kind → name key → the sheet holding it back
    unread: dict[str, str] = field(default_factory=dict)  # name key → a sheet not understood that holds the name
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # what the office said a value means (answers.py)
    chosen: list[tuple[str, str, str]] = field(default_factory=list)  # (column header, as written, the choice it was read as)
    outside: list[tuple[str, str]] = field(default_factory=list)  # (column header, name): rivers beyond the district


def _resolve(kind: str, text: str, refs: _Refs) -> str:
    known = refs.lookups[kind]
    key = name_key(text)
    meant = refs.answers.get(kind, {}).get(key)
    if key not in known and meant and name_key(meant) in known and not isinstance(known[name_key(meant)], tuple):
        refs.loosely.append((kind, text, meant))  # the office said once what this means (a real name wins)
        return known[name_key(meant)]
    if isinstance(known.get(key), tuple):
        raise convert.BadValue(f"名称“{text}”对应多个{REF_NAMES[kind]}（编号 {'、'.join(known[key])}），请改写编号以区分")
    if key in known:
        return known[key]
    if kind == "unit" and key in refs.new_units:
        return refs.new_units[key][1]
    if key in refs.held.get(kind, {}):  # the cause is elsewhere: the row that defines the name was held back
        raise convert.BadValue(f"{REF_NAMES[kind]}“{text}”在{refs.held[kind][key]}中，但那一行未能导入（原因见该表），"
                               "改正后这一行随之导入")
    loose = refs.loose.get(kind, {}).get(loose_key(text, refs.district))
    if loose:  # 水利局 for 区水利局, 石门 for 石门镇: one name only fits, and the preview says so
        refs.loosely.append((kind, text, refs.names[kind].get(loose, loose)))
        return loose
    names = [k for k in known if not k[:1].isascii()]
    near = difflib.get_close_matches(key, names, n=1, cutoff=0.8 if kind == "unit" else 0.5)
    if kind == "unit" and not near:  # a unit nobody has listed yet: offered as a new department
        new_id = _next_ids(refs.unit_ids + [i for _, i in refs.new_units.values()], "D", 1)[0]
        refs.new_units[key] = (text, new_id)
        return new_id
    if key in refs.unread:  # the name is in a sheet not understood yet (a river list without a level, say)
        raise convert.UnknownValue(f"{REF_NAMES[kind]}“{text}”在尚未识别的工作表{refs.unread[key]}中：请先指定那张表各列的内容",
                                   text, ())
    hint = f"，您是否要填“{near[0]}”？" if near else ""
    shown = list(dict.fromkeys(n for n in refs.names.get(kind, {}).values() if isinstance(n, str)))
    options = sorted(shown, key=lambda n: -difflib.SequenceMatcher(None, key, name_key(n)).ratio())
    raise convert.UnknownValue(f"未知的{REF_NAMES[kind]}“{text}”{hint}", text, tuple(options))


def _value(f: Field, value, refs: _Refs, year: int | None) -> dict:
    column = f.column
    if convert.is_empty(value) and not (f.kind == "text" and isinstance(value, str) and value.strip()):
        return {column: None} | ({f"{column}_bdl": False} if f.kind == "conc" else {})
    kind = f.kind
    if kind == "text":
        return {column: str(value).strip()}
    if kind == "date" and column == "notice_date" and isinstance(value, str):
        try:  # 2024年6月 in a 通报月份 column is that month's notice
            return {column: convert.to_notice_month(value)}
        except convert.BadValue:
            pass
    if kind == "date":
        return {column: convert.to_date(value, year)}
    if kind == "datetime":  # a sampling time: not in the future
        when = convert.plausible(convert.to_datetime(value, year), latest_years=0)
        if when > clock.now() + dt.timedelta(days=1):
            raise convert.BadValue(f"采样时间“{when:%Y-%m-%d}”晚于今天，请核对")
        return {column: when}
    if kind == "period":
        start, end = convert.to_period(value, year)
        return {"_period_start": start, "_period_end": end}
    if kind == "deadline" and isinstance(value, str) and convert.plain(value).startswith(convert.IMMEDIATE):
        return {column: None, "_immediate": True}  # 立行立改: the month it was found or started (filled below)
    if kind == "deadline":
        deadline = convert.to_deadline(value, year)
        if deadline is not None:
            convert.plausible(dt.datetime(deadline.year, deadline.month, deadline.day), latest_years=30)
        return {column: deadline}
    if kind == "progress":
        return {"_progress": convert.to_progress(value),
                "_progress_text": str(value).strip() if isinstance(value, str) else None}
    if kind == "coord":
        return {column: convert.to_coordinate(value)}
    if kind == "lonlat":
        return dict(zip(("lon", "lat"), convert.to_lonlat(value)))
    if kind == "int":
        return {column: convert.to_int(value)}
    if kind == "float" and column == "target_qty":  # 3360米: the unit may share the cell
        if re.fullmatch(r"[+-]?(nan|inf|infinity)", convert.plain(value), re.I):
            raise convert.BadValue(f"“{value}”不是有效数字")
        try:
            qty, unit = convert.to_quantity(value)
        except convert.BadValue:  # 完成年度建设任务: a target in words, not a quantity
            return {column: None, "_target_words": str(value).strip()}
        return {column: qty} | ({"_qty_unit": unit} if unit else {})
    if kind == "float":
        return {column: convert.to_float(value)}
    if kind == "bool":
        return {column: convert.to_bool(value)}
    if kind == "class":
        return {column: convert.to_class(value)}
    if kind == "conc":
        number, bdl = convert.to_concentration(value, column)
        return {column: number, f"{column}_bdl": bdl}
    if kind == "choice":
        if column == "list":
            return {column: convert.to_list(value)}
        meant = refs.answers.get(f"choice:{column}", {}).get(name_key(value))
        choice = meant if meant in f.choices else convert.to_choice(value, f.choices, column)
        if convert.plain(value) != choice:
            refs.chosen.append((f.header, str(value), choice))
        if column == "water_body":
            return {column: BODY_WORDS[choice]}
        return {column: choice}
    if kind in REF_TABLES and column.startswith("co_"):  # a 配合单位 column of its own: every name kept
        _say_collective(f, value, refs)
        return {column: "、".join(_resolve(kind, n, refs) for n in convert.split_names(value)) or None}
    if column == "parent_river_id":  # a river this district does not keep (长江): the fact is not ours to record
        try:
            return {column: _resolve(kind, str(value).strip(), refs)}
        except convert.UnknownValue:
            refs.outside.append((f.header, str(value).strip()))
            return {column: None}
    if kind in REF_TABLES:
        names = convert.split_names(value) if f.many else [str(value).strip()]
        if f.many:
            _say_collective(f, value, refs)
        if not names:
            return {column: None}
        ids = [_resolve(kind, n, refs) for n in names]
        out = {column: ids[0]}
        if f.many:
            out["co_" + column.replace("_id", "_ids")] = "、".join(ids[1:]) or None
        return out
    raise AssertionError(kind)


def _say_collective(f: Field, value, refs: _Refs) -> None:
    """各乡镇, 相关部门 in a cell of names: no one unit, left out of the names, and said."""
    for part in convert.collective(value):
        refs.chosen.append((f.header, part, "（泛指多个单位，不记为某一单位）"))


def _convert(raw: RawTable, refs: _Refs, issues: list[Issue]) -> pd.DataFrame:
    """Every cell into the data model's types. Each distinct value is converted once (a million readings hold
    a few thousand distinct values), so a large file costs what its variety costs, not its length."""
    present = {f.column for f in raw.columns.values()}
    if "lonlat" in present:  # one 经纬度 column holds both
        present |= {"lon", "lat"}
    monthly = raw.spec.table == "readings" and raw.context.year and raw.context.month  # a sheet per month
    for f in raw.spec.fields:
        if f.required and f.column not in present and not (monthly and f.column == "sampled_at"):
            issues.append(Issue(raw.file, raw.sheet, None, f.header, f"缺少必填列“{f.header}”"))
    year = raw.context.year
    rows = raw.data.index.to_numpy()
    out = pd.DataFrame({"_row": rows, "_bad": False})
    for i, f in raw.columns.items():
        column = raw.data[i] if i in raw.data else pd.Series(None, index=raw.data.index, dtype=object)
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        results, errors = [], {}
        for k, value in enumerate(list(uniques) + [None]):  # the last stands for an empty cell
            try:
                results.append(_value(f, value, refs, year))
            except convert.BadValue as exc:
                results.append({f.column: None})
                errors[k] = exc
        for key in dict.fromkeys(k for r in results for k in r):
            out[key] = np.array([r.get(key) for r in results], dtype=object)[codes]
        what = f.kind if f.kind in REF_TABLES else f"choice:{f.column}"
        for k, exc in errors.items():
            hit = rows[codes == k]
            ask = (what, exc.written, exc.options) if isinstance(exc, convert.UnknownValue) and exc.options else None
            for n in hit[:MAX_ISSUES]:
                issues.append(Issue(raw.file, raw.sheet, int(n), raw.headers[i] or f.header, str(exc), ask=ask))
            if len(hit) > MAX_ISSUES:
                issues.append(Issue(raw.file, raw.sheet, None, raw.headers[i] or f.header, str(exc),
                                    rows=len(hit) - MAX_ISSUES, ask=ask))
            out.loc[codes == k, "_bad"] = True  # every row of the value is held back, listed or not
    _in_units(raw, out)
    if "_immediate" in out:  # 立行立改: due at the end of the month it was found (or started)
        began = out["found_date"] if "found_date" in out else out.get("start_date")
        due = [convert.month_end(b.year, b.month) if now is True and isinstance(b, dt.date) else d
               for now, b, d in zip(out["_immediate"], began if began is not None else [None] * len(out), out["deadline"])]
        out["deadline"] = np.array(due, dtype=object)
    return out


def _in_units(raw: RawTable, out: pd.DataFrame) -> None:
    """Values into the data's units: concentrations in the unit their header, title or 单位 column gives into mg/L,
    amounts in 元 into 万元 (raw.scale says which)."""
    per_row = out["unit"].map(lambda u: (layouts.unit_scale(u) or (1.0, ""))[0] if isinstance(u, str) else 1.0) \
        if "unit" in out else None
    for f in raw.spec.fields:
        if f.column not in out or not (f.kind == "conc" or f.column.endswith("_wan")):
            continue
        scale = (raw.scale.get(f.column) or (raw.scale.get("*") if f.kind == "conc" else None) or (1.0, ""))[0]
        factor = per_row * scale if per_row is not None and f.kind == "conc" else scale
        if not isinstance(factor, pd.Series) and factor == 1:
            continue
        values = pd.to_numeric(out[f.column], errors="coerce") * factor
        digits = 6 if f.kind == "conc" else 4
        out[f.column] = np.array([None if v != v else round(float(v), digits) for v in values], dtype=object)


OPTIONAL_KEYS = ("method",)


def _schema(spec: TableSpec, unique: bool = True, key: tuple[str, ...] | None = None) -> pa.DataFrameSchema:
    """The declared checks of a table after conversion: required, ranges, unique identity."""
    columns = {}
    for f in spec.fields:
        checks = []
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum, error=f"应不小于 {f.minimum:g}"))
        if f.maximum is not None:  # a concentration far beyond any river's is most likely in another unit
            unit = "（mg/L；这样大的数值多半是单位不对，如 μg/L：请在表头或“单位”列写明单位）" if f.kind == "conc" else ""
            checks.append(pa.Check.le(f.maximum, error=f"应不大于 {f.maximum:g}{unit}"))
        columns[f.column] = pa.Column(nullable=not f.required, checks=checks, required=False)
    checks = []
    if {"start_date", "deadline"} <= {f.column for f in spec.fields}:
        checks.append(pa.Check(_deadline_after_start, element_wise=False, error="完成时限早于开始日期"))
    return pa.DataFrameSchema(columns, checks=checks, unique=list(key or spec.key) if unique else None,
                              report_duplicates="all")


def _deadline_after_start(d: pd.DataFrame) -> pd.Series:
    if "deadline" not in d or "start_date" not in d:
        return pd.Series(True, index=d.index)
    return d["deadline"].isna() | d["start_date"].isna() | (d["deadline"] >= d["start_date"])


def _validate(raw: RawTable, frame: pd.DataFrame, issues: list[Issue]) -> None:
    if frame.empty:
        return
    said = {(i.row, i.column) for i in issues}  # a value already refused is not also reported as missing
    rows_said = {i.row for i in issues if i.file == raw.file and i.sheet == raw.sheet}
    headers = {f.column: f.header for f in raw.spec.fields}
    headers.update({f.column: raw.headers[j] for j, f in raw.columns.items() if raw.headers[j]})
    # identities made later (no id column, or 序号 only) and one row per factor are checked once made
    # a key column the file leaves to the rules (a reading's 监测方式, filled later by one rule for the sheet) is left out
    key = tuple(k for k in raw.spec.key if k in frame.columns or k not in OPTIONAL_KEYS)
    unique = not _is_long(frame) and all(k in frame.columns and not _is_sequence(raw, k) for k in key)
    try:
        _schema(raw.spec, unique=unique, key=key).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples():
            row = int(frame["_row"].iloc[case.index]) if pd.notna(case.index) else None
            check = str(case.check)
            if "not_nullable" in check:
                message = "必填，不能为空"
            elif "field_uniqueness" in check or "multiple_fields_uniqueness" in check:
                if row in rows_said:  # a row whose name was not understood is not also a duplicate
                    continue
                message = "与其他行重复（" + "、".join(headers[k] for k in key) + "相同）"
            elif check.startswith("应"):
                message = f"{check}（实际为 {case.failure_case}）"
            elif "完成时限" in check:
                message = check
            else:
                message = "数值不符合要求"
            column = headers.get(case.column) if isinstance(case.column, str) else None
            if (row, column) not in said:
                issues.append(Issue(raw.file, raw.sheet, row, column, message))


def _is_long(frame: pd.DataFrame) -> bool:
    return {"factor", "value"} <= set(frame.columns) and frame["factor"].notna().any()
