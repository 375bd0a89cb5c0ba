"""Forgiving reading of office files: Excel with title rows and merged cells above the header, blank
rows, full-width characters; CSV in UTF-8 (with or without BOM) or GBK. Formulas are read as their
values and macros never run (openpyxl does neither)."""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from openpyxl import load_workbook

from loaders.specs import SPECS, TableSpec

MAX_BYTES = 50 * 1024 * 1024
ALLOWED = (".xlsx", ".xlsm", ".csv")


class ReadError(ValueError):
    """A file that cannot be read at all (the message is in Chinese)."""


@dataclass
class RawTable:
    file: str
    sheet: str | None
    spec: TableSpec
    headers: list[str]  # as written in the file (normalised)
    rows: list[tuple[int, list]]  # (row number in the file, cell values)


def normalise(value):
    """Full-width digits, letters and spaces to half-width; trim; blank cells to None."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).replace("\u3000", " ").strip()
        value = " ".join(value.split())
        return value or None
    return value


def _key(header) -> str:
    return "".join(str(normalise(header) or "").split()).replace("(", "（").replace(")", "）")


def match(spec: TableSpec, header) -> str | None:
    """The field a header names, through its synonyms."""
    k = _key(header)
    for f in spec.fields:
        if k in {_key(f.header), *map(_key, f.synonyms)}:
            return f.column
    return None


def detect(rows: list[list], kind: str | None) -> tuple[TableSpec, int] | None:
    """The table a sheet holds and the index of its header row (the best match in the first 15 rows)."""
    specs = [SPECS[kind]] if kind else list(SPECS.values())
    best = None
    for i, row in enumerate(rows[:15]):
        for spec in specs:
            matched = {match(spec, c) for c in row if c is not None} - {None}
            required = {f.column for f in spec.fields if f.required}
            score = (len(matched & required) == len(required), len(matched))
            if matched and (best is None or score > best[0]):
                best = (score, spec, i)
    if best is None or (kind is None and not best[0][0]):
        return None
    return best[1], best[2]


def _table(file: str, sheet: str | None, rows: list[list], kind: str | None) -> RawTable | None:
    found = detect(rows, kind)
    if found is None:
        return None
    spec, h = found
    headers = [normalise(c) for c in rows[h]]
    body = [(h + 2 + i, r) for i, r in enumerate(rows[h + 1:]) if any(v is not None for v in r)]
    return RawTable(file, sheet, spec, headers, body)


def read_bytes(name: str, data: bytes, kind: str | None = None) -> list[RawTable]:
    """Every table found in one file; a sheet that holds none of ours is passed over."""
    lower = name.lower()
    if len(data) > MAX_BYTES:
        raise ReadError(f"{name}：文件超过 {MAX_BYTES // 1024 // 1024} MB")
    if not lower.endswith(ALLOWED):
        raise ReadError(f"{name}：不支持的文件类型，应为 {'、'.join(ALLOWED)}（.xls 请另存为 .xlsx）")
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ReadError(f"{name}：无法识别文字编码（应为 UTF-8 或 GBK）")
        rows = [[normalise(c) for c in r] for r in csv.reader(io.StringIO(text))]
        table = _table(name, None, rows, kind)
        return [table] if table else []
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ReadError(f"{name}：不是有效的 Excel 文件（{type(exc).__name__}）") from exc
    tables = []
    for ws in wb.worksheets:
        rows = [[normalise(c) for c in r] for r in ws.iter_rows(values_only=True)]
        table = _table(name, ws.title, rows, kind)
        if table:
            tables.append(table)
    return tables
