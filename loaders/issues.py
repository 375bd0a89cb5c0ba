"""What an import says: each problem by file, sheet, row and column, in Chinese; never too many to read."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
