"""GB 3838-2002 surface-water classes: one factor, one sample (single-factor method).

Limits are fixed by the standard and hard-coded here on purpose; tests pin every edge value.
A value at a class limit belongs to that class (for DO, at or above the limit). Also here: which source
(manual sample or automatic station) gives a section's monthly value (`monthly_values`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from riverchief.errors import RuleError

# Class index: 1..5 = Ⅰ..Ⅴ, 6 = 劣Ⅴ.
WORSE_THAN_V = 6
CLASS_NAMES = {1: "Ⅰ类", 2: "Ⅱ类", 3: "Ⅲ类", 4: "Ⅳ类", 5: "Ⅴ类", 6: "劣Ⅴ类"}
CLASS_WORDS = {1: "优", 2: "优", 3: "良好", 4: "轻度污染", 5: "中度污染", 6: "重度污染"}
# Bulletin palette: Ⅰ–Ⅱ blue, Ⅲ green, Ⅳ yellow, Ⅴ orange, 劣Ⅴ red (badges, never dots).
CLASS_COLOURS = {1: "#1565C0", 2: "#1565C0", 3: "#2E7D32", 4: "#F9A825", 5: "#EF6C00", 6: "#C62828"}

RIVER = "river"
LAKE = "lake"  # lakes and reservoirs (湖库): stricter TP limits

# mg/L, limits of classes Ⅰ..Ⅴ. DO is "at least"; every other factor "at most".
LIMITS: dict[str, tuple[float, ...]] = {
    "tp": (0.02, 0.1, 0.2, 0.3, 0.4),
    "tp_lake": (0.01, 0.025, 0.05, 0.1, 0.2),
    "nh3n": (0.15, 0.5, 1.0, 1.5, 2.0),
    "codmn": (2.0, 4.0, 6.0, 10.0, 15.0),
    "cod": (15.0, 15.0, 20.0, 30.0, 40.0),
    "bod5": (3.0, 3.0, 4.0, 6.0, 10.0),
    "do": (7.5, 6.0, 5.0, 3.0, 2.0),
}
HIGHER_IS_BETTER = {"do"}
CLASSED_FACTORS = ("tp", "nh3n", "codmn", "cod", "bod5", "do")
FACTOR_NAMES = {
    "tp": "总磷", "nh3n": "氨氮", "codmn": "高锰酸盐指数", "cod": "化学需氧量",
    "bod5": "五日生化需氧量", "do": "溶解氧",
}
# Reported values carry at most a few decimals; rounding first keeps a computed 0.30000000000000004
# from falling into the next class.
_DECIMALS = 6


def limits(factor: str, water_body: str = RIVER) -> tuple[float, ...]:
    """The limits of classes Ⅰ..Ⅴ of a factor in a body of water: the one place TP's lake limits are chosen."""
    if factor not in LIMITS or factor == "tp_lake":
        raise RuleError(f"“{factor}”不是参与水质类别评价的指标", f"not a classed factor: {factor!r}")
    if water_body not in (RIVER, LAKE):
        raise RuleError(f"水体类型应为河流（{RIVER}）或湖库（{LAKE}），实际为“{water_body}”")
    return LIMITS["tp_lake"] if (factor == "tp" and water_body == LAKE) else LIMITS[factor]


def judged_body(lake_sections, sections) -> np.ndarray:
    """The body a river (or any group of sections) is judged as: a lake (湖库) only when all of its sections
    are lake sections, else a river. Vectorised over groups: counts of lake sections and of all sections."""
    lake_sections, sections = np.asarray(lake_sections), np.asarray(sections)
    return np.where((sections > 0) & (lake_sections == sections), LAKE, RIVER)


def body_of(bodies) -> str:
    """`judged_body` for one group, from its sections' bodies."""
    bodies = np.asarray(bodies, dtype=object)
    return str(judged_body((bodies == LAKE).sum(), len(bodies)))


def class_limit(factor: str, water_class: int, water_body: str = RIVER) -> float:
    """The limit of a class (Ⅰ..Ⅴ) for a factor: a target of Ⅲ means at most this value (at least, for DO)."""
    if not 1 <= int(water_class) <= 5:
        raise RuleError(f"水质目标应为Ⅰ至Ⅴ类，实际为“{water_class}”")
    return limits(factor, water_body)[int(water_class) - 1]


def factor_classes(factor: str, values, water_body: str = RIVER) -> np.ndarray:
    """Class (1..6) of each value; 0 where the value is missing (NaN)."""
    v = np.round(np.asarray(values, dtype=float), _DECIMALS)
    if np.any(v[~np.isnan(v)] < 0):
        raise RuleError(f"{FACTOR_NAMES.get(factor, factor)}浓度不能为负数", f"negative concentration for {factor}")
    bounds = np.asarray(limits(factor, water_body))
    if factor in HIGHER_IS_BETTER:
        idx = np.searchsorted(-bounds, -v, side="left")
    else:
        idx = np.searchsorted(bounds, v, side="left")
    return np.where(np.isnan(v), 0, idx + 1).astype(int)


