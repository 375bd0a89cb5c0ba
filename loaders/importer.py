"""Import office files into a new data version: read, convert, resolve names, make ids, validate,
merge, preview, publish.

Every problem is collected (file, sheet, row, column, what was expected) and nothing is published while
any stands; the version being served is untouched until a publish succeeds. Rows are keyed by what they
are, never by 序号: the same file imported twice changes nothing, and a corrected value replaces the old.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from loaders import convert, mappings as saved_mappings, maps
from loaders.read import RawTable, ReadError, Unknown, header_key, match, read_bytes
from loaders.specs import FACTORS, SPECS, Field, TableSpec
from riverchief import schema, store

REF_TABLES = {"river": ("rivers", "river_id"), "township": ("townships", "township_id"), "unit": ("units", "unit_id"),
              "section": ("sections", "section_id")}
REF_NAMES = {"river": "河流", "township": "镇街", "unit": "责任单位", "section": "监测断面"}
ORDER = {"townships": 0, "units": 1, "rivers": 2, "sections": 3, "items": 5, "problems": 6}  # references first
ID_PREFIX = {"townships": "T", "units": "D", "rivers": "R", "sections": "S", "problems": "WT", "supervision": "DB",
             "patrols": "XH", "lookbacks": "HT", "complaints": "JB"}
LIST_PREFIX = {"major": "ZD", "task": "YH", "problem": "TC"}
DERIVED = ("light", "light_reason", "expected")
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv") + maps.MAP_SUFFIXES


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
        return f"{where}：{self.message}" if where else self.message


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


# -- names and ids -------------------------------------------------------------------------------------


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


def loose_key(name, district: str = "") -> str:
    """A name with what offices add or leave out set aside: the district in front (青川区水利局), 区 in
    front of a department (区水利局 / 水利局), 人民政府, 镇 / 街道 / 乡, 断面 / 点位 at the end."""
    key = _NOTE_IN_BRACKETS.sub("", name_key(name)) or name_key(name)
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


# -- converting cells ----------------------------------------------------------------------------------


@dataclass
class _Refs:
    lookups: dict[str, dict[str, str]]
    loose: dict[str, dict[str, str | None]] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # id → name, to say what a loose match chose
    loosely: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, as written, the name it was read as)
    unit_ids: list = field(default_factory=list)  # ids already taken, to number new departments
    district: str = ""
    new_units: dict[str, tuple[str, str]] = field(default_factory=dict)  # name key → (name as typed, its new id)


def _resolve(kind: str, text: str, refs: _Refs) -> str:
    known = refs.lookups[kind]
    key = name_key(text)
    if isinstance(known.get(key), tuple):
        raise convert.BadValue(f"名称“{text}”对应多个{REF_NAMES[kind]}（编号 {'、'.join(known[key])}），请改写编号以区分")
    if key in known:
        return known[key]
    if kind == "unit" and key in refs.new_units:
        return refs.new_units[key][1]
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
    hint = f"，您是否要填“{near[0]}”？" if near else ""
    raise convert.BadValue(f"未知的{REF_NAMES[kind]}“{text}”{hint}")


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
        if when > dt.datetime.now() + dt.timedelta(days=1):
            raise convert.BadValue(f"采样时间“{when:%Y-%m-%d}”晚于今天，请核对")
        return {column: when}
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
        text = convert.plain(value)
        if column == "water_body":  # 河流 / 河流型 / 江 → river; 湖库 / 水库型 / 湖泊 → lake
            if any(w in text for w in ("湖", "库")):
                return {column: "lake"}
            if any(w in text for w in ("河", "江", "溪")):
                return {column: "river"}
            raise convert.BadValue(f"“{value}”不在可选值中，应为 {'、'.join(f.choices)}")
        return {column: convert.to_choice(value, f.choices, column)}
    if kind in REF_TABLES and column.startswith("co_"):  # a 配合单位 column of its own: every name kept
        return {column: "、".join(_resolve(kind, n, refs) for n in convert.split_names(value)) or None}
    if kind in REF_TABLES:
        names = convert.split_names(value) if f.many else [str(value).strip()]
        ids = [_resolve(kind, n, refs) for n in names]
        out = {column: ids[0]}
        if f.many:
            out["co_" + column.replace("_id", "_ids")] = "、".join(ids[1:]) or None
        return out
    raise AssertionError(kind)


MAX_ISSUES = 500  # listed per import; beyond, one line says how many more (a whole column wrong says it enough)


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
    out = pd.DataFrame({"_row": rows})
    for i, f in raw.columns.items():
        column = raw.data[i] if i in raw.data else pd.Series(None, index=raw.data.index, dtype=object)
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        results, errors = [], {}
        for k, value in enumerate(list(uniques) + [None]):  # the last stands for an empty cell
            try:
                results.append(_value(f, value, refs, year))
            except convert.BadValue as exc:
                results.append({f.column: None})
                errors[k] = str(exc)
        for key in dict.fromkeys(k for r in results for k in r):
            out[key] = np.array([r.get(key) for r in results], dtype=object)[codes]
        for k, message in errors.items():
            hit = rows[codes == k]
            for n in hit[:MAX_ISSUES]:
                issues.append(Issue(raw.file, raw.sheet, int(n), raw.headers[i] or f.header, message))
            if len(hit) > MAX_ISSUES:
                issues.append(Issue(raw.file, raw.sheet, None, raw.headers[i] or f.header,
                                    f"另有 {len(hit) - MAX_ISSUES:,} 行同样的问题（{message}）"))
    return out


def cap(issues: list[Issue]) -> list[Issue]:
    """At most MAX_ISSUES listed; the rest counted in one line."""
    if len(issues) <= MAX_ISSUES:
        return issues
    return issues[:MAX_ISSUES] + [Issue("", None, None, None, f"还有 {len(issues) - MAX_ISSUES:,} 个问题未列出："
                                        "同类问题往往是整列的写法，请按上面的说明批量修改后重新导入")]


# -- checks ---------------------------------------------------------------------------------------------


def _schema(spec: TableSpec, unique: bool = True) -> pa.DataFrameSchema:
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
        checks.append(pa.Check(_deadline_after_start, element_wise=False, error="完成时限早于开始日期"))
    return pa.DataFrameSchema(columns, checks=checks, unique=list(spec.key) if unique else None, report_duplicates="all")


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
    unique = not _is_long(frame) and all(k in frame.columns and not _is_sequence(raw, k) for k in raw.spec.key)
    try:
        _schema(raw.spec, unique=unique).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples():
            row = int(frame["_row"].iloc[case.index]) if pd.notna(case.index) else None
            check = str(case.check)
            if "not_nullable" in check:
                message = "必填，不能为空"
            elif "field_uniqueness" in check or "multiple_fields_uniqueness" in check:
                if row in rows_said:  # a row whose name was not understood is not also a duplicate
                    continue
                message = "与其他行重复（" + "、".join(headers[k] for k in raw.spec.key) + "相同）"
            elif check.startswith("应"):
                message = f"{check}（实际为 {case.failure_case}）"
            elif "完成时限" in check:
                message = check
            else:
                message = "数值不符合要求"
            column = headers.get(case.column) if isinstance(case.column, str) else None
            if (row, column) not in said:
                issues.append(Issue(raw.file, raw.sheet, row, column, message))


# -- filling what the file leaves to the rules ---------------------------------------------------------


def _col(frame: pd.DataFrame, column: str, default=None) -> pd.Series:
    return frame[column] if column in frame else pd.Series(default, index=frame.index, dtype=object)


def _with_notice(raw: RawTable, frame: pd.DataFrame, notice: dt.date | None, issues: list[Issue], what: str) -> bool:
    """Fill the notice date of a snapshot sheet: its column, else the month asked for, else the month of
    its title or file name; never a notice after today. False (and an issue) when none says it."""
    if "notice_date" not in frame or frame["notice_date"].isna().any():
        ctx = raw.context
        when = notice or (convert.month_end(ctx.year, ctx.month) if ctx.year and ctx.month else None)
        if when is None:
            issues.append(Issue(raw.file, raw.sheet, None, None, f"无法确定这份{what}对应的通报月份：请在文件名或标题中"
                                "写明（如“2024年6月”），或在导入时指定通报月份"))
            return False
        frame["notice_date"] = _col(frame, "notice_date").where(_col(frame, "notice_date").notna(), when)
    future = frame["notice_date"].map(lambda d: d > dt.date.today())
    if future.any():  # a notice from the future would become everyone's default month
        issues.append(Issue(raw.file, raw.sheet, None, "通报日期", f"通报日期{frame.loc[future, 'notice_date'].iloc[0]:%Y-%m-%d}"
                            "晚于今天，请核对文件名、标题中的月份或“通报日期”列"))
        return False
    return True


def _per_column(raw: RawTable, frame: pd.DataFrame, notes: list[Issue]) -> list:
    """The progress column's figures, percent or fraction decided once for the column: any bare number above 1
    makes every bare number a percentage (60 → 60%, and then 1 → 1%); otherwise they are shares (1 → 100%)."""
    reported = list(_col(frame, "_progress"))
    numbers = [p.number for p in reported if isinstance(p, convert.Progress) and p.number is not None]
    if not any(n > 1 for n in numbers):
        return reported
    if any(0 < n <= 1 for n in numbers):
        notes.append(Issue(raw.file, raw.sheet, None, "进度", "进度列中有大于1的数，整列按百分数理解（如 0.6 记为 0.6%）"))
    return [dataclasses.replace(p, progress=p.number / 100, done=p.number >= 100)
            if isinstance(p, convert.Progress) and p.number is not None else p for p in reported]


def _item_progress(raw: RawTable, frame: pd.DataFrame, issues: list[Issue], notes: list[Issue]) -> pd.DataFrame:
    """Progress as reported, in numbers or words; a quantity done counted in the target's unit; the status
    in the words written (else from the figures); `_done` when the row says the item is finished."""
    progress, done_qty, status, done = [], [], [], []
    if "_progress" in frame:
        frame["_progress"] = _per_column(raw, frame, notes)
    if "_target_words" in frame and frame["_target_words"].notna().any():
        example = frame["_target_words"].dropna().iloc[0]
        notes.append(Issue(raw.file, raw.sheet, None, None, f"目标写的是文字（如“{example}”），不计入目标量"))
    if "_qty_unit" in frame:  # a unit written with the target (3360米) where no unit column says it
        frame["target_unit"] = _col(frame, "target_unit").where(_col(frame, "target_unit").notna(), frame["_qty_unit"])
    target_unit = _col(frame, "target_unit")
    for i, row in frame.iterrows():
        p = row.get("_progress") if "_progress" in frame else None
        p = p if isinstance(p, convert.Progress) else None
        qty = row.get("done_qty") if "done_qty" in frame else None
        share = p.progress if p else None
        if p and p.done_qty is not None:
            converted = convert.quantity_in(p.done_qty, p.qty_unit, target_unit[i])
            if converted is None:
                unit = target_unit[i] if isinstance(target_unit[i], str) else "（未填）"
                notes.append(Issue(raw.file, raw.sheet, int(row["_row"]), "进度",
                                   f"“{row['_progress_text']}”的单位与目标单位“{unit}”不一致，未计入完成量"))
            else:
                qty = converted
        target = row.get("target_qty") if "target_qty" in frame else None
        if share is None and pd.notna(qty) and pd.notna(target) and target:
            share = min(float(qty) / float(target), 1.0)
        share = 0.0 if share is None else share
        if share > 1:
            issues.append(Issue(raw.file, raw.sheet, int(row["_row"]), "进度", f"进度超过100%（{share:.0%}）"))
            share = 1.0
        progress.append(share)
        done_qty.append(qty)
        finished = bool(p and p.done) or share >= 1
        done.append(finished)
        standing = pd.isna(row.get("deadline")) if "deadline" in frame else True
        words = row.get("_progress_text") if "_progress_text" in frame else None
        status.append(words if isinstance(words, str) and not re.search(r"\d", words or "") else
                      "已完成" if finished else "持续推进" if standing else
                      "未开始" if p and p.not_started else "推进中")
    frame["progress"] = progress
    frame["done_qty"] = done_qty
    frame["_done"] = done
    frame["_status"] = status
    return frame


def _list_from_headers(raw: RawTable, notes: list[Issue]) -> str | None:
    """Which list a sheet holds when no name says it: its headers do (问题 → 突出问题, 项目/资金 → 重大事项,
    任务 → 一河一策); the preview says so."""
    headers = "".join(h for h in raw.headers if h)
    for words, kind, name in (("问题", "problem", "突出问题整改"), ("项目", "major", "重大事项重大项目"),
                              ("资金", "major", "重大事项重大项目"), ("任务", "task", "“一河一策”任务")):
        if words in headers:
            notes.append(Issue(raw.file, raw.sheet, None, None, f"未写明是哪张清单，按表头中的“{words}”判断为{name}清单"))
            return kind
    return None


def _items(raw: RawTable, frame: pd.DataFrame, tables: dict, notice: dt.date | None, issues: list[Issue],
           notes: list[Issue]) -> pd.DataFrame:
    """A list sheet as one notice's snapshot: notice, list and year from the title when not in columns;
    progress from words or quantities; done when 100%; ids from what the row is."""
    ctx = raw.context
    if not _with_notice(raw, frame, notice, issues, "清单"):
        return frame
    if ctx.list is None and ("list" not in frame or frame["list"].isna().any()):
        ctx = dataclasses.replace(ctx, list=_list_from_headers(raw, notes))
    if "list" not in frame or frame["list"].isna().any():
        if ctx.list is None:
            issues.append(Issue(raw.file, raw.sheet, None, "清单", "无法判断属于哪张清单：请在工作表名称或标题中写明"
                                "（重大事项重大项目、一河一策、突出问题整改），或增加“清单”列"))
            return frame
        frame["list"] = _col(frame, "list").fillna(ctx.list)
    year = _col(frame, "list_year")
    frame["list_year"] = year.where(year.notna(), ctx.year or frame["notice_date"].map(lambda d: d.year))
    if "deadline" not in frame and (frame["list"] == "major").all():  # an annual list of major projects
        frame["deadline"] = frame["list_year"].map(lambda y: dt.date(int(y), 12, 31))
        notes.append(Issue(raw.file, raw.sheet, None, None, "没有完成时限列：重大事项按年度清单，以当年年底为完成时限"))
    start = _col(frame, "start_date")
    frame["start_date"] = start.where(start.notna(), frame["list_year"].map(lambda y: dt.date(int(y), 1, 1)))
    frame = _item_progress(raw, frame, issues, notes)
    reported = _col(frame, "month_reported")
    quiet = pd.Series([bool(p.not_started) if isinstance(p, convert.Progress) else False
                       for p in _col(frame, "_progress")], index=frame.index)
    frame["month_reported"] = reported.where(reported.notna(), ~quiet)  # 未启动 on a standing task: not reported
    given = _col(frame, "status")
    frame["status"] = given.where(given.notna(), frame["_status"])
    # Done without a date: the date an earlier notice already recorded, else this notice.
    earlier = tables["items"].dropna(subset=["done_date"]).groupby("item_id")["done_date"].min()
    frame["exposed"] = _col(frame, "exposed").where(_col(frame, "exposed").notna(),
                                                    _col(frame, "source").fillna("").astype(str).str.contains("曝光"))
    frame["at_risk"] = _col(frame, "at_risk").fillna(False)
    # Ids from what the item is: list, year, river, title, unit (序号 is a row number, never an id).
    if "item_id" not in frame or _is_sequence(raw, "item_id"):
        frame["item_id"] = _dedupe([
            f"{LIST_PREFIX[r['list']]}{int(r['list_year'])}-"
            f"{_digest(r['list'], int(r['list_year']), r['river_id'], name_key(r['title']), r['unit_id'])}"
            for _, r in frame.iterrows()])
    dates = _col(frame, "done_date")
    dated = dates.notna() & (dates.astype(object) <= frame["notice_date"].astype(object))
    frame.loc[dated, "progress"] = 1.0  # a 销号 date on or before the notice means done
    carried = frame["item_id"].map(earlier)
    frame["done_date"] = dates.where(dates.notna(), carried.where(frame["_done"], None))
    frame["done_date"] = frame["done_date"].where(frame["done_date"].notna() | ~frame["_done"], frame["notice_date"])
    # A township's own items are that township's.
    towns = tables["units"].dropna(subset=["township_id"]).set_index("unit_id")["township_id"]
    own = _col(frame, "township_id")
    frame["township_id"] = own.where(own.notna(), frame["unit_id"].map(towns))
    return frame


def _problems(raw: RawTable, frame: pd.DataFrame, tables: dict, notice: dt.date | None,
              issues: list[Issue]) -> pd.DataFrame:
    if not _with_notice(raw, frame, notice, issues, "问题台账"):
        return frame
    p = pd.Series(_per_column(raw, frame, []), index=frame.index, dtype=object)
    frame = frame.drop(columns=[c for c in ("_progress", "_progress_text") if c in frame])
    share = p.map(lambda x: x.progress if isinstance(x, convert.Progress) else None)
    # 已整改 / 已销号 without a date: the date an earlier notice recorded, else this notice
    earlier = tables["problems"].dropna(subset=["rectified_date"]).groupby("problem_id")["rectified_date"].min()
    done = frame["status"].isin(["已整改", "已销号"])
    rectified = _col(frame, "rectified_date")
    frame["progress"] = share.where(share.notna(), (rectified.notna() | done).astype(float)).astype(float)
    frame.loc[done, "progress"] = 1.0
    if "problem_id" not in frame or _is_sequence(raw, "problem_id"):
        frame["problem_id"] = _dedupe([f"WT{r['found_date'].year}-{_digest(r['river_id'], name_key(r['title']), r['found_date'])}"
                                       for _, r in frame.iterrows()])
    fill = done & rectified.isna()
    frame["rectified_date"] = rectified.where(~fill, frame["problem_id"].map(earlier).where(
        frame["problem_id"].map(earlier).notna(), frame["notice_date"]))
    return frame


NEAR_KM = 50  # a point further than this from the district's outline is a typo or swapped coordinates


def _near_district(frame: pd.DataFrame, tables: dict, raw: RawTable, issues: list[Issue]) -> None:
    """Points far from the district (a digit wrong, degrees-minutes read as decimals) are refused by row."""
    wkt = tables["district"]["geom_wkt"].dropna()
    if wkt.empty:
        return
    outline = shapely.from_wkt(wkt.iloc[0])
    has = frame["lon"].notna() & frame["lat"].notna()
    for _, r in frame[has].iterrows():
        km = outline.distance(shapely.Point(r["lon"], r["lat"])) * 111
        if km > NEAR_KM:
            issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), "经度/纬度",
                                f"位置（{r['lon']:.4f}，{r['lat']:.4f}）距本区约{km:.0f}公里，请核对经纬度（是否写反或写错）"))


def _sections(frame: pd.DataFrame, tables: dict, raw: RawTable, issues: list[Issue]) -> pd.DataFrame:
    rivers = tables["rivers"].set_index("river_id")
    body = _col(frame, "water_body")
    lake = frame["river_id"].map(rivers["name"]).fillna("").astype(str).str.contains(r"(?:水库|湖|库|塘|堰)$")
    frame["water_body"] = body.where(body.notna(), lake.map({True: "lake", False: "river"}))
    target = _col(frame, "target_class")
    frame["target_class"] = target.where(target.notna(), frame["river_id"].map(rivers["target_class"]))
    for _, r in frame[frame["target_class"].isna()].iterrows():
        issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), "水质目标", "缺少水质目标（断面和所在河流都没有填写）"))
    return frame


def _is_long(frame: pd.DataFrame) -> bool:
    return {"factor", "value"} <= set(frame.columns) and frame["factor"].notna().any()


def _pivot_readings(frame: pd.DataFrame, raw: RawTable, issues: list[Issue], notes: list[Issue]) -> pd.DataFrame:
    """One row per factor (监测项目, 监测值) into one row per section and time, a column per factor."""
    spec = SPECS["readings"]
    fields = {f.column: f for f in spec.fields}
    column = frame["factor"].map(lambda t: match(spec, t) if isinstance(t, str) else None)
    ours = column.isin(FACTORS)
    others = sorted(set(frame.loc[~ours & frame["factor"].notna(), "factor"].astype(str)))
    if others:
        notes.append(Issue(raw.file, raw.sheet, None, "监测项目", "以下监测项目不在本系统评价范围内，未导入：" + "、".join(others)))
    rows: dict[tuple, dict] = {}
    for (_, r), factor in zip(frame[ours].iterrows(), column[ours]):
        try:
            value = _value(fields[factor], r["value"], _Refs({}), raw.context.year)
            if factor == "do" and value["do"] is not None and not 0 <= value["do"] <= 25:
                raise convert.BadValue(f"溶解氧应在 0 至 25 之间（实际为 {value['do']:g}）")
        except convert.BadValue as exc:
            issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), "监测值", str(exc)))
            continue
        record = rows.setdefault((r["section_id"], r["sampled_at"]),
                                 {"_row": r["_row"], "section_id": r["section_id"], "sampled_at": r["sampled_at"]})
        if factor in record:
            issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), "监测项目",
                                f"同一断面、同一时间的“{fields[factor].header}”出现了两次"))
        record.update(value)
    return pd.DataFrame(list(rows.values()))


def _readings(frame: pd.DataFrame, raw: RawTable, issues: list[Issue], notes: list[Issue]) -> pd.DataFrame:
    if "sampled_at" not in frame:  # a sheet per month without dates: the month it names
        ctx = raw.context
        frame["sampled_at"] = dt.datetime(ctx.year, ctx.month, 1)
        notes.append(Issue(raw.file, raw.sheet, None, None, f"没有采样时间列：按标题记为{ctx.year}年{ctx.month}月"))
    if _is_long(frame):
        frame = _pivot_readings(frame, raw, issues, notes)
    factors = [f for f in FACTORS if f in frame]
    headers = {f.column: raw.headers[j] or f.header for j, f in raw.columns.items()}
    for f in factors:
        if frame[f].isna().all() and len(frame):
            issues.append(Issue(raw.file, raw.sheet, None, headers[f], "这一列没有读到任何数值，请检查表头和单元格内容"))
    if not factors:
        issues.append(Issue(raw.file, raw.sheet, None, None, "没有找到任何监测指标列（总磷、氨氮、高锰酸盐指数、溶解氧）"))
        return frame
    empty = frame[factors].isna().all(axis=1)
    for _, r in frame[empty].iterrows():
        issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), None, "该行没有任何监测值"))
    return frame


def _finish(raw: RawTable, frame: pd.DataFrame, tables: dict, notice: dt.date | None, issues: list[Issue],
            notes: list[Issue]) -> pd.DataFrame:
    """Fill what the file leaves to the rules, make ids, keep the data model's columns."""
    spec = raw.spec
    out = frame.copy()
    if spec.table == "items":
        out = _items(raw, out, tables, notice, issues, notes)
    elif spec.table == "problems":
        out = _problems(raw, out, tables, notice, issues)
    elif spec.table == "sections":
        out = _sections(out, tables, raw, issues)
    if spec.table in ("sections", "problems") and "lon" in out:
        _near_district(out, tables, raw, issues)
    elif spec.table == "readings":
        out = _readings(out, raw, issues, notes)
    elif spec.table == "complaints":
        out["negative_impact"] = _col(out, "negative_impact").fillna(False)
    elif spec.table == "townships":
        kind = _col(out, "kind")
        out["kind"] = kind.where(kind.notna(), out["name"].astype(str).str.endswith("街道").map({True: "街道", False: "镇"}))
    elif spec.table == "units":
        towns = _lookup(tables, "township")
        tid = out["name"].map(lambda n: towns.get(name_key(n)) if isinstance(towns.get(name_key(n)), str) else None)
        out["township_id"] = _col(out, "township_id").where(_col(out, "township_id").notna(), tid)
        kind = _col(out, "kind")
        out["kind"] = kind.where(kind.notna(), out["township_id"].notna().map({True: "镇街", False: "部门"}))
    key = spec.key[-1]
    needs_id = key not in out or _is_sequence(raw, key)
    if spec.table in ("townships", "units", "rivers", "sections") and needs_id:
        out[key] = _reference_ids(spec.table, out, tables)
    elif spec.table in ("supervision", "patrols", "lookbacks", "complaints") and needs_id:
        values = [c for c in out.columns if not c.startswith("_") and c != key]
        out[key] = _dedupe([ID_PREFIX[spec.table] + _digest(*[r[c] for c in values]) for _, r in out.iterrows()])
    if spec.table in ("townships", "units", "rivers", "sections"):  # the same name twice: one row, said
        twice = out.duplicated(subset=[key], keep="last")
        for _, r in out[twice].iterrows():
            notes.append(Issue(raw.file, raw.sheet, int(r["_row"]), None, f"“{r['name']}”重复出现，按最后一行导入"))
        out = out[~twice]
    keep = [c for c in schema.TABLES[spec.table].names if c in out and c not in DERIVED]
    return out[keep]


