"""Failed logins slow down the one who fails, never lock the account: each key — the address a try comes
from, and the name tried from that address — gets a few free failures, then a wait that doubles with each
further one (1 s, 2 s, 4 s … at most 15 minutes). An outsider failing from one address makes only that
address wait; the office, from its own desk, signs in at once. Failures an hour old are forgotten; the office
clears a wait from the server (`python -m riverchief.office unlock NAME` or `--address IP`, or 账号管理)."""
from __future__ import annotations

import datetime as dt
import hashlib
import math

from sqlalchemy import delete, or_, select

from riverchief.office.models import Throttle

FREE = {"addr": 10, "pair": 3}  # an address shared by a whole office (NAT) may mistype more than one person
MAX_WAIT = 900  # seconds
FORGET_AFTER = dt.timedelta(hours=1)


def wait_after(failures: int, free: int) -> int:
    """Seconds the next try must wait after `failures` failures in a row, `free` of them without a wait."""
    if failures <= free:
        return 0
    return min(2 ** min(failures - free - 1, 20), MAX_WAIT)


def name_key(username: str) -> str:
    """A name as the table keeps it: a hash, never as typed (a password typed in the name field)."""
    return hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()[:16]


def keys(username: str, address: str) -> dict[str, str]:
    address = (address or "unknown")[:64]
    return {"addr": f"addr:{address}", "pair": f"pair:{name_key(username)}@{address}"}


def wait_seconds(s, username: str, address: str, now: dt.datetime) -> int:
    """How long a try from this address for this name must still wait (0: go ahead)."""
    rows = s.scalars(select(Throttle).where(Throttle.key.in_(keys(username, address).values()))).all()
    return max((math.ceil((r.blocked_until - now).total_seconds()) for r in rows
                if r.blocked_until and r.blocked_until > now), default=0)


def failed(s, username: str, address: str, now: dt.datetime) -> int:
    """Count a failure on each key; returns the wait it sets from now (seconds)."""
    longest = 0
    for kind, key in keys(username, address).items():
        row = s.get(Throttle, key)
        if row is None:
            row = Throttle(key=key, failures=0, last_failure=now)
            s.add(row)
        if row.last_failure < now - FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure = now
        wait = wait_after(row.failures, FREE[kind])
        row.blocked_until = now + dt.timedelta(seconds=wait) if wait else None
        longest = max(longest, wait)
    return longest


def succeeded(s, username: str, address: str) -> None:
    """A right password from this address: its failures for this name are forgotten (not the address's)."""
    s.execute(delete(Throttle).where(Throttle.key == keys(username, address)["pair"]))


def clear(s, *, username: str | None = None, address: str | None = None) -> int:
    """The office lifts the waits of a name (from every address) or of an address (and names tried from it)."""
    if username is None and address is None:
        return 0
    conditions = []
    if username is not None:
        conditions.append(Throttle.key.like(f"pair:{name_key(username)}@%"))
    if address is not None:
        conditions += [Throttle.key == f"addr:{address}", Throttle.key.like(f"pair:%@{address}")]
    return s.execute(delete(Throttle).where(or_(*conditions))).rowcount


def waiting_names(s, usernames: list[str], now: dt.datetime) -> set[str]:
    """The names some address must currently wait to try."""
    hashes = {f"pair:{name_key(u)}@": u for u in usernames}
    rows = s.scalars(select(Throttle.key).where(Throttle.key.like("pair:%"), Throttle.blocked_until > now)).all()
    return {hashes[k[:k.index("@") + 1]] for k in rows if k[:k.index("@") + 1] in hashes}
