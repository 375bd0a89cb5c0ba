"""What an import says: each problem by file, sheet, row and column, in Chinese; never too many to read;
the same problem on many rows said once, with its rows (one cause, one fix); and what was held back."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

@dataclass(frozen=True)
class Issue:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    rows: int = 0  # for a line standing for many rows ("另有 N 行……"): how many; such a line holds back rows, not the sheet
    ask: tuple | None = None  # (what, as written, options): a value the office can say once what it means (answers.py)

    @property
    def whole_sheet(self) -> bool:
        """A problem of the sheet itself (a missing column, no month): the sheet is held back, not a row."""
        return self.row is None and not self.rows

    def __str__(self) -> str:
        where = "，".join(p for p in (self.file, f"工作表“{self.sheet}”" if self.sheet else None,
                                     f"第{self.row}行" if self.row else None,
                                     f"“{self.column}”列" if self.column else None) if p)
        return f"{where}：{self.message}" if where else self.message


MAX_ISSUES = 500  # listed per import; beyond, one line says how many more (a whole column wrong says it enough)


def cap(issues: list[Issue]) -> list[Issue]:
    """At most MAX_ISSUES listed; the rest counted in one line."""
    if len(issues) <= MAX_ISSUES:
        return issues
    return issues[:MAX_ISSUES] + [Issue("", None, None, None, f"还有 {len(issues) - MAX_ISSUES:,} 个问题未列出："
                                        "同类问题往往是整列的写法，请按上面的说明批量修改后重新导入")]


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """The issues as a table (on the page and in the downloadable report); a row number only where there is one."""
    return pd.DataFrame([dict(文件=i.file, 工作表=i.sheet or "", 行=str(i.row) if i.row else "", 列=i.column or "",
                              问题=i.message) for i in issues], columns=["文件", "工作表", "行", "列", "问题"])


@dataclass(frozen=True)
class Held:
    """A sheet, file or rows of a sheet held back from a publish, and why (the rest goes in)."""
    file: str
    sheet: str | None
    table: str  # the kind of table, as the office calls it (三张清单, 水质监测 …); "" when not known
    rows: int | None  # rows held back; None: the whole sheet or file
    reason: str


def held_frame(held: list[Held]) -> pd.DataFrame:
    return pd.DataFrame([dict(文件=h.file, 工作表=h.sheet or "", 内容=h.table, 暂缓导入="整张表" if h.rows is None
                              else f"{h.rows}行", 原因=h.reason) for h in held],
                        columns=["文件", "工作表", "内容", "暂缓导入", "原因"])


def _rows_text(rows: list[int], more: int) -> str:
    shown = "、".join(str(r) for r in rows[:8])
    rest = len(rows) - 8 + more
    return f"第{shown}行" + (f"等{len(rows) + more}行" if rest > 0 else "")


_ACTUAL = re.compile(r"（实际为 [^）]*）")  # the value of one row, not part of the cause


def grouped(issues: list[Issue]) -> pd.DataFrame:
    """The same problem once, wherever it is: `未知的河流“临江河”` on 38 rows of three files is one line and one
    fix, with how many rows and where (file, sheet and rows; the column as the file heads it)."""
    groups: dict[str, list] = {}
    for i in issues:
        groups.setdefault(_ACTUAL.sub("", i.message), []).append(i)
    out = []
    for message, members in groups.items():
        places: dict[tuple, list] = {}
        for i in members:
            places.setdefault((i.file, i.sheet or ""), []).append(i)
        where = []
        for (file, sheet), here in places.items():
            rows = sorted({i.row for i in here if i.row})
            more = sum(i.rows for i in here)
            columns = "、".join(dict.fromkeys(f"“{i.column}”列" for i in here if i.column))
            where.append("，".join(p for p in (file, f"工作表“{sheet}”" if sheet else "",
                                                _rows_text(rows, more) if rows else "", columns) if p))
        count = sum(len({i.row for i in m if i.row}) + sum(i.rows for i in m)
                    for m in places.values())
        out.append(dict(问题=message, 行数=count, 位置="；".join(where)))
    frame = pd.DataFrame(out, columns=["问题", "行数", "位置"])
    return frame.sort_values("行数", ascending=False, kind="stable", ignore_index=True)


def grouped_lines(issues: list[Issue]) -> list[str]:
    """The grouped problems as sentences (the command line)."""
    return [f"{g.问题}" + (f"（{g.行数}行）" if g.行数 > 1 else "") + (f" —— {g.位置}" if g.位置 else "")
            for g in grouped(issues).itertuples()]
