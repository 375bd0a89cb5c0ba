"""Timings, printed (run by hand: `make bench`). Never a timed unit test.

1. building and publishing the demo district;
2. the light board's queries for every notice, on a fresh connection and again (DuckDB warm);
3. readings at automatic-station frequency (every 4 h): publish with the monthly aggregate, then the
   page-side query on the aggregate against the same question over the raw readings;
4. the water page's data, and the river map (data, folium build, HTML size) for the demo and for a
   district with thousands of river segments;
5. exports: the monthly notice (.docx, .xlsx), a chart PNG, and the meeting pack (.pptx).
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.demo import build_tables
from riverchief import publishing, versions
from riverchief.board import Filters, load_board
from riverchief.db import Database
from riverchief.geo import load_map
from riverchief.water_report import load_water
from ui.leaflet_map import build_map


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


PAGES = ("light_board", "progress", "water", "river_map", "score", "item", "meeting")
FILTER_CHANGES = ("f_month", "f_township", "f_list")  # each set to its second choice, one after the other


def kb(field: str) -> int:
    return next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith(field))


def bench_pages(root: Path, runs: int = 3) -> dict:
    """Server time of full reruns of every page (AppTest, signed in as an analyst), in this process: the first
    run of the process (cold start: imports, caches), each page's first and warm median, and the reruns the
    three filter changes cause; then the process's peak RSS."""
    import os

    from streamlit.testing.v1 import AppTest

    from riverchief.access import ANALYST, Principal

    os.environ["RIVERBOARD_DATA_DIR"] = str(root)
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    out = {"pages": {}}
    for page in PAGES:
        at = AppTest.from_file(app, default_timeout=900)
        at.session_state["principal"] = Principal("bench", "测试", ANALYST)
        _, t = timed(at.run)
        out.setdefault("cold", t)
        if page != "light_board":
            at.switch_page(f"app_pages/{page}.py")
        _, first = timed(at.run)
        warm = statistics.median(timed(at.run)[1] for _ in range(runs))
        changed = []
        for key in FILTER_CHANGES:
            box = at.selectbox(key=key)
            _, t = timed(box.set_value(box.options[1]).run)
            changed.append(t)
        if at.exception:
            raise SystemExit(f"{page}: {at.exception[0].value}")
        out["pages"][page] = {"first": first, "warm": warm, "filters": statistics.median(changed),
                              "filters_max": max(changed)}
    out["rss_mb"] = kb("VmHWM") / 1024
    return out


