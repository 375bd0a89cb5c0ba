"""Every page in headless Chromium against a real `streamlit run`: charts, tables and numbers render,
and the browser asks no host but the app's. Screenshots go to tests/artifacts/ (look at them)."""
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import ROOT
from riverchief import store
from riverchief.board import Filters, headline, load_board
from riverchief.db import Database

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_dir):
    port = _free_port()
    env = os.environ | {"RIVERBOARD_DATA_DIR": str(demo_dir)}
    log = open(ARTIFACTS.mkdir(parents=True, exist_ok=True) or ARTIFACTS / "streamlit.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start, see {ARTIFACTS / 'streamlit.log'}")
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is missing: run `make test` (it installs it) or apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    """A page that records every request and saves a screenshot named after the test, pass or fail."""
    size = getattr(request, "param", (1600, 1000))
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    pg.set_viewport_size({"width": size[0], "height": max(size[1], 2000)})  # the app scrolls inside itself
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()


def open_app(pg, url):
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    pg.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30000)
    expect(pg.locator('[data-testid="stException"]')).to_have_count(0)


def assert_only_local_requests(pg, url):
    app_host = urlparse(url).netloc
    foreign = sorted({u for u in pg.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                      and urlparse(u).netloc != app_host})
    assert foreign == [], f"the browser asked other hosts: {foreign[:5]}"
    assert any(urlparse(u).netloc == app_host for u in pg.requests)


def board_for(demo_dir, notice, filters=Filters()):
    return load_board(Database(store.current_version(demo_dir)), notice, filters)


def metric_values(pg):
    return pg.locator('[data-testid="stMetricValue"]').all_inner_texts()


def test_board_renders_numbers_charts_and_table(page, server, demo_dir):
    open_app(page, server)
    latest = store.current_version(demo_dir).notices[-1]
    board = board_for(demo_dir, latest)
    expect(page.locator("h1")).to_have_text(f"三色看板 · {latest.year}年{latest.month}月通报 · 全区")
    expect(page.locator(".stMarkdownBadge")).to_contain_text("示例数据")
    assert metric_values(page) == [f"{board.count(l)} 项" for l in ("red", "yellow", "green")] + [
        f"{int(board.totals['n'].sum())} 项"]

    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(2)
    titles = [t.text_content() for t in page.locator(".gtitle").all()]
    assert headline(board) in titles and "三张清单亮灯情况" in titles
    bars = charts.first.locator("g.trace.bars path")
    shown = min(15, int(((board.by_unit["red"] + board.by_unit["yellow"]) > 0).sum()))
    assert bars.count() == 3 * shown  # a bar per light per unit with a red or yellow light
    ticks = charts.first.locator("g.ytick text").all_text_contents()
    assert set(ticks) == set(board.by_unit[(board.by_unit["red"] + board.by_unit["yellow"]) > 0]["unit_name"].head(15))
    widths = [b["width"] for b in (bar.bounding_box() for bar in bars.all()) if b]
    assert max(widths) > 200 and sum(w > 0 for w in widths) >= shown  # drawn, not just present

    grid = page.locator('[data-testid="stDataFrame"] table[role="grid"]')
    expect(grid).to_have_count(1)
    n_flagged = board.count("red") + board.count("yellow")
    assert int(grid.get_attribute("aria-rowcount")) == n_flagged + 1  # header row + items
    first_cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]')
    assert first_cells.first.inner_text().startswith("● 红灯")
    assert board.flagged["title"].iloc[0] in grid.text_content()
    assert_only_local_requests(page, server)


def test_filters_from_a_link(page, server, demo_dir):
    open_app(page, f"{server}/?month=2024-06&list=task&township=T03")
    board = board_for(demo_dir, dt.date(2024, 6, 30), Filters(list="task", township="T03"))
    expect(page.locator("h1")).to_contain_text("2024年6月通报")
    expect(page.locator("h1")).to_contain_text("锦江街道")
    assert metric_values(page)[3] == f"{int(board.totals['n'].sum())} 项"
    assert metric_values(page)[0] == f"{board.count('red')} 项"
    assert_only_local_requests(page, server)


def test_choosing_a_month_updates_the_url(page, server):
    open_app(page, server)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="2023年7月通报").click()
    expect(page.locator("h1")).to_contain_text("2023年7月通报", timeout=30000)
    page.wait_for_function("() => location.search.includes('month=2023-07')", timeout=10000)


@pytest.mark.parametrize("page", [(1920, 1080)], indirect=True)
def test_board_on_a_projector(page, server):
    open_app(page, server)
    expect(page.locator("h1")).to_be_visible()
    # the key numbers and the main chart are on the first screen at 1920×1080
    for sel in ('[data-testid="stMetricValue"]', '[data-testid="stPlotlyChart"]'):
        box = page.locator(sel).first.bounding_box()
        assert box and box["y"] + box["height"] / 2 < 1080


def test_water_page_renders_trends_bands_and_tables(page, server, demo_dir):
    open_app(page, f"{server}/water?month=2024-12")
    expect(page.locator("h1")).to_have_text("水质 · 2024年12月 · 全区")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= 3")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(3)
    titles = [t.text_content() for t in page.locator(".gtitle").all()]
    assert any(t.startswith("总磷：白沙河2024年均值") for t in titles), titles
    assert any(t.startswith("氨氮：白沙河2024年均值") for t in titles), titles
    tp_chart = charts.nth(0)
    labels = tp_chart.locator(".annotation-text").all_text_contents()
    assert {"Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"} <= set(labels)  # class bands labelled at the right edge
    points = tp_chart.locator("g.scatterlayer .trace").first.locator("path.point")
    assert points.count() == 48  # four years of monthly means
    expect(page.get_by_text("由2021年Ⅴ类改善为Ⅲ类")).to_be_visible()
    grids = page.locator('[data-testid="stDataFrame"] table[role="grid"]')
    expect(grids).to_have_count(3)
    assert int(grids.first.get_attribute("aria-rowcount")) == 34 + 1
    assert "类" in grids.first.text_content()
    assert_only_local_requests(page, server)
