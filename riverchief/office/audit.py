"""The audit trail: every change — import, rollback, rules, override, account, report, review, publish,
login — with who, when and what. Written in the same transaction as the change it records; `trail` adds the
versions the data folder's commit record knows and no entry names, so 操作记录 shows every change whole."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from riverchief import clock, versions
from riverchief.access import Principal
from riverchief.office import database
from riverchief.office.models import AuditEntry

ACTION_NAMES = {
    "import": "导入发布", "rollback": "回退版本", "rules": "修改考核规则", "override": "人工认定亮灯",
    "init": "开始使用本区数据", "account": "账号管理", "password": "修改密码", "login": "登录",
    "login_failed": "登录失败", "locked": "账号锁定",  # "locked": entries from before throttling replaced the lock
    "logout": "退出登录", "round_open": "开启月报送",
    "report": "填报进展", "submit": "提交月报", "accept": "审核通过", "return": "退回修改",
    "round_publish": "发布月报送", "paper": "督办通知/提醒函", "answer": "导入写法对应",
    "relight": "重新亮灯", "water_rule": "水质月值口径",
}
TRAIL_NAMES = ACTION_NAMES | {"version": "发布数据版本"}  # 操作记录's actions: the commit record's too (never recorded here)
# The office's acts that make a version: their entries name it (older override and paper entries do not, see trail)
MAKES_A_VERSION = ("import", "rollback", "override", "init", "round_publish", "paper", "relight", "water_rule")
UNNAMED_WITHIN = dt.timedelta(minutes=2)  # an older entry naming no version covers the commit this close to it


def unknown_name(typed: str) -> str:
    """What the log keeps of a name typed at the login that is no account: never the text itself (a password typed
    in the wrong field would be kept in clear), only enough to tell repeated tries apart."""
    digest = hashlib.sha256(typed.encode("utf-8", "replace")).hexdigest()[:8]
    return f"未知账号#{digest}（{len(typed)}字）"


def record(session, actor: Principal | str, action: str, target: str = "", detail: str = "") -> None:
    """Add one entry to the log inside the caller's transaction (it commits with the change)."""
    if action not in ACTION_NAMES:
        raise ValueError(f"unknown audit action {action!r}")
    name, role = (actor.username, actor.role) if isinstance(actor, Principal) else (str(actor), "")
    session.add(AuditEntry(at=clock.now(), actor=name[:64], role=role,
                           action=action, target=str(target)[:200], detail=str(detail)))


def trail(root: Path, url: str | None = None, **filters) -> pd.DataFrame:
    """The one audit trail (操作记录): the office store's entries, and every version the data folder's commit record
    made current that no entry names — one published from the command line or by the demo build, or one whose
    entry the office store missed (it was down) — as 发布数据版本 / 回退版本 with who and what the record says."""
    entries = log(url, **filters)
    with database.session(url) as s:  # every entry of an act that makes a version, however long the log
        acts = s.execute(select(AuditEntry.action, AuditEntry.at, AuditEntry.target, AuditEntry.detail)
                         .where(AuditEntry.action.in_(MAKES_A_VERSION))).all()
    back = [a for a in acts if a.action == "rollback"]  # names the version it went back to, not its making
    said = {"rollback": " ".join(a.target for a in back),
            "publish": " ".join(f"{a.target} {a.detail}" for a in acts if a.action != "rollback")}
    records = [(c, str(c.get("version") or ""), _office_time(c)) for c in versions.commits(root)]
    records = [(c, vid, at) for c, vid, at in records if vid and at is not None]
    made = [(vid, at) for c, vid, at in records if c.get("action") != "rollback" and vid not in said["publish"]]
    for entry in (a for a in acts if a.action in ("override", "paper") and "版本" not in a.detail):  # written before
        near = min(reversed(made), key=lambda m: abs(m[1] - entry.at), default=None)  # the closest (latest on a tie)
        if near is not None and abs(near[1] - entry.at) <= UNNAMED_WITHIN:
            said["publish"] += f" {near[0]}"
            made.remove(near)
    rows = []
    for c, vid, at in records:
        if vid in said["rollback" if c.get("action") == "rollback" else "publish"]:
            continue
        row = dict(at=at, actor=str(c.get("by") or ""), role="", action="rollback" if c.get("action") == "rollback"
                   else "version", target=vid, detail=str(c.get("what") or ""))
        if _kept(row, **filters):
            rows.append(row)
    if not rows:
        return entries
    both = pd.concat([entries, pd.DataFrame(rows)], ignore_index=True) if len(entries) else pd.DataFrame(rows)
    return both.sort_values("at", ascending=False, kind="stable").reset_index(drop=True)


def _office_time(commit: dict) -> dt.datetime | None:
    """A commit record's time as the office store keeps times: naive office time."""
    at = versions.committed_at(commit)
    return None if at is None else at.astimezone(clock.zone()).replace(tzinfo=None)


def _kept(row: dict, actor: str | None = None, action: str | None = None, since: dt.date | None = None,
          until: dt.date | None = None) -> bool:
    return ((not actor or row["actor"] == actor) and (not action or row["action"] == action)
            and (not since or row["at"].date() >= since) and (not until or row["at"].date() <= until))


def log(url: str | None = None, *, actor: str | None = None, action: str | None = None,
        since: dt.date | None = None, until: dt.date | None = None) -> pd.DataFrame:
    """The log, newest first, filtered by who, what and when (bound parameters, never formatted in)."""
    q = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if actor:
        q = q.where(AuditEntry.actor == actor)
    if action:
        q = q.where(AuditEntry.action == action)
    if since:
        q = q.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
    if until:
        q = q.where(AuditEntry.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
    with database.session(url) as s:
        rows = s.scalars(q.limit(5000)).all()
        return pd.DataFrame([dict(at=r.at, actor=r.actor, role=r.role, action=r.action, target=r.target,
                                  detail=r.detail) for r in rows],
                            columns=["at", "actor", "role", "action", "target", "detail"])