def _reference_ids(table: str, frame: pd.DataFrame, tables: dict) -> list[str]:
    """A reference row keeps the id its name already has; a new name gets the next free number."""
    current = tables[table]
    key = schema.TABLES[table].names[0]
    known = {name_key(n): i for n, i in zip(current["name"], current[key])}
    if table == "units":  # a township's unit takes the township's id
        known.update({name_key(n): i for n, i in zip(tables["townships"]["name"], tables["townships"]["township_id"])
                      if name_key(n) not in known})
    fresh = [name_key(n) for n in frame["name"] if name_key(n) not in known]
    fresh = list(dict.fromkeys(fresh))
    ids = dict(zip(fresh, _next_ids(current[key], ID_PREFIX[table], len(fresh))))
    return [known.get(name_key(n)) or ids[name_key(n)] for n in frame["name"]]


# -- merging and what changes --------------------------------------------------------------------------


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


DETAILS_PER_KIND = 1000  # rows listed one by one per table and kind of change; the rest are counted


def _merge(spec: TableSpec, current: pd.DataFrame, new: pd.DataFrame, provided: set[str]) -> tuple[pd.DataFrame, dict, list]:
    """Upsert by identity; snapshot rows replace every current row of the same notice (and list).
    Columns the file does not hold keep their current values (a shape, an office override)."""
    key = list(spec.key)
    cur = current.drop(columns=[c for c in DERIVED if c in current]).reset_index(drop=True)
    new = new.reset_index(drop=True)
    cur_keys, new_keys = _key_codes(cur, new, key)
    last = pd.Series(np.arange(len(cur))).groupby(cur_keys).last()  # a key twice in the data: its last row
    matched = pd.Index(last.index).get_indexer(new_keys)
    have = matched >= 0
    at = last.to_numpy()[matched[have]]
    for c in [c for c in cur.columns if c not in provided]:  # values the file does not speak of stay as they were
        if c not in new:
            new[c] = None
        if have.any():
            new.loc[have, c] = cur[c].iloc[at].to_numpy()
    scope = np.zeros(len(cur), dtype=bool)
    if spec.replace_by and len(cur):
        cur_scope, new_scope = _key_codes(cur, new, list(spec.replace_by))
        scope = np.isin(cur_scope, new_scope)
    in_new = np.isin(cur_keys, new_keys)
    removed = cur[scope & ~in_new]
    stayed = cur[~(scope | in_new)]
    merged = pd.concat([stayed, new], ignore_index=True) if len(stayed) else new.copy()
    headers = {f.column: f.header for f in spec.fields}
    compare = [c for c in new.columns if c in cur.columns]
    differs = {c: _canon_of(cur[c].iloc[at]) != _canon_of(new.loc[have, c]) for c in compare} if have.any() else {}
    changed_at = np.zeros(int(have.sum()), dtype=bool)
    for d in differs.values():
        changed_at |= d
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
    for _, row in removed.head(DETAILS_PER_KIND).iterrows():
        details.append({"table": spec.title, "action": "删除", "what": _label(spec, row),
                        "change": "本次文件中已没有这一行（同一通报、同一清单的数据以本次文件为准）"})
    _more(details, spec, "删除", len(removed))
    counts = {"added": len(added_rows), "changed": len(changed_rows), "removed": len(removed),
              "unchanged": int(have.sum()) - len(changed_rows)}
    return merged, counts, details


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
        merged, counts, rows = _merge(raw.spec, tables[raw.spec.table], finished, provided)
        tables[raw.spec.table] = merged
        details += rows
        changes.append({"table": raw.spec.title, "file": raw.file, "sheets": raw.sheet or "", "rows": len(frame), **counts,
                        "ignored": "、".join(raw.ignored), "skipped": len(raw.skipped)})
        if raw.spec.table == "townships":
            tables["units"], counts, rows = _township_units(tables)
            if counts["added"]:
                details += rows
                changes.append({"table": SPECS["units"].title, "file": raw.file, "sheets": "（由镇街名单生成）",
                                "rows": counts["added"], "added": counts["added"], "changed": 0, "removed": 0,
                                "unchanged": 0, "ignored": "", "skipped": 0})
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
    changes.append({"table": SPECS["units"].title, "file": "（清单中的新单位）", "sheets": "", "rows": len(rows),
                    "added": len(rows), "changed": 0, "removed": 0, "unchanged": 0, "ignored": "", "skipped": 0})


