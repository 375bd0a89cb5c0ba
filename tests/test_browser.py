"""Every page in headless Chromium against a real `streamlit run`: charts, tables and numbers render,
and the browser asks no host but the app's. Screenshots go to tests/artifacts/ (look at them)."""
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

from conftest import ROOT
from loaders import answers
from riverchief import publishing, versions
from riverchief.board import Filters, headline, load_board
from riverchief.db import Database
from riverchief.notice import load_changes

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(data_dir: Path, log_name: str, address: str = "127.0.0.1"):
    """`streamlit run server.py` on a free port against `data_dir`; yields its URL once healthy."""
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / log_name, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                                 "--server.address", address, "--server.headless", "true"],
                                cwd=ROOT, env=os.environ | {"RIVERBOARD_DATA_DIR": str(data_dir)},
                                stdout=log, stderr=subprocess.STDOUT)
        url = f"http://{address}:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"streamlit did not start, see {ARTIFACTS / log_name}")
                time.sleep(0.3)
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(10)


@pytest.fixture(scope="module")
def server(demo_dir):
    with serve(demo_dir, "streamlit.log") as url:
        yield url


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
    pg.wait_for_timeout(300)  # charts redraw at the new size; only the saved picture depends on it
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


PASSWORD = "Test-pass-2026"


def account(root: Path, username: str, role: str = "office", unit: str | None = None, name: str | None = None) -> str:
    """An account in the data folder's office store, its first password already changed to PASSWORD."""
    from riverchief.office import accounts, database

    url = f"sqlite:///{(Path(root) / 'office.sqlite').resolve()}"
    Path(root).mkdir(parents=True, exist_ok=True)
    first = accounts.create("tests", username, name or username, role, unit, url=url)
    accounts.change_password(username, first, PASSWORD, url=url)
    database.forget(url)
    return username


def login(pg, url: str, username: str, path: str = "") -> None:
    """Sign in through the login page; the session cookie then serves every later page.goto."""
    pg.goto(f"{url}/{path}")
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    pg.get_by_label("账号").fill(username)
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    expect(pg.locator("h1").first).not_to_contain_text("登录", timeout=30000)
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)


def board_for(demo_dir, notice, filters=Filters()):
    return load_board(Database(versions.current_version(demo_dir)), notice, filters)


def metric_values(pg):
    """The four key numbers at the top of the board."""
    return pg.locator('[data-testid="stMetricValue"]').all_inner_texts()[:4]


def test_board_renders_numbers_charts_and_table(page, server, demo_dir):
    open_app(page, server)
    latest = versions.current_version(demo_dir).notices[-1]
    board = board_for(demo_dir, latest)
    expect(page.locator("h1")).to_have_text(f"三色看板 · {latest.year}年{latest.month}月通报 · 全区")
    expect(page.locator(".stMarkdownBadge").first).to_contain_text("示例数据")
    expect(page.locator(".stMarkdownBadge").nth(1)).to_contain_text("访客只读")  # the demo on localhost: a guest
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

    grids = page.locator('[data-testid="stDataFrame"] table[role="grid"]')
    from riverchief import outlook

    db = Database(versions.current_version(demo_dir))
    warned = outlook.warnings(db.query("item_trajectory", notice=latest, **Filters().params()), latest)
    newly_red = load_changes(db, latest, Filters()).count("newly_red")
    # flagged items, next month's warning (when there is one), changes (the first tab, when it has rows: else
    # the words 暂无数据, not an empty grid), lights this year, supervision
    expect(grids).to_have_count(3 + (len(warned) > 0) + (newly_red > 0))
    if not newly_red:
        expect(page.get_by_text("暂无数据").first).to_be_visible()
    grid = grids.first
    n_flagged = board.count("red") + board.count("yellow")
    expect(grid).to_have_attribute("aria-rowcount", str(n_flagged + 1))  # header row + items
    first_cells = grid.locator('[role="gridcell"]')
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


