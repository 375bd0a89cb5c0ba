"""Reading office files as they are: Excel (.xlsx, .xlsm, .xls) and CSV, every sheet; title rows and a
填报单位 line above the header; two-level merged headers (目标 → 数量 / 单位); 小计/合计/总计 and 说明/注
rows skipped and reported; the year and month taken from the title, the sheet or the file name.

Values are kept as typed: text is normalised only to match headers and names, never when stored.
Formulas are read as their values and macros never run.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from loaders import layouts
from loaders.convert import plain
from loaders.specs import LIST_WORDS, SPECS, Field, TableSpec
from riverchief.errors import RiverBoardError

MAX_BYTES = 50 * 1024 * 1024
MERGED_BYTES = 2 * 1024 * 1024  # workbooks up to this size are opened whole, to know their merged cells
ALLOWED = (".xlsx", ".xlsm", ".xls", ".csv")
HEADER_SCAN = 20  # the header is looked for in a sheet's first rows
_TOTALS = ("小计", "合计", "总计", "累计")
WITHDRAWN = ("已撤销", "撤销", "已作废", "作废", "已取消", "取消", "已删除", "删除")
_NOTES = ("说明", "注：", "注:", "注1", "注 ", "备注：", "备注:", "填表人", "填报人", "审核人", "制表", "联系人", "附注",
          "负责人", "单位负责人", "分管领导", "联系电话", "填报说明", "附：", "数据来源")
# 一、 / （一） / 第一部分: a category heading inside a table (水污染防治), not an item
_ORDINAL = r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+(?:部分|类|项)?|[一二三四五六七八九十]+)"


class ReadError(RiverBoardError, ValueError):
    """A file that cannot be read at all (the message is in Chinese)."""


@dataclass
class Sheet:
    """One sheet's cells: as rows (Excel) or as a frame of text columns (CSV, read in bulk)."""
    file: str
    name: str | None
    rows: list[list] | None = None  # cell values as read; blank text is None
    merged: set = field(default_factory=set)  # (row, column) cells filled from a merged range above them
    frame: pd.DataFrame | None = None  # the same, one column per position (large files)
    hidden: set = field(default_factory=set)  # 1-based numbers of hidden rows (offices hide withdrawn items)
    hidden_columns: list = field(default_factory=list)  # headers of hidden columns, emptied (said in the preview)

    def head(self, n: int) -> list[list]:
        if self.rows is not None:
            return self.rows[:n]
        top = self.frame.iloc[:n]
        return [[None if v is None or v != v else v for v in r] for r in top.itertuples(index=False)]

    def body(self, start: int) -> pd.DataFrame:
        """Rows from `start` (0-based) on, indexed by their row number in the file."""
        if self.frame is None:
            width = max((len(r) for r in self.rows), default=0)
            self.frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in self.rows],
                                      columns=range(width), dtype=object)
            self.rows = None
        out = self.frame.iloc[start:]
        out.index = range(start + 1, start + 1 + len(out))
        return out


@dataclass
class Context:
    """What a sheet says about itself outside its table: the year and month of its title or file name."""
    year: int | None = None
    month: int | None = None
    list: str | None = None  # major / task / problem, from a sheet or title naming one of the three lists
    texts: tuple[str, ...] = ()


@dataclass
class RawTable:
    file: str
    sheet: str | None
    spec: TableSpec
    headers: list[str | None]  # as written (two-level headers joined)
    columns: dict[int, Field]  # column index → the field it holds
    ignored: list[str]  # headers of columns nothing is read from
    data: pd.DataFrame  # the body: one column per position, indexed by row number in the file
    skipped: list[tuple[int, str]]  # (row number, why) for 小计/合计/说明 rows
    context: Context
    mapped: bool = False  # read through a mapping the office chose
    scale: dict[str, tuple[float, str]] = field(default_factory=dict)  # factor ("*": every one) → (to mg/L, unit as written)
    layout: str = ""  # how the sheet was laid out when not one row per record (said in the preview)
    guessed: dict[int, str] = field(default_factory=dict)  # columns read as a field by closeness, not by name (said)


