"""Assessment rules as a TOML file the office edits; checked, with the last good rules kept in force.

The file lives in the data folder (rules/assessment.toml) so it is versioned with the data. Every save
through the app is also kept in rules/history/ with who saved it and when.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from riverchief import clock
from riverchief.errors import RiverBoardError

DEFAULT_FILE = Path(__file__).with_name("assessment_default.toml")
RATINGS = ("好", "较好", "一般")
DEDUCTIONS = ("red", "yellow", "water", "rating", "complaint")  # what a section may hold (扣分项)
DEDUCTION_NAMES = {"red": "红灯", "yellow": "黄灯", "water": "水质变差", "rating": "河长评价", "complaint": "重复举报"}
CHIEF_LEVELS = ("区级", "镇级", "村级")  # the levels [patrols] names, each once


@dataclass(frozen=True)
class Section:
    """A part of the score with full marks: its deductions stop at zero (扣完为止)."""

    name: str
    full: float
    rules: tuple[str, ...]


class RulesError(RiverBoardError, ValueError):
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
    # Policy the other pages follow, not scored (district rules differ; the default file says each):
    patrols_required: dict  # 巡河: patrols a month required of a chief, by level
    share_min_sections: int  # 水质: a river with at least this many sections is judged by their shares
    pace_notices: int  # 下期预警: how many notices back an item's pace is measured
    rating_points: dict = field(default_factory=dict)
    complaint_points: float = -1.0
    sections: tuple[Section, ...] = ()
    bonus_cap: float = float("inf")

    def section_of(self, deduction: str) -> Section | None:
        return next((s for s in self.sections if deduction in s.rules), None)

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
            "patrols": dict(self.patrols_required),
            "river_judgement": {"share_min_sections": self.share_min_sections},
            "outlook": {"pace_notices": self.pace_notices},
            "section": [{"name": x.name, "full": x.full, "rules": list(x.rules)} for x in self.sections],
            **({"bonus": {"cap": self.bonus_cap}} if math.isfinite(self.bonus_cap) else {}),
        })


def _number(doc: dict, path: str, *, sign: str | None = None, integer: bool = False):
    node = doc
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise RulesError(f"缺少规则项 {path}")
        node = node[part]
    if isinstance(node, bool) or not isinstance(node, (int, float)) or not math.isfinite(node):
        raise RulesError(f"规则项 {path} 应为数字，实际为 {node!r}")
    if integer and int(node) != node:
        raise RulesError(f"规则项 {path} 应为整数，实际为 {node!r}")
    if sign == "<=0" and node > 0:
        raise RulesError(f"规则项 {path} 是扣分项，应为 0 或负数，实际为 {node}")
    if sign == ">=0" and node < 0:
        raise RulesError(f"规则项 {path} 应为 0 或正数，实际为 {node}")
    if sign == ">0" and node <= 0:
        raise RulesError(f"规则项 {path} 应为正数，实际为 {node}")
    return int(node) if integer else float(node)


def parse_rules(text: str) -> Rules:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message says where (line, column), in English: kept short
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        raise RulesError("规则文件格式错误" + (f"（第{where[1]}行第{where[2]}列）" if where else "")
                         + "，请对照默认规则文件检查") from None
    ratings = doc.get("rating")
    if not isinstance(ratings, dict) or set(ratings) != set(RATINGS):
        raise RulesError(f"规则项 rating 应恰好包含 {'、'.join(RATINGS)} 三档评价，实际为 {sorted(ratings or {})}")
    rating_points = {k: _number(doc, f"rating.{k}", sign="<=0") for k in RATINGS}
    if not rating_points["好"] >= rating_points["较好"] >= rating_points["一般"]:
        raise RulesError("评价扣分应满足：好 ≥ 较好 ≥ 一般")
    base = _number(doc, "base", sign=">=0")
    sections = _sections(doc, base)
    return Rules(
        sections=sections,
        bonus_cap=_number(doc, "bonus.cap", sign=">=0") if "bonus" in doc else float("inf"),
        base=base,
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
        patrols_required=_patrols(_or_default(doc, "patrols")),
        share_min_sections=_number(_or_default(doc, "river_judgement"), "river_judgement.share_min_sections",
                                   sign=">0", integer=True),
        pace_notices=_number(_or_default(doc, "outlook"), "outlook.pace_notices", sign=">0", integer=True),
    )


def _or_default(doc: dict, table: str) -> dict:
    """`doc`, or the default file's when `doc` lacks `table`: a rules file saved before that table existed
    takes its default values (a table that is there but incomplete is the office's mistake, said as such)."""
    return doc if table in doc else tomllib.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def _patrols(doc: dict) -> dict[str, int]:
    """[patrols]: every chief level once, each a whole number of patrols a month."""
    raw = doc["patrols"]
    if not isinstance(raw, dict):
        raise RulesError(f"规则项 patrols 应为各级河长每月应巡河次数（{'、'.join(CHIEF_LEVELS)}），实际为 {raw!r}")
    unknown = [k for k in raw if k not in CHIEF_LEVELS]
    if unknown:
        raise RulesError(f"规则项 patrols 中的“{'、'.join(unknown)}”不是河长层级，应为 {'、'.join(CHIEF_LEVELS)}")
    return {k: _number(doc, f"patrols.{k}", sign=">0", integer=True) for k in CHIEF_LEVELS}


def _sections(doc: dict, base: float) -> tuple[Section, ...]:
    """The [[section]] tables: names, full marks, and every deduction in exactly one of them."""
    raw = doc.get("section")
    if raw is None:  # a rules file saved before sections existed: every deduction in one part, full = base
        return (Section("全部扣分项", base, DEDUCTIONS),)
    if not isinstance(raw, list) or not raw or not all(isinstance(x, dict) for x in raw):
        raise RulesError("规则项 section 应为若干个 [[section]] 表（各部分及其满分，见默认规则文件）")
    sections, seen = [], {}
    for i, x in enumerate(raw, start=1):
        name = x.get("name")
        if not isinstance(name, str) or not name.strip():
            raise RulesError(f"第{i}个 section 缺少名称 name")
        full = _number(x, "full", sign=">=0")
        rules = x.get("rules")
        if not isinstance(rules, list) or not rules:
            raise RulesError(f"section“{name}”缺少 rules（包含哪些扣分项）")
        for r in rules:
            if r not in DEDUCTIONS:
                raise RulesError(f"section“{name}”中的“{r}”不是扣分项，应为 " + "、".join(
                    f"{k}（{v}）" for k, v in DEDUCTION_NAMES.items()))
            if r in seen:
                raise RulesError(f"扣分项 {r} 同时属于“{seen[r]}”和“{name}”，每项只能属于一个部分")
            seen[r] = name
        sections.append(Section(name.strip(), full, tuple(rules)))
    missing = [DEDUCTION_NAMES[r] for r in DEDUCTIONS if r not in seen]
    if missing:
        raise RulesError(f"扣分项 {'、'.join(missing)} 不属于任何部分，请写入某个 section 的 rules")
    total = sum(x.full for x in sections)
    if abs(total - base) > 1e-9:
        raise RulesError(f"各部分满分之和为{total:g}分，与满分 base = {base:g} 不一致")
    return tuple(sections)


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
    try:
        rules, text = _read(current)
    except RulesError as exc:
        try:
            return LoadedRules(_read(last_good)[0], "上一次有效的规则文件", str(exc))
        except RulesError:
            return LoadedRules(default_rules(), "默认规则", str(exc))
    try:  # remembered as the last good rules; a read-only data folder simply does not remember
        if not last_good.is_file() or last_good.read_bytes() != text.encode("utf-8"):
            _write_atomic(last_good, text)
    except OSError:
        pass
    return LoadedRules(rules, str(current))


def _read(path: Path) -> tuple[Rules, str]:
    """A rules file read and checked; any way it can fail is a RulesError in words."""
    if path.is_dir():
        raise RulesError(f"{path.name} 是一个文件夹，不是规则文件")
    try:
        data = path.read_bytes()
    except OSError:
        raise RulesError(f"无法读取 {path.name}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RulesError("规则文件应以 UTF-8 编码保存（当前可能是 GBK），请另存为 UTF-8") from None
    return parse_rules(text), text


def rules_stamp(data_root: Path) -> str:
    """What the rules file holds now, in short: a save checks it is still what the trial started from."""
    path = rules_dir(data_root) / "assessment.toml"
    if path.is_dir():
        return "not-a-file"
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()[:12] if path.is_file() else "default"
    except OSError:
        return "unreadable"


def save_rules(data_root: Path, rules: Rules, by: str, expect_stamp: str | None = None) -> Path:
    """The office adopts new rules: written atomically, and a copy kept in rules/history/ with who and when.
    With expect_stamp, refused when someone else saved rules since the trial started."""
    if not by.strip():
        raise RulesError("保存规则需要填写操作人")
    if expect_stamp is not None and rules_stamp(data_root) != expect_stamp:
        raise RulesError("规则文件已被他人修改，请刷新页面，在新规则上重新试算后再保存")
    at = clock.instant()
    text = f"# 由 {by.strip()} 于 {at:%Y-%m-%d %H:%M:%S} 保存\n" + rules.to_toml()
    parse_rules(text)  # never save what could not be read back
    folder = rules_dir(data_root)
    history = folder / "history"
    stamp = f"{at:%Y%m%dT%H%M%S%f}"
    try:
        history.mkdir(parents=True, exist_ok=True)
        (history / f"{stamp}.toml").write_text(text, encoding="utf-8")
        _write_atomic(folder / "assessment.toml", text)
    except OSError as exc:
        from riverchief.versions import os_reason

        raise RulesError(f"规则未能保存：{os_reason(exc)}") from None
    return folder / "assessment.toml"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
