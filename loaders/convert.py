"""Cell values as people type them, into the data model's types — or a precise complaint.

Dates: 2023-06-30, 2023/6/30, 2023年6月30日, 2023.6.30, 20230630 or an Excel serial number.
Concentrations: 0.05, 0.05L, <0.05, 未检出 (below detection: the flag is kept, the value is the limit).
"""
from __future__ import annotations

import datetime as dt
import re

from loaders.specs import DETECTION_LIMITS, LISTS

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_CLASSES = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5,
            "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}


class BadValue(ValueError):
    """The message says what was expected, in Chinese."""


def to_datetime(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial number (1954–2119)
            return EXCEL_EPOCH + dt.timedelta(days=float(value))
        raise BadValue(f"“{value}”不是日期，应为 2023-06-30、2023/6/30 或 2023年6月30日")
    text = str(value).strip()
    m = _DATE.match(text) or _COMPACT.match(text)
    if m:
        parts = [int(p) if p else 0 for p in m.groups()] + [0, 0, 0]
        try:
            return dt.datetime(*parts[:6])
        except ValueError as exc:
            raise BadValue(f"“{text}”不是有效日期") from exc
    raise BadValue(f"“{text}”不是日期，应为 2023-06-30、2023/6/30 或 2023年6月30日")


def to_date(value) -> dt.date:
    return to_datetime(value).date()


def to_float(value, percent: bool = False) -> float:
    if isinstance(value, bool):
        raise BadValue(f"“{value}”不是数字")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", "")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    try:
        number = float(text) * scale
    except ValueError as exc:
        raise BadValue(f"“{value}”不是数字") from exc
    if percent and scale == 1.0 and number > 1:  # 52.5 in a progress column means 52.5%
        number /= 100
    return number


def to_int(value) -> int:
    number = to_float(value)
    if number != int(number):
        raise BadValue(f"“{value}”应为整数")
    return int(number)


def to_bool(value) -> bool:
    text = str(value).strip().lower()
    if text in ("是", "y", "yes", "true", "1", "√"):
        return True
    if text in ("否", "n", "no", "false", "0", "×"):
        return False
    raise BadValue(f"“{value}”应为“是”或“否”")


def to_class(value) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value):
        value = int(value)
    text = str(value).strip().removesuffix("类")
    if text in _CLASSES:
        return _CLASSES[text]
    raise BadValue(f"“{value}”不是水质类别，应为 Ⅰ类 至 Ⅴ类（或 1 至 5）")


def to_concentration(value, factor: str) -> tuple[float, bool]:
    """(value in mg/L, below detection limit)."""
    text = str(value).strip() if not isinstance(value, (int, float)) else None
    if text is None:
        number, bdl = float(value), False
    elif text in ("未检出", "ND", "nd"):
        return DETECTION_LIMITS.get(factor, 0.0), True
    elif text.startswith("<"):
        number, bdl = to_float(text[1:]), True
    elif text[-1:] in ("L", "l"):
        number, bdl = to_float(text[:-1]), True
    else:
        number, bdl = to_float(text), False
    if number < 0:
        raise BadValue(f"浓度不能为负数（{value}）")
    return number, bdl


def to_list(value) -> str:
    text = str(value).strip()
    if text in LISTS:
        return LISTS[text]
    if text in ("major", "task", "problem"):
        return text
    raise BadValue(f"“{value}”不是清单名称，应为 重大事项重大项目、一河一策 或 突出问题整改")
