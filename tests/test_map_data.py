"""The map's data (tiny district) and its pieces that need no browser: colours, escaping, tiles, zoom."""

import pandas as pd
import pytest
import shapely

from riverchief import publishing, versions
from riverchief.db import Database
from riverchief.geo import load_map, simplified, to_gcj02
from ui import leaflet_map
from riverchief.settings import TileConfigError, tiles_from_env
from tiny import N2, tiny_tables


@pytest.fixture
def geo(tiny_dir):
    return load_map(Database(versions.current_version(tiny_dir)), N2)


def test_rivers_carry_classes_and_lights(geo):
    rivers = geo.rivers.set_index("river_id")
    assert rivers.loc["R1", "worst_class"] == 3 and rivers.loc["R1", "mean_class"] == 3
    assert rivers.loc["R1", "worst_light"] == "red" and rivers.loc["R1", "red"] == 2  # items A and E
    assert rivers.loc["R2", "worst_light"] == "red"  # item D
    assert geo.problems["problem_id"].tolist() == ["P1"]
    assert len(geo.sections) == 2


def test_river_colour_under_each_colouring(geo):
    r1 = next(geo.rivers[geo.rivers["river_id"] == "R1"].itertuples())
    r2 = next(geo.rivers[geo.rivers["river_id"] == "R2"].itertuples())
    assert leaflet_map._river_style(r1, "water_worst") == ("#2E7D32", "Ⅲ类")
    assert leaflet_map._river_style(r2, "water_worst") == (leaflet_map.GREY, "无数据")  # the reservoir has no June sample
    colour, words = leaflet_map._river_style(r1, "lights")
    assert colour == "#D93025" and words.startswith("红灯（红灯2项")


def test_simplification_keeps_shape_and_drops_vertices():
    wiggle = shapely.LineString([(x / 1000, 0.00005 * ((-1) ** x)) for x in range(1001)])
    (simple,) = simplified(pd.Series([wiggle.wkt]))
    assert len(simple.coords) < 10 and simple.hausdorff_distance(wiggle) < 0.0003


def test_gcj02_shift_is_a_few_hundred_metres_in_china():
    p = to_gcj02(shapely.Point(106.05, 29.85))
    shift_m = ((p.x - 106.05) * 96_500) ** 2 + ((p.y - 29.85) * 110_600) ** 2
    assert 200 < shift_m ** 0.5 < 800


def test_map_html_escapes_data_and_uses_local_assets_only(tiny_dir):
    tables = tiny_tables()
    tables["problems"].loc[0, "title"] = "<img src=x onerror=alert(1)>"
    tables["rivers"].loc[0, "name"] = "<script>alert(2)</script>河"
    publishing.publish(tiny_dir, tables, source="测试", created_by="tests")
    geo = load_map(Database(versions.current_version(tiny_dir)), N2)
    html = leaflet_map.build_map(geo, "water_worst", None, {}).get_root().render()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(2)" not in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    for host in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg", "openstreetmap"):
        assert host not in html


@pytest.mark.parametrize("env,expected", [
    ({}, None), ({"RIVERBOARD_TILES": "none"}, None),
    ({"RIVERBOARD_TILES": "gaode"}, "gcj02"),
    ({"RIVERBOARD_TILES": "tianditu", "RIVERBOARD_TIANDITU_KEY": "abc"}, "tk=abc"),
    ({"RIVERBOARD_TILES": "http://10.0.0.5/tiles/{z}/{x}/{y}.png"}, "http://10.0.0.5/tiles/{z}/{x}/{y}.png"),
])
def test_tile_configuration(env, expected):
    tiles = tiles_from_env(env)
    if expected is None:
        assert tiles is None
    elif expected == "gcj02":
        assert tiles.gcj02
    else:
        assert expected in tiles.url and not tiles.gcj02


@pytest.mark.parametrize("env", [{"RIVERBOARD_TILES": "tianditu"}, {"RIVERBOARD_TILES": "bing"}])
def test_bad_tile_configuration_is_refused_in_chinese(env):
    with pytest.raises(TileConfigError, match="RIVERBOARD"):
        tiles_from_env(env)


def test_zoom_fits_the_bounds():
    assert leaflet_map._zoom_to_fit((105.75, 29.6, 106.35, 30.1), (1100, 680)) == pytest.approx(10.25, abs=0.5)
    assert leaflet_map._zoom_to_fit((0, 0, 0.01, 0.01), (1100, 680)) > leaflet_map._zoom_to_fit((0, 0, 1, 1), (1100, 680))
