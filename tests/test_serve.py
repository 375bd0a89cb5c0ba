"""`make serve`: several app processes behind nginx, and the load script that measures them (a small run:
it must keep working; no time is asserted — the figures are in docs/deploy.md, run by hand)."""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from test_browser import _free_port, browser  # noqa: F401 (the browser fixture)

pytestmark = pytest.mark.browser


def _cpu_of(port: int) -> float:
    """CPU seconds of the streamlit process listening on `port` (found by its command line)."""
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and f"--server.port\x00{port}\x00".encode() in (proc / "cmdline").read_bytes():
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    raise AssertionError(f"no app process on port {port}")


def test_two_processes_behind_nginx_share_the_load(demo_dir):
    assert Path("/usr/sbin/nginx").exists(), "nginx is missing: run `make test` (it installs nginx-light)"
    port, first = _free_port(), _free_port()
    while first + 1 == port:
        first = _free_port()
    env = os.environ | {"RIVERBOARD_DATA_DIR": str(demo_dir), "PROCS": "2", "PORT": str(port),
                        "FIRST_BACKEND": str(first), "BIN": str(Path(sys.executable).parent)}
    proc = subprocess.Popen(["./scripts/serve.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    cookies = r.headers.get_all("Set-Cookie") or []
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.poll() else "slow"
                time.sleep(0.5)
        assert any(c.startswith("riverboard_route=") for c in cookies), cookies  # the sticky route a browser keeps
        try:  # Streamlit's metrics (sessions, durations) are not served through the door
            urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=5)
            raise AssertionError("/_stcore/metrics answered through nginx")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
        before = [_cpu_of(first), _cpu_of(first + 1)]
        out = subprocess.run([sys.executable, "scripts/load.py", "--url", url, "--clients", "8", "--runs", "2",
                              "--warmup", "0"], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        assert "8 clients × 2 runs" in out.stdout and "p95" in out.stdout and "server CPU" in out.stdout
        used = [_cpu_of(first) - before[0], _cpu_of(first + 1) - before[1]]
        assert min(used) > 0.2, used  # both processes ran boards: the sessions were spread over them
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(20)


def test_make_serve_over_https_with_the_office_s_certificate(tmp_path, browser):
    """TLS at nginx with a certificate (here self-signed): a browser on the intranet address signs in over
    HTTPS, its session cookie is Secure, HttpOnly and Strict, and the log names the browser's own address (the
    proxy's X-Real-IP, trusted only from loopback), not nginx's 127.0.0.1."""
    from test_browser import PASSWORD, _intranet_address, account, login

    from riverchief import publishing
    from riverchief.office import audit
    from tiny import tiny_tables

    address = _intranet_address()
    assert address, "this machine has no network address besides loopback"
    cert, key = tmp_path / "rb.crt", tmp_path / "rb.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=riverboard"], check=True, capture_output=True)
    root = tmp_path / "data"
    publishing.publish(root, tiny_tables(), source="测试", created_by="tests")
    account(root, "hzb", "office", name="区河长办")
    port, first = _free_port(), _free_port()
    while first + 1 == port:
        first = _free_port()
    env = os.environ | {"RIVERBOARD_DATA_DIR": str(root), "PROCS": "1", "PORT": str(port), "ADDRESS": address,
                        "FIRST_BACKEND": str(first), "BIN": str(Path(sys.executable).parent),
                        "TLS_CERT": str(cert), "TLS_KEY": str(key)}
    proc = subprocess.Popen(["./scripts/serve.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    url = f"https://{address}:{port}"
    try:
        deadline = time.monotonic() + 90
        while "processes behind nginx on https://" not in (line := proc.stdout.readline()):
            assert proc.poll() is None and time.monotonic() < deadline, line
        context = browser.new_context(ignore_https_errors=True, locale="zh-CN", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        for _ in range(60):  # nginx starts just after the line
            try:
                page.goto(url)
                break
            except Exception:
                time.sleep(0.5)
        login(page, url, "hzb")
        cookie = [c for c in context.cookies() if c["name"] == "riverboard_session"]
        assert cookie and cookie[0]["secure"] and cookie[0]["httpOnly"] and cookie[0]["sameSite"] == "Strict"
        log = audit.log(f"sqlite:///{(root / 'office.sqlite').resolve()}")
        assert f"来自 {address}" in log[log["action"] == "login"]["detail"].iloc[0]
        context.close()
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(20)
