"""The audit log: every change — import, rollback, rules, override, account, report, review, publish,
login — with who, when and what. Written in the same transaction as the change it records."""
from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
from sqlalchemy import select

from riverchief import clock
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
