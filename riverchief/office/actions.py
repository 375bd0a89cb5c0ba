"""The office's writing actions, guarded: the role is checked here (not only hidden on a page) and the
change is written to the audit log. Pages call these; the command line calls the store directly."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from riverchief import access, assessment_rules, supervision, publishing, versions, water_rules
from riverchief.access import Principal
from riverchief.office import audit, database


def _log(root: Path, principal: Principal | str, action: str, target: str, detail: str) -> None:
    """Into the office store beside the data folder changed (or the one RIVERBOARD_DB_URL names)."""
    with database.session(database.default_url(root)) as s:
        audit.record(s, principal, action, target, detail)


def rollback(principal: Principal, root: Path, vid: str, expect_current: str) -> versions.Version:
    access.require(principal, access.ROLLBACK)
    version = publishing.rollback(root, vid, principal.username, expect_current=expect_current)
    _log(root, principal, "rollback", vid, f"从版本 {expect_current} 回退到 {vid}")
    return version


def relight(who: Principal | str, root: Path, notices: list[dt.date], expect_current: str | None = None,
            tolerance: float | None = None) -> versions.Version:
    """Re-light earlier notices by today's rule: an explicit office act, recorded with the notices it changed
    (a principal's role is checked; a name is the command line's operator)."""
    if isinstance(who, Principal):
        access.require(who, access.OVERRIDE)
    name = who.name if isinstance(who, Principal) else who
    version = publishing.relight_notices(root, notices, name, tolerance=tolerance, expect_current=expect_current)
    _log(root, who if isinstance(who, Principal) else f"命令行：{who}", "relight",
         "、".join(f"{d:%Y-%m-%d}" for d in sorted(notices)), f"{version.manifest['source']}（版本 {version.id}）")
    return version


def water_rule(principal: Principal, root: Path, rule: water_rules.MonthlyRule, expect_current: str) -> versions.Version:
    """Change which source gives a section's monthly value; every month is built again by the new rule."""
    access.require(principal, access.IMPORT)
    version = publishing.rebuild_water(root, rule, principal.name, expect_current=expect_current)
    _log(root, principal, "water_rule", "水质月值", f"{rule.words}（版本 {version.id}）")
    return version


def override(principal: Principal, root: Path, item_id: str, notice: dt.date, light: str | None, reason: str,
             expect_current: str) -> versions.Version:
    access.require(principal, access.OVERRIDE)
    version = publishing.override_light(root, item_id, notice, light, reason, principal.name,
                                   expect_current=expect_current)
    _log(root, principal, "override", item_id, f"{notice:%Y-%m-%d}：" + (f"认定为{light}，理由：{reason}" if light else "撤销人工认定")
         + f"（版本 {version.id}）")
    return version


def save_rules(principal: Principal, root: Path, rules, expect_stamp: str) -> Path:
    access.require(principal, access.RULES)
    path = assessment_rules.save_rules(root, rules, principal.name, expect_stamp=expect_stamp)
    _log(root, principal, "rules", "考核规则", rules.to_toml())
    return path


def init_district(principal: Principal, root: Path, district: str, code: str = "") -> versions.Version:
    access.require(principal, access.IMPORT)
    version = publishing.init_district(root, district, code, principal.name)
    _log(root, principal, "init", district, f"行政区划代码：{code or '未填'}，版本 {version.id}")
    return version


def published(root: Path, who: Principal | str, version: versions.Version, files: list[str],
              corrected: list[str] = ()) -> None:
    """Record an import the importer published (it checks a principal's role before publishing; a name is
    the command line's operator), with the cells the office corrected on the page."""
    detail = "、".join(files) + ("；页面改正：" + "；".join(corrected) if corrected else "")
    _log(root, who if isinstance(who, Principal) else f"命令行：{who}", "import", version.id, detail)


def answered(root: Path, who: Principal | str, said: list[str]) -> None:
    """Record what the office said a value in its files means (remembered for later imports)."""
    if isinstance(who, Principal):
        access.require(who, access.IMPORT)
    _log(root, who if isinstance(who, Principal) else f"命令行：{who}", "answer", "", "；".join(said))


def issue_paper(who: Principal | str, root: Path, paper: supervision.Paper, expect_current: str) -> versions.Version:
    """Record a 交办单 or 提醒函 as supervision records (a new version), and in the audit log. A principal's
    role is checked; a name is the command line's operator."""
    if isinstance(who, Principal):
        access.require(who, access.SUPERVISE)
    version = supervision.record(root, paper, who.name if isinstance(who, Principal) else who, expect_current)
    _log(root, who if isinstance(who, Principal) else f"命令行：{who}", "paper", paper.number, f"{paper.title}致{paper.addressee}："
         + "、".join(paper.items["item_id"]) + f"，回复期限{paper.reply_by:%Y-%m-%d}（版本 {version.id}）")
    return version
