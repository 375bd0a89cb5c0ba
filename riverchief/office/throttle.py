"""Failed logins slow down the one who fails, never lock the account. Failures are counted, atomically, per
key: the address a try comes from (an IPv6 address by its /64), the name tried from that address, and the
name from addresses that never signed in to it. Each key has a few free failures, then the next try waits
1 s, 2 s, 4 s … at most 15 minutes (a name's own wait at most a minute). An outsider failing from one address
makes only that address wait; the office, from a desk that has signed in to its name before, is not slowed
by anyone else. Failures an hour old are forgotten, and a right password from an address halves its count.
The office lifts a wait from the server (`python -m riverchief.office unlock NAME` or `--address IP`) or on
账号管理."""
from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from riverchief.office.models import Throttle

FREE = {"addr": 10, "pair": 3, "name": 20}  # an office behind one NAT address mistypes more than one person
MAX_WAIT = {"addr": 900, "pair": 900, "name": 60}  # seconds; a name's wait is short: it touches its owner too
FORGET_AFTER = dt.timedelta(hours=1)
KNOWN_FOR = dt.timedelta(days=90)  # an address that signed in to a name is that name's own desk this long


def wait_after(failures: int, free: int, cap: int = MAX_WAIT["pair"]) -> int:
    """Seconds the next try must wait after `failures` failures in a row, `free` of them without a wait."""
    if failures <= free:
        return 0
    return min(2 ** min(failures - free - 1, 20), cap)


def address_group(address: str) -> str:
    """The address as counted: IPv4 as is (also written IPv4-mapped), IPv6 by its /64 (one machine may hold
    a whole /64), anything unreadable as 'unknown'."""
    text = (address or "").strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        try:  # a /64 as 账号管理 shows it
            return str(ipaddress.ip_network(text, strict=False)) if "/" in text else "unknown"
        except ValueError:
            return "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def name_key(username: str) -> str:
    """A name as the table keeps it: a hash, never as typed (a password typed in the name field)."""
    return hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()[:16]


def keys(username: str, address: str) -> dict[str, str]:
    group, name = address_group(address), name_key(username)
    return {"addr": f"addr:{group}", "pair": f"pair:{name}@{group}", "name": f"name:{name}",
            "known": f"known:{name}@{group}"}


def _known(s, k: dict[str, str], now: dt.datetime) -> bool:
    row = s.get(Throttle, k["known"])
    return row is not None and row.last_failure > now - KNOWN_FOR


def wait_seconds(s, username: str, address: str, now: dt.datetime) -> int:
    """How long a try from this address for this name must still wait (0: go ahead)."""
    k = keys(username, address)
    counted = [k["addr"], k["pair"]] + ([] if _known(s, k, now) else [k["name"]])
    rows = s.scalars(select(Throttle).where(Throttle.key.in_(counted))).all()
    return max((math.ceil((r.blocked_until - now).total_seconds()) for r in rows
                if r.blocked_until and r.blocked_until > now), default=0)


def _count(s, key: str, now: dt.datetime) -> int:
    """One more failure on a key, in one statement (parallel tries each count), forgetting an hour-old run."""
    insert = (postgresql.insert if s.bind.dialect.name == "postgresql" else sqlite.insert)(Throttle)
    fresh = Throttle.__table__.c.last_failure >= now - FORGET_AFTER
    statement = insert.values(key=key, failures=1, last_failure=now, blocked_until=None).on_conflict_do_update(
        index_elements=[Throttle.key],
        set_={"failures": case((fresh, Throttle.__table__.c.failures + 1), else_=1), "last_failure": now},
    ).returning(Throttle.failures)
    return s.execute(statement).scalar_one()


def failed(s, username: str, address: str, now: dt.datetime) -> int:
    """Count a failure on each key; returns the wait it sets from now (seconds). A name's own count is kept
    only for addresses that never signed in to it."""
    k = keys(username, address)
    kinds = ["addr", "pair"] + ([] if _known(s, k, now) else ["name"])
    longest = 0
    for kind in kinds:
        n = _count(s, k[kind], now)
        wait = wait_after(n, FREE[kind], MAX_WAIT[kind])
        if wait:
            until = now + dt.timedelta(seconds=wait)
            s.execute(update(Throttle).where(Throttle.key == k[kind], or_(Throttle.blocked_until.is_(None),
                                                                          Throttle.blocked_until < until))
                      .values(blocked_until=until))
        longest = max(longest, wait if kind != "name" else 0)  # the name's wait is said when it is met
    return longest


def succeeded(s, username: str, address: str, now: dt.datetime) -> None:
    """A right password from this address: its failures for this name are forgotten, the address's halved,
    and the address is remembered as the name's own desk."""
    k = keys(username, address)
    s.execute(delete(Throttle).where(Throttle.key == k["pair"]))
    s.execute(update(Throttle).where(Throttle.key == k["addr"])
              .values(failures=Throttle.failures // 2, blocked_until=None))
    _count(s, k["known"], now)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def clear(s, *, username: str | None = None, address: str | None = None) -> int:
    """The office lifts the waits of a name (from every address) or of an address (and names tried from it)."""
    conditions = []
    if username is not None:
        name = name_key(username)
        conditions += [Throttle.key.like(f"pair:{name}@%", escape="\\"), Throttle.key == f"name:{name}"]
    if address is not None:
        group = address_group(address)
        conditions += [Throttle.key == f"addr:{group}", Throttle.key.like(f"pair:%@{_like(group)}", escape="\\")]
    if not conditions:
        return 0
    return s.execute(delete(Throttle).where(or_(*conditions))).rowcount


def waiting_names(s, usernames: list[str], now: dt.datetime) -> set[str]:
    """The names some address (or every unknown one) must currently wait to try."""
    owners = {name_key(u): u for u in usernames}
    rows = s.scalars(select(Throttle.key).where(or_(Throttle.key.like("pair:%"), Throttle.key.like("name:%")),
                                                Throttle.blocked_until > now)).all()
    hashes = {k.split(":", 1)[1].split("@", 1)[0] for k in rows}
    return {owners[h] for h in hashes if h in owners}


def waiting_addresses(s, now: dt.datetime) -> list[dict]:
    """Addresses that must currently wait, with their failures and until when (for 账号管理)."""
    rows = s.scalars(select(Throttle).where(Throttle.key.like("addr:%"), Throttle.blocked_until > now)
                     .order_by(Throttle.blocked_until.desc())).all()
    return [dict(address=r.key.removeprefix("addr:"), failures=r.failures, until=r.blocked_until) for r in rows]