@dataclass
class Unknown:
    """A sheet none of whose header rows is understood: shown to the office to map once."""
    file: str
    sheet: str | None
    header_row: int  # 0-based index of the row most likely to be the header
    headers: list[str | None]
    preview: list[list]
    shape: str  # the key its mapping is saved under
    names: frozenset = frozenset()  # every text cell below its header, as compared: a name another sheet uses points here

    @property
    def label(self) -> str:
        return self.file + (f" · {self.sheet}" if self.sheet else "")


@dataclass
class Found:
    tables: list[RawTable] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    skipped: list[str | None] = field(default_factory=list)  # sheets the office chose not to import
    hidden_columns: list[tuple[str | None, list[str]]] = field(default_factory=list)  # (sheet, headers) emptied


SKIP = ""  # the table of a saved mapping that means: do not import sheets of this shape


def header_key(text) -> str:
    """A header for matching: half-width, no spaces, one kind of bracket."""
    key = plain(text or "")
    for a, b in (("(", "（"), (")", "）"), ("[", "（"), ("]", "）"), ("【", "（"), ("】", "）")):
        key = key.replace(a, b)
    return key


UNIT = r"(?:mg/L|mg/l|MG/L|μg/L|ug/L|℃|°C|万元|元|公里|千米|km|KM|米|m|平方米|m2|m²|亩|个|处|户|座|%|‰|pH|无量纲)"
_UNIT_TAIL = re.compile(r"[/,，]?" + UNIT + r"$")


def bare(key: str) -> str:
    """The header without what brackets or a trailing unit say: 总磷（mg/L）, 总磷mg/L, 总磷,mg/L → 总磷."""
    return _UNIT_TAIL.sub("", re.sub(r"（[^（）]*）", "", key)) or key


def _keys(f: Field) -> set[str]:
    return {header_key(h) for h in (f.header, *f.synonyms)}


def match(spec: TableSpec, header) -> str | None:
    """The field a header names: exactly (through its synonyms), else once units in brackets are set aside."""
    key = header_key(header)
    if not key:
        return None
    for f in spec.fields:
        if key in _keys(f):
            return f.column
    stripped = bare(key)
    if stripped and stripped != key:
        for f in spec.fields:
            if stripped in {bare(k) for k in _keys(f)}:
                return f.column
    return None


def shape_of(headers: list) -> str:
    """The identity of a header row, for remembering how the office mapped it."""
    text = "|".join(header_key(h) for h in headers)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _is_text(v) -> bool:
    if not isinstance(v, str):
        return False
    try:
        float(plain(v).rstrip("%"))
        return False
    except ValueError:
        return True


def _two_level(top: list, sub: list) -> list | None:
    """Join a merged group header with the row under it (目标 + 数量 → 目标数量), or None if `sub` is data."""
    if not any(v is not None for v in sub) or not all(v is None or _is_text(v) for v in sub):
        return None
    width = max(len(top), len(sub))
    top, sub = top + [None] * (width - len(top)), sub + [None] * (width - len(sub))
    out, parent = [], None
    for t, s in zip(top, sub):
        if s is not None and t is not None and (header_key(s) == header_key(t)):
            s = None  # a header merged down over both rows
        if s is not None and re.fullmatch(UNIT, header_key(s)):
            s = f"（{s}）"  # 总磷 over mg/L reads 总磷（mg/L）
        if t is not None:
            parent = t if s is not None else None
            out.append(f"{t}{s}" if s is not None else t)
        elif s is not None:
            out.append(f"{parent}{s}" if parent is not None else s)
        else:
            parent = None
            out.append(None)
    return out


