"""Cell values as people type them, into the data model's types — or a precise complaint in Chinese.

Dates: 2023-06-30, 2023/6/30, 2023年6月30日, 2023.6.30, 20230630, an Excel serial number, or 6月30日 /
01月15日 with the year taken from the sheet's title. Deadlines also in words: 2024年底前, 2024.10 (the end
of that month), 3月底前, 上半年, 三季度; 长期坚持 / 持续推进 / 常态化 mean a standing task (no deadline).
Progress: 60%, 0.6, 60, 已完成, 未启动, 推进中（60%）, 完成3.2公里. Concentrations: 0.05, 0.05L, <0.05,
未检出, ND (below detection: the flag is kept, the value is the limit). Coordinates: 106.04 or 106°02′30″.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

from loaders.specs import CHOICE_WORDS, DETECTION_LIMITS, LIST_WORDS
from riverchief import clock, dates, schema
from riverchief.errors import RiverBoardError

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# (text reaches these patterns without spaces: 2024-06-05 10:30 is read as 2024-06-0510:30)
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?(?:[T\s]?(\d{1,2})[:：时](\d{2})分?(?:[:：]?(\d{2})秒?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_CLASSES = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5,
            "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
EMPTY_MARKS = {"—", "——", "-", "--", "－", "/", "／", "无", "空", "暂无", "N/A", "n/a", "NA", "#N/A"}
STANDING = ("长期坚持", "持续推进", "常态化", "长期", "持续开展", "长期开展", "每月", "每年", "常年")
DONE_WORDS = ("已完成", "已整改", "已销号", "整改完成", "已办结", "已完工", "全部完成", "完成", "已落实", "办结")
NOT_STARTED = ("未启动", "未开始", "尚未启动", "尚未开始", "未开工")
UNDER_WAY = ("推进中", "正在推进", "正在整改", "整改中", "进行中", "在建", "实施中", "正在实施", "已启动", "已交办", "推进",
             "开展", "施工", "开工", "前期", "招标", "设计", "建设中", "办理中", "协调", "基本完成", "暂停", "停工")
_QTY = re.compile(r"完成\s*(\d+(?:\.\d+)?)\s*(公里|千米|km|米|m|亩|平方米|万平方米|个|处|户|座|家|万尾|条|项|台|套|吨)")
_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_LENGTH = {"公里": 1000.0, "千米": 1000.0, "km": 1000.0, "米": 1.0, "m": 1.0}


class BadValue(RiverBoardError, ValueError):
    """The message says what was expected, in Chinese."""


class UnknownValue(BadValue):
    """A name or a word not known: the office can say once what it means (loaders/answers.py), and the answer is
    used from then on. `options` are what it may mean, the likeliest first."""

    def __init__(self, message: str, written: str, options: tuple[str, ...]):
        super().__init__(message)
        self.written, self.options = written, options


def plain(value) -> str:
    """Text for matching and parsing only (full-width to half-width, no spaces); never stored."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and (not value.strip() or plain(value) in EMPTY_MARKS)


def month_end(year: int, month: int) -> dt.date:
    """dates.month_end, for a month as an office wrote it (refused in words when it is no month)."""
    if not 1 <= month <= 12:
        raise BadValue(f"“{month}月”不是有效月份")
    return dates.month_end(year, month)


def to_notice_month(text: str) -> dt.date:
    """The notice of a month written as 2024-06 (or 2024年6月): that month's last day."""
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", plain(text))
    if not m:
        raise BadValue(f"“{text}”不是月份，应写作 2024-06")
    return month_end(int(m[1]), int(m[2]))


def to_datetime(value, year: int | None = None) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial number (1954–2119)
            return EXCEL_EPOCH + dt.timedelta(days=float(value))
        raise BadValue(f"“{value}”不是日期，应为 2023-06-30、2023/6/30 或 2023年6月30日")
    text = plain(re.sub(r"(?<=\d)\s+(?=\d{1,2}[:：时])", "T", str(value).strip()))  # 2025/1/8 09:12: the space kept
    short = re.fullmatch(r"(\d{2})[./](\d{1,2})[./](\d{1,2})", text)  # 25.3.5: a two-digit year is this century's
    if short:
        text = f"20{short[1]}-{short[2]}-{short[3]}"
    m = _DATE.match(text) or _COMPACT.match(text)
    if m:
        parts = [int(p) if p else 0 for p in m.groups()] + [0, 0, 0]
        try:
            return dt.datetime(*parts[:6])
        except ValueError as exc:
            raise BadValue(f"“{value}”不是有效日期") from exc
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?(?:份)?", text) or (
        re.fullmatch(r"(\d{1,2})\s*月(?:份)?", text) and year and re.fullmatch(r"()(\d{1,2})\s*月(?:份)?", text))
    if m and 1 <= int(m[2]) <= 12:  # a month only (monthly sampling written 2024年6月): its first day
        return dt.datetime(int(m[1]) if m[1] else year, int(m[2]), 1)
    m = _MONTH_DAY.match(text)
    if m and year:  # 6月30日: the year comes from the sheet's title
        try:
            return dt.datetime(year, int(m[1]), int(m[2]))
        except ValueError as exc:
            raise BadValue(f"“{value}”不是有效日期") from exc
    if m:
        raise BadValue(f"“{value}”缺少年份，且表格标题中也没有年份，应写作 2024年6月30日")
    raise BadValue(f"“{value}”不是日期，应为 2023-06-30、2023/6/30 或 2023年6月30日")