@pytest.mark.parametrize("page", [(1920, 1080), (1280, 800), (390, 844)], indirect=True, ids=["wide", "laptop", "phone"])
def test_water_cards_show_their_values_whole(page, server):
    """The cards cut `0.133 …` and `-0.001（改善率+0.…`: no label, value or change runs out of its card, wide, on
    a laptop beside the sidebar, or on a phone."""
    open_app(page, f"{server}/water?month=2024-12")
    cards = page.locator('[data-testid="stMetric"]')
    expect(cards).to_have_count(5)
    cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetric"]')].flatMap(card => {
        const box = card.getBoundingClientRect(), walk = document.createTreeWalker(card, NodeFilter.SHOW_TEXT), out = [];
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {  // the whole text laid out, against the card
            const range = document.createRange(); range.selectNodeContents(n);
            const r = range.getBoundingClientRect(), clip = n.parentElement.getBoundingClientRect();
            if (n.textContent.trim() && (r.right > Math.min(box.right, clip.right) + 1)) out.push(n.textContent);
        }
        return out; })""")
    assert cut == [], cut
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert all("…" not in v for v in values) and any(v.startswith("0.") for v in values), values


def test_water_page_renders_trends_bands_and_tables(page, server, demo_dir):
    open_app(page, f"{server}/water?month=2024-12")
    expect(page.locator("h1")).to_have_text("水质 · 2024年12月 · 全区")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= 3")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(3)
    titles = [t.text_content() for t in page.locator(".gtitle").all()]
    # by default the river that improved most (from Class Ⅴ, first by id): 清溪河
    assert any(t.startswith("总磷：清溪河2024年1–12月均值") for t in titles), titles
    assert any(t.startswith("氨氮：清溪河2024年1–12月均值") for t in titles), titles
    tp_chart = charts.nth(0)
    labels = tp_chart.locator(".annotation-text").all_text_contents()
    assert {"Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"} <= set(labels)  # class bands labelled at the right edge
    points = tp_chart.locator("g.scatterlayer .trace").first.locator("path.point")
    assert points.count() == 48  # four years of monthly means
    expect(page.get_by_text("由2021年Ⅴ类改善为Ⅲ类")).to_be_visible()
    grids = page.locator('[data-testid="stDataFrame"] table[role="grid"]')
    expect(grids).to_have_count(4)  # sections, year on year, rivers judged, and what the rest of the year needs
    expect(grids.first).to_have_attribute("aria-rowcount", str(34 + 1))
    assert "类" in grids.first.text_content()
    assert_only_local_requests(page, server)


MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def open_map(pg, url):
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    frame = pg.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container .leaflet-overlay-pane path").first.wait_for(timeout=30000)
    expect(pg.locator('[data-testid="stException"]')).to_have_count(0)
    return frame


def test_map_renders_offline_with_every_layer(page, server, demo_dir):
    frame = open_map(page, f"{server}/map")
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["height"] >= 600 and box["width"] >= 800  # not the blank zero-height map of a missing CDN
    container = frame.locator(".leaflet-container")
    assert container.bounding_box()["height"] >= 600
    db = Database(versions.current_version(demo_dir))
    n = db.execute("SELECT (SELECT count(*) FROM townships) t, (SELECT count(*) FROM rivers) r, "
                   "(SELECT count(*) FROM sections) s, (SELECT count(*) FROM problems WHERE notice_date = "
                   "'2024-12-31' AND status <> '已销号') p").iloc[0]
    paths = frame.locator(".leaflet-overlay-pane path")
    assert paths.count() == n["t"] + 1 + n["r"] + n["p"]  # townships, district outline, rivers, problems
    expect(frame.locator(".riverboard-section")).to_have_count(int(n["s"]))
    strokes = {paths.nth(i).get_attribute("stroke") for i in range(paths.count())}
    assert {"#2E7D32", "#F9A825"} <= strokes  # rivers in Class Ⅲ green and Ⅳ yellow
    expect(frame.locator(".riverboard-legend")).to_contain_text("河流水质类别（断面最差）")
    expect(frame.locator(".leaflet-control-layers")).to_contain_text("监测断面")
    # the component reports its first state back and redraws once after loading: retry the click past that,
    # each time waiting up to a second for the popup rather than sleeping
    for _ in range(5):
        frame.locator(".riverboard-section").nth(5).dispatch_event("click")  # badges may overlap in town
        try:
            frame.locator(".leaflet-popup-content").wait_for(timeout=1000)
            break
        except PlaywrightTimeout:
            continue
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("总磷")
    expect(frame.locator(".leaflet-popup-content span").first).to_contain_text("类")  # the class badge
    assert_only_local_requests(page, server)


def test_map_coloured_by_lights_and_a_click_filters(page, server):
    frame = open_map(page, f"{server}/map?colour=lights")
    strokes = {p.get_attribute("stroke") for p in frame.locator(".leaflet-overlay-pane path").all()}
    assert "#D93025" in strokes and "#1E8E3E" in strokes
    expect(frame.locator(".riverboard-legend")).to_contain_text("河流任务亮灯（最差）")
    # click a township polygon (grey fill): the shared filter, the title and the URL follow
    frame.locator('.leaflet-overlay-pane path[fill="#F1F3F4"]').first.dispatch_event("click")
    page.wait_for_function("() => location.search.includes('township=')", timeout=20000)
    expect(page.locator("h1")).not_to_contain_text("· 全区", timeout=20000)
    assert "colour=lights" in page.url


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """The tiny district with markup in a problem title and a river name, served on its own port."""
    from tiny import tiny_tables

    root = tmp_path_factory.mktemp("hostile")
    tables = tiny_tables()
    tables["problems"].loc[0, "title"] = "<img src=x onerror=alert(1)>"
    tables["rivers"].loc[0, "name"] = "<b>粗体河</b>"
    tables["sections"].loc[0, "name"] = "</script><img src=y onerror=alert(2)>断面"  # into the badges' JSON
    publishing.publish(root, tables, source="测试", created_by="tests")
    account(root, "fx", "analyst")
    with serve(root, "streamlit-hostile.log") as url:
        yield url


def test_markup_in_data_shows_as_text_on_the_map(page, hostile_server):
    login(page, hostile_server, "fx")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    frame = open_map(page, f"{hostile_server}/map?month=2023-06")
    problem = frame.locator('.leaflet-overlay-pane path[fill="#1E8E3E"], .leaflet-overlay-pane path[fill="#F2A900"], '
                            '.leaflet-overlay-pane path[fill="#D93025"]')
    problem.first.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("<img src=x onerror=alert(1)>")
    expect(frame.locator('img[src="x"]')).to_have_count(0)
    river = frame.locator('.leaflet-overlay-pane path[stroke="#2E7D32"]').first  # R1, Class Ⅲ in June
    river.dispatch_event("mouseover")
    expect(frame.locator(".leaflet-tooltip").last).to_contain_text("<b>粗体河</b>")
    frame.locator(".riverboard-section").first.dispatch_event("mouseover")
    expect(frame.locator(".leaflet-tooltip").last).to_contain_text("</script><img src=y onerror=alert(2)>断面")
    expect(frame.locator('img[src="y"]')).to_have_count(0)
    assert dialogs == []  # no element that could raise one exists (above); none was raised on the way


@pytest.mark.parametrize("page", [(1920, 1080)], indirect=True)
def test_meeting_mode_on_a_projector(page, server, demo_dir):
    page.goto(f"{server}/meeting?month=2024-10")
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(page.get_by_text("2024年10月通报亮灯情况")).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    board = board_for(demo_dir, dt.date(2024, 10, 31))
    big = page.locator(".meeting .big").first
    expect(big).to_have_text(f"{board.count('red')} 项")
    assert float(big.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 64
    body = page.locator(".meeting p").first
    assert float(body.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 28
    expect(page.get_by_text("筛选条件：全区")).to_be_visible()

    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("红灯事项（1/")).to_be_visible(timeout=20000)
    first_red = board.flagged[board.flagged["light"] == "red"]["title"].iloc[0]
    expect(page.locator(".meeting .card").first).to_contain_text(first_red)
    for card in page.locator(".meeting .card").all():  # every card on screen, none below the fold
        box = card.bounding_box()
        assert box["y"] + box["height"] <= 1080
    page.wait_for_function("() => location.search.includes('screen=2')")
    _ready(page)  # a key pressed while the app still runs can be lost on a busy machine
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_text("2024年10月通报亮灯情况")).to_be_visible(timeout=20000)


PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1")


@pytest.fixture
def phone(browser, request):
    """A leader's phone in 政务微信: 390×844, touch, the messenger's user agent; screenshot saved at the end."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, user_agent=PHONE_UA, locale="zh-CN")
    pg = context.new_page()
    yield pg
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def _fits_the_phone(pg) -> None:
    """Nothing wider than the screen (no sideways scrolling) and no text smaller than 14 px in the view."""
    widths = pg.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] *')].filter(
        e => e.getBoundingClientRect().width > 0).map(e => e.getBoundingClientRect().right)""")
    assert max(widths) <= 391, max(widths)
    sizes = pg.evaluate("""() => [...document.querySelectorAll('.glance *, .meeting *')].filter(
        e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())).map(
        e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 14, min(sizes)


def test_a_phone_opening_the_board_gets_the_month_on_one_screen(phone, server, demo_dir):
    phone.goto(server)  # the link a leader taps in the messenger: the board
    phone.wait_for_url("**/phone**", timeout=60000)
    phone.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(phone.locator("h1").first).to_contain_text("手机看板")
    notice = max(versions.current_version(demo_dir).notices)
    board = board_for(demo_dir, notice)
    tiles = phone.locator(".glance .tile")
    expect(tiles).to_have_count(3)
    for tile, light in zip(tiles.all(), ("red", "yellow", "green")):
        expect(tile.locator(".n")).to_have_text(f"{board.count(light)} 项")
        box = tile.bounding_box()
        assert box["y"] + box["height"] < 844  # the lights on the first screen, no scrolling
    first_red = board.flagged[board.flagged["light"] == "red"]["title"].iloc[0]
    expect(phone.locator(".glance .card").first).to_contain_text(first_red)
    expect(phone.locator(".glance .chip").first).to_contain_text("新亮红灯")
    expect(phone.locator(".glance .badge").first).to_be_visible()  # the water, by class
    last = phone.locator(".glance .chip").last.bounding_box()  # the year's NH3-N mean, the last thing said
    assert last["y"] + last["height"] <= 844, last  # all of it on the first screen
    expect(phone.locator('[data-testid="stSidebar"]')).not_to_be_in_viewport()
    _fits_the_phone(phone)
    phone.screenshot(path=str(ARTIFACTS / "phone_glance.png"))  # the first screen, as the leader sees it
    phone.set_viewport_size({"width": 390, "height": 2400})
    phone.screenshot(path=str(ARTIFACTS / "phone_glance_whole.png"))
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.get_by_role("button", name="完整看板").click()
    expect(phone.locator("h1").first).to_contain_text("三色看板", timeout=30000)
    phone.reload()  # asked for the full board: it stays
    phone.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(phone.locator("h1").first).to_contain_text("三色看板")
    phone.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30000)
    chart = phone.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    title = chart.locator(".gtitle")
    assert title.locator("tspan.line").count() >= 2  # the finding in lines, whole, on the phone
    box = title.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    expect(chart.locator(".modebar")).to_have_count(0)  # no toolbar over it
    phone.screenshot(path=str(ARTIFACTS / "phone_full_board_chart.png"))