def _context(sheet: Sheet, header_row: int) -> Context:
    texts = [sheet.file.rsplit(".", 1)[0], sheet.name or ""]
    texts += [str(v) for r in sheet.head(header_row) for v in r if isinstance(v, str)]
    year = month = None
    for t in texts:
        m = re.search(r"(20\d{2})\s*年", plain(t))
        if m:
            year = int(m[1])
            break
    else:
        m = re.search(r"(20\d{2})", plain(texts[0]))
        year = int(m[1]) if m else None
    heads = [str(v) for v in (sheet.head(header_row + 1)[header_row:] or [[]])[0] if isinstance(v, str)]
    # What the data is as of, in order: the sheet's name and title (截至2024年10月31日, or a month), then its
    # header (进展情况（截至10月底）), then the file name; 截止…前 is a deadline, 6月28日/号 a 填报日期.
    for here, patterns in (([*texts[1:]], _MONTHS), (heads, _MONTHS[:1]), ([texts[0]], _MONTHS)):
        found = _as_of(here, patterns)
        if found:
            year, month = year or found[0], found[1]
            break
    else:
        for t in texts:  # the 填报日期 as a last resort
            m = re.search(r"填报日期.*?(20\d{2})\s*年\s*(\d{1,2})\s*月", plain(t))
            if m:
                year, month = year or int(m[1]), int(m[2])
                break
    kinds = None
    for t in [sheet.name or "", *texts[2:], texts[0]]:
        kinds = next((LIST_WORDS[w] for w in sorted(LIST_WORDS, key=len, reverse=True) if w in plain(t)), None)
        if kinds:
            break
    return Context(year, month, kinds, tuple(t for t in texts if t))


def _levels_named(ctx: Context) -> bool:
    """A sheet whose name, title or file name says the level of the rivers it lists (区级河流名录)."""
    return any(re.search(r"[区县镇乡村]级", plain(t)) for t in ctx.texts)


_AS_OF = re.compile(r"截[至止](?:日期|时间)?[:：]?(?:(20\d{2})年)?(\d{1,2})月(?![^，。；,;]*前)")
_SPAN = re.compile(r"(?<!\d)()(?:\d{1,2})\s*月?\s*[-—–~至到]\s*(?:20\d{2}年)?(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")
_MONTH_ONLY = re.compile(r"(?<!\d)()(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")


_MONTHS = (_AS_OF, _SPAN, _MONTH_ONLY)


def _as_of(texts: list[str], patterns=_MONTHS) -> tuple[int | None, int] | None:
    """(year or None, month) the first of `texts` says its data is as of: a 截至/截止 date, else the end of a span
    of months (1月—10月), else a month alone (a header row only by 截至: its 1月, 2月 … are columns)."""
    for pattern in patterns:
        for t in texts:
            m = pattern.search(plain(t))
            if m and 1 <= int(m[2]) <= 12:
                return (int(m[1]) if m[1] else None), int(m[2])
    return None


def _hinted(spec: TableSpec, sheet: Sheet, header_row: int) -> bool:
    """The sheet's name, file name or title rows (never its header: 责任单位 is in every list) point to the table."""
    where = plain(" ".join([sheet.name or "", sheet.file] + [str(v) for r in sheet.head(min(header_row, 3)) for v in r
                                                              if isinstance(v, str)]))
    return any(h in where for h in spec.hints)


FUZZY = 0.82  # a header this close to a field's name is read as that field (and the preview says so)


# What a qualifier in front of a field's name may be about: another table's thing (河流名称 names a river, not a
# township), unless it is the table's own (断面坐标 in a section list).
_ENTITIES = ("河流", "河道", "河库", "断面", "点位", "镇街", "乡镇", "街道", "单位", "部门", "项目", "问题", "任务", "事项",
             "河长", "清单", "工单")


# Words in front of a field's name that change what it means (a plan, a requirement, money or time, a part).
_SHIFTS = ("计划", "要求", "应完成", "预计", "拟", "目标", "投资", "资金", "时间", "累计", "溶解性", "非离子", "饱和",
           "分析", "报告", "录入", "填报", "审核", "打印", "统计", "上报")  # 分析日期 is not when it was sampled
_OWN = {"rivers": ("河流", "河道", "河库"), "sections": ("断面", "点位"), "townships": ("镇街", "乡镇", "街道"),
        "units": ("单位", "部门"), "items": ("项目", "任务", "事项", "问题", "清单", "责任"), "problems": ("问题", "工单"),
        "complaints": ("工单", "问题"), "patrols": ("河长", "问题"), "supervision": ("单位", "事项")}