def pages_in_own_process(root: Path) -> dict:
    import json
    import subprocess

    done = subprocess.run([sys.executable, __file__, "--pages", str(root)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.splitlines()[-1])


def print_pages(label: str, got: dict) -> None:
    print(f"{label} pages (first / warm rerun / after a filter change, median and max):")
    for page, t in got["pages"].items():
        print(f"  {page:12} {ms(t['first']):>9} / {ms(t['warm']):>9} / {ms(t['filters']):>9} {ms(t['filters_max']):>9}")
    print(f"{label} cold start (a new process's first run of the board) {ms(got['cold'])}; "
          f"server peak RSS after every page {got['rss_mb']:.0f} MB")


def publish_month(root: Path) -> None:
    """What the office does each month: the last notice carried to the next month (reporting.carry, as the
    monthly round publishes it) and published as a new version; then one light overridden."""
    from riverchief.dates import month_end
    from riverchief.reporting import carry

    def month():
        version = versions.current_version(root)
        tables = versions.read_tables(version)
        last = version.notices[-1]
        first = last + dt.timedelta(days=1)
        nxt = month_end(first.year, first.month)
        carried = carry(tables["items"], tables["problems"], last, nxt, pd.DataFrame(columns=["kind"]))
        tables["items"], tables["problems"] = carried
        return publishing.publish(root, tables, source="bench month", created_by="bench", demo=True,
                             tolerance=version.tolerance, expect_current=version.id)

    open("/proc/self/clear_refs", "w").write("5")
    base = kb("VmRSS")
    version, t_month = timed(month)
    peak = (kb("VmHWM") - base) / 1024
    item = pd.read_parquet(version.path / "items" / f"notice={version.notices[-1]}", columns=["item_id"])["item_id"][0]
    _, t_override = timed(publishing.override_light, root, item, version.notices[-1], "yellow", "bench", "bench")
    print(f"publish of one month ({version.manifest['rows']['items']:,} item rows, "
          f"{version.manifest['rows']['readings']:,} readings linked): {t_month:.1f} s, +{peak:.0f} MB peak; "
          f"one light overridden {t_override:.1f} s")


_DUCKDB_WAY = """
db = Database(versions.read_version(ROOT, VID))
t0 = time.perf_counter(); out = db.query("lights_by_unit", notice=NOTICE, **Filters().params())
"""
_PANDAS_WAY = """
import pandas as pd
t0 = time.perf_counter()
items = pd.read_parquet(ROOT / "versions" / VID / "items")  # the usual way: the whole table into memory
units = pd.read_parquet(ROOT / "versions" / VID / "units.parquet")
items["notice_date"] = pd.to_datetime(items["notice_date"]).dt.date
prev = max(d for d in items["notice_date"].unique() if d < NOTICE)
now = items[items["notice_date"].isin([NOTICE, prev])].merge(units, on="unit_id")
out = now.assign(red=(now["notice_date"] == NOTICE) & (now["light"] == "red"),
                 yellow=(now["notice_date"] == NOTICE) & (now["light"] == "yellow"),
                 green=(now["notice_date"] == NOTICE) & (now["light"] == "green"),
                 prev_red=(now["notice_date"] == prev) & (now["light"] == "red")
                 ).groupby(["unit_id", "name", "kind"])[["red", "yellow", "green", "prev_red"]].sum()
"""


def side_by_side(root: Path, notice) -> None:
    """The board's lights by unit the repository's way (DuckDB over Parquet, only what the page needs) and the
    usual way of Streamlit apps (the whole table into pandas, grouped there): time and peak memory, each in a
    process of its own so the peak is its own."""
    results = {}
    for label, code in (("duckdb", _DUCKDB_WAY), ("pandas", _PANDAS_WAY)):
        program = ("import sys, time, datetime as dt; from pathlib import Path\n"
                   "from riverchief import versions; from riverchief.board import Filters; from riverchief.db import Database\n"
                   f"ROOT = Path({str(root)!r}); VID = {versions.current_version(root).id!r}; "
                   f"NOTICE = dt.date.fromisoformat({notice.isoformat()!r})\n"
                   "def kb(field):\n"
                   "    return next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith(field))\n"
                   "open('/proc/self/clear_refs', 'w').write('5')\n"  # the peak from here on: the imports are the same
                   "base = kb('VmRSS')\n"
                   + code + "\nprint(time.perf_counter() - t0, kb('VmHWM') - base)")
        import subprocess

        out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout.split()
        results[label] = (float(out[0]), int(out[1]) / 1024)
    (td, md), (tp, mp) = results["duckdb"], results["pandas"]
    print(f"lights by unit, DuckDB over Parquet {ms(td)}, +{md:.0f} MB peak; the whole table into pandas "
          f"{ms(tp)}, +{mp:.0f} MB peak: {tp / td:.1f}× the time, {mp / max(md, 1):.1f}× the memory")


def bench_scale(scale: str, keep: Path | None, paint: bool = False) -> None:
    """The demo at 1×, 10× or 100× (scripts/scale.py), or a province: build, publish, every page's rerun, the
    side-by-side with pandas, and the publish of one month."""
    from scale import province, replicate

    build = (lambda: province(build_tables(2023))) if scale == "province" else (
        lambda: replicate(build_tables(2023), int(scale.rstrip("x"))))
    open("/proc/self/clear_refs", "w").write("5")
    base = kb("VmRSS")
    tables, t_build = timed(build)
    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp) / scale
        version, t_pub = timed(publishing.publish, root, tables, source=f"bench {scale}", created_by="bench", demo=True)
        peak = (kb("VmHWM") - base) / 1024
        del tables
        rows = version.manifest["rows"]
        print(f"{scale}: {rows['townships']:,} townships, {rows['rivers']:,} rivers, {rows['sections']:,} sections, "
              f"{rows['items']:,} item rows, {rows['problems']:,} problem rows, {rows['readings']:,} readings; "
              f"build {ms(t_build)}, publish {ms(t_pub)} (+{peak:,.0f} MB peak for both)")
        print_pages(scale, pages_in_own_process(root))
        side_by_side(root, version.notices[-1])
        if paint:  # every page in Chromium (scripts/paint.py), before the month below is published
            import subprocess

            subprocess.run([sys.executable, str(Path(__file__).with_name("paint.py")), str(root)], check=True)
        publish_month(root)
        if keep:
            publishing.rollback(root, version.id, "bench")  # served as built
            print(f"kept in {keep}: RIVERBOARD_DATA_DIR={keep} make run")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readings", type=int, default=2_000_000, help="raw readings for part 3")
    parser.add_argument("--scale", choices=("1x", "10x", "100x", "province"),
                        help="only the district at this size (or the province), every page")
    parser.add_argument("--paint", action="store_true", help="with --scale: every page's first paint in Chromium too")
    parser.add_argument("--pages", type=Path, help=argparse.SUPPRESS)  # the page timings, in a process of their own
    parser.add_argument("--keep", type=Path, help="with --scale: leave the data folder here, to serve and look at")
    args = parser.parse_args()
    if args.pages:
        import json

        print(json.dumps(bench_pages(args.pages)))
        return
    if args.scale:
        bench_scale(args.scale, args.keep, args.paint)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        tables, t_build = timed(build_tables, 2023)
        version, t_pub = timed(publishing.publish, root, tables, source="bench", created_by="bench", demo=True)
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
            "do": rng.normal(7, 1, n).clip(1).round(1), "method": "自动",
        })
        tables["readings"] = big
        root2 = Path(tmp) / "big"
        big_version, t_big = timed(publishing.publish, root2, tables, source="bench", created_by="bench")
        db = Database(big_version)
        monthly, t_agg = timed(db.query, "water_monthly_series", township=None, river=None)
        raw_sql = ("SELECT section_id, date_trunc('month', sampled_at) m, avg(tp), avg(nh3n) "
                   "FROM readings GROUP BY ALL")
        _, t_raw = timed(db.execute, raw_sql)
        print(f"readings: {n:,} raw rows ({stamps[0]:%Y}–{stamps[-1]:%Y}, every 4 h, {len(sections)} sections): "
              f"publish incl. monthly aggregate {t_big:.1f} s; page query on the aggregate "
              f"({len(monthly):,} rows) {ms(t_agg)}; the same over raw readings {ms(t_raw)}")

        bench_map(version, "demo")
        big_rivers = publishing.publish(Path(tmp) / "rivers", many_rivers(build_tables(2023), 50), source="bench",
                                   created_by="bench")
        bench_map(big_rivers, "50× the demo's rivers")
        bench_exports(version)