def test_meeting_mode_on_a_phone(phone, server, demo_dir):
    phone.goto(f"{server}/meeting?month=2024-10")
    phone.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(phone.get_by_text("2024年10月通报亮灯情况")).to_be_visible()
    for big in phone.locator(".meeting .big").all():  # `12 项` on one line, whole
        assert big.bounding_box()["height"] < 60 and big.evaluate("e => e.scrollWidth <= e.clientWidth")
    ys = [b.bounding_box() for b in phone.get_by_role("button").filter(has_text="页").all()]
    assert len(ys) == 2 and abs(ys[0]["y"] - ys[1]["y"]) < 2  # 上一页 and 下一页 side by side, not stacked
    assert max(b["y"] + b["height"] for b in ys) - min(b["y"] for b in ys) < 0.1 * 844
    _fits_the_phone(phone)
    phone.screenshot(path=str(ARTIFACTS / "meeting_phone_1.png"))
    phone.get_by_role("button", name="下一页").click()
    expect(phone.get_by_text("红灯事项（1/")).to_be_visible(timeout=20000)
    _fits_the_phone(phone)
    phone.screenshot(path=str(ARTIFACTS / "meeting_phone_2.png"))


def test_drill_down_from_a_row_to_the_item(page, server, demo_dir):
    open_app(page, f"{server}/?month=2024-10")
    board = board_for(demo_dir, dt.date(2024, 10, 31))
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 18)  # the first row's selection box (the grid is a canvas)
    page.wait_for_function("() => location.pathname.endsWith('/item')", timeout=20000)
    item = board.flagged["item_id"].iloc[0]
    assert f"item={item}" in page.url
    expect(page.locator("h3").first).to_have_text(board.flagged["title"].iloc[0], timeout=20000)
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(2)
    assert_only_local_requests(page, server)


def test_notice_downloads_match_the_board(page, server, demo_dir, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    open_app(page, f"{server}/?month=2024-10&list=task")
    board = board_for(demo_dir, dt.date(2024, 10, 31), Filters(list="task"))
    with page.expect_download() as word:
        page.get_by_role("button", name="下载通报（Word）").click()
    path = tmp_path / word.value.suggested_filename
    word.value.save_as(path)
    assert path.name == "三色亮灯通报_2024-10_“一河一策”任务.docx"
    text = "\n".join(p.text for p in Document(path).paragraphs)
    red, yellow, green = (board.count(l) for l in ("red", "yellow", "green"))
    assert f"共{red + yellow + green}项，其中绿灯{green}项、黄灯{yellow}项、红灯{red}项" in text
    with page.expect_download() as excel:
        page.get_by_role("button", name="下载三色清单（Excel）").click()
    path = tmp_path / excel.value.suggested_filename
    excel.value.save_as(path)
    ws = load_workbook(path)["三色清单"]
    lights = [ws.cell(row=r, column=9).value for r in range(3, ws.max_row + 1)]
    assert sum(v.startswith("红灯") for v in lights) == red and sum(v.startswith("黄灯") for v in lights) == yellow


def test_score_page_renders_and_exports(page, server, demo_dir, tmp_path):
    from openpyxl import load_workbook

    from riverchief.assessment import load_inputs, score_units
    from riverchief.assessment_rules import default_rules

    open_app(page, f"{server}/score?month=2024-12")
    expect(page.locator("h1")).to_have_text("考核评分 · 2024年度（截至12月通报） · 全区")
    scores = score_units(load_inputs(Database(versions.current_version(demo_dir)), dt.date(2024, 12, 31)), default_rules())
    lowest = scores.loc[scores["total"].idxmin()]
    titles = [t.text_content() for t in page.locator(".gtitle").all()]
    assert any(t.startswith(f"{lowest['unit_name']}：{lowest['total']:.1f}分") for t in titles), titles
    assert page.locator(".waterfall path, g.waterfalllayer path").count() >= 3
    grid = page.locator('[data-testid="stDataFrame"] table[role="grid"]').first
    towns = scores[scores["unit_kind"] == "镇街"]
    expect(grid).to_have_attribute("aria-rowcount", str(len(towns) + 1))
    with page.expect_download() as dl:
        page.get_by_role("button", name="下载考核结果（Excel）").click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["镇街排名", "部门排名", "得分明细", "亮灯明细"]
    ws = wb["部门排名"]
    totals = [ws.cell(row=r, column=3).value for r in range(3, ws.max_row + 1)]
    depts = scores[scores["unit_kind"] == "部门"]
    assert totals == pytest.approx(depts["total"].round(2).tolist())
    assert_only_local_requests(page, server)


def test_progress_page_with_filters_from_the_url(page, server, demo_dir):
    open_app(page, f"{server}/progress?month=2023-12&river=R02")
    expect(page.locator("h1")).to_have_text("整改进度 · 2023年（截至12月通报） · 清溪河")
    db = Database(versions.current_version(demo_dir))
    found = db.execute("SELECT count(*) n FROM problems WHERE notice_date = '2023-12-31' AND year(found_date) = 2023 "
                       "AND river_id = 'R02'")["n"][0]
    assert metric_values(page)[0] == f"{found} 个"
    titles = [t.text_content() for t in page.locator(".gtitle").all()]
    assert any(t.startswith(f"本年发现{found}个问题") for t in titles), titles
    page.get_by_role("tab", name="任务推进").click()
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="S曲线")
    expect(chart).to_have_count(1)
    assert chart.locator("g.scatterlayer .trace").count() == 2  # planned and actual
    page.get_by_role("tab", name="巡河").click()
    expect(page.get_by_text("各级河长发现问题（其中较重、严重问题）")).to_be_visible()
    assert_only_local_requests(page, server)


