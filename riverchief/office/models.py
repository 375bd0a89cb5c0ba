"""The tables of the office store. Rows that several people edit carry row_version: SQLAlchemy refuses
an update made from a stale read (StaleDataError), so a writer always checks the version it started from."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None: signs in through SSO only
    must_change: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_login: Mapped[dt.datetime | None] = mapped_column(DateTime)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": row_version}


class LoginSession(Base):
    """A signed-in browser: the cookie holds a random token, the store only its hash. A sign-on session keeps
    who it signed in (a mapped user has no account row), so a reload needs no call to the provider."""
    __tablename__ = "login_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime)
    via: Mapped[str] = mapped_column(String(8), default="local")
    name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(16))
    unit_id: Mapped[str | None] = mapped_column(String(64))


class SsoLogin(Base):
    """A sign-on login used once: a marker of its ID token (issuer, subject, issue time, nonce)."""
    __tablename__ = "sso_logins"
    marker: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Throttle(Base):
    """Failed logins counted per key — `addr:<address>`, `pair:<name hash>@<address>`, `name:<name hash>` —
    and how long the next try must wait (nothing here locks an account); `known:<name hash>@<address>` rows
    count the name's successes from that address instead (last_failure: the last of them)."""
    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure: Mapped[dt.datetime] = mapped_column(DateTime)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Ticket(Base):
    """A login just made on the page, good once and for a minute: the server exchanges it for the session
    cookie (HttpOnly, set in its own response), so no page script ever holds the session token."""
    __tablename__ = "login_tickets"
    ticket_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed: Mapped[str] = mapped_column(String(256))  # the session token, sealed with the ticket
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class Round(Base):
    """One month's reporting round (月报送): opened with a deadline, published as the month's notice."""
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_date: Mapped[dt.date] = mapped_column(Date, unique=True)
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # open / published
    base_version: Mapped[str] = mapped_column(String(40))  # the data version it was opened from
    base_notice: Mapped[dt.date] = mapped_column(Date)  # the notice its items are carried from
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)
    published_version: Mapped[str | None] = mapped_column(String(40))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    publish_attempt: Mapped[str | None] = mapped_column(String(32))  # also in the version's manifest
    publishing_by: Mapped[str | None] = mapped_column(String(64))
    publishing_since: Mapped[dt.datetime | None] = mapped_column(DateTime)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": row_version}


class Entry(Base):
    """What a unit reports of one of its items or problems in a round, and how the office reviewed it."""
    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("round_id", "kind", "ref_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # item / problem
    ref_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64), index=True)
    done_qty: Mapped[float | None] = mapped_column(Float)
    progress: Mapped[float | None] = mapped_column(Float)  # 0..1
    done_date: Mapped[dt.date | None] = mapped_column(Date)
    at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    no_progress: Mapped[bool] = mapped_column(Boolean, default=False)  # the unit confirmed 本月无进展
    status: Mapped[str] = mapped_column(String(16))  # draft / submitted / returned / accepted
    return_reason: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    row_version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": row_version}
