"""Import office files into a new data version: read, convert, resolve names, make ids, validate,
merge, preview, publish.

Every problem is collected (file, sheet, row, column, what was expected) and nothing is published while
any stands; the version being served is untouched until a publish succeeds. Rows are keyed by what they
are, never by 序号: the same file imported twice changes nothing, and a corrected value replaces the old.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import answers, mappings as saved_mappings, map_files
from loaders.cells import _convert, _Refs, _validate
from loaders.filling import _finish, _reference_ids
from loaders.issues import Held, Issue, cap
from loaders.layers import _apply_layer
from loaders.merge import MARK, _canon, _merge, _township_units, change_row, remove_gone
from loaders.names import REF_NAMES, REF_TABLES, _loose_lookup, _lookup, name_key
from loaders.read import RawTable, ReadError, Unknown, read_bytes
from loaders.specs import FACTORS, SPECS
from riverchief import access, clock, publishing, versions
from riverchief.dates import cn_month
from riverchief.errors import RuleError
from riverchief.office import actions, database, rounds

ORDER = {"townships": 0, "units": 1, "rivers": 2, "sections": 3, "items": 5, "problems": 6}  # references first
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv") + map_files.MAP_SUFFIXES


CHANGE_COLUMNS = ["table", "file", "sheets", "rows", "added", "changed", "removed", "unchanged", "ignored", "skipped"]
DETAIL_COLUMNS = ["table", "action", "what", "change"]


@dataclass
class Editable:
    """The rows of one sheet held back, as the file has them, for the office to correct on the page."""
    file: str
    sheet: str | None
    headers: list
    rows: dict[int, list[str]]  # row number in the file → its cells as text
    problems: dict[int, str]  # row number → what is wrong with it


@dataclass
class Reading:
    """How one sheet was read, to show and to change: its table, and header → field column by column."""
    label: str
    table: str
    headers: list
    columns: dict[int, tuple[str, str]]  # position → (header as written, field column)
    guessed: set  # positions read by closeness, not by name
    preview: list[list]  # its first rows, as the file has them


@dataclass
class Prepared:
    files: list[str]
    issues: list[Issue] = field(default_factory=list)  # each one blocks the publish
    notes: list[Issue] = field(default_factory=list)  # said, not blocking: rows skipped, values read a certain way
    unknown: list[Unknown] = field(default_factory=list)  # sheets to map once
    held: list[Held] = field(default_factory=list)  # sheets, files and rows held back (the rest can go in)
    blocked: str | None = None  # why nothing at all can be published (no district yet, the demo served)
    editable: list["Editable"] = field(default_factory=list)  # rows held back, as the file has them, to correct
    corrected: list[str] = field(default_factory=list)  # cells the office corrected on the page (for the audit)
    readings: list[Reading] = field(default_factory=list)  # how every sheet read was understood
    learned: dict[tuple[str, str], str] = field(default_factory=dict)  # 简称 → name from a units list, kept on publish
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the whole data set after the import
    changes: pd.DataFrame | None = None  # per table and file: rows, added, changed, removed, unchanged
    details: pd.DataFrame | None = None  # each row added, changed (old → new) or removed
    new_units: list[str] = field(default_factory=list)  # units named in lists, to be added as departments
    based_on: str | None = None  # the version the import was merged into
    demo: bool = False

    @property
    def ok(self) -> bool:
        """Everything read and valid: nothing held back."""
        return not self.issues and not self.unknown and self.publishable

    @property
    def publishable(self) -> bool:
        """What was understood and valid can go in (held-back sheets and rows stay out, and are said)."""
        return (self.blocked is None and bool(self.files) and self.changes is not None
                and not (self.changes.empty and self.held))  # everything held back: nothing goes in

    @property
    def unchanged(self) -> bool:
        """Nothing to publish: every row that can go in is already in the data exactly so."""
        return self.publishable and not self.changes[["added", "changed", "removed"]].to_numpy().sum()


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
            crs: str | None = None, map_kind: str | None = None, accept_new_units: bool = True,
            corrections: dict | None = None) -> Prepared:
    """Everything up to publishing: the new data set and what would change, or every issue found.
    `corrections` {(file, sheet, row, column position): text} are cells the office corrected on the page: read
    in place of the file's own, the file itself untouched."""
    with IMPORT_LOCK:
        return _prepare(files, root, kind, notice, crs, map_kind, accept_new_units, corrections or {})