def test_chart_png_and_table_excel_downloads(page, server, demo_dir, tmp_path):
    from openpyxl import load_workbook
    from PIL import Image

    open_app(page, f"{server}/?month=2024-10")
    with page.expect_download(timeout=60000) as png:
        page.get_by_role("button", name="下载图片（PNG）").first.click()
    path = tmp_path / png.value.suggested_filename
    png.value.save_as(path)
    october = board_for(demo_dir, dt.date(2024, 10, 31))
    assert path.name.startswith(headline(october)[:8]) and Image.open(path).size == (1600, 900)
    with page.expect_download() as xlsx:
        page.get_by_role("button", name="下载表格（Excel）").first.click()
    path = tmp_path / xlsx.value.suggested_filename
    xlsx.value.save_as(path)
    ws = load_workbook(path).active
    assert ws["A1"].value.startswith("三色看板_表1 · 范围：全区 · 通报日期：2024-10-31")
    assert ws["A2"].value == "灯色" and ws["A3"].value == "● 红灯" and ws["A3"].fill.fgColor.rgb[-6:] == "D93025"


def test_an_upload_holds_back_what_it_cannot_read_and_asks_once_what_a_name_means(page, import_server, tmp_path_factory):
    """A file with a row naming a section the office writes its own way: the row is held back with the reason,
    the rest can go in; the office says once what the name means, the check runs again and everything goes in."""
    url, root = import_server
    folder = tmp_path_factory.mktemp("answers")
    upload = folder / "8月水质.csv"
    upload.write_bytes("监测断面,采样日期,总磷,氨氮\n一号河断面,2023/8/5,0.12,0.3\n一号断面,2023/8/6,0.2,0.4\n".encode("gbk"))
    login(page, url, "hzb", "data")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    expect(page.get_by_text("1 处暂缓导入，其余可以照常发布")).to_be_visible(timeout=20000)
    expect(page.get_by_role("button", name="发布可以导入的部分")).to_be_visible()
    _shot(page, "answers_1_held")
    box = page.get_by_label("监测断面“一号断面”")
    box.scroll_into_view_if_needed()
    box.click()
    try:
        page.get_by_role("option").first.wait_for(timeout=1000)
    except PlaywrightTimeout:  # the first click after a rerun only focuses
        box.click()
    page.get_by_role("option", name="一号河断面", exact=True).click()  # inside a form: no run until saved
    page.get_by_role("button", name="保存并重新检查").scroll_into_view_if_needed()
    _shot(page, "answers_2_asked")
    _rerun(page, page.get_by_role("button", name="保存并重新检查").click)
    expect(page.get_by_text("检查通过，发布后将发生以下变化")).to_be_visible(timeout=20000)
    _shot(page, "answers_3_checked")
    assert answers.load(root)["section"] == {"一号断面": "一号河断面"}
    page.get_by_role("button", name="确认发布").click()
    expect(page.get_by_text("已发布为数据版本")).to_be_visible(timeout=20000)
    got = Database(versions.current_version(root)).execute("SELECT tp FROM readings WHERE sampled_at::DATE IN ('2023-08-05', '2023-08-06') ORDER BY tp")
    assert got["tp"].tolist() == [0.12, 0.2]


def test_a_row_held_back_is_corrected_on_screen_without_touching_the_file(page, import_server, tmp_path_factory):
    url, root = import_server
    upload = tmp_path_factory.mktemp("fix") / "9月水质.csv"
    upload.write_bytes("监测断面,采样日期,总磷,氨氮\n一号河断面,2023/9/5,0.12,0.3\n一号河断面,九月六日,0.2,0.4\n".encode("gbk"))
    login(page, url, "hzb", "data")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    expect(page.get_by_text("在这里直接改正暂缓的行（1 处）")).to_be_visible(timeout=20000)
    cell = page.get_by_label("第3行“采样日期”")
    expect(cell).to_have_value("九月六日")
    cell.fill("2023-09-06")
    _shot(page, "fix_1_edited")
    _rerun(page, page.get_by_role("button", name="用改正后的内容重新检查").click)
    expect(page.get_by_text("检查通过，发布后将发生以下变化")).to_be_visible(timeout=20000)
    _shot(page, "fix_2_checked")
    page.get_by_role("button", name="确认发布").click()
    expect(page.get_by_text("已发布为数据版本")).to_be_visible(timeout=20000)
    got = Database(versions.current_version(root)).execute("SELECT tp FROM readings WHERE sampled_at::DATE = '2023-09-06'")
    assert got["tp"].tolist() == [0.2]
    assert "九月六日" in upload.read_bytes().decode("gbk")  # the file itself untouched


@pytest.fixture
def import_server(tmp_path):
    """The tiny district on its own server: an upload publishes into it."""
    from tiny import tiny_tables

    publishing.publish(tmp_path, tiny_tables(), source="测试", created_by="tests")
    account(tmp_path, "hzb", "office", name="河长办 孙某")
    with serve(tmp_path, "streamlit-import.log") as url:
        yield url, tmp_path