def factor_class(factor: str, value: float, water_body: str = RIVER) -> int:
    """Class (1..6) of one value of one factor."""
    if value is None or np.isnan(value):
        raise RuleError(f"{FACTOR_NAMES.get(factor, factor)}没有数值", f"no value for {factor}")
    return int(factor_classes(factor, [value], water_body)[0])


def exceedance(factor: str, value: float, water_class: int, water_body: str = RIVER) -> float:
    """超标倍数 against the limit of `water_class`: (C − limit) / limit; ≤ 0 means within it.

    For DO, which must stay above its limit, the shortfall counts: (limit − C) / limit.
    """
    if not 1 <= water_class <= 5:
        raise RuleError("超标倍数只对Ⅰ至Ⅴ类的限值计算")
    limit = limits(factor, water_body)[water_class - 1]
    if factor in HIGHER_IS_BETTER:
        return (limit - value) / limit
    return (value - limit) / limit


MEAN_FACTORS = ("tp", "nh3n", "codmn", "do")  # the factors the data model carries


def classify_frame(frame, water_body):
    """Add <factor>_class for each carried factor and water_class (the worst) to a frame of means.

    `water_body` gives each row's body (river / lake), which decides the TP limits.
    """
    out = frame.copy()
    lake = np.asarray(water_body) == LAKE
    out["tp_class"] = np.where(lake, factor_classes("tp", out["tp"], LAKE), factor_classes("tp", out["tp"], RIVER))
    for f in MEAN_FACTORS[1:]:
        out[f"{f}_class"] = factor_classes(f, out[f])
    out["water_class"] = out[[f"{f}_class" for f in MEAN_FACTORS]].max(axis=1)
    return out


# --- the month's value of a section: readings by source -----------------------------------------------

MANUAL, AUTOMATIC = "手工", "自动"  # readings.method: a laboratory sample, an automatic station's value
AUTO_FIRST, MANUAL_ONLY, AUTO_ONLY = "auto_first", "manual", "auto"
MONTHLY_RULES = {
    AUTO_FIRST: "自动监测为主、手工监测为辅：自动监测有效天数不少于{days}天的，取自动监测月均值（日均值的平均）；否则取手工监测结果",
    MANUAL_ONLY: "仅用手工监测：取当月手工监测结果的平均值，自动监测数据不参与",
    AUTO_ONLY: "仅用自动监测：有效天数不少于{days}天的，取自动监测月均值（日均值的平均），否则当月无值",
}
DEFAULT_MIN_DAYS = 20  # valid days an automatic monthly mean needs (ours; the office can change it)


@dataclass(frozen=True)
class MonthlyRule:
    """Which source gives a section's monthly value of a factor (stated in the manifest and the 口径说明)."""

    kind: str = AUTO_FIRST
    min_days: int = DEFAULT_MIN_DAYS

    def __post_init__(self):
        if self.kind not in MONTHLY_RULES:
            raise RuleError(f"月值口径“{self.kind}”无法识别（应为 {'、'.join(MONTHLY_RULES)} 之一）")
        if not 1 <= int(self.min_days) <= 31:
            raise RuleError(f"自动监测有效天数应在 1 至 31 之间（实际为 {self.min_days}）")

    @property
    def words(self) -> str:
        return MONTHLY_RULES[self.kind].format(days=self.min_days)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "min_days": int(self.min_days)}

    @classmethod
    def of(cls, stated: dict | None) -> "MonthlyRule":
        """The rule a manifest states (a version published before rules were stated: the default)."""
        stated = stated or {}
        return cls(str(stated.get("kind", AUTO_FIRST)), int(stated.get("min_days", DEFAULT_MIN_DAYS)))


def monthly_values(sources: pd.DataFrame, rule: MonthlyRule = MonthlyRule()) -> pd.DataFrame:
    """The month's value of each factor per section from each source's result (build_readings_monthly):
    <f> the value, <f>_src its source, <f>_n the samples or valid days behind it, <f>_bdl_n below-detection
    results among them. A factor with no value under the rule is left empty for that month (never mixed)."""
    out = sources[["section_id", "month", "n"]].copy()
    for f in MEAN_FACTORS:
        auto_ok = sources[f"{f}_auto"].notna() & (sources[f"{f}_auto_n"] >= rule.min_days)
        manual_ok = sources[f"{f}_manual"].notna()
        use_auto = auto_ok if rule.kind != MANUAL_ONLY else pd.Series(False, index=sources.index)
        use_manual = ~use_auto & manual_ok if rule.kind != AUTO_ONLY else pd.Series(False, index=sources.index)
        out[f] = np.where(use_auto, sources[f"{f}_auto"], np.where(use_manual, sources[f"{f}_manual"], np.nan))
        out[f"{f}_src"] = np.where(use_auto, AUTOMATIC, np.where(use_manual, MANUAL, None))
        out[f"{f}_n"] = np.where(use_auto, sources[f"{f}_auto_n"], np.where(use_manual, sources[f"{f}_manual_n"], 0))
        if f in ("tp", "nh3n"):
            out[f"{f}_bdl_n"] = np.where(use_auto, sources[f"{f}_auto_bdl_n"],
                                         np.where(use_manual, sources[f"{f}_manual_bdl_n"], 0))
    return out[out[list(MEAN_FACTORS)].notna().any(axis=1)].reset_index(drop=True)  # a month with no value is none
