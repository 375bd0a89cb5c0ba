"""Local accounts (argon2 hashes via pwdlib), login sessions and tickets, and single sign-on mapping.

No default password exists: an account is created with a one-time password that must be changed at
the first login. Failures slow down the address they come from (throttle.py), never lock the account;
every failure is logged. Whatever name is typed, a refusal reads the same and costs the same time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import string
import unicodedata

from pwdlib import PasswordHash
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from riverchief import access, clock, settings
from riverchief.access import Principal
from riverchief.office import audit, database, sso, throttle
from riverchief.office.models import LoginSession, SsoLogin, Ticket, User
from riverchief.errors import RiverBoardError

MIN_LENGTH = 10
_hasher = PasswordHash.recommended()  # argon2id
_DUMMY = _hasher.hash("no such account")  # verify against it so an unknown name costs the same time


class AccountError(RiverBoardError):
    """Refused: bad password, locked, unknown account, weak new password (message in Chinese)."""


def idle_minutes() -> int:
    """How long a signed-in session may stay idle (RIVERBOARD_IDLE_MINUTES, riverchief/settings.py)."""
    return settings.current().idle_minutes


def one_time_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(14))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw


def check_strength(username: str, password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AccountError(f"新密码至少{MIN_LENGTH}位")
    if not (any(c.isdigit() for c in password) and any(c.isalpha() for c in password)):
        raise AccountError("新密码须同时包含字母和数字")
    if username.lower() in password.lower():
        raise AccountError("新密码不能包含账号名")


def principal_of(user: User, via: str = "local") -> Principal:
    return Principal(user.username, user.name, user.role, user.unit_id, via=via)


NAME_MAX = 50  # a display name, as the account page allows


def _validate(role: str, unit_id: str | None, units: set[str] | None) -> None:
    if role not in access.ROLES:
        raise AccountError(f"角色“{role}”不存在，应为：" + "、".join(f"{r}（{n}）" for r, n in access.ROLE_NAMES.items()))
    if role == access.UNIT and not unit_id:
        raise AccountError("责任单位账号须指定所属单位")
    if role == access.UNIT and units is not None and unit_id not in units:
        raise AccountError(f"单位“{unit_id}”不在本区单位名录中")


def create(by: Principal | str, username: str, name: str, role: str, unit_id: str | None = None, *,
           sso_only: bool = False, units: set[str] | None = None, url: str | None = None) -> str | None:
    """A new account; returns its one-time password (None for an SSO-only account)."""
    if isinstance(by, Principal):
        access.require(by, access.ACCOUNTS)
    username, name = (username or "").strip(), (name or username or "").strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise AccountError("账号名不能为空、不能含空格，最长64个字符")
    if len(name) > NAME_MAX or _has_control(username + name):
        raise AccountError(f"显示名称最长{NAME_MAX}个字符；账号名和显示名称不能含控制字符")
    _validate(role, unit_id, units)
    pw = None if sso_only else one_time_password()
    with database.session(url) as s:
        if s.scalar(select(User).where(User.username == username)):
            raise AccountError(f"账号“{username}”已存在")
        s.add(User(username=username, name=name, role=role,
                   unit_id=unit_id if role == access.UNIT else None,
                   password_hash=_hasher.hash(pw) if pw else None, must_change=pw is not None,
                   disabled=False, created_at=clock.now()))
        audit.record(s, by, "account", username, f"新建账号，角色：{access.ROLE_NAMES[role]}"
                     + (f"，单位：{unit_id}" if role == access.UNIT else ""))
    return pw


WRONG = "账号或密码不正确"
TOO_FAST = "登录尝试过于频繁，请{seconds}秒后再试"


def authenticate(username: str, password: str, url: str | None = None,
                 address: str = "unknown") -> tuple[Principal, bool]:
    """(who, must change the password) for a right password; AccountError otherwise. A failure is
    counted against the address and the name from it, and logged (committed before it is raised)."""
    with database.session(url) as s:
        outcome = _attempt(s, (username or "").strip(), password or "", address)
    if isinstance(outcome, AccountError):
        raise outcome
    return outcome


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c)[0] == "C" for c in text)


def _attempt(s, username: str, password: str, address: str):
    now = clock.now()
    wait = throttle.wait_seconds(s, username, address, now)
    if wait:  # before any name is looked up: the same answer, at once, for an account and for none
        return AccountError(TOO_FAST.format(seconds=wait))
    # a name with control characters is no account (PostgreSQL refuses a NUL byte in a query: not asked)
    user = None if _has_control(username) else s.scalar(select(User).where(User.username == username))
    shown = username if user is not None else audit.unknown_name(username)  # what a visitor typed is not kept
    stored = user.password_hash if user is not None and user.password_hash else None
    right = _hasher.verify(password, stored or _DUMMY) and stored is not None  # one hash checked, whatever the name
    if not right:
        waits = throttle.failed(s, username, address, now)
        why = "账号不存在" if user is None else "该账号不能用密码登录" if user.password_hash is None else "密码错误"
        audit.record(s, shown, "login_failed", "" if user is None else username,
                     f"{why}（来自 {address}）" + (f"，此后该地址须等待{waits}秒" if waits else ""))
        return AccountError(WRONG)
    if user.disabled:  # the password was right: only then is 停用 said (otherwise it answers as any name)
        audit.record(s, username, "login_failed", username, f"账号已停用（来自 {address}）")
        return AccountError("账号已停用，请联系区河长办")
    throttle.succeeded(s, username, address, now)
    if not user.must_change:  # a one-time password opens no session: the login is the one after the change
        user.last_login = now
        audit.record(s, principal_of(user), "login", username, f"密码登录（来自 {address}）")
    return principal_of(user), user.must_change


def change_password(username: str, old: str, new: str, url: str | None = None) -> None:
    check_strength(username, new)
    if old == new:
        raise AccountError("新密码不能与原密码相同")
    with database.session(url) as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None or user.password_hash is None or not _hasher.verify(old, user.password_hash):
            raise AccountError("原密码不正确")
        user.password_hash, user.must_change = _hasher.hash(new), False
        audit.record(s, principal_of(user), "password", username, "修改密码")


def reset_password(by: Principal | str, username: str, url: str | None = None) -> str:
    """A new one-time password (to be changed at the next login); unlocks the account."""
    if isinstance(by, Principal):
        access.require(by, access.ACCOUNTS)
    pw = one_time_password()
    with database.session(url) as s:
        user = _get(s, username)
        user.password_hash, user.must_change = _hasher.hash(pw), True
        throttle.clear(s, username=username)
        s.execute(delete(LoginSession).where(LoginSession.username == username))
        audit.record(s, by, "account", username, "重置密码（须在下次登录时修改）")
    return pw


def update(by: Principal | str, username: str, *, role: str | None = None, unit_id: str | None = None,
           name: str | None = None, disabled: bool | None = None, unlock: bool = False,
           units: set[str] | None = None, url: str | None = None) -> None:
    if isinstance(by, Principal):
        access.require(by, access.ACCOUNTS)
        if by.username == username and (disabled or (role and role != by.role)):
            raise AccountError("不能停用自己的账号或修改自己的角色")
    with database.session(url) as s:
        user = _get(s, username)
        said = []
        if role is not None and (role != user.role or unit_id != user.unit_id):
            _validate(role, unit_id, units)
            user.role, user.unit_id = role, unit_id if role == access.UNIT else None
            said.append(f"角色改为{access.ROLE_NAMES[role]}" + (f"（{unit_id}）" if role == access.UNIT else ""))
        if name is not None and name.strip() and name.strip() != user.name:
            user.name = name.strip()
            said.append(f"名称改为{user.name}")
        if disabled is not None and disabled != user.disabled:
            user.disabled = disabled
            said.append("停用" if disabled else "启用")
        if unlock and throttle.clear(s, username=username):
            said.append("解除登录等待")
        if disabled or (role is not None and said):
            s.execute(delete(LoginSession).where(LoginSession.username == username))  # takes effect at once
        if said:
            audit.record(s, by, "account", username, "；".join(said))


def _get(s, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError(f"账号“{username}”不存在")
    return user


STATES = {"disabled": "已停用", "locked": "登录等待中（有地址多次输错）", "must_change": "待修改初始密码", "ok": "正常"}


def users(url: str | None = None) -> list[dict]:
    """Every account; `locked`: some address must currently wait before trying its name again; `state`: the one
    word 账号管理 and `python -m riverchief.office list` both show (STATES)."""
    with database.session(url) as s:
        everyone = s.scalars(select(User).order_by(User.role, User.username)).all()
        waiting = throttle.waiting_names(s, [u.username for u in everyone], clock.now())
        out = [dict(username=u.username, name=u.name, role=u.role, unit_id=u.unit_id, disabled=u.disabled,
                    locked=u.username in waiting, must_change=u.must_change,
                    sso_only=u.password_hash is None, last_login=u.last_login, created_at=u.created_at)
               for u in everyone]
    for u in out:  # a sign-on account has no password to change
        u["state"] = STATES["disabled" if u["disabled"] else "locked" if u["locked"]
                            else "must_change" if u["must_change"] and not u["sso_only"] else "ok"]
    return out


def waiting_addresses(url: str | None = None) -> list[dict]:
    """Addresses that must wait before their next login try (账号管理 shows them and lifts a wait)."""
    with database.session(url) as s:
        return throttle.waiting_addresses(s, clock.now())


def unlock_address(by: Principal | str, address: str, url: str | None = None) -> int:
    """Lift the waits of an address (the office, from the server); returns how many were lifted."""
    if isinstance(by, Principal):
        access.require(by, access.ACCOUNTS)
    with database.session(url) as s:
        n = throttle.clear(s, address=address)
        if n:
            audit.record(s, by, "account", address, "解除该地址的登录等待")
        return n


def any_account(url: str | None = None) -> bool:
    with database.session(url) as s:
        return s.scalar(select(User.id).limit(1)) is not None


# --- sessions: a random token in the browser's cookie, its hash here; idle ones end -------------------

def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(principal: Principal, url: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with database.session(url) as s:
        s.add(LoginSession(token_hash=_digest(token), username=principal.username, created_at=now, last_seen=now,
                           via=principal.via, name=principal.name[:100], role=principal.role, unit_id=principal.unit_id))
    return token


TICKET_SECONDS = 60


def _seal(ticket: str, data: bytes) -> bytes:
    """The data XOR a pad drawn from the ticket: sealing and unsealing are the same step."""
    pad = hashlib.shake_256(b"pad:" + ticket.encode()).digest(len(data))
    return bytes(a ^ b for a, b in zip(data, pad))


def ticket_for(token: str, url: str | None = None) -> str:
    """A one-time ticket (good for TICKET_SECONDS) the server's own route exchanges for the session cookie:
    the page's script carries only the ticket; the store keeps the token sealed with it, never in clear."""
    ticket = secrets.token_urlsafe(32)
    sealed = _seal(ticket, token.encode()).hex()
    with database.session(url) as s:
        s.execute(delete(Ticket).where(Ticket.expires_at < clock.now()))
        s.add(Ticket(ticket_hash=_digest("id:" + ticket), sealed=sealed,
                     expires_at=clock.now() + dt.timedelta(seconds=TICKET_SECONDS)))
    return ticket