def _prepare(files, root, kind, notice, crs, map_kind, accept_new_units, corrections) -> Prepared:
    prepared = Prepared([name for name, _ in files])
    prepared.corrected = _corrected_cells(corrections)
    try:
        version = versions.current_version(root)
    except versions.StoreError:
        prepared.blocked = ("还没有本区数据：请先“开始使用本区数据”（页面上，或运行 python -m loaders init --district 区名），"
                            "再导入文件")
        prepared.issues.append(Issue("", None, None, None, prepared.blocked))
        return prepared
    if version.is_demo:
        prepared.blocked = "当前显示的是示例数据：本区的文件不能与示例数据混在一起。请先“开始使用本区数据”，再导入"
        prepared.issues.append(Issue("", None, None, None, prepared.blocked))
        return prepared
    prepared.based_on = version.id
    tables = versions.read_tables(version)
    maps_known = saved_mappings.load(root)
    raws: list[RawTable] = []
    layers = []
    for name, data in files:
        if name.lower().endswith(map_files.MAP_SUFFIXES):
            try:
                layers.append((name, *map_files.read_map(name, data, crs)))
            except ReadError as exc:
                prepared.issues.append(Issue(name, None, None, None, str(exc)))
                prepared.held.append(Held(name, None, "地图", None, str(exc)))
            continue
        try:
            found = read_bytes(name, data, kind, maps_known)
        except ReadError as exc:
            prepared.issues.append(Issue(name, None, None, None, str(exc)))
            prepared.held.append(Held(name, None, "", None, str(exc)))
            continue
        if not found.tables and not found.unknown:
            prepared.issues.append(Issue(name, None, None, None, "文件中没有数据"))
        for raw in found.tables:
            _correct(raw, corrections, prepared)
            if not raw.layout:
                prepared.readings.append(Reading(
                    raw.file + (f" · {raw.sheet}" if raw.sheet else ""), raw.spec.table, raw.headers,
                    {j: (str(raw.headers[j]), f.column) for j, f in raw.columns.items() if j < len(raw.headers)},
                    set(raw.guessed), [[_canon(v) for v in r] for r in raw.data.head(5).itertuples(index=False)]))
        prepared.unknown += found.unknown
        for sheet, headers in found.hidden_columns:
            prepared.notes.append(Issue(name, sheet, None, None, "隐藏的列未导入：" + "、".join(headers)))
        prepared.held += [Held(u.file, u.sheet, "", None, "没有识别出这张表：请指定各列的内容（保存后记住）") for u in found.unknown]
        raws += found.tables
        for sheet in found.skipped:
            prepared.notes.append(Issue(name, sheet, None, None, "按设定，这张工作表不导入"))
    if notice is None:
        _one_month_rule(raws, prepared.notes)
    unread = {k: f"“{u.label}”" for u in prepared.unknown for k in u.names}
    refs = _Refs({}, district=str(tables["district"]["name"].iloc[0]) if len(tables["district"]) else "",
                 answers=answers.load(root), unread=unread)
    changes, details, scopes = [], [], {}
    for raw in sorted(raws, key=lambda r: ORDER.get(r.spec.table, 9)):
        tables[raw.spec.table] = versions.as_frame(tables[raw.spec.table])  # readings are read only when imported
        refs.lookups = {k: _lookup(tables, k) for k in REF_TABLES}
        refs.loose = {k: _loose_lookup(tables, k, refs.district) for k in REF_TABLES}
        refs.names = {k: dict(zip(tables[t][c], tables[t]["name"])) for k, (t, c) in REF_TABLES.items()}
        refs.unit_ids = tables["units"]["unit_id"].tolist()
        _own_names(raw, tables, refs)
        before, said, picked, beyond = len(prepared.issues), len(refs.loosely), len(refs.chosen), len(refs.outside)
        frame = _convert(raw, refs, prepared.issues)
        if raw.spec.table == "units" and "alias" in frame:  # 水利局 for 区水利局: learned, said, kept when published
            for alias, name in zip(frame["alias"], frame["name"]):
                if isinstance(alias, str) and isinstance(name, str) and name_key(alias) != name_key(name):
                    refs.answers.setdefault("unit", {})[name_key(alias)] = name
                    prepared.learned[("unit", alias)] = name
        for kind, text, name in dict.fromkeys(refs.loosely[said:]):
            prepared.notes.append(Issue(raw.file, raw.sheet, None, None, f"{REF_NAMES[kind]}“{text}”按“{name}”识别"))
        for header, text, choice in dict.fromkeys(refs.chosen[picked:]):
            prepared.notes.append(Issue(raw.file, raw.sheet, None, header, f"“{text}”按“{choice}”理解"))
        for header, text in dict.fromkeys(refs.outside[beyond:]):
            prepared.notes.append(Issue(raw.file, raw.sheet, None, header, f"“{text}”不在本区河流名录中，不记录（只记录本区的河流）"))
        _validate(raw, frame, prepared.issues)
        if raw.layout:
            prepared.notes.append(Issue(raw.file, raw.sheet, None, None, raw.layout))
        for factor, (scale, unit) in raw.scale.items():
            if scale == 1:
                continue
            what = "各指标" if factor == "*" else next((f.header for f in raw.spec.fields if f.column == factor), factor)
            into = "万元" if factor.endswith("_wan") else "mg/L"
            prepared.notes.append(Issue(raw.file, raw.sheet, None, None, f"{what}的单位为 {unit}，已换算为 {into}（×{scale:g}）"))
        for j, header in raw.guessed.items():
            prepared.notes.append(Issue(raw.file, raw.sheet, None, raw.headers[j], f"按“{header}”读取（表头相近；不对时可在"
                                        "“数据管理”页面或用 python -m loaders map 改正，之后记住）"))
        for row, why in raw.skipped:
            prepared.notes.append(Issue(raw.file, raw.sheet, row, None, f"已跳过{why}"))
        if frame.empty and len(prepared.issues) == before:
            prepared.notes.append(Issue(raw.file, raw.sheet, None, None, "只有表头，没有数据行"))
        if frame.empty or _held_whole(raw, prepared, before, refs):
            continue
        gone = {i.row for i in prepared.issues[before:] if i.row} | set(frame.loc[frame["_bad"], "_row"])
        frame = frame[~frame["_row"].isin(gone)]
        mark = len(prepared.issues)
        finished = _finish(raw, frame, tables, notice, prepared.issues, prepared.notes) if len(frame) else frame
        if _held_whole(raw, prepared, mark, refs):
            continue
        late = {i.row for i in prepared.issues[mark:] if i.row}
        finished = finished[~finished["_row"].isin(late)]
        held_rows = len(gone | late)
        if held_rows:
            _hold(raw, prepared, refs, held_rows, prepared.issues[before:], gone | late)
        if finished.empty:
            continue
        finished = finished.drop(columns="_row")
        provided = {f.column for f in raw.columns.values()} | _derived_columns(raw.spec.table)
        provided |= {f"{f.column}_bdl" for f in raw.columns.values() if f.kind == "conc"}
        if raw.spec.table == "readings":  # one row per factor: the factors come from the 监测项目 column's values
            provided |= {c for c in finished.columns if c in FACTORS or c.removesuffix("_bdl") in FACTORS}
        # Rows of a snapshot no sheet of the import holds any more go once all are merged (remove_gone); a
        # snapshot with rows held back removes nothing: a held row is not an item that is gone.
        merged, counts, rows = _merge(raw.spec, tables[raw.spec.table], finished, provided, replace=False)
        if raw.spec.replace_by and not held_rows:
            scopes.setdefault(raw.spec.table, []).append((len(changes), finished[list(raw.spec.replace_by)]))
        tables[raw.spec.table] = merged
        details += rows
        changes.append(change_row(raw.spec.title, raw.file, len(finished), sheets=raw.sheet or "", **counts,
                                  ignored="、".join(raw.ignored), skipped=len(raw.skipped)))
        if raw.spec.table == "townships":
            tables["units"], counts, rows = _township_units(tables)
            if counts["added"]:
                details += rows
                changes.append(change_row(SPECS["units"].title, raw.file, counts["added"], sheets="（由镇街名单生成）",
                                          added=counts["added"]))
    held_tables = {h.table for h in prepared.held}
    for table, given in scopes.items():
        if SPECS[table].title in held_tables:  # a held row or sheet is not an item that is gone: nothing removed
            prepared.notes.append(Issue("", None, None, None, f"{SPECS[table].title}有暂缓导入的行或表：本次不删除任何原有的"
                                        "行，改正后再导入时按完整文件更新"))
            continue
        tables[table], n, rows = remove_gone(SPECS[table], tables[table], [frame for _, frame in given])
        if n:
            details += rows
            if len(given) == 1:  # one sheet gave the notice and list: its line of the preview says what went
                changes[given[0][0]]["removed"] += n
            else:
                changes.append(change_row(SPECS[table].title, "（本次文件中已没有的行）", 0, removed=n))
    _round_month(root, scopes, prepared)
    if refs.new_units:
        _add_departments(refs, tables, changes, details)
        prepared.new_units = [text for text, _ in refs.new_units.values()]
        if not accept_new_units:
            prepared.blocked = "以下单位不在责任单位名单中：" + "、".join(prepared.new_units) + "。确认后将新增为部门"
            prepared.issues.append(Issue("", None, None, "责任单位", prepared.blocked))
    for name, layer, repaired, how in layers:
        mark = len(prepared.issues)
        change = _apply_layer(name, layer, repaired, tables, prepared.issues, map_kind, details)
        if len(prepared.issues) > mark:
            prepared.held.append(Held(name, None, "地图", None, _reason(prepared.issues[mark:])))
        if how:
            prepared.notes.append(Issue(name, None, None, None, how))
        if change:
            changes.append(change)
    prepared.issues = cap(prepared.issues)
    prepared.tables = {name: t.drop(columns=MARK) if isinstance(t, pd.DataFrame) and MARK in t else t
                       for name, t in tables.items()}
    prepared.changes = _summarise(changes)
    prepared.details = pd.DataFrame(details, columns=DETAIL_COLUMNS)
    return prepared