def test_upload_shows_errors_then_preview_and_publishes(page, import_server, tmp_path_factory):
    url, root = import_server
    folder = tmp_path_factory.mktemp("uploads")
    bad, good = folder / "坏数据.csv", folder / "7月水质.csv"
    bad.write_bytes("断面,采样时间,总磷\n一号和断面,2023-07-01,-0.1\n".encode("gbk"))
    good.write_bytes("监测断面,采样日期,总磷,氨氮\n一号河断面,2023/7/5,0.01L,0.3\n".encode("gbk"))
    before = versions.current_version(root).id
    login(page, url, "hzb", "data")
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files(str(bad))
    expect(page.get_by_text("发现 2 个问题（2 类原因），未发布")).to_be_visible(timeout=20000)
    grid = page.locator('[data-testid="stDataFrame"] table[role="grid"]').first
    expect(grid).to_contain_text("您是否要填“一号河断面”")
    expect(grid).to_contain_text("浓度不能为负数")
    assert versions.current_version(root).id == before
    page.goto(f"{url}/data")  # a fresh session: the uploader is empty again
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    expect(page.get_by_text("检查通过，发布后将发生以下变化")).to_be_visible(timeout=20000)
    page.get_by_role("button", name="确认发布").click()
    expect(page.get_by_text("已发布为数据版本")).to_be_visible(timeout=20000)
    version = versions.current_version(root)
    assert version.id != before and version.manifest["created_by"] == "河长办 孙某"
    got = Database(version).execute("SELECT tp, tp_bdl FROM readings WHERE sampled_at = '2023-07-05'")
    assert got.values.tolist() == [[0.01, True]]


@pytest.fixture
def empty_server(tmp_path):
    """A server on an empty data folder: what an office sees the first time."""
    with serve(tmp_path, "streamlit-onboarding.log") as url:
        yield url, tmp_path


def _ready(pg):
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)


def _rerun(pg, act):
    """Do what starts a script run and wait until that run has finished: a watch on the app's run state is set
    before acting, so a run too short to be seen polling still counts (no fixed sleep)."""
    pg.evaluate("""() => { window.__runs = 0; const app = document.querySelector('[data-testid="stApp"]');
        new MutationObserver(() => { if (app.dataset.testScriptState === 'running') window.__runs++; })
            .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']}); }""")
    act()
    pg.wait_for_function("""() => window.__runs > 0
        && document.querySelector('[data-testid="stApp"]').dataset.testScriptState === 'notRunning'""", timeout=60000)


def _shot(pg, name):
    pg.wait_for_timeout(300)  # the picture only: nothing is asserted after it
    pg.screenshot(path=str(ARTIFACTS / f"onboarding_{name}.png"), full_page=True)


def test_a_new_office_brings_its_district_in(page, empty_server, office_files):
    """From an empty folder: start the district, upload every file at once, publish, see its own board and
    map; the same files again change nothing."""
    url, root = empty_server
    account(root, "hzb", "office", name="河长办 张某")
    page.goto(url)
    _ready(page)
    expect(page.locator("h1")).to_contain_text("开始使用本区数据")
    expect(page.get_by_text("开始使用本区数据须以河长办账号登录")).to_be_visible()  # the guest may look, not start
    page.get_by_role("button", name="登录").first.click()
    page.get_by_label("账号").fill("hzb")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_label("本区名称（必填，如 青川区）")).to_be_visible(timeout=30000)
    _shot(page, "1_start")
    page.get_by_label("本区名称（必填，如 青川区）").fill("青川区")
    page.get_by_role("button", name="开始使用本区数据").click()
    expect(page.get_by_text("还没有三张清单")).to_be_visible(timeout=20000)
    page.goto(f"{url}/data")
    _ready(page)
    assert versions.current_version(root).manifest["district"] == "青川区"

    files = sorted(str(p) for p in office_files.iterdir() if p.suffix in (".xlsx", ".geojson"))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files)
    expect(page.get_by_text("检查通过，发布后将发生以下变化")).to_be_visible(timeout=60000)
    preview = page.locator('[data-testid="stDataFrame"]').filter(has_text="镇街边界")  # the preview, per table and file
    expect(preview).to_have_count(1)
    _shot(page, "2_preview")
    page.get_by_role("button", name="确认发布").click()
    expect(page.get_by_text("已发布为数据版本")).to_be_visible(timeout=30000)

    page.goto(url)
    open_app(page, url)
    expect(page.locator("h1").first).to_contain_text("三色看板 · 2024年6月通报 · 全区")
    assert metric_values(page)[3] == "51 项"
    expect(page.get_by_text("示例数据")).to_have_count(0)
    _shot(page, "3_board")

    page.goto(f"{url}/map")
    _ready(page)
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=30000)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(24, timeout=20000)  # the townships
    expect(frame.locator(".leaflet-overlay-pane path")).to_have_count(24 + 1)  # and the district outline
    expect(frame.locator(".riverboard-section")).to_have_count(10)
    expect(page.get_by_text("以下对象尚无地图图形")).to_be_visible()  # rivers came from Excel only
    _shot(page, "4_map")

    page.goto(f"{url}/data")
    _ready(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files)
    expect(page.get_by_text("无变化：上传的文件与当前数据完全相同")).to_be_visible(timeout=60000)
    assert_only_local_requests(page, url)


def test_a_sheet_not_understood_is_mapped_on_screen(page, empty_server, tmp_path_factory):
    url, root = empty_server
    publishing.init_district(root, "测试区")
    account(root, "hzb")
    from loaders.importer import prepare, publish

    refs = "断面名称,所在河流,经度,纬度,水质目标\n东河桥,东河,106.5,29.5,Ⅲ类\n"
    rivers = "河流名称,河流级别\n东河,区级\n"
    publish(prepare([("河流.csv", rivers.encode()), ("断面.csv", refs.encode())], root), root, "测试")
    odd = tmp_path_factory.mktemp("odd") / "站点数据.csv"
    odd.write_text("站点,时间,TP值\n东河桥,2024-05-01,0.1\n", encoding="utf-8")
    login(page, url, "hzb", "data")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(odd))
    expect(page.get_by_text("张工作表没有识别出来")).to_be_visible(timeout=20000)

    def choose(label, option):
        box = page.get_by_label(label, exact=True)
        box.click()
        try:
            page.get_by_role("option").first.wait_for(timeout=1000)
        except PlaywrightTimeout:  # the first click after a rerun only focuses
            box.click()
        choice = page.get_by_role("option", name=option, exact=True)
        if choice.get_attribute("aria-selected") == "true":  # the page's guess already: choosing it runs nothing
            choice.click()
            return
        _rerun(page, choice.click)

    choose("这张表是", "水质监测")
    choose("站点", "断面（必填）")
    choose("时间", "采样时间（必填）")
    choose("TP值", "总磷")
    _shot(page, "5_mapping")
    page.get_by_role("button", name="保存对应关系").click()
    expect(page.get_by_text("检查通过，发布后将发生以下变化")).to_be_visible(timeout=20000)
    assert len(list((root / "mappings").glob("*.json"))) == 1