def closeness(key: str, name: str, own: tuple[str, ...] = ()) -> float:
    """How surely a header (as compared, bare) names a field's name: 1 the same; 0.9 the header ends with the
    name (断面坐标 / 坐标, 已完成投资 / 完成投资: offices put a qualifier in front); 0.85 the header holds a name of
    three characters or more; else the share of characters in common, in order. A header shorter than the name
    (类别 for 清单类别) is only as close as its characters make it: it may mean something else."""
    if key == name:
        return 1.0
    rest = key.replace(name, "", 1)
    foreign = any(w in rest for w in _ENTITIES if w not in own)  # 河流名称 is not a township's 名称
    foreign |= any(w in rest and w not in name for w in _SHIFTS)  # 计划完成日期 is not the 完成日期; 投资完成率; 溶解性总磷
    if len(name) >= 2 and key.endswith(name) and not foreign:
        return 0.9
    if len(name) >= 3 and name in key and not foreign:
        return 0.85
    return difflib.SequenceMatcher(None, key, name).ratio()


def fuzzy_match(spec: TableSpec, header, taken: set[str]) -> tuple[str | None, float]:
    """The field a header most likely names among those not yet taken, and how surely (below FUZZY: none)."""
    full = header_key(header)
    key = bare(full)
    if len(key) < 2:
        return None, 0.0
    best, score = None, 0.0
    for f in spec.fields:
        if f.column in taken or f.column in ("factor", "value"):
            continue
        # a name whose unit or note is part of it (河长（公里）) is close only to a header with one: 镇级河长 is a chief
        names = [bare(k) for k in _keys(f) if bare(k) == k or key != full]
        if not names:
            continue
        s = max(closeness(key, n, spec.hints + _OWN.get(spec.table, ())) for n in names)
        if s > score:
            best, score = f.column, s
    return (best, score) if score >= FUZZY else (None, score)


def _matched(spec: TableSpec, headers: list, fuzzy: bool = True) -> dict[int, str]:
    """Columns read as fields: every header that names a field exactly first, then the others by closeness
    (each field once, the closest header winning)."""
    out, seen = {}, set()
    for i, h in enumerate(headers):
        column = match(spec, h) if h is not None else None
        if column and column not in seen:
            out[i] = column
            seen.add(column)
    if not fuzzy:
        return out
    guesses = sorted(((fuzzy_match(spec, h, seen), i) for i, h in enumerate(headers) if h is not None and i not in out),
                     key=lambda g: -g[0][1])
    for (column, _), i in guesses:
        if column and column not in seen:
            out[i] = column
            seen.add(column)
    return out


def guess_columns(table: str, headers: list) -> dict[int, str]:
    """Each header's likeliest field of a table (exact names first, then close ones), for the office to confirm."""
    return _matched(SPECS[table], headers)


def _table(sheet: Sheet, kind: str | None, mappings: dict) -> RawTable | Unknown | None:
    rows = sheet.head(HEADER_SCAN + 6)
    specs = [SPECS[kind]] if kind else list(SPECS.values())
    best = None  # (score, spec, header index, headers, data start)
    for i, row in enumerate(rows[:HEADER_SCAN]):
        if not any(v is not None for v in row):
            continue
        ctx = _context(sheet, i)  # once per candidate header row, for every table scored against it
        named_list = ctx.list is not None and plain(sheet.name or "") not in SKIP_SHEETS
        options = [(row, i + 1)]
        joined = _two_level(row, rows[i + 1]) if i + 1 < len(rows) else None
        if joined:
            options.append((joined, i + 2))
        for headers, start in options:
            saved = mappings.get(shape_of(headers))
            if saved and saved["table"] == SKIP:  # the office said this sheet is not for import
                return SKIP
            if saved and (kind is None or saved["table"] == kind):
                return _raw(sheet, SPECS[saved["table"]], i, headers, start, saved["columns"])
            if kind in (None, "readings"):
                wide = _wide(sheet, i, headers, start, ctx)
                if wide is not None:
                    return wide
            units_below = headers is not row and all(v is None or re.fullmatch(UNIT, header_key(v))
                                                     for v in rows[i + 1])
            for spec in specs:
                matched = _matched(spec, headers)
                if not matched:
                    continue
                required = {f.column for f in spec.fields if f.required}
                if spec.table == "readings" and ctx.year and ctx.month:
                    required.discard("sampled_at")  # a sheet per month may leave the date to its name
                if "lonlat" in matched.values():
                    required -= {"lon", "lat"}  # one 经纬度 column holds both
                if spec.table == "rivers" and "level" not in matched.values() and not _levels_named(ctx):
                    required.add("level")  # a list of names is a river list when it says the rivers' level
                exact = len(_matched(spec, headers, fuzzy=False))  # a header named exactly counts more than a close one
                if named_list and spec.table not in ("items", "problems"):
                    continue  # a sheet named 一河一策 or titled …清单 is a list, never a list of units
                score = (required <= set(matched.values()), exact + 0.5 * (len(matched) - exact) + 2 * _hinted(spec, sheet, i)
                         + 0.5 * units_below, -i)
                if best is None or score > best[0]:
                    best = (score, spec, i, headers, start)
    if best is None or (kind is None and not best[0][0]):
        if not any(any(v is not None for v in r) for r in rows) and not len(sheet.body(len(rows))):
            return None
        guess = best[2] if best else next((i for i, r in enumerate(rows[:HEADER_SCAN]) if sum(v is not None for v in r) >= 2), 0)
        headers = best[3] if best else rows[guess]
        body = sheet.body(guess + 1)
        names = frozenset(header_key(v) for j in body.columns for v in body[j].dropna().unique() if isinstance(v, str))
        return Unknown(sheet.file, sheet.name, guess, list(headers), [list(r) for r in rows[guess + 1: guess + 6]],
                       shape_of(headers), names)
    _, spec, i, headers, start = best
    return _raw(sheet, spec, i, headers, start, None)