def redeem(ticket: str | None, url: str | None = None) -> str | None:
    """The session token a ticket carries, once (one statement takes it: two tries at once get it once);
    None for an unknown, used or expired ticket."""
    if not ticket or len(ticket) > 100:
        return None
    with database.session(url) as s:
        taken = s.execute(delete(Ticket).where(Ticket.ticket_hash == _digest("id:" + ticket))
                          .returning(Ticket.sealed, Ticket.expires_at)).first()
    if taken is None or taken.expires_at < clock.now():
        return None
    return _seal(ticket, bytes.fromhex(taken.sealed)).decode()


def _live(token: str | None, url: str | None, idle: int | None):
    """(the session row, its account or None) for a live session, touched; None for none, an idle one, or one
    whose account is gone or disabled (then it is ended)."""
    if not token:
        return None
    now = clock.now()
    idle = idle or idle_minutes()
    with database.session(url) as s:
        row = s.get(LoginSession, _digest(token))
        if row is None:
            return None
        user = s.scalar(select(User).where(User.username == row.username))
        gone = user is None and row.via != "sso"  # a mapped sign-on user has no account row
        if row.last_seen < now - dt.timedelta(minutes=idle) or gone or (user is not None and user.disabled):
            s.delete(row)
            return None
        row.last_seen = now
        return row, user