def bench_map(version, label: str) -> None:
    db = Database(version)
    notice = version.notices[-1]
    _, t_water = timed(load_water, db, notice, None, None)
    data, t_data = timed(load_map, db, notice)
    fmap, t_build = timed(build_map, data, "water_worst", None, {})
    html, t_render = timed(lambda: fmap.get_root().render())
    print(f"{label}: water page data {ms(t_water)}; map data {ms(t_data)} ({len(data.rivers):,} rivers, "
          f"{sum(len(g.coords) for g in data.rivers['geometry']):,} vertices after simplification), "
          f"folium build {ms(t_build)}, render {ms(t_render)}, HTML {len(html) / 1e6:.1f} MB")


def bench_exports(version) -> None:
    from exports.images import available, chart_png
    from exports.notice_files import notice_docx, notice_xlsx
    from exports.pack import build_pack
    from riverchief.assessment_rules import default_rules
    from riverchief.board import headline
    from riverchief.notice import build_notice
    from rendering.figures import lights_by_unit

    db = Database(version)
    notice = version.notices[-1]
    doc, t_notice = timed(build_notice, db, notice, Filters(), "全区", "示例")
    _, t_docx = timed(notice_docx, doc, "全区", True)
    _, t_xlsx = timed(notice_xlsx, doc, "全区", True)
    print(f"notice: data {ms(t_notice)}, .docx {ms(t_docx)}, .xlsx {ms(t_xlsx)}")
    if not available():
        print("exports: no Chromium here, chart images and the meeting pack not measured")
        return
    fig = lights_by_unit(doc.board.by_unit, headline(doc.board), "bench")
    _, t_first = timed(chart_png, fig)
    _, t_next = timed(chart_png, fig)
    _, t_pack = timed(build_pack, db, version, notice, Filters(), "全区", default_rules())
    print(f"chart PNG 1600×900: first {ms(t_first)} (starts the browser), then {ms(t_next)}; "
          f"meeting pack (8 slides, 5 charts) {t_pack:.1f} s")


def many_rivers(tables: dict, copies: int) -> dict:
    """The demo's rivers repeated with small offsets: a district with thousands of river segments."""
    import shapely

    rivers = tables["rivers"]
    out = [rivers]
    for k in range(1, copies):
        shifted = rivers.assign(river_id=rivers["river_id"] + f"-{k}", level="村级", chief=None,
                                geom_wkt=[shapely.affinity.translate(shapely.from_wkt(w), 0.002 * k, 0.001 * k).wkt
                                          for w in rivers["geom_wkt"]])
        out.append(shifted)
    return tables | {"rivers": pd.concat(out, ignore_index=True)}


if __name__ == "__main__":
    main()
