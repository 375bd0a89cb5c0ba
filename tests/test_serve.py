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
from test_browser import _free_port

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