def resume(token: str | None, url: str | None = None, idle: int | None = None) -> Principal | None:
    """Who a session token belongs to, if it is still live; touching it keeps it live. A sign-on session is
    who it signed in as: its account's role as it is now, else the mapping it was let in by."""
    live = _live(token, url, idle)
    if live is None:
        return None
    row, user = live
    if user is not None:
        return principal_of(user, row.via)
    return Principal(row.username, row.name or row.username, row.role, row.unit_id, via="sso")


def use_sso_login(marker: str, url: str | None = None) -> bool:
    """Use up a sign-on login (a marker of its ID token) once: False when it was used before — the browser came
    back on Streamlit's sign-on cookie after its RiverBoard session ended, not from the provider."""
    try:
        with database.session(url) as s:
            if s.get(SsoLogin, marker) is not None:
                return False
            s.add(SsoLogin(marker=marker, used_at=clock.now()))
    except IntegrityError:  # the same login used at the same moment by another tab
        return False
    return True


def end_session(token: str | None, principal: Principal | None = None, url: str | None = None) -> None:
    with database.session(url) as s:
        if token:
            s.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))
        if principal is not None:
            audit.record(s, principal, "logout", principal.username, "")


def sso_principal(claims: dict, mapping: dict, units: set[str] | None = None, url: str | None = None,
                  login: bool = True) -> Principal:
    """Who an SSO login is: an account of that name made by the office wins; else the secrets' mapping of
    users ([riverboard.sso.users] name = "role" or "unit:ID") and groups. A login not allowed in raises
    AccountError saying why; it is in the audit log and the server log either way. With login=False (a
    session already open, seen again in a new tab) an allowed user is not logged again."""
    name = sso.username(claims)
    shown = str(claims.get("name") or name)
    with database.session(url) as s:
        user = s.scalar(select(User).where(User.username == name)) if name and not _has_control(name) else None
        if user is not None and not user.disabled:
            if login:
                user.last_login = clock.now()
                audit.record(s, principal_of(user, "sso"), "login", name, "统一身份认证登录")
            return principal_of(user, "sso")
        who, why = None, None
        if not name:
            why = "认证服务没有给出用户名（email、preferred_username 或 sub）"
        elif user is not None:
            why = "账号已停用"
        else:
            member_of = sso.groups(claims, mapping.get("groups_claim", "groups"))
            rule = (mapping.get("users") or {}).get(name)
            via = f"用户 {name}"
            if rule is None:
                group = next((g for g in member_of if g in (mapping.get("groups") or {})), None)
                rule, via = ((mapping.get("groups") or {}).get(group), f"组 {group}") if group else (None, "")
            role, _, unit = str(rule or "").partition(":")
            wrong = sso.role_problem("riverboard.sso", via, rule, units) if rule else None
            if not rule:
                why = "未在河长看板授权（[riverboard.sso] 中没有该用户或其所在组" + (
                    f"：{'、'.join(member_of[:5])}）" if member_of else "；认证服务也没有给出所在组）")
            elif wrong:
                why = "映射有误：" + wrong
            else:
                who = Principal(name, shown, role, unit or None, via="sso")
                if login:
                    audit.record(s, who, "login", name, f"统一身份认证登录（按{via}授权）")
                return who
        actor = name[:64] if name else "统一身份认证"
        audit.record(s, actor, "login_failed", name, f"统一身份认证：{why}")
    logging.getLogger("riverboard").warning("single sign-on refused for %r: %s", name, why)
    raise AccountError(why)
