"""Timings, printed (run by hand: `make bench`). Never a timed unit test.

1. building and publishing the demo district;
2. the light board's queries for every notice, on a fresh connection and again (DuckDB warm);
3. readings at automatic-station frequency (every 4 h): publish with the monthly aggregate, then the
   page-side query on the aggregate against the same question over the raw readings.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loaders.demo import build_tables  # noqa: E402
from riverchief import store  # noqa: E402
from riverchief.board import Filters, load_board  # noqa: E402
from riverchief.db import Database  # noqa: E402


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readings", type=int, default=2_000_000, help="raw readings for part 3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        tables, t_build = timed(build_tables, 2023)
        version, t_pub = timed(store.publish, root, tables, source="bench", created_by="bench", demo=True)
        print(f"demo: build tables {ms(t_build)}, publish {ms(t_pub)} "
              f"({version.manifest['rows']['items']} item rows, {len(version.notices)} notices)")

        cold, warm = [], []
        for notice in version.notices:
            db = Database(version)
            cold.append(timed(load_board, db, notice, Filters())[1])
            warm.append(timed(load_board, db, notice, Filters(list="task"))[1])
        print(f"light board (4 queries) per notice: fresh connection median {ms(statistics.median(cold))}, "
              f"max {ms(max(cold))}; warm median {ms(statistics.median(warm))}, max {ms(max(warm))}")

        # Part 3: the same sections reporting every 4 hours, enough years to reach --readings rows.
        sections = tables["sections"]
        per_section = args.readings // len(sections)
        stamps = pd.date_range("2015-01-01", periods=per_section, freq="4h")
        rng = np.random.default_rng(1)
        n = per_section * len(sections)
        big = pd.DataFrame({
            "section_id": np.repeat(sections["section_id"].to_numpy(), per_section),
            "sampled_at": np.tile(stamps.to_numpy(), len(sections)),
            "tp": rng.lognormal(np.log(0.15), 0.4, n).round(3), "tp_bdl": False,
            "nh3n": rng.lognormal(np.log(0.6), 0.4, n).round(3), "nh3n_bdl": False,
            "codmn": rng.lognormal(np.log(4), 0.2, n).round(1), "codmn_bdl": False,
            "do": rng.normal(7, 1, n).clip(1).round(1),
        })
        tables["readings"] = big
        root2 = Path(tmp) / "big"
        big_version, t_big = timed(store.publish, root2, tables, source="bench", created_by="bench")
        db = Database(big_version)
        monthly, t_agg = timed(db.query, "readings_by_section_month")
        raw_sql = ("SELECT section_id, date_trunc('month', sampled_at) m, avg(tp), avg(nh3n) "
                   "FROM readings GROUP BY ALL")
        _, t_raw = timed(db.execute, raw_sql)
        print(f"readings: {n:,} raw rows ({stamps[0]:%Y}–{stamps[-1]:%Y}, every 4 h, {len(sections)} sections): "
              f"publish incl. monthly aggregate {t_big:.1f} s; page query on the aggregate "
              f"({len(monthly):,} rows) {ms(t_agg)}; the same over raw readings {ms(t_raw)}")


if __name__ == "__main__":
    main()
