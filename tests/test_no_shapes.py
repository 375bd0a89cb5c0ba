"""Every page works when the district has no shapes: the outline, townships and rivers imported from Excel
only (geometry columns empty), or only some of them drawn."""
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, signed_in
from riverchief import geo, publishing, versions
from riverchief.db import Database

APP = str(ROOT / "app.py")
PAGES = ("light_board", "meeting", "item", "progress", "water", "river_map", "score", "data_admin")


def _version(root, demo_dir, keep) -> None:
    """The demo's tables with each shape kept where keep(table, position) says so."""
    tables = versions.read_tables(versions.current_version(demo_dir), carry=())
    for name in ("district", "townships", "rivers"):
        frame = tables[name].copy()
        frame["geom_wkt"] = [w if keep(name, i) else None for i, w in enumerate(frame["geom_wkt"])]
        if not any(keep(name, i) for i in range(len(frame))):
            frame["geom_wkt"] = pd.Series([float("nan")] * len(frame), dtype="float64")  # as a column of nothing reads
        tables[name] = frame
    publishing.publish(root, tables, source="测试", created_by="tests")


CASES = {
    "none": lambda table, i: False,
    "no_outline": lambda table, i: table != "district",
    "some": lambda table, i: i % 2 == 0 and table != "district",
    "outline_only": lambda table, i: table == "district",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_map_data_leaves_out_what_has_no_shape(tmp_path, demo_dir, case):
    _version(tmp_path, demo_dir, CASES[case])
    version = versions.current_version(tmp_path)
    data = geo.load_map(Database(version), version.notices[-1])
    assert data.rivers["geometry"].notna().all() and data.areas["geometry"].notna().all()
    rivers = versions.read_tables(version)["rivers"]
    assert len(data.rivers) + len(data.unshaped["river"]) == len(rivers)
    if case == "none":
        assert data.rivers.empty and data.areas.empty and data.bounds is not None  # sections still place it
    else:
        assert data.bounds is not None and all(pd.notna(b) for b in data.bounds)


@pytest.mark.parametrize("case", ["none", "some"])
def test_every_page_opens_without_shapes(monkeypatch, tmp_path, demo_dir, case):
    _version(tmp_path, demo_dir, CASES[case])
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tmp_path))
    for name in PAGES:
        at = signed_in(AppTest.from_file(APP, default_timeout=60)).run()
        at.switch_page(f"app_pages/{name}.py").run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert not at.error, (name, [e.value for e in at.error])