def _wide(sheet: Sheet, i: int, headers: list, start: int, ctx: Context) -> RawTable | None:
    """Readings with the months across the columns (1月 … 12月), one factor per sheet (named in the sheet or
    title) or per block of rows (a 监测项目 column): read as one row per section, month and factor."""
    months = layouts.month_columns(headers, ctx.year)
    spec = SPECS["readings"]
    matched = _matched(spec, [None if j in months else h for j, h in enumerate(headers)], fuzzy=False)
    section = next((j for j, c in matched.items() if c == "section_id"), None)
    if len(months) < 3 or section is None:
        return None
    factor_col = next((j for j, c in matched.items() if c == "factor"), None)
    factor = layouts.factor_named([sheet.name or "", *ctx.texts[2:], ctx.texts[0]]) if factor_col is None else None
    raw = _raw(sheet, spec, i, headers, start, None)
    fields = {f.column: f for f in spec.fields}
    name = fields[factor].header if factor else "（未写明指标：请在工作表名称或标题中写明，如“总磷”）"
    data = layouts.widen(raw.data, section, months, factor_col, name)
    used = {section, *months} | ({factor_col} if factor_col is not None else set())
    raw.ignored = [str(h) for j, h in enumerate(headers) if h is not None and j not in used]
    raw.headers = [str(headers[section]), "月份", str(headers[factor_col]) if factor_col is not None else "指标", "监测值"]
    raw.columns = {0: fields["section_id"], 1: fields["sampled_at"], 2: fields["factor"], 3: fields["value"]}
    raw.data = data
    raw.layout = (f"月份横排（{len(months)}个月）" + (f"，指标按“{name}”" if factor else "") + "：每个断面每月一行读取，采样时间记为当月1日")
    return raw