EARLIEST = 1990  # no river chief record is older (河长制 dates from 2016; monitoring series from the 1990s)


def plausible(when: dt.datetime, latest_years: int = 20) -> dt.datetime:
    """A date within what a river chief office can mean: 1990 up to `latest_years` from now."""
    last = clock.today().year + latest_years
    if not EARLIEST <= when.year <= last:
        raise BadValue(f"日期“{when:%Y-%m-%d}”不在合理范围（{EARLIEST}年至{last}年），请核对")
    return when


def to_date(value, year: int | None = None) -> dt.date:
    return plausible(to_datetime(value, year)).date()


def to_deadline(value, year: int | None = None) -> dt.date | None:
    """A deadline as offices write it; None for a standing task (长期坚持, 持续推进, 常态化)."""
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        return to_date(value, year)
    text = plain(value)
    if any(text.startswith(w) for w in STANDING):
        return None
    body = re.sub(r"(之前|以前|前|止)$", "", re.sub(r"(前|之前)?(完成|完工|办结|到位)$", "", text))
    m = re.fullmatch(r"(?:(\d{4})年)?(?:年底|年末|底)", body) or re.fullmatch(r"(\d{4})年(?:年底|年末|底)?", body)
    if m and (m[1] or year):
        return dt.date(int(m[1] or year), 12, 31)
    m = re.fullmatch(r"(?:(\d{4})年)?([上下])半年(?:底|末)?", body)
    if m and (m[1] or year):
        return dt.date(int(m[1] or year), 6, 30) if m[2] == "上" else dt.date(int(m[1] or year), 12, 31)
    m = re.fullmatch(r"(?:(\d{4})年)?(?:第)?([一二三四1234])季度(?:底|末)?", body)
    if m and (m[1] or year):
        return month_end(int(m[1] or year), 3 * _CN_QUARTER[m[2]])
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:底|末)?", body)
    if m:
        return month_end(int(m[1]), int(m[2]))
    m = re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})月([上中下])旬(?:末)?", body)
    if m and (m[1] or year):  # 9月中旬: the last day of that ten-day part
        y, mo = int(m[1] or year), int(m[2])
        return month_end(y, mo) if m[3] == "下" else dt.date(y, mo, 10 if m[3] == "上" else 20)
    m = re.fullmatch(r"(\d{1,2})月(?:底|末)?", body)
    if m and year:
        return month_end(year, int(m[1]))
    try:
        return to_datetime(body, year).date()  # how far ahead is plausible, the caller says
    except BadValue:
        raise BadValue(f"“{value}”不是完成时限，应为 2024-06-30、2024年底前、2024.10、6月30日前 或 长期坚持") from None


IMMEDIATE = ("立行立改", "即知即改", "立即整改", "马上整改", "立查立改", "即查即改", "边查边改")  # done within the month found


