"""First paint of every page in headless Chromium, by hand (prints figures, asserts nothing).

    .venv/bin/python scripts/paint.py DATA_DIR [--runs 3] [--shots DIR]

Serves DATA_DIR with `streamlit run` on a free loopback port (a demo-flagged folder, as `bench.py --keep`
leaves it, opens as a guest), opens every page once to fill the server's caches, then opens each page
`--runs` times in a new session and reports, from the navigation:
- first paint: the browser's own first-contentful-paint (Performance API: the page's first text on screen);
- complete: the script has finished and every chart on the page is drawn (on the map: every river path);
both in a new browser (nothing cached: Streamlit's and Plotly's scripts loaded) and in a browser that has
opened the app before (a new tab: its scripts cached, a new session on the server).
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PAGES = {"三色看板": "/", "会议模式": "/meeting", "事项详情": "/item", "整改进度": "/progress", "水质": "/water",
         "河流地图": "/map", "考核评分": "/score"}
CONTENT = '.js-plotly-plot .main-svg, [data-testid="stDataFrame"] canvas, [data-testid="stMetric"], .meeting .big'
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data_dir: Path, log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=ROOT,
                            env=os.environ | {"RIVERBOARD_DATA_DIR": str(data_dir)}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start")


def open_page(context, url: str, is_map: bool, shot: Path | None) -> tuple[float, float, int]:
    """(seconds to first paint, seconds to complete, map paths drawn) in a new tab: a new session."""
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    paths = 0
    if is_map:
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=120_000)
        page.wait_for_selector(DONE, timeout=120_000)
        paths = frame.locator(".leaflet-overlay-pane path").count()
    else:
        page.locator(CONTENT).first.wait_for(timeout=120_000)
        page.wait_for_selector(DONE, timeout=120_000)
        page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                                  .every(c => c.querySelector('.main-svg'))""", timeout=120_000)
    done = time.perf_counter() - t0
    first = page.evaluate("() => performance.getEntriesByName('first-contentful-paint')[0].startTime") / 1000
    if page.locator('[data-testid="stException"]').count():
        raise SystemExit(f"{url}: an exception box on the page")
    if shot:
        page.screenshot(path=str(shot), full_page=False)
    page.close()
    return first, done, paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shots", type=Path, help="save a screenshot of each page here")
    args = parser.parse_args()
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as log:
        proc, url = start(args.data_dir, log)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print(f"Chromium ({args.data_dir}), seconds to first paint / complete; the server's "
                  f"caches warm (each page opened once before); median of {args.runs} new sessions:")
            print("  page       a new browser (nothing cached)   a browser that has opened the app before")
            for name, path in PAGES.items():
                is_map = path == "/map"
                shot = args.shots and args.shots / f"paint_{path.strip('/') or 'board'}.png"
                fresh, cached = [], []
                returning = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
                open_page(returning, url + path, is_map, None)  # fills the server's caches and the browser's
                for _ in range(args.runs):
                    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
                    fresh.append(open_page(context, url + path, is_map, shot))
                    context.close()
                    cached.append(open_page(returning, url + path, is_map, None))
                returning.close()
                cell = lambda runs: (f"{statistics.median(r[0] for r in runs):5.2f} / "  # noqa: E731
                                     f"{statistics.median(r[1] for r in runs):5.2f}")
                extra = f"  ({fresh[-1][2]:,} paths drawn)" if is_map else ""
                print(f"  {name:6}  {cell(fresh):>28}   {cell(cached):>28}{extra}")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
