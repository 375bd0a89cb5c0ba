"""Server memory while offices upload, by hand: a real `streamlit run` on a fresh district, a readings CSV
of about 46 MB uploaded through headless Chromium by one browser, then by three at once; prints the
server's peak resident memory (VmHWM) and how long until each preview appeared. Asserts nothing.

    .venv/bin/python scripts/bench_upload.py [--mb 46]
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench_import import district, readings_csv

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def vm(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) // 1024
    return 0


def upload(url: str, path: Path, timings: list) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.goto(f"{url}/data")
        page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached", timeout=60000)
        t = time.perf_counter()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        page.get_by_text("检查通过，发布后将发生以下变化").wait_for(timeout=600000)
        timings.append(time.perf_counter() - t)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=46)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="riverboard-upload-"))
    root = work / "data"
    district(root)
    csv = work / "readings.csv"
    csv.write_bytes(readings_csv(args.mb))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                               "--server.address", "127.0.0.1", "--server.maxUploadSize", "60"], cwd=ROOT,
                              env=os.environ | {"RIVERBOARD_DATA_DIR": str(root)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        print(f"file {csv.stat().st_size / 1024 / 1024:.1f} MB; server at rest {vm(server.pid, 'VmRSS')} MB")
        for n in (1, 3):
            timings: list = []
            threads = [threading.Thread(target=upload, args=(url, csv, timings)) for _ in range(n)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            print(f"{n} upload(s) at once: previews after {', '.join(f'{t:.1f}' for t in sorted(timings))} s; "
                  f"server peak so far {vm(server.pid, 'VmHWM')} MB, now {vm(server.pid, 'VmRSS')} MB")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