def to_period(value, year: int | None = None) -> tuple[dt.date, dt.date]:
    """A span as major projects write it (建设起止年限): 2022-2024, 2023年—2025年, 2023.3-2024.12, 2024年3月至12月,
    2024.3.1~2024.11.30 → its first and last day."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 2000 <= value <= 2100:
        return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    text = plain(value).replace("年度", "年")
    parts = re.split(r"[-—–~～至到]+", text)
    if len(parts) == 1 and re.fullmatch(r"(\d{4})年?", text):
        y = int(re.fullmatch(r"(\d{4})年?", text)[1])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if len(parts) != 2 or not all(parts):
        raise BadValue(f"“{value}”不是起止年限，应为 2022-2024、2023.3-2024.12 或 2024年3月至12月")
    first, last = (re.sub(r"年$", "", p) for p in parts)
    try:
        m = re.fullmatch(r"(\d{4})", first)
        start = dt.date(int(m[1]), 1, 1) if m else to_date(first if re.search(r"\d{4}", first) else first, year)
        start_year = start.year
        m = re.fullmatch(r"(\d{4})", last)
        end = dt.date(int(m[1]), 12, 31) if m else to_deadline(last, start_year)
    except BadValue:
        raise BadValue(f"“{value}”不是起止年限，应为 2022-2024、2023.3-2024.12 或 2024年3月至12月") from None
    if end is None or end < start:
        raise BadValue(f"“{value}”的结束早于开始")
    return start, end


def to_float(value, percent: bool = False) -> float:
    if isinstance(value, bool):
        raise BadValue(f"“{value}”不是数字")
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):
            raise BadValue(f"“{value}”不是有效数字")
        return number / 100 if percent and number > 1 else number
    text = plain(value).replace(",", "")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    try:
        number = float(text) * scale
    except ValueError as exc:
        raise BadValue(f"“{value}”不是数字") from exc
    if not math.isfinite(number):  # nan, inf, 1e999 typed as text
        raise BadValue(f"“{value}”不是有效数字")
    if percent and scale == 1.0 and number > 1:  # 52.5 in a progress column means 52.5%
        number /= 100
    return number


@dataclass(frozen=True)
class Progress:
    progress: float | None  # 0..1, None when the words give no figure (推进中)
    done: bool = False
    done_qty: float | None = None
    qty_unit: str | None = None
    not_started: bool = False
    number: float | None = None  # a bare number (0.6, 60): a share or a percentage, decided per column


def to_progress(value) -> Progress:
    """Progress as reported: a share, a percentage, a fraction (2400/3200), words, or a quantity done (完成3.2公里).
    A negative figure is refused where it is read (it was kept as its absolute value, or failed only at publish)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            raise BadValue(f"进度不能为负数（{value:g}），应为 0 至 100% 之间")
        share = to_float(value, percent=True)
        return Progress(share, done=share >= 1, number=float(value))
    text = plain(value)
    if re.match(r"^[-−–]\s*\d", text):
        raise BadValue(f"进度不能为负数（{value}），应为 0 至 100% 之间")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        share = to_float(text, percent=True)
        return Progress(share, done=share >= 1, number=float(text))
    if any(text.startswith(w) for w in NOT_STARTED):
        return Progress(0.0, not_started=True)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)", text)  # 2400/3200: done of the target
    if m and float(m[2]) > 0:
        share = float(m[1]) / float(m[2])
        return Progress(share, done=share >= 1)
    m = _QTY.search(text)
    if m and not _PCT.search(text):
        return Progress(None, done_qty=float(m[1]), qty_unit=m[2])
    m = _PCT.search(text)
    if m:
        share = float(m[1]) / 100
        return Progress(share, done=share >= 1)
    if text in DONE_WORDS or any(text.startswith(w) for w in DONE_WORDS[:6]):
        return Progress(1.0, done=True)
    if any(w in text for w in UNDER_WAY) or "滞后" in text:
        return Progress(None)
    try:
        share = to_float(text, percent=True)
    except BadValue:
        raise BadValue(f"“{value}”不是进度，应为 60%、0.6、已完成、未启动、推进中（60%）或 完成3.2公里") from None
    return Progress(share, done=share >= 1)


def quantity_in(qty: float, unit: str, target_unit: str | None) -> float | None:
    """A quantity done in the target's unit (公里 and 米 convert); None when the units differ."""
    if target_unit is None:
        return None
    target = plain(target_unit)
    if unit == target:
        return qty
    if unit in _LENGTH and target in _LENGTH:
        return qty * _LENGTH[unit] / _LENGTH[target]
    return None


def to_int(value) -> int:
    if isinstance(value, str):
        value = re.sub(r"(年度|年)$", "", plain(value))  # 2024年度
    number = to_float(value)
    if number != int(number):
        raise BadValue(f"“{value}”应为整数")
    return int(number)


def to_bool(value) -> bool:
    text = plain(value).lower()
    if text in ("是", "y", "yes", "true", "1", "√", "有", "已落实", "已完成", "完成", "落实", "已开展"):
        return True
    if text in ("否", "n", "no", "false", "0", "×", "无", "未落实", "未完成", "未开展"):
        return False
    raise BadValue(f"“{value}”应为“是”或“否”")


def to_class(value) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value):
        value = int(value)
    text = plain(value).upper().replace("Ⅰ", "Ⅰ").removesuffix("类").removeprefix("地表水")
    if text in _CLASSES:
        return _CLASSES[text]
    raise BadValue(f"“{value}”不是水质类别，应为 Ⅰ类 至 Ⅴ类（或 Ⅲ、III、3类）")


_DMS = re.compile(r"^([EWNS东西南北]?)[经纬]?(\d+(?:\.\d+)?)[°度:](?:(\d+(?:\.\d+)?)['′’分:]?)?(?:(\d+(?:\.\d+)?)(?:\"|″|”|''|′′|秒)?)?([EWNS东西南北]?)[经纬]?$")