def _one_month_rule(raws: list[RawTable], notes: list[Issue]) -> None:
    """A list that names only its year (2023年度突出问题整改责任清单) is as of the month the other lists of the
    same import and year are (one month rule for every list); a past year's list with none to follow is its
    year-end state. Otherwise it is asked for, as before."""
    snapshots = [r for r in raws if r.spec.table in ("items", "problems")]
    months = {}
    for r in snapshots:
        if r.context.year and r.context.month:
            months.setdefault(r.context.year, set()).add(r.context.month)
    for r in snapshots:
        if r.context.month or not r.context.year:
            continue
        same = months.get(r.context.year, set())
        if len(same) == 1:
            month, why = next(iter(same)), "与本次导入的其他清单相同"
        elif not same and r.context.year < clock.today().year:
            month, why = 12, "往年清单按年底状态"
        else:
            continue
        r.context = dataclasses.replace(r.context, month=month)
        notes.append(Issue(r.file, r.sheet, None, None, f"标题中只有年份，通报月份按{r.context.year}年{month}月（{why}）"))


# -- what is held back ----------------------------------------------------------------------------------

TABLE_REF = {table: kind for kind, (table, _) in REF_TABLES.items()}


def _reason(issues: list[Issue]) -> str:
    said = list(dict.fromkeys(i.message for i in issues))
    return "；".join(said[:3]) + (f"等{len(said)}类问题" if len(said) > 3 else "")


