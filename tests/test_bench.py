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
    assert lines[1].startswith("1x pages (first / warm rerun / after a filter change")
    pages = [line.split()[0] for line in lines[2:9]]
    assert pages == ["light_board", "progress", "water", "river_map", "score", "item", "meeting"]
    assert any(line.startswith("1x cold start") and "peak RSS" in line for line in lines)
    assert any(line.startswith("publish of one month (4,911 item rows, 10,212 readings linked)") for line in lines)
    version = (tmp_path / "1x" / "CURRENT").read_text().strip()  # served with RIVERBOARD_DATA_DIR=… make run,
    assert "bench 1x" in (tmp_path / "1x" / "versions" / version / "manifest.json").read_text()  # as built


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


def test_a_province_has_readings_every_four_hours_that_keep_each_rivers_story():
    sys.path.insert(0, str(ROOT / "scripts"))
    from loaders.demo import build_tables
    from scale import province

    one = build_tables()
    two = province(one, districts=2, item_copies=2, years=(2024, 2024))
    assert len(two["sections"]) == 68 and len(two["items"]) == 2 * 2 * len(one["items"])
    assert two["items"]["item_id"].is_unique or two["items"][["item_id", "notice_date"]].duplicated().sum() == 0
    samples = one["readings"][one["readings"]["method"] == "手工"]  # the demo's own stations are replaced
    auto = two["readings"].iloc[2 * len(samples):]  # after the manual readings of both districts
    assert len(auto) == 68 * 366 * 6 and (auto["sampled_at"].dt.hour % 4 == 2).all()  # every 4 hours of 2024
    assert set(auto["method"]) == {"自动"} and set(two["readings"].iloc[:2 * len(samples)]["method"]) == {"手工"}
    manual = samples[samples["sampled_at"].dt.year == 2024].groupby("section_id")["tp"].mean()
    automatic = auto[~auto["section_id"].str.startswith("X")].groupby("section_id")["tp"].mean()
    assert ((automatic / manual).between(0.85, 1.25)).all()  # the same river, measured more often
