"""The benchmark keeps working (its figures are read by hand: docs/deploy.md, `make bench`); no time asserted."""
import subprocess
import sys

from conftest import ROOT


def test_the_scaled_benchmark_runs_and_keeps_its_data_folder(tmp_path):
    out = subprocess.run([sys.executable, "scripts/bench.py", "--scale", "1x", "--keep", str(tmp_path / "1x")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith("1x: 28 townships, 70 rivers, 34 sections")
    assert lines[1].startswith("1x pages (first / warm rerun): light_board ") and "river_map" in lines[1]
    assert (tmp_path / "1x" / "CURRENT").exists()  # served with RIVERBOARD_DATA_DIR=… make run


def test_replicating_keeps_every_reference_whole():
    sys.path.insert(0, str(ROOT / "scripts"))
    from loaders.demo import build_tables
    from scale import replicate

    one = build_tables()
    three = replicate(one, 3)
    assert len(three["items"]) == 3 * len(one["items"]) and len(three["district"]) == 1
    units, rivers = set(three["units"]["unit_id"]), set(three["rivers"]["river_id"])
    assert set(three["items"]["unit_id"]) <= units and set(three["items"]["river_id"].dropna()) <= rivers
    assert set(three["readings"]["section_id"]) == set(three["sections"]["section_id"])
    assert three["townships"]["name"].is_unique and three["sections"]["section_id"].is_unique