def _listening(port: int) -> set[str]:
    """Local addresses listening on `port` (from /proc/net/tcp and tcp6, as hex)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def test_the_app_listens_on_localhost_only_by_default(tiny_dir):
    """The repository's own config, with no address on the command line: only 127.0.0.1 is bound."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port)], cwd=ROOT,
                            env=os.environ | {"RIVERBOARD_DATA_DIR": str(tiny_dir)}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _listening(port) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, and nothing else (no 0.0.0.0, no ::)
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0]
    assert "External URL" not in out and "Network URL" not in out  # nothing asked outside for an address


# --- accounts and the monthly reporting round -----------------------------------------------------

@pytest.fixture
def round_server(tmp_path):
    """The tiny district with an office account and 甲镇's account, July's round open until 2027."""
    from riverchief.access import OFFICE, Principal
    from riverchief.office import rounds
    from tiny import tiny_tables

    publishing.publish(tmp_path, tiny_tables(), source="测试", created_by="tests")
    account(tmp_path, "hzb", "office", name="区河长办")
    account(tmp_path, "jiazhen", "unit", "T1", name="甲镇")
    account(tmp_path, "fx", "analyst", name="分析员")
    os.environ["RIVERBOARD_DB_URL"] = f"sqlite:///{(tmp_path / 'office.sqlite').resolve()}"
    try:
        rounds.open_round(Principal("hzb", "区河长办", OFFICE), tmp_path, dt.date(2023, 7, 31), dt.date(2027, 8, 5))
    finally:
        del os.environ["RIVERBOARD_DB_URL"]
    with serve(tmp_path, "streamlit-round.log") as url:
        yield url, tmp_path


_VISIBLE_TEXT = """root => {  // the words a person sees: text drawn at a size, and ::after content put there by CSS
    const out = [];
    const walk = el => {
        const st = getComputedStyle(el);
        if (st.display === 'none' || st.visibility === 'hidden') return;
        const after = getComputedStyle(el, '::after').content;
        for (const n of el.childNodes) {
            if (n.nodeType === 3 && n.textContent.trim() && parseFloat(st.fontSize) > 0) out.push(n.textContent.trim());
            if (n.nodeType === 1) walk(n);
        }
        if (after && after !== 'none' && after !== 'normal') out.push(after.replace(/^"|"$/g, ''));
    };
    walk(root);
    return out.join(' ');
}"""


def test_a_unit_reports_the_office_accepts_and_publishes_and_the_light_changes(browser, round_server, tmp_path):
    from openpyxl import load_workbook

    url, root = round_server
    unit = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN").new_page()
    login(unit, url, "jiazhen", "report")
    expect(unit.locator("h1").first).to_contain_text("本单位月报 · 2023年7月")
    expect(unit.get_by_text("全区汇总")).to_have_count(0)  # the report page shows the unit's own work only
    unit.get_by_text("下载本单位报送表（Excel）").first.click()  # the expander with the sheet and the upload box
    zone = unit.locator('[data-testid="stFileUploaderDropzone"]')
    shown = zone.evaluate(_VISIBLE_TEXT)
    assert "选择文件" in shown and "拖到此处" in shown and not re.search(r"Upload|per file|Drag|Browse", shown), shown
    unit.get_by_text("下载本单位报送表（Excel）").first.click()
    # the unit fills its pre-filled sheet in Excel: item E done on 20 July, the rest a little further
    with unit.expect_download() as got:
        unit.get_by_text("下载本单位报送表（Excel）").first.click()
        unit.get_by_role("button", name="下载本单位报送表（Excel）").click()
    sheet = tmp_path / "甲镇月报送.xlsx"
    got.value.save_as(sheet)
    wb = load_workbook(sheet)
    ws = wb.active
    for row in ws.iter_rows(min_row=3):
        if row[1].value == "E":
            row[7].value, row[8].value, row[11].value = 100, dt.date(2023, 7, 20), "已完工验收"
        elif row[7].value is None and row[6].value is None or row[7].value == row[5].value:
            row[7].value = min(99, row[5].value + 1)
    wb.save(sheet)
    unit.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(sheet))
    expect(unit.get_by_text("已读入")).to_be_visible(timeout=20000)
    unit.get_by_role("button", name="提交").click()
    expect(unit.get_by_text("已提交，等待区河长办审核").first).to_be_visible(timeout=20000)
    _ready(unit)
    unit.screenshot(path=str(ARTIFACTS / "round_1_unit_submitted.png"), full_page=True)
    unit.goto(f"{url}/rounds")  # not a unit's page: the unit's first page opens instead
    unit.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(unit.locator("h1").first).not_to_contain_text("月报送 ·")
    unit.context.close()

    office = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN").new_page()
    login(office, url, "hzb", "item?item=E&month=2023-06")
    expect(office.get_by_text("● 红灯").first).to_be_visible()
    expect(office.get_by_text("人工认定灯色（河长办）")).to_be_visible()  # the office's override form
    office.goto(f"{url}/rounds")
    office.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(office.locator('[data-testid="stMetricValue"]').first).to_have_text("33.3%")  # 甲镇 of 甲镇, 乙街道, 区水利局
    expect(office.get_by_text("请以下单位于")).to_contain_text("区水利局")
    office.screenshot(path=str(ARTIFACTS / "round_2_office_review.png"), full_page=True)
    office.get_by_role("button", name="通过全部无提示的报送").click()
    expect(office.get_by_text("已审核")).to_be_visible(timeout=20000)
    office.get_by_role("button", name="发布为2023年7月通报…").click()
    expect(office.get_by_text("确认发布2023年7月通报？")).to_be_visible(timeout=20000)
    office.get_by_role("button", name="确认发布").click()
    expect(office.get_by_text("已发布2023年7月通报")).to_be_visible(timeout=30000)
    office.goto(f"{url}/item?item=E&month=2023-07")
    office.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(office.locator("h1").first).to_contain_text("2023年7月通报")
    expect(office.get_by_text("● 绿灯").first).to_be_visible()
    office.screenshot(path=str(ARTIFACTS / "round_3_item_green.png"), full_page=True)
    office.goto(f"{url}/audit")
    office.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(office.locator('[data-testid="stDataFrame"]').first).to_contain_text("发布月报送")
    office.screenshot(path=str(ARTIFACTS / "round_4_audit.png"), full_page=True)
    office.context.close()