def _raw(sheet: Sheet, spec: TableSpec, i: int, headers: list, start: int, saved: dict | None) -> RawTable:
    fields = {f.column: f for f in spec.fields}
    if saved is not None:  # the office's own mapping: header text → column ("" = ignore)
        columns = {j: fields[saved[header_key(h)]] for j, h in enumerate(headers)
                   if h is not None and saved.get(header_key(h)) in fields}
        guessed = {}
    else:
        columns = {j: fields[c] for j, c in _matched(spec, headers).items()}
        exact = _matched(spec, headers, fuzzy=False)
        guessed = {j: f.header for j, f in columns.items() if j not in exact}
    ignored = [str(h) for j, h in enumerate(headers) if h is not None and j not in columns]
    body = sheet.body(start)
    below = _second_table(body, [j for j, f in columns.items() if f.required])
    body = body[body.notna().any(axis=1)]
    keys = [header_key(h) for h in headers]
    repeated = pd.Series(True, index=body.index)
    for j, key in enumerate(keys):
        cell = per_unique(body[j], header_key, "") if j in body else ""
        repeated &= cell == key
    why = _skip_reasons(body)
    why[repeated] = "重复的表头行"
    why[body.index.isin(sheet.hidden)] = "隐藏的行（多为已撤销的内容）"
    why[body.index >= below] = "空行以下的另一张小表（如备注、说明）"
    name_col = next((j for j, f in columns.items() if f.column in ("title", "name")), None)
    if name_col is not None and sheet.merged:  # the item's name merged down over its measures: one item
        for n in body.index:
            if (n, name_col) in sheet.merged and pd.isna(why.get(n)):
                why[n] = "与上一行同属一项（名称为合并单元格）"
    if spec.table in ("items", "problems") and "river_id" not in {f.column for f in columns.values()}:
        body, headers = _rivers_from_headings(body, why, columns, list(headers), spec)
    skipped = [(int(n), w) for n, w in why.dropna().items()]
    scale = {f.column: unit for j, f in columns.items() if f.kind == "conc"
             for unit in [layouts.unit_scale(headers[j])] if unit}  # 总磷(μg/L); 总磷(mg/L) wins over a title line
    scale |= {f.column: (0.0001, "元") for j, f in columns.items()  # 总投资（元）: amounts the data keeps in 万元
              if f.column.endswith("_wan") and re.search(r"[（(]元[）)]$|(?<!万)元$", header_key(headers[j]))}
    context = _context(sheet, i)
    if spec.table == "readings":  # a title line 单位：μg/L, or （μg/L） in the title or sheet name, speaks for every
        # factor its header does not; so does the unit of a long sheet's 监测值(μg/L) column
        texts = [sheet.name or "", *context.texts[2:]] + [str(headers[j]) for j, f in columns.items() if f.column == "value"]
        unit = next((u for t in texts if t for u in [layouts.unit_scale(t)] if u), None)
        if unit and unit[0] != 1:
            scale.setdefault("*", unit)
    return RawTable(sheet.file, sheet.name, spec, [None if h is None else str(h) for h in headers], columns, ignored,
                    body[why.isna()], skipped, context, mapped=saved is not None, guessed=guessed, scale=scale)


_WATER = r"(?:河|江|溪|沟|渠|库|湖|塘|堰|涧|港|浦)(?:[（(]|$)"


def _rivers_from_headings(body: pd.DataFrame, why: pd.Series, columns: dict, headers: list, spec: TableSpec):
    """A list grouped under headings (一、松溪（县级河长：王建华）) with no river column: each row's river is its
    heading's name, read as a column of its own (资料的分组标题)."""
    heads = why.index[why == "分类标题行"]
    if not len(heads):
        return body, headers
    first = body.loc[heads].apply(lambda r: next((v for v in r if isinstance(v, str)), None), axis=1)
    names = first.map(lambda t: re.sub(r"[（(][^（）()]*[）)]$", "", re.sub(_ORDINAL + r"[、.．]?", "", plain(t)))
                      if isinstance(t, str) and re.search(_WATER + r"|河长", plain(t)) else None)  # never 续建项目
    river = pd.Series(None, index=body.index, dtype=object)
    river[heads] = names
    river = river.ffill()
    if river.isna().all():
        return body, headers
    j = max(body.columns, default=-1) + 1
    body = body.copy()
    body[j] = river
    columns[j] = next(f for f in spec.fields if f.column == "river_id")
    return body, headers + [None] * (j - len(headers)) + ["分组标题中的河流"]


