"""The unit's own reporting sheet (月报送表): written pre-filled with its open items and problems, filled in
Excel, uploaded back. Reading it names the row and column of anything not understood."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from rendering.safe import clean, defuse
from loaders import convert
from riverchief.reporting import Report
from riverchief.errors import RiverBoardError

HEADERS = ["类别", "编号", "事项/问题", "截止日期", "目标", "上期进度（%）", "已完成量", "进度（%）", "完成日期",
           "难以按期完成", "原因", "说明", "本月无进展"]
OPTIONAL = ("本月无进展",)  # added later: a sheet downloaded before it still reads
KINDS = {"item": "事项", "problem": "问题"}
_FILL = PatternFill("solid", fgColor="FFF4CC")  # the cells the unit fills in


class SheetError(RiverBoardError):
    """The sheet could not be read; `problems` lists each row and column with what was expected."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems[:5]))
        self.problems = problems


def write(work: pd.DataFrame, entries: pd.DataFrame, title: str) -> bytes:
    """One row per open item or problem, with what the unit entered so far (or last month's values)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "月报送"
    ws.append([clean(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    got = entries.set_index(["kind", "ref_id"]) if len(entries) else None
    for w in work.to_dict("records"):
        e = got.loc[(w["kind"], w["ref_id"])] if got is not None and (w["kind"], w["ref_id"]) in got.index else None
        quantified = pd.notna(w["target_qty"]) and w["kind"] == "item"
        done_qty = (e["done_qty"] if e is not None else w["done_qty"]) if quantified else None
        progress = e["progress"] if e is not None else w["progress"]
        ws.append([KINDS[w["kind"]], w["ref_id"], clean(w["title"]),
                   w["deadline"] if pd.notna(w["deadline"]) else "长期",
                   f"{w['target_qty']:g}{w['target_unit'] or ''}" if quantified else "",
                   round(float(w["progress"]) * 100, 1), None if pd.isna(done_qty) else float(done_qty),
                   None if quantified or pd.isna(progress) else round(float(progress) * 100, 1),
                   e["done_date"] if e is not None and pd.notna(e["done_date"]) else None,
                   "是" if e is not None and e["at_risk"] else "否",
                   clean(e["risk_reason"]) if e is not None else "", clean(e["note"]) if e is not None else "",
                   "是" if e is not None and e["no_progress"] else "否"])
        for col in "GHIJKLM":
            ws[f"{col}{ws.max_row}"].fill = _FILL
        ws[f"I{ws.max_row}"].number_format = "yyyy-mm-dd"
        ws[f"D{ws.max_row}"].number_format = "yyyy-mm-dd"
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(yes_no)
    yes_no.add(f"J3:J{max(ws.max_row, 3)}")
    yes_no.add(f"M3:M{max(ws.max_row, 3)}")
    for col, width in zip("ABCDEFGHIJKLM", (6, 16, 36, 12, 12, 10, 10, 10, 12, 10, 24, 24, 10)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    buf = io.BytesIO()
    defuse(wb).save(buf)
    return buf.getvalue()


def read(data: bytes, file_name: str, work: pd.DataFrame, notice: dt.date | None = None) -> dict[tuple[str, str], Report]:
    """The reports in an uploaded sheet, keyed by (kind, ref_id); SheetError naming every row and column
    not understood (nothing is taken then)."""
    try:
        ws = load_workbook(io.BytesIO(data), data_only=True, read_only=True).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
    except Exception:
        raise SheetError([f"{file_name}：不是可读取的 Excel 文件（.xlsx），请用下载的报送表填写"]) from None
    header_at = next((i for i, r in enumerate(rows[:10]) if r and "编号" in [convert.plain(v) for v in r if v]), None)
    if header_at is None:
        raise SheetError([f"{file_name}：找不到表头（应有“编号”列），请用下载的报送表填写"])
    col = {convert.plain(v): i for i, v in enumerate(rows[header_at]) if v is not None}
    missing = [h for h in HEADERS if convert.plain(h) not in col and h not in OPTIONAL]
    if missing:
        raise SheetError([f"{file_name}：缺少列 {'、'.join(missing)}"])
    known = {(k, r): w for k, r, w in zip(work["kind"], work["ref_id"], work.to_dict("records"))}
    kinds = {v: k for k, v in KINDS.items()}
    out, problems = {}, []
    for n, r in enumerate(rows[header_at + 1:], start=header_at + 2):
        cell = lambda h: r[col[convert.plain(h)]] if col.get(convert.plain(h), len(r)) < len(r) else None  # noqa: E731
        if all(convert.is_empty(v) for v in r):
            continue
        key = (kinds.get(convert.plain(cell("类别"))), convert.plain(cell("编号")))
        if key not in known:
            problems.append(f"{file_name} 第{n}行：编号“{cell('编号')}”不是本单位本轮须填报的事项或问题")
            continue
        where = f"{file_name} 第{n}行"

        def value(header: str, read):  # a cell read, or BadValue naming its column
            try:
                return None if convert.is_empty(cell(header)) else read(cell(header))
            except convert.BadValue as exc:
                raise convert.BadValue(f"“{header}”列：{exc}") from None
        try:
            quantified = key[0] == "item" and pd.notna(known[key]["target_qty"])
            done_qty = value("已完成量", convert.to_float)
            pct = value("进度（%）", convert.to_float)
            if pct is not None and not 0 <= pct <= 100:
                raise convert.BadValue(f"“进度（%）”应在0到100之间，填的是{pct:g}")
            done_date = value("完成日期", convert.to_date)
            if isinstance(done_date, dt.datetime):
                done_date = done_date.date()
            if done_date is not None and notice is not None and done_date > notice:
                raise convert.BadValue(f"“完成日期”{done_date:%Y-%m-%d}晚于本期通报日{notice:%Y-%m-%d}，尚未发生的完成不能填报")
            risky = bool(value("难以按期完成", convert.to_bool))
            still = bool(value("本月无进展", convert.to_bool))
        except convert.BadValue as exc:
            problems.append(f"{where}：{exc}")
            continue
        out[key] = Report(done_qty=done_qty if quantified else None, progress=None if quantified or pct is None else pct / 100,
                          done_date=done_date, at_risk=risky,
                          risk_reason="" if convert.is_empty(cell("原因")) else str(cell("原因")),
                          note="" if convert.is_empty(cell("说明")) else str(cell("说明")), no_progress=still)
    if problems:
        raise SheetError(problems)
    return out