def _hold(raw: RawTable, prepared: Prepared, refs: _Refs, rows: int | None, issues: list[Issue],
          which: set | None = None) -> None:
    """Hold a sheet (rows None) or some of its rows back; names they define are remembered, so that a row of
    another sheet naming one of them says where the cause is instead of 'unknown'."""
    prepared.held.append(Held(raw.file, raw.sheet, raw.spec.title, rows, _reason(issues)))
    if which and not raw.layout:  # rows the office can correct on the page, as the file has them
        body = raw.data[raw.data.index.isin(which)]
        why: dict[int, list] = {}
        for i in issues:
            if i.row in which:
                why.setdefault(i.row, []).append(i.message)
        prepared.editable.append(Editable(raw.file, raw.sheet, [h for h in raw.headers],
                                          {int(n): [_canon(v) for v in r] for n, r in zip(body.index, body.itertuples(index=False))},
                                          {n: "；".join(dict.fromkeys(m)) for n, m in why.items()}))
    kind = TABLE_REF.get(raw.spec.table)
    name = next((j for j, f in raw.columns.items() if f.column == "name"), None)
    if kind and name is not None and name in raw.data:
        body = raw.data if which is None else raw.data[raw.data.index.isin(which)]
        where = f"{raw.file}" + (f"“{raw.sheet}”" if raw.sheet else "")
        for text in body[name].dropna():
            refs.held.setdefault(kind, {})[name_key(text)] = where