def _second_table(body: pd.DataFrame, required: list[int]) -> float:
    """The row number where a second, smaller table starts below the main one after blank rows (notes, a method,
    a summary), else infinity: the rows after a blank gap fill far fewer cells than the table's own rows, and
    most leave a column the table needs empty or the first is a heading of its own (备注, 分析方法); 村级 rivers
    numbered on with fewer columns filled are still rivers."""
    filled = body.notna().sum(axis=1)
    if filled.empty:
        return float("inf")
    blank = (filled == 0).to_numpy()
    rows = body.index.to_numpy()
    for k in range(1, len(rows)):
        if blank[k - 1] and not blank[k]:
            before, after = filled.iloc[:k][~blank[:k]], filled.iloc[k:][~blank[k:]]
            needed = [j for j in required if j in body.columns]
            lacking = body.iloc[k:][~blank[k:]][needed].isna().any(axis=1).mean() if needed else 1.0
            first = [v for v in body.iloc[k] if v is not None and v == v]
            label = len(first) <= 2 and all(_is_text(v) for v in first)  # 备注 | …, 分析方法 | …: a small table's own heading
            if len(before) and after.median() < 0.5 * before.median() and (lacking > 0.5 or label):
                return float(rows[k])
    return float("inf")


def per_unique(col: pd.Series, fn, missing=None) -> np.ndarray:
    """fn of every cell, computed once per distinct value (a long column repeats itself)."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    return np.array([fn(u) for u in uniques] + [missing], dtype=object)[codes]


def _texts(col: pd.Series) -> pd.Series:
    """A column's text cells as compared (no spaces), others missing."""
    return pd.Series(per_unique(col, lambda v: plain(v) if isinstance(v, str) else None), index=col.index)


def _skip_reasons(body: pd.DataFrame) -> pd.Series:
    """Why a row is not data, by row: 小计/合计/总计 anywhere in it, a 说明/注 line, or a category heading
    (一、水污染防治, or one text cell across a wide table); else NaN."""
    why = pd.Series(None, index=body.index, dtype=object)
    if body.empty:
        return why
    totals = "|".join(_TOTALS)
    text = pd.DataFrame({j: _texts(body[j]) for j in body.columns}, index=body.index)
    total = pd.Series(False, index=body.index)
    for j in text.columns:
        total |= text[j].str.contains(f"^(?:{totals})|(?:{totals})$", regex=True).fillna(False).astype(bool)
    first = pd.Series(None, index=body.index, dtype=object)
    for j in text.columns:  # each row's first text cell (a column at a time: rows are many, columns few)
        first = first.where(first.notna(), text[j])
    first = first.fillna("").astype(str)
    note = first.str.startswith(_NOTES)
    filled = body.notna().sum(axis=1)
    category = (filled <= 2) & first.str.contains(_ORDINAL, regex=True) & (body.shape[1] >= 3)
    lone = (filled == 1) & (body.shape[1] >= 4) & first.str.len().gt(0)  # one cell across a wide table: a heading
    why[category | lone] = "分类标题行"
    withdrawn = pd.Series(False, index=body.index)
    for j in text.columns:  # a 备注 or 状态 cell saying the row is withdrawn: 已撤销, 作废, 已取消
        withdrawn |= text[j].isin(WITHDRAWN).fillna(False).astype(bool)
    why[withdrawn] = "标为已撤销的行"
    why[note] = "说明/注释行"
    why[total] = "小计/合计行"
    return why


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # BEL, ESC, VT …: never meant, and no file can hold them


def _clean(value):
    if isinstance(value, str):
        value = _CONTROL.sub("", value)
        return value if value.strip() else None
    return value


def read_sheets(name: str, data: bytes) -> list[Sheet]:
    lower = name.lower()
    if len(data) > MAX_BYTES:
        raise ReadError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB")
    if not lower.endswith(ALLOWED):
        raise ReadError("不支持的文件类型，应为 Excel（.xlsx、.xls）、CSV 或地图文件（.geojson、.gpkg、.zip）")
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ReadError("无法识别文字编码（应为 UTF-8 或 GBK）")
        return [Sheet(name, None, frame=_read_csv(text))]
    if lower.endswith(".xls"):
        return _read_xls(name, data)
    try:
        if len(data) <= MERGED_BYTES:  # small enough to open whole: merged cells are known and filled
            wb = load_workbook(io.BytesIO(data), data_only=True)
            return [_hide(Sheet(name, ws.title, *_unmerged(ws)), ws) for ws in wb.worksheets if ws.sheet_state == "visible"]
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [Sheet(name, ws.title, [[_clean(c) for c in r] for r in ws.iter_rows(values_only=True)])
                    for ws in wb.worksheets if ws.sheet_state == "visible"]
        finally:
            wb.close()
    except Exception:  # openpyxl raises many kinds for a damaged file, on opening or while reading a sheet
        raise ReadError("不是有效的 Excel 文件，或文件已损坏（可用 Excel 打开后另存为 .xlsx 再试）") from None


