"""Assessment rules as a TOML file the office edits; checked, with the last good rules kept in force.

The file lives in the data folder (rules/assessment.toml) so it is versioned with the data. Every save
through the app is also kept in rules/history/ with who saved it and when.
"""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

DEFAULT_FILE = Path(__file__).with_name("assessment_default.toml")
RATINGS = ("好", "较好", "一般")


class RulesError(ValueError):
    """A rules file that cannot be used; the message is in Chinese for the office."""


@dataclass(frozen=True)
class Rules:
    base: float
    red_points: float
    yellow_free: int
    yellow_points: float
    all_green_points: float
    water_decline_points: float
    water_decline_threshold: float
    water_weight: float
    water_cap: float
    tp_floor: float
    nh3n_floor: float
    rating_points: dict = field(default_factory=dict)
    complaint_points: float = -1.0

    def to_toml(self) -> str:
        return tomli_w.dumps({
            "base": self.base,
            "red_light": {"points": self.red_points},
            "yellow_light": {"free": self.yellow_free, "points": self.yellow_points},
            "all_green": {"points": self.all_green_points},
            "water": {"decline_points": self.water_decline_points, "decline_threshold": self.water_decline_threshold,
                      "improvement_weight": self.water_weight, "improvement_cap": self.water_cap,
                      "tp_floor": self.tp_floor, "nh3n_floor": self.nh3n_floor},
            "rating": dict(self.rating_points),
            "complaint": {"points": self.complaint_points},
        })


def _number(doc: dict, path: str, *, sign: str | None = None, integer: bool = False):
    node = doc
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise RulesError(f"缺少规则项 {path}")
        node = node[part]
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        raise RulesError(f"规则项 {path} 应为数字，实际为 {node!r}")
    if integer and int(node) != node:
        raise RulesError(f"规则项 {path} 应为整数，实际为 {node!r}")
    if sign == "<=0" and node > 0:
        raise RulesError(f"规则项 {path} 是扣分项，应为 0 或负数，实际为 {node}")
    if sign == ">=0" and node < 0:
        raise RulesError(f"规则项 {path} 应为 0 或正数，实际为 {node}")
    return int(node) if integer else float(node)


def parse_rules(text: str) -> Rules:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"规则文件格式错误：{exc}") from exc
    ratings = doc.get("rating")
    if not isinstance(ratings, dict) or set(ratings) != set(RATINGS):
        raise RulesError(f"规则项 rating 应恰好包含 {'、'.join(RATINGS)} 三档评价，实际为 {sorted(ratings or {})}")
    rating_points = {k: _number(doc, f"rating.{k}", sign="<=0") for k in RATINGS}
    if not rating_points["好"] >= rating_points["较好"] >= rating_points["一般"]:
        raise RulesError("评价扣分应满足：好 ≥ 较好 ≥ 一般")
    return Rules(
        base=_number(doc, "base", sign=">=0"),
        red_points=_number(doc, "red_light.points", sign="<=0"),
        yellow_free=_number(doc, "yellow_light.free", sign=">=0", integer=True),
        yellow_points=_number(doc, "yellow_light.points", sign="<=0"),
        all_green_points=_number(doc, "all_green.points", sign=">=0"),
        water_decline_points=_number(doc, "water.decline_points", sign="<=0"),
        water_decline_threshold=_number(doc, "water.decline_threshold", sign=">=0"),
        water_weight=_number(doc, "water.improvement_weight", sign=">=0"),
        water_cap=_number(doc, "water.improvement_cap", sign=">=0"),
        tp_floor=_number(doc, "water.tp_floor", sign=">=0"),
        nh3n_floor=_number(doc, "water.nh3n_floor", sign=">=0"),
        rating_points=rating_points,
        complaint_points=_number(doc, "complaint.points", sign="<=0"),
    )


def default_rules() -> Rules:
    return parse_rules(DEFAULT_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LoadedRules:
    rules: Rules
    source: str  # which file the rules in force came from
    error: str | None = None  # why the office's file was not used, if it was not


def rules_dir(data_root: Path) -> Path:
    return Path(data_root) / "rules"


def load_rules(data_root: Path) -> LoadedRules:
    """The office's rules file if it is good; otherwise the last good one (or the defaults), and why."""
    folder = rules_dir(data_root)
    current, last_good = folder / "assessment.toml", folder / ".last_good.toml"
    if not current.exists():
        return LoadedRules(default_rules(), "默认规则")
    text = current.read_text(encoding="utf-8")
    try:
        rules = parse_rules(text)
    except RulesError as exc:
        if last_good.exists():
            return LoadedRules(parse_rules(last_good.read_text(encoding="utf-8")), "上一次有效的规则文件", str(exc))
        return LoadedRules(default_rules(), "默认规则", str(exc))
    if not last_good.exists() or last_good.read_text(encoding="utf-8") != text:
        _write_atomic(last_good, text)
    return LoadedRules(rules, str(current))


def save_rules(data_root: Path, rules: Rules, by: str) -> Path:
    """The office adopts new rules: written atomically, and a copy kept in rules/history/ with who and when."""
    if not by.strip():
        raise RulesError("保存规则需要填写操作人")
    text = f"# 由 {by.strip()} 于 {dt.datetime.now():%Y-%m-%d %H:%M:%S} 保存\n" + rules.to_toml()
    parse_rules(text)  # never save what could not be read back
    folder = rules_dir(data_root)
    history = folder / "history"
    history.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    (history / f"{stamp}.toml").write_text(text, encoding="utf-8")
    _write_atomic(folder / "assessment.toml", text)
    return folder / "assessment.toml"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