FULL_HD = {"width": 1920, "height": 1080}


def _sheet(pg, tmp_path, name: str, fill) -> Path:
    """The unit's report sheet downloaded from its page, filled by `fill(row)` for each row, saved."""
    from openpyxl import load_workbook

    expander = pg.get_by_text("下载本单位报送表（Excel）").first
    expander.click()
    with pg.expect_download() as got:
        pg.get_by_role("button", name="下载本单位报送表（Excel）").click()
    path = tmp_path / name
    got.value.save_as(path)
    wb = load_workbook(path)
    for row in wb.active.iter_rows(min_row=3):
        if row[1].value:
            fill(row)
    wb.save(path)
    return path


def _upload_and_submit(pg, path: Path) -> None:
    pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    expect(pg.get_by_text("已读入")).to_be_visible(timeout=20000)
    _ready(pg)
    pg.get_by_role("button", name="提交").click()
    expect(pg.get_by_text("已提交，等待区河长办审核").first).to_be_visible(timeout=20000)


def test_the_round_walked_by_the_office_and_two_townships(browser, round_server, tmp_path):
    """甲镇 and 乙街道 report, the office returns one, 乙街道 corrects it, the office publishes — in Chromium at
    1920×1080, every step's screen saved (tests/artifacts/walk_*.png)."""
    url, root = round_server
    account(root, "yijie", "unit", "T2", name="乙街道")

    jia = browser.new_context(viewport=FULL_HD, locale="zh-CN").new_page()
    login(jia, url, "jiazhen")  # a township's first page: its task in the round
    expect(jia.get_by_text("2023年7月报送进行中 · 截止2027年8月5日")).to_be_visible()
    expect(jia.get_by_text("本单位应报3项：未填3项")).to_be_visible()
    jia.screenshot(path=str(ARTIFACTS / "walk_1_township_lands_on_its_task.png"))
    jia.get_by_role("button", name="去填报").click()
    expect(jia.locator("h1").first).to_contain_text("本单位月报", timeout=30000)
    _ready(jia)
    jia.get_by_role("button", name="提交").click()  # the pre-filled form sent untouched
    expect(jia.get_by_text("与上月相同，尚未填写本月进展")).to_be_visible(timeout=20000)
    jia.screenshot(path=str(ARTIFACTS / "walk_2_untouched_form_refused.png"))

    def jia_fills(row):  # E done; A unchanged, confirmed 本月无进展; the problem a little further
        if row[1].value == "E":
            row[7].value, row[8].value, row[11].value = 100, dt.date(2023, 7, 20), "已完工验收"
        elif row[1].value == "A":
            row[12].value = "是"
        else:
            row[7].value = min(99, (row[7].value or row[5].value) + 10)
    _upload_and_submit(jia, _sheet(jia, tmp_path, "甲镇.xlsx", jia_fills))
    jia.wait_for_timeout(3000)  # the message stays through the page's own reruns
    expect(jia.get_by_text("已提交，等待区河长办审核").first).to_be_visible()
    expect(jia.get_by_text("已提交或已通过（3项，不能修改）")).to_be_visible()
    jia.context.close()

    yi = browser.new_context(viewport=FULL_HD, locale="zh-CN").new_page()
    login(yi, url, "yijie", "report")
    _upload_and_submit(yi, _sheet(yi, tmp_path, "乙街道.xlsx", lambda row: setattr(row[7], "value", 60)))

    office = browser.new_context(viewport=FULL_HD, locale="zh-CN").new_page()
    login(office, url, "hzb", "rounds")
    expect(office.locator('[data-testid="stMetricValue"]').first).to_have_text("66.7%")
    grid = office.locator('[data-testid="stDataFrame"]').nth(1)
    expect(grid).to_contain_text("单位确认本月无进展")  # A, said whole in the 提示 column
    office.screenshot(path=str(ARTIFACTS / "walk_3_office_reviews.png"))
    # The grid is drawn on a canvas that Chromium cannot be driven through reliably: the office's two decisions
    # (A accepted as 本月无进展, 乙街道's D returned with a reason) are made as the page makes them, on the
    # versions the page showed; the page then shows them.
    from riverchief.access import OFFICE, Principal
    from riverchief.office import rounds

    os.environ["RIVERBOARD_DB_URL"] = f"sqlite:///{(root / 'office.sqlite').resolve()}"
    try:
        rnd = rounds.open_round_now()
        for e in rounds.entries(rnd["id"]).to_dict("records"):
            if e["ref_id"] in ("A", "D"):
                rounds.review(Principal("hzb", "区河长办", OFFICE), int(e["id"]), int(e["row_version"]), e["ref_id"] == "A",
                              "进度与现场不符，请核实", about=e["unit_id"])
    finally:
        del os.environ["RIVERBOARD_DB_URL"]
    office.reload()
    _ready(office)
    expect(office.locator('[data-testid="stMetricValue"]').nth(3)).to_have_text("1 个")  # 被退回
    office.screenshot(path=str(ARTIFACTS / "walk_4_office_decided.png"))
    office.get_by_role("button", name="通过全部无提示的报送（2）").click()
    expect(office.get_by_text("已审核 2 条")).to_be_visible(timeout=20000)

    yi.goto(url)  # 乙街道 sees what came back, by title, with the reason
    _ready(yi)
    expect(yi.get_by_text("被退回1项，请修改后重新提交")).to_be_visible()
    expect(yi.get_by_text("进度与现场不符，请核实").first).to_be_visible()
    yi.get_by_role("button", name="去填报").click()
    expect(yi.locator("h1").first).to_contain_text("本单位月报", timeout=30000)
    _ready(yi)
    yi.screenshot(path=str(ARTIFACTS / "walk_5_township_sees_the_return.png"))
    _upload_and_submit(yi, _sheet(yi, tmp_path, "乙街道2.xlsx", lambda row: setattr(row[7], "value", 55)))
    yi.context.close()

    office.reload()
    _ready(office)
    office.get_by_role("button", name="通过全部无提示的报送（1）").click()
    expect(office.get_by_text("已审核 1 条")).to_be_visible(timeout=20000)
    office.get_by_role("button", name="发布为2023年7月通报…").click()
    expect(office.get_by_text("确认发布2023年7月通报？")).to_be_visible(timeout=20000)
    expect(office.get_by_text("区水利局").last).to_be_visible()  # who did not report, named before publishing
    office.get_by_role("button", name="确认发布").scroll_into_view_if_needed()
    office.screenshot(path=str(ARTIFACTS / "walk_6_publish_asks_first.png"))
    office.get_by_role("button", name="确认发布").click()
    expect(office.get_by_text("已发布2023年7月通报")).to_be_visible(timeout=30000)
    office.get_by_role("link", name="三色看板").first.click()
    expect(office.locator("h1").first).to_contain_text("三色看板 · 2023年7月通报", timeout=30000)
    office.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30000)
    office.screenshot(path=str(ARTIFACTS / "walk_7_board_opens_the_new_month.png"))
    office.context.close()