def _hide(sheet: Sheet, ws) -> Sheet:
    """Hidden rows are not imported (an office hides a withdrawn task rather than delete it); hidden columns are
    emptied. Both are said in the preview."""
    if not ws.auto_filter.ref:  # rows a filter hides are only out of view: they are imported
        sheet.hidden = {r for r, d in ws.row_dimensions.items() if d.hidden}
    width = max((len(r) for r in sheet.rows), default=0)
    columns = sorted({c - 1 for d in ws.column_dimensions.values() if d.hidden and d.min
                      for c in range(d.min, min(d.max or d.min, width) + 1)})
    for c in columns:
        header = next((r[c] for r in sheet.rows[:HEADER_SCAN] if c < len(r) and isinstance(r[c], str)), None)
        if any(c < len(r) and r[c] is not None for r in sheet.rows):
            sheet.hidden_columns.append(header or f"第{c + 1}列")
        for r in sheet.rows:
            if c < len(r):
                r[c] = None
    return sheet


def _unmerged(ws) -> tuple[list[list], set]:
    """A sheet's values with every merged range filled from its first cell: a river or unit merged down
    over its tasks belongs to each of them. A merged title row stays one cell (it fills nothing below).
    Also the cells filled so (1-based row, 0-based column), to know a row that only continues another."""
    rows = [[_clean(c) for c in r] for r in ws.iter_rows(values_only=True)]
    filled = set()
    for rng in ws.merged_cells.ranges:
        value = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else None
        if rng.min_row == rng.max_row:  # merged across only (a title, a group header): left as it is
            continue
        for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
            for c in range(rng.min_col - 1, rng.max_col):
                if c < len(rows[r]):
                    rows[r][c] = value
                    if r > rng.min_row - 1:
                        filled.add((r + 1, c))
    return rows, filled


def _read_csv(text: str) -> pd.DataFrame:
    """A CSV of any shape (title lines, ragged rows) as text columns, in bulk: no per-cell Python objects."""
    try:
        width = max((len(r) for r in csv.reader(io.StringIO(text))), default=0)
        if not width:
            return pd.DataFrame()
        frame = pd.read_csv(io.StringIO(text), header=None, names=range(width), dtype=str, keep_default_na=False,
                            na_filter=False, skip_blank_lines=False, engine="c")
    except (csv.Error, ValueError, pd.errors.ParserError):
        raise ReadError("CSV 格式有误，无法读取") from None
    for j in frame.columns:  # control characters out, a blank is missing; the text columns stay compact
        frame[j] = pd.Series(per_unique(frame[j], _clean), index=frame.index, dtype="str")
    return frame


def _read_xls(name: str, data: bytes) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for sheet_name in wb.sheet_names:
            rows = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            sheets.append(Sheet(name, sheet_name, [[None if c == "" else _clean(c) for c in r] for r in rows]))
        return sheets
    except Exception:  # calamine errors for a damaged or encrypted file
        raise ReadError("不是有效的 .xls 文件，或文件已损坏或加密（可用 Excel 另存为 .xlsx 再试）") from None


SKIP_SHEETS = ("填写说明", "说明", "目录", "封面")


def read_bytes(name: str, data: bytes, kind: str | None = None, mappings: dict | None = None) -> Found:
    """Every table found in one file, and the sheets that could not be understood."""
    found = Found()
    for sheet in read_sheets(name, data):
        if sheet.name and plain(sheet.name) in SKIP_SHEETS:
            continue
        got = _table(sheet, kind, mappings or {})
        if sheet.hidden_columns and got is not None and got != SKIP:
            found.hidden_columns.append((sheet.name, sheet.hidden_columns))
        if got == SKIP:
            found.skipped.append(sheet.name)
        elif isinstance(got, RawTable):
            found.tables.append(got)
        elif isinstance(got, Unknown):
            found.unknown.append(got)
    return found