def to_coordinate(value) -> float:
    """Decimal degrees from 106.0417, 106°02′30″, 106度2分30秒 or E106°02′30″."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = plain(value)
    try:
        return float(text)
    except ValueError:
        pass
    m = _DMS.match(text) or re.fullmatch(r"([EWNS东西南北]?)[经纬]?(\d+\.\d+)()()([EWNS东西南北]?)[经纬]?°?", text)
    if not m:
        raise BadValue(f"“{value}”不是坐标，应为 106.0417 或 106°02′30″")
    deg, minutes, seconds = float(m[2]), float(m[3] or 0), float(m[4] or 0)
    if minutes > 60 or seconds > 60:  # 60″ is a rounding habit: it carries over
        raise BadValue(f"“{value}”的分或秒超过60")
    sign = -1 if (m[1] or m[5]) in ("W", "S", "西", "南") else 1
    return sign * (deg + minutes / 60 + seconds / 3600)


def to_lonlat(value) -> tuple[float, float]:
    """Both coordinates in one cell (106.05,29.85 / 29.85 106.05 / E106°02′30″ N29°30′00″): in China the
    longitude is the larger number, so the order written does not matter."""
    parts = [p for p in re.split(r"[,，;；/、\s]+", plain(str(value)).replace("E", " E").replace("N", " N")) if p]
    if len(parts) != 2:
        raise BadValue(f"“{value}”不是经纬度，应为 106.05,29.85 这样的两个数")
    a, b = (to_coordinate(p) for p in parts)
    return (a, b) if a >= b else (b, a)


def to_concentration(value, factor: str) -> tuple[float, bool]:
    """(value in mg/L, below detection limit)."""
    text = plain(value) if not isinstance(value, (int, float)) else None
    if text is None:
        number, bdl = float(value), False
    elif text.upper() in ("未检出", "ND", "N.D.", "<DL", "低于检出限"):
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


def to_choice(value, choices: tuple[str, ...], column: str) -> str:
    """One of the choices, as written or in the words offices use (正在整改 → 整改中, 乡级 → 镇级)."""
    text = plain(value)
    if text in choices:
        return text
    for choice, words in CHOICE_WORDS.get(column, ()):
        if choice in choices and any(w in text for w in words):
            return choice
    near = loose_choice(text, choices)
    if near:
        return near
    raise UnknownValue(f"“{value}”不在可选值中，应为 {'、'.join(choices)}", str(value), tuple(choices))


def loose_choice(text: str, choices: tuple[str, ...]) -> str | None:
    """The one choice a word plainly means: the only choice it contains or is part of (区级部门 → 部门, 镇 → 镇街);
    None when none or two fit, or the word negates (不严重 is not 严重): then it is asked, never guessed."""
    if re.search(r"[不未非无没]", text):
        return None
    inside = [c for c in choices if c in text or text in c]
    return inside[0] if len(inside) == 1 else None


def to_quantity(value) -> tuple[float, str | None]:
    """A quantity with its unit in the same cell (3360米, 1.2万平方米 stays as written: 1.2 万平方米)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), None
    m = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)\s*([^\d\s].*)?", plain(value).replace(",", ""))
    if not m:
        raise BadValue(f"“{value}”不是数量，应为 3360 或 3360米")
    return float(m[1]), m[2] or None


def to_list(value) -> str:
    text = plain(value)
    if text in LIST_WORDS:
        return LIST_WORDS[text]
    if text in schema.LISTS:
        return text
    for words, name in LIST_WORDS.items():
        if words in text:
            return name
    raise BadValue(f"“{value}”不是清单名称，应为 {'、'.join(schema.LIST_NAMES.values())} 之一")


# 县水利局牵头，各乡镇配合: the role words around a name; 各乡镇, 相关部门: no one unit, left out (and said)
_ROLE = re.compile(r"(?:牵头|负责|主责|配合|协助|参与|协办|督导|指导)(?:单位|部门)?$")
COLLECTIVE = re.compile(r"^(?:各|相关|有关|沿河|属地|涉及)+(?:的)?(?:乡镇|镇街|街道|镇|乡|部门|单位|村|社区|责任单位)+(?:等)?$")


def collective(value) -> list[str]:
    """The parts of a cell that name no one unit (各乡镇, 相关部门): left out of the names, and said."""
    return [p.strip() for p in re.split(r"[、，,;；/\n]+", str(value)) if COLLECTIVE.match(plain(_ROLE.sub("", p.strip())))]


def split_names(value) -> list[str]:
    """Several names in one cell: 区水利局、石门镇 / 区水利局，石门镇 / one per line / 县水利局牵头，各乡镇配合
    (role words set aside; 各乡镇 and the like name no unit and are left out)."""
    names = [_ROLE.sub("", p.strip()) or p.strip() for p in re.split(r"[、，,;；/\n]+", str(value)) if p.strip()]
    return [n for n in names if not COLLECTIVE.match(plain(n))]