def test_real_data_asks_for_a_login_before_any_page_and_slows_down_guessing(page, round_server):
    from riverchief.office import audit, throttle

    url, root = round_server
    for path in ("", "data", "score", "map", "accounts"):
        page.goto(f"{url}/{path}")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
        expect(page.locator("h1").first).to_have_text("河长看板 · 登录")
        expect(page.locator('[data-testid="stDataFrame"], [data-testid="stMetric"], [data-testid="stPlotlyChart"]'))\
            .to_have_count(0)
    # after the free tries each failure sets a wait of 1, 2, 4, 8, 16 … s: a try falls in one once the waits
    # outgrow the time a try takes (a few tries on a quiet machine, more on a busy one; never more than ten)
    for _ in range(throttle.FREE["pair"] + 12):
        page.get_by_label("账号").fill("hzb")
        page.get_by_label("密码").fill("wrong-password-1")
        _rerun(page, page.get_by_role("button", name="登录").click)
        said = page.get_by_text("登录尝试过于频繁")
        if said.count() and int(re.search(r"请(\d+)秒", said.first.inner_text())[1]) >= 10:
            break  # a wait long enough for the right password, tried next, to fall in it too
    expect(page.get_by_text("登录尝试过于频繁")).to_be_visible(timeout=10000)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("登录尝试过于频繁")).to_be_visible(timeout=10000)  # this browser waits; no account is locked
    expect(page.locator("h1").first).to_have_text("河长看板 · 登录")
    log = audit.log(f"sqlite:///{(root / 'office.sqlite').resolve()}")
    assert "来自 127.0.0.1" in log["detail"].iloc[0]  # the browser's address, as the server saw it


def test_the_session_cookie_is_the_server_s_and_no_page_script_reads_it(page, round_server):
    url, _ = round_server
    login(page, url, "hzb", "audit")
    page.wait_for_timeout(500)
    cookie = [c for c in page.context.cookies() if c["name"] == "riverboard_session"]
    assert len(cookie) == 1 and cookie[0]["httpOnly"] and cookie[0]["sameSite"] == "Strict"
    assert cookie[0]["expires"] == -1  # a browser-session cookie; the server ends an idle session
    assert "riverboard_session" not in page.evaluate("document.cookie")
    page.reload()  # signed in by the cookie alone
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(page.locator("h1").first).to_contain_text("操作记录")
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("h1").first).to_have_text("河长看板 · 登录", timeout=20000)
    page.wait_for_timeout(500)
    assert not [c for c in page.context.cookies() if c["name"] == "riverboard_session"]


def test_an_error_outside_a_page_is_a_chinese_sentence_not_streamlit_s_box(page, round_server):
    """The login gate itself failing (here: a session row the store cannot read) shows the app's sentence with an
    error id (server.py's on_script_error), never Streamlit's English crash box."""
    import sqlalchemy as sa

    from riverchief.access import OFFICE, Principal
    from riverchief.office import accounts

    url, root = round_server
    db = f"sqlite:///{(root / 'office.sqlite').resolve()}"
    token = accounts.start_session(Principal("hzb", "区河长办", OFFICE), url=db)
    engine = sa.create_engine(db)
    with engine.begin() as c:
        c.execute(sa.text("UPDATE login_sessions SET last_seen = 12345"))
    engine.dispose()
    page.context.add_cookies([{"name": "riverboard_session", "value": token, "url": url}])
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(page.get_by_text("错误编号")).to_be_visible(timeout=20000)
    expect(page.get_by_text("This app has encountered an error")).to_have_count(0)


def _intranet_address() -> str | None:
    """This machine's address on its network (not loopback), as an office's intranet would reach it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_the_demo_served_on_an_intranet_address_asks_for_a_login(page, demo_dir):
    address = _intranet_address()
    assert address, "this machine has no network address besides loopback"
    with serve(demo_dir, "streamlit-intranet.log", address=address) as url:
        page.goto(f"{url}/score")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
        expect(page.locator("h1").first).to_have_text("河长看板 · 登录")
        expect(page.locator('[data-testid="stDataFrame"], [data-testid="stMetric"], [data-testid="stPlotlyChart"]'))\
            .to_have_count(0)
        expect(page.get_by_text("访客")).to_have_count(0)


def test_an_analyst_is_refused_the_office_pages_and_logs_out(page, round_server):
    url, root = round_server
    login(page, url, "fx", "data")
    expect(page.locator("h1").first).to_contain_text("三色看板")  # /data is not an analyst's page
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav).to_contain_text("考核评分")
    for office_only in ("数据管理", "月报送", "账号管理", "操作记录"):
        expect(nav.get_by_text(office_only, exact=True)).to_have_count(0)
    page.goto(f"{url}/item?item=B&month=2023-06")
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(page.locator("h1").first).to_contain_text("事项详情")
    expect(page.get_by_text("人工认定灯色（河长办）")).to_have_count(0)  # no override form for an analyst
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("h1").first).to_have_text("河长看板 · 登录", timeout=20000)
    page.goto(url)  # the cookie is gone with the session: a reload asks again
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    expect(page.locator("h1").first).to_have_text("河长看板 · 登录")


def test_the_warning_and_the_water_outlook_render(page, server, demo_dir):
    """Mid-year: the board's 下期预警 table, its track record in the 口径说明, and the water page's 达标形势."""
    open_app(page, f"{server}/?month=2024-07")
    heading = page.get_by_role("heading", name="下期预警").first
    expect(heading).to_contain_text("预计2024年8月通报新增红灯")
    heading.scroll_into_view_if_needed()
    grid = page.locator('[data-testid="stDataFrame"]').filter(has_text="预警依据")
    expect(grid).to_have_count(1)
    expect(grid).to_contain_text("届时将逾期")
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "warning_board.png"), full_page=False)
    page.get_by_text("口径说明").last.click()
    expect(page.get_by_text("预警回测").first).to_be_visible()
    open_app(page, f"{server}/water?month=2024-07")
    outlook = page.locator('[data-testid="stDataFrame"]').filter(has_text="达标形势")
    expect(outlook).to_have_count(1)
    expect(outlook).to_contain_text("剩余5个月均值需≤")
    page.get_by_role("heading", name="达标形势").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "water_outlook.png"), full_page=False)
