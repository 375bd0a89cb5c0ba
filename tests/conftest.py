import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from riverchief import store  # noqa: E402
from tiny import tiny_tables  # noqa: E402

# Pages raise instead of showing the error id, so AppTest and the browser tests see any failure itself.
os.environ.setdefault("RIVERBOARD_STRICT", "1")


@pytest.fixture
def tiny_dir(tmp_path):
    """A data folder holding the tiny district, published through the real store."""
    store.publish(tmp_path, tiny_tables(), source="测试", created_by="tests")
    return tmp_path


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    """A data folder holding the demo district (built once per test run)."""
    from loaders.demo import build_demo

    root = tmp_path_factory.mktemp("demo")
    build_demo(root)
    return root


SAMPLES = ROOT.parent / "shared" / "samples" / "make_office_files.py"


@pytest.fixture(scope="session")
def office_files(tmp_path_factory) -> Path:
    """A fictional district's files as an office keeps them, written by the shared generator (never committed)."""
    if not SAMPLES.exists():
        pytest.skip("../shared/samples is not beside this checkout")
    out = tmp_path_factory.mktemp("qingchuan")
    subprocess.run([sys.executable, str(SAMPLES), str(out)], check=True, capture_output=True)
    return out
