"""Import at scale, by hand: a readings CSV of about 46 MB (a million 4-hourly readings of 20 automatic
stations) into a fresh district — time and peak memory for one upload, for the same file again, and for
three uploads at once (the server checks one import at a time). Prints figures; asserts nothing.

    .venv/bin/python scripts/bench_import.py [--mb 46] [--keep DIR]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path

from loaders.importer import prepare, publish
from riverchief import publishing


def rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def district(root: Path) -> None:
    publishing.init_district(root, "测速区")
    rivers = "河流名称,河流级别\n" + "".join(f"河{i},区级\n" for i in range(20))
    sections = "断面名称,所在河流,经度,纬度,水质目标\n" + "".join(f"断面{i:02d},河{i},106.{i:02d},29.5,Ⅲ类\n" for i in range(20))
    publish(prepare([("河流.csv", rivers.encode()), ("断面.csv", sections.encode())], root), root, "bench")


def readings_csv(mb: int) -> bytes:
    rng, lines, size = random.Random(1), ["断面名称,监测时间,总磷,氨氮,高锰酸盐指数,溶解氧"], 0
    t = dt.datetime(2003, 11, 1)
    while size < mb * 1024 * 1024:
        for i in range(20):
            line = (f"断面{i:02d},{t:%Y-%m-%d %H:%M},{rng.uniform(0.02, 0.4):.3f},{rng.uniform(0.1, 2):.3f},"
                    f"{rng.uniform(1, 8):.2f},{rng.uniform(5, 9):.2f}")
            lines.append(line)
            size += len(line.encode()) + 1
        t += dt.timedelta(hours=4)
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=46)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="riverboard-bench-"))
    district(root)
    data = readings_csv(args.mb)
    rows = data.count(b"\n") - 1
    print(f"file: {len(data) / 1024 / 1024:.1f} MB, {rows:,} readings; baseline peak {rss_mb()} MB")
    t = time.perf_counter()
    prepared = prepare([("readings.csv", data)], root)
    t1 = time.perf_counter()
    publish(prepared, root, "bench")
    print(f"one upload: check {t1 - t:.1f} s, publish {time.perf_counter() - t1:.1f} s, peak {rss_mb()} MB")
    del prepared
    t = time.perf_counter()
    again = prepare([("readings.csv", data)], root)
    print(f"the same file again: {time.perf_counter() - t:.1f} s, unchanged={again.unchanged}, peak {rss_mb()} MB")
    del again
    results, t = [], time.perf_counter()
    threads = [threading.Thread(target=lambda: results.append(prepare([("readings.csv", data)], root).unchanged))
               for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    print(f"three uploads at once (checked one at a time): {time.perf_counter() - t:.1f} s, peak {rss_mb()} MB")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