def _correct(raw: RawTable, corrections: dict, prepared: Prepared) -> None:
    """Put the office's corrections in place of the file's cells (rows in error fixed on the page)."""
    if raw.layout:
        return
    for (file, sheet, row, column), text in corrections.items():
        if file == raw.file and (sheet or None) == raw.sheet and row in raw.data.index and column in raw.data.columns:
            raw.data.loc[row, column] = text if str(text).strip() else None


def _corrected_cells(corrections: dict) -> list[str]:
    """The corrections as the audit log says them."""
    return [f"{file}{'“' + sheet + '”' if sheet else ''}第{row}行第{column + 1}列改为“{text}”"
            for (file, sheet, row, column), text in corrections.items()]


def _held_whole(raw: RawTable, prepared: Prepared, start: int, refs: _Refs) -> bool:
    whole = [i for i in prepared.issues[start:] if i.whole_sheet]
    if whole:
        _hold(raw, prepared, refs, None, whole)
    return bool(whole)


def _own_names(raw: RawTable, tables: dict, refs: _Refs) -> None:
    """A reference list that names its own rows (a tributary's 汇入河流 listed in the same sheet): those names
    resolve to the ids they are about to get, whatever the order of the rows."""
    kind = TABLE_REF.get(raw.spec.table)
    name = next((j for j, f in raw.columns.items() if f.column == "name"), None)
    if not kind or name is None or name not in raw.data or not any(f.kind == kind for f in raw.columns.values()):
        return
    names = [n for n in dict.fromkeys(raw.data[name].dropna().astype(str)) if name_key(n) not in refs.lookups[kind]]
    if not names:
        return
    ids = _reference_ids(raw.spec.table, pd.DataFrame({"name": names}), tables)
    refs.lookups[kind].update({name_key(n): i for n, i in zip(names, ids)})
    refs.names[kind].update(dict(zip(ids, names)))


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


def _round_month(root: Path, scopes: dict, prepared: Prepared) -> None:
    """A list for the month of the open monthly round is refused: the round's publish writes that month's notice
    from the units' reports and would replace the imported rows (they vanished without a word)."""
    months = {pd.Timestamp(d).date() for table in ("items", "problems") for _, frame in scopes.get(table, [])
              for d in frame["notice_date"].dropna()}
    if not months:
        return
    try:
        rnd = rounds.open_round_now(database.default_url(root))
    except Exception:  # no office store to ask (a bare data folder): no round can be open
        return
    if rnd and rnd["notice_date"] in months:
        month = cn_month(rnd["notice_date"])
        prepared.blocked = (f"{month}的月报送正在进行：该月通报由月报送发布，导入的{month}清单会被它替换。"
                            f"请在月报送中填报，或先发布本轮月报送后再导入")
        prepared.issues.append(Issue("", None, None, "通报月份", prepared.blocked))


def publish(prepared: Prepared, root: Path, by: "str | access.Principal", whole: bool = False) -> versions.Version:
    """Publish a checked import: what can go in does, held-back sheets and rows stay out (or, with `whole`,
    nothing unless everything can). From a page `by` is the signed-in principal: the role is checked here and
    the import is written to the audit log; from the command line it is the operator's name."""
    principal = by if isinstance(by, access.Principal) else None
    if principal is not None:
        access.require(principal, access.IMPORT)
        by = principal.name
    if prepared.blocked:
        raise versions.StoreError(prepared.blocked)
    if not prepared.publishable or (whole and not prepared.ok):
        raise versions.StoreError("导入仍有错误，未发布")
    if prepared.unchanged:
        raise versions.StoreError("与当前数据相比没有变化，无需发布")
    if not by.strip():
        raise versions.StoreError("发布需要填写操作人")
    current = versions.current_version(root)
    source = "导入：" + "、".join(prepared.files)
    if prepared.held:
        source += f"（暂缓导入{len(prepared.held)}处，见导入问题清单）"
    try:
        version = publishing.publish(root, prepared.tables, source=source, created_by=by.strip(), demo=False,
                                tolerance=current.tolerance, expect_current=prepared.based_on)
    except RuleError as exc:  # a rule refusing a value after the checks: a gap in the checks, said in the rule's words
        raise versions.StoreError(f"发布被拒绝：{exc.message}。请检查后重新导入", exc.detail) from None
    actions.published(root, principal or by.strip(), version, prepared.files, prepared.corrected)
    if prepared.learned:  # a units list's 简称: later imports read them too
        answers.remember(root, principal or by.strip(), prepared.learned)
    return version
