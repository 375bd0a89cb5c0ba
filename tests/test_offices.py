"""Two districts' files written by someone who never read the import code (tests/offices/): each goes in from
nothing through the command line with no file edited and no choice asked, every stored value equal to the
set's own expected values, re-importing says 无变化, and every page opens on it."""
import datetime as dt
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, signed_in
from riverchief import publishing, versions

OFFICES = {"linjiang": "临江区", "songxi": "松溪县"}
PAGES = ("light_board", "meeting", "progress", "water", "river_map", "score", "data_admin")


@pytest.fixture(scope="module", params=sorted(OFFICES))
def office(request, tmp_path_factory):
    """The office's files imported into a new district through the command line, as an office would."""
    name = request.param
    folder = tmp_path_factory.mktemp(name)
    files, expected, root = folder / "files", folder / "expected.json", folder / "data"
    subprocess.run([sys.executable, str(ROOT / "tests" / "offices" / f"{name}.py"), str(files), str(expected)],
                   check=True, capture_output=True)
    env = {**os.environ, "RIVERBOARD_DATA_DIR": str(root)}
    cli = lambda *a: subprocess.run([sys.executable, "-m", "loaders", *a], cwd=ROOT, env=env,  # noqa: E731
                                    capture_output=True, text=True)
    assert cli("init", "--district", OFFICES[name]).returncode == 0
    out = cli("import", str(files))
    assert out.returncode == 0, out.stdout + out.stderr  # everything in: nothing held back, nothing asked
    again = cli("import", str(files))
    assert again.returncode == 0 and "无变化" in again.stdout, again.stdout + again.stderr
    return name, root, json.loads(expected.read_text(encoding="utf-8"))


def _mean(readings, factor: str) -> float:
    values = [v / 2 if b else v for v, b in zip(readings[factor], readings[f"{factor}_bdl"]) if v == v]
    return round(float(np.mean(values)), 4)


def test_every_value_is_the_office_s_own(office):
    name, root, expected = office
    t = versions.read_tables(versions.current_version(root), carry=())
    units, rivers = dict(zip(t["units"]["unit_id"], t["units"]["name"])), dict(zip(t["rivers"]["river_id"], t["rivers"]["name"]))
    lists = t["items"]["list"].value_counts().to_dict()
    c = expected["counts"]
    if name == "linjiang":
        assert (len(t["townships"]), len(t["units"]), len(t["rivers"]), len(t["sections"])) == \
            (c["townships"], c["units"], c["rivers"], c["sections"])
        assert lists == {"major": c["items_major_projects"], "task": c["items_one_river_one_policy"],
                         "problem": c["items_prominent_problems"]}
        assert (len(t["problems"]), len(t["readings"])) == (c["problems"], c["readings_rows"])
        means = expected["mean_2024_mg_per_l"]["TP"], expected["mean_2024_mg_per_l"]["NH3-N"]
        samples = expected["items"]
    else:
        assert (len(t["townships"]), len(t["units"]), len(t["rivers"]), len(t["sections"])) == \
            (c["townships"], c["units_total_incl_townships"], c["rivers"], c["sections"])
        active = {k: v["active"] for k, v in c["items"].items()}
        assert lists == {"problem": active["问题清单"], "task": active["任务清单"] + active["责任清单"]}
        assert (len(t["problems"]), len(t["readings"])) == (c["problems_12345"]["active"], c["readings_rows"])
        assert t["townships"]["geom_wkt"].notna().sum() == c["township_polygons"]
        assert t["rivers"]["geom_wkt"].notna().sum() == c["river_lines_kml"]
        means = expected["mean_2025"]["TP_mg_L"], expected["mean_2025"]["NH3N_mg_L"]
        samples = expected["sample_items"]
    assert (_mean(t["readings"], "tp"), _mean(t["readings"], "nh3n")) == means
    for s in samples:
        rows = t["items"][t["items"]["title"] == s["title"]]
        if "river" in s:  # a duty of every river (河道日常保洁) is one row per river
            rows = rows[rows["river_id"].map(rivers) == s["river"]]
        assert len(rows) == 1, s
        row = rows.iloc[0]
        deadline = row["deadline"].isoformat() if isinstance(row["deadline"], dt.date) else None
        got = (units[row["unit_id"]], row["start_date"].isoformat(), deadline)
        assert got == (s["unit"], s["start"], s["deadline"] if s["deadline"] and s["deadline"][:1].isdigit() else None), s
        if isinstance(s["progress"], (int, float)):
            assert round(float(row["progress"]), 3) == round(s["progress"], 3), s
        if "river" in s:
            assert rivers[row["river_id"]] == s["river"], s
        named = [u for u in s.get("co_units", []) if u in units.values()]  # 各乡镇 names no one unit
        co = row["co_unit_ids"] if isinstance(row["co_unit_ids"], str) else ""
        assert [units[u] for u in co.split("、") if u] == named, s


def test_every_page_opens_on_the_office_s_district(office, monkeypatch):
    _, root, _ = office
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(root))
    for page in PAGES:
        at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])


@pytest.mark.parametrize("name", sorted(OFFICES))
def test_the_office_s_files_go_in_through_the_page(name, tmp_path, monkeypatch):
    """The same files uploaded on 数据管理 into a new district: checked, nothing held back, published."""
    files, expected, root = tmp_path / "files", tmp_path / "expected.json", tmp_path / "data"
    subprocess.run([sys.executable, str(ROOT / "tests" / "offices" / f"{name}.py"), str(files), str(expected)],
                   check=True, capture_output=True)
    publishing.init_district(root, OFFICES[name])
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(root))
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)).run()
    at.switch_page("app_pages/data_admin.py").run()
    at.file_uploader(key="uploads").set_value([(p.name, p.read_bytes(), "application/octet-stream")
                                               for p in sorted(files.iterdir())]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("检查通过") for s in at.success), [e.value for e in at.error + at.warning]
    next(b for b in at.button if b.label == "确认发布").click().run()
    assert not at.exception, [e.value for e in at.exception]
    version = versions.current_version(root)
    assert "导入" in version.manifest["source"] and len(versions.read_tables(version)["rivers"]) == \
        json.loads(expected.read_text(encoding="utf-8"))["counts"]["rivers"]
