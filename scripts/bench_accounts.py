"""Timings of the login path, by hand: a password check (argon2id) and a session resumed on every rerun.

    .venv/bin/python scripts/bench_accounts.py [--url postgresql+psycopg://…]
"""
from __future__ import annotations

import argparse
import tempfile
import time

from riverchief.office import accounts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=None, help="the office store (default: a throwaway SQLite file)")
    parser.add_argument("-n", type=int, default=500)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/office.sqlite"
    name = f"bench{int(time.time())}"
    first = accounts.create("bench", name, "测试", "analyst", url=url)
    t0 = time.perf_counter()
    who, _ = accounts.authenticate(name, first, url=url)
    print(f"password check (argon2id):        {(time.perf_counter() - t0) * 1000:6.0f} ms")
    token = accounts.start_session(who, url=url)
    t0 = time.perf_counter()
    for _ in range(args.n):
        accounts.resume(token, url=url)
    print(f"session resumed (each page rerun): {(time.perf_counter() - t0) * 1000 / args.n:6.2f} ms  ({args.n} times)")


if __name__ == "__main__":
    main()