def _apply_layer(name: str, layer, repaired: int, tables: dict, issues: list[Issue], map_kind: str | None,
                 details: list) -> dict | None:
    """Replace the shapes of the district (its outline), townships (polygons) or rivers (lines) the layer names."""
    district = tables["district"]
    try:
        target = maps.geometry_kind(layer, map_kind, district["name"].tolist(), tables["townships"]["name"].tolist())
    except ReadError as exc:
        issues.append(Issue(name, None, None, None, str(exc)))
        return None
    if target == "district":
        if district.empty:
            issues.append(Issue(name, None, None, None, "还没有本区名称，无法导入行政区界"))
            return None
        outline = maps.dissolve(layer)
        updated = district.copy()
        old = updated.at[0, "geom_wkt"]
        updated.at[0, "geom_wkt"] = outline
        tables["district"] = updated
        changed = int(old != outline)
        if changed:
            details.append({"table": "行政区界", "action": "修改", "what": str(updated.at[0, "name"]), "change": "更新区界"})
        return {"table": "行政区界", "file": name, "sheets": "", "rows": len(layer), "added": 0, "changed": changed,
                "removed": 0, "unchanged": 1 - changed, "ignored": "", "skipped": 0}
    outline = district["geom_wkt"].dropna()
    if len(outline) and target != "district":
        km = shapely.from_wkt(outline.iloc[0]).distance(shapely.union_all(layer.geometry.values)) * 111
        if km > NEAR_KM:
            issues.append(Issue(name, None, None, None, f"地图位置距本区约{km:.0f}公里，坐标系或经纬度可能不对，请核对"))
            return None
    frame = tables[target]
    key = "township_id" if target == "townships" else "river_id"
    column = maps.name_column(layer, frame["name"].tolist())
    if column is None:
        issues.append(Issue(name, None, None, None, "地图图层中找不到名称字段：应有一列写着"
                            + ("镇街" if target == "townships" else "河流") + "名称（如“名称”“NAME”）"))
        return None
    found, unknown = maps.match_names(layer[column], {name_key(n): i for n, i in zip(frame["name"], frame[key])}, name_key)
    for n, near in unknown:
        hint = f"，您是否要填“{near}”？" if near else ""
        issues.append(Issue(name, None, None, column, f"未知的{'镇街' if target == 'townships' else '河流'}“{n}”{hint}"))
    if unknown:
        return None
    shapes: dict[str, list] = {}
    for n, g in zip(layer[column], layer.geometry):  # a township in two parts, a river in pieces: one shape
        shapes.setdefault(found[name_key(n)], []).append(g)
    shapes = {k: v[0] if len(v) == 1 else shapely.union_all(v) for k, v in shapes.items()}
    updated = frame.copy()
    hit = updated[key].isin(shapes)
    new_wkt = [maps.to_wkt(shapes[k]) for k in updated.loc[hit, key]]
    old_wkt = updated.loc[hit, "geom_wkt"].tolist()
    updated.loc[hit, "geom_wkt"] = new_wkt
    tables[target] = updated
    changed = sum(a != b for a, b in zip(old_wkt, new_wkt))
    title = "镇街边界" if target == "townships" else "河流走向"
    for n, a, b in zip(updated.loc[hit, "name"], old_wkt, new_wkt):
        if a != b:
            details.append({"table": title, "action": "修改", "what": n, "change": "更新图形"})
    return {"table": title + (f"（修复无效图形{repaired}个）" if repaired else ""), "file": name, "sheets": "",
            "rows": len(layer), "added": 0, "changed": changed, "removed": 0, "unchanged": int(hit.sum()) - changed,
            "ignored": "", "skipped": 0}


def publish(prepared: Prepared, root: Path, by: str) -> store.Version:
    if not prepared.ok:
        raise store.StoreError("导入仍有错误，未发布")
    if prepared.unchanged:
        raise store.StoreError("与当前数据相比没有变化，无需发布")
    if not by.strip():
        raise store.StoreError("发布需要填写操作人")
    current = store.current_version(root)
    source = "导入：" + "、".join(prepared.files)
    try:
        return store.publish(root, prepared.tables, source=source, created_by=by.strip(), demo=False,
                             tolerance=current.manifest.get("tolerance", 0.1), expect_current=prepared.based_on)
    except ValueError:  # a rule refusing a value after the checks: a gap in the checks, said without internals
        raise store.StoreError("发布被拒绝：有数据不符合亮灯规则（如进度超出0–100%），请检查后重新导入") from None


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame([dict(文件=i.file, 工作表=i.sheet or "", 行=i.row, 列=i.column or "", 问题=i.message)
                         for i in issues], columns=["文件", "工作表", "行", "列", "问题"])
