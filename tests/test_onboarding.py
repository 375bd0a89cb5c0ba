"""A real office brings its own district in from nothing: the sample district's files as offices keep
them (../shared/samples/make_office_files.py), from an empty data folder, with no hand edits; then every
page on it, and re-importing any file changes nothing."""
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from streamlit.testing.v1 import AppTest

from conftest import ROOT, signed_in, xlsx_of
from loaders import convert, mappings
from loaders.importer import expand, prepare, publish
from riverchief import access, publishing, versions
from riverchief.db import Database

APP = str(ROOT / "app.py")
PAGES = ["light_board", "meeting", "item", "progress", "water", "river_map", "score", "data_admin"]


def cli(data_dir, *args):
    return subprocess.run([sys.executable, "-m", "loaders", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          env=os.environ | {"RIVERBOARD_DATA_DIR": str(data_dir)})


def expected(files: Path) -> dict:
    text = (files / "expected.txt").read_text(encoding="utf-8")
    means = {(m[1], int(m[2])): (int(m[3]), float(m[4]), float(m[5])) for m in
             re.finditer(r"^\s+(\S+) (\d{4}): months (\d+), mean TP ([\d.]+), mean NH3-N ([\d.]+)", text, re.M)}
    head = dict(re.findall(r"(townships/streets|departments|rivers and reservoirs|sections): (\d+)", text))
    return {"townships": int(head["townships/streets"]), "departments": int(head["departments"]),
            "rivers": int(head["rivers and reservoirs"]), "sections": int(head["sections"]),
            "majors": int(re.search(r"major items: (\d+), planned funds (\d+)", text)[1]),
            "funds": float(re.search(r"planned funds (\d+)", text)[1]),
            "tasks": int(re.search(r"one-river-one-policy tasks: (\d+)", text)[1]),
            "problems": int(re.search(r"prominent problems: (\d+), rectified (\d+)", text)[1]),
            "rectified": int(re.search(r"rectified (\d+)", text)[1]),
            "readings": int(re.search(r"water readings: (\d+)", text)[1]), "means": means}


@pytest.fixture(scope="session")
def district(office_files, tmp_path_factory) -> Path:
    """An empty data folder → init → one import of the whole folder, from the command line."""
    root = tmp_path_factory.mktemp("district")
    out = cli(root, "init", "--district", "青川区", "--code", "500199")
    assert out.returncode == 0, out.stderr
    out = cli(root, "import", office_files, "--by", "河长办")
    assert out.returncode == 0, out.stdout + out.stderr
    return root


def test_init_starts_an_empty_real_district(tmp_path):
    version = publishing.init_district(tmp_path, "青川区", "500199", "河长办")
    assert not version.is_demo and version.manifest["district"] == "青川区" and version.notices == []
    assert all(n == 0 for t, n in version.manifest["rows"].items() if t != "district")
    with pytest.raises(versions.StoreError, match="已在使用本区数据"):
        publishing.init_district(tmp_path, "别的区")
    with pytest.raises(versions.StoreError, match="6位数字"):
        publishing.init_district(tmp_path / "x", "青川区", "12ab")


def test_the_sample_district_goes_in_whole(district, office_files):
    want = expected(office_files)
    version = versions.current_version(district)
    db = Database(version)
    assert not version.is_demo and version.manifest["district"] == "青川区"
    count = lambda sql: int(db.execute(sql).iloc[0, 0])  # noqa: E731
    assert count("SELECT count(*) FROM townships") == want["townships"]
    assert count("SELECT count(*) FROM units WHERE kind = '部门'") == want["departments"]
    assert count("SELECT count(*) FROM units WHERE kind = '镇街'") == want["townships"]  # townships are units too
    assert count("SELECT count(*) FROM rivers") == want["rivers"]
    assert count("SELECT count(*) FROM sections") == want["sections"]
    assert count("SELECT count(*) FROM items WHERE list = 'major'") == want["majors"]
    assert db.execute("SELECT sum(funds_plan_wan) FROM items WHERE list = 'major'").iloc[0, 0] == want["funds"]
    assert count("SELECT count(*) FROM items WHERE list = 'task'") == want["tasks"]  # 小计/总计/说明 are not tasks
    assert count("SELECT count(*) FROM items WHERE list = 'problem'") == want["problems"]
    assert count("SELECT count(*) FROM items WHERE list = 'problem' AND done_date IS NOT NULL") == want["rectified"]
    assert count("SELECT count(*) FROM readings") == want["readings"]
    assert version.notices == [dt.date(2024, 6, 30)]  # the month in the file name, the year in the title
    got = db.execute("SELECT s.name, year(r.sampled_at) AS y, count(*) AS n, "
                     "avg(CASE WHEN r.tp_bdl THEN NULL ELSE r.tp END) AS tp FROM readings r JOIN sections s USING (section_id) "
                     "GROUP BY ALL")
    for row in got.itertuples():
        months, tp, _ = want["means"][(row.name, row.y)]
        assert row.n == months
    # the 云台水库 is a reservoir: its section is judged by the lake TP limits
    assert db.execute("SELECT water_body FROM sections WHERE name = '云台水库库心'").iloc[0, 0] == "lake"
    # text stays as typed (全角括号, m³), the script tag is stored as text, empty cells stay empty
    titles = set(db.execute("SELECT title FROM items")["title"])
    assert "河道内堆放建筑弃渣约50m³" in titles and any(t.startswith("<script>") for t in titles)
    assert count("SELECT count(*) FROM items WHERE status = 'None' OR title = 'None'") == 0
    # several units in one cell: the first leads, the others are kept
    assert count("SELECT count(*) FROM items WHERE co_unit_ids IS NOT NULL") > 0
    # the township polygons, given in CGCS2000 zone 36 without a crs member, land where they belong
    bounds = db.execute("SELECT geom_wkt FROM townships")["geom_wkt"]
    import shapely

    minx, miny, maxx, maxy = shapely.total_bounds(shapely.from_wkt(bounds.to_numpy()))
    assert 106.94 < minx and maxx < 107.26 and 29.24 < miny and maxy < 29.50
    assert db.execute("SELECT geom_wkt FROM district").iloc[0, 0].startswith("POLYGON")


def test_reimporting_any_file_changes_nothing(district, office_files):
    before = versions.current_version(district).id
    out = cli(district, "import", office_files)
    assert out.returncode == 0 and "无变化" in out.stdout, out.stdout + out.stderr
    for path in sorted(office_files.iterdir()):
        if path.suffix in (".xlsx", ".geojson"):
            prepared = prepare([(path.name, path.read_bytes())], district)
            assert prepared.ok and prepared.unchanged, (path.name, [str(i) for i in prepared.issues])
    assert versions.current_version(district).id == before


def test_a_corrected_reading_replaces_the_old_one(district, office_files, tmp_path):
    path = office_files / "2024年地表水监测数据.xlsx"
    wb = load_workbook(path)
    ws = wb["3月"]
    headers = [c.value for c in ws[2]]
    tp_col = headers.index("总磷（mg/L）") + 1
    ws.cell(3, tp_col, 0.987)
    wb.save(tmp_path / path.name)
    prepared = prepare([(path.name, (tmp_path / path.name).read_bytes())], district)
    assert prepared.ok and prepared.changes[["added", "changed", "removed"]].values.tolist() == [[0, 1, 0]]
    assert "总磷" in prepared.details["change"].iloc[0] and "0.987" in prepared.details["change"].iloc[0]
    n = len(prepared.tables["readings"])
    assert n == expected(office_files)["readings"]  # replaced, not added


def test_every_page_opens_on_the_imported_district(monkeypatch, district):
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(district))
    for name in PAGES:
        at = signed_in(AppTest.from_file(APP, default_timeout=60)).run()
        at.switch_page(f"app_pages/{name}.py").run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert not any("示例数据" in str(b.proto) for b in at.get("badge")), name
        if name == "light_board":
            assert {m.label: m.value for m in at.metric}["事项总数"] == "51 项"
            assert at.title[0].value == "三色看板 · 2024年6月通报 · 全区"


def test_the_app_walks_a_new_office_from_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tmp_path))
    at = signed_in(AppTest.from_file(APP, default_timeout=60)).run()
    at.text_input[0].input("青川区")
    at.button[0].click().run()
    assert not at.exception
    version = versions.current_version(tmp_path)
    assert version.manifest["district"] == "青川区" and not version.is_demo
    assert version.manifest["created_by"] == "测试河长办"
    at = signed_in(AppTest.from_file(APP, default_timeout=60)).run()
    assert not at.exception and "还没有三张清单" in at.info[0].value
    assert at.title[0].value == "三色看板 · 尚无通报 · 青川区"
    at.switch_page("app_pages/data_admin.py").run()
    assert not at.exception and at.title[0].value.startswith("数据管理") and at.get("file_uploader")
    for role, unit in ((access.UNIT, "D1"), (access.LEADER, None)):  # 数据管理 is not theirs: no link to it
        other = signed_in(AppTest.from_file(APP, default_timeout=60), role, unit).run()
        assert not other.exception and "还没有导入三张清单" in other.info[0].value, [e.value for e in other.exception]


def test_demo_and_real_data_never_mix(tmp_path, office_files):
    from loaders.demo import build_demo

    build_demo(tmp_path)
    prepared = prepare([("河库名录.xlsx", (office_files / "河库名录.xlsx").read_bytes())], tmp_path)
    assert not prepared.ok and "示例数据" in prepared.issues[0].message
    demo = versions.current_version(tmp_path)
    real = publishing.init_district(tmp_path, "青川区")
    assert not real.is_demo and real.manifest["rows"]["items"] == 0
    publishing.rollback(tmp_path, demo.id, "张某")  # the demo can be brought back whole
    assert versions.current_version(tmp_path).is_demo


# -- other offices' habits --------------------------------------------------------------------------------


def test_another_offices_headers_and_a_gbk_csv_of_readings(small):
    csv = ("监测点位,采样日期,总磷(mg/l),氨氮（mg/L）,备注\n"
           "东河桥,2024/3/5,0.12,ND,\n东河桥,2024年4月6日,<0.02,0.41,复测\n").encode("gbk")
    prepared = prepare([("一季度水质.csv", csv)], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert prepared.changes["ignored"].tolist() == ["备注"]  # said, never dropped silently
    readings = prepared.tables["readings"]
    assert readings["tp"].tolist() == [0.12, 0.02] and readings["tp_bdl"].tolist() == [False, True]
    assert readings["nh3n_bdl"].tolist() == [True, False]


def test_excel_csv_and_maps_mix_in_one_import(small):
    csv = "断面,采样时间,总磷\n东河桥,2024-03-05,0.12\n".encode("utf-8")
    book = xlsx_of({"一河一策": [["2024年6月一河一策任务"], ["任务名称", "河流", "责任单位"], ["清淤（二期）", "东河", "区水务局"]]})
    prepared = prepare([("水质.csv", csv), ("清单.xlsx", book), ("坏.xlsx", b"PK\x03\x04broken")], small)
    assert [str(i) for i in prepared.issues] == ["坏.xlsx：不是有效的 Excel 文件，或文件已损坏（可用 Excel 打开后另存为 .xlsx 再试）"]
    prepared = prepare([("水质.csv", csv), ("清单.xlsx", book)], small)
    assert prepared.ok and sorted(prepared.changes["table"]) == ["三张清单", "水质监测"]
    assert prepared.tables["items"]["title"].tolist() == ["清淤（二期）"]  # stored as typed


def test_an_empty_factor_column_and_an_empty_row_are_errors(small):
    csv = "断面,日期,总磷（mg/L）,氨氮\n东河桥,2024-03-05,,0.3\n东河桥,2024-03-06,,\n".encode("utf-8")
    issues = [str(i) for i in prepare([("x.csv", csv)], small).issues]
    assert any("“总磷（mg/L）”列：这一列没有读到任何数值" in i for i in issues)
    assert any("第3行：该行没有任何监测值" in i for i in issues)


def test_sequence_numbers_never_collide_across_lists(small):
    head = ["序号", "任务名称", "河流", "责任单位", "完成时限", "进度"]
    book = xlsx_of({"一河一策": [["2024年一河一策任务清单（6月）"], head, [1, "清淤", "东河", "区水务局", "2024年底前", "50%"]],
                  "重大项目": [["2024年重大项目清单（6月）"], head, [1, "截污", "东河", "区水务局", "2024.10", "已完成"]]})
    prepared = prepare([("清单.xlsx", book)], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    items = prepared.tables["items"]
    assert sorted(items["list"]) == ["major", "task"] and items["item_id"].nunique() == 2
    major = items[items["list"] == "major"].iloc[0]
    assert major["deadline"] == dt.date(2024, 10, 31) and major["progress"] == 1.0 and major["done_date"] == dt.date(2024, 6, 30)


def test_an_unknown_unit_is_offered_as_a_new_department(small):
    book = xlsx_of({"一河一策": [["2024年6月一河一策任务"], ["任务名称", "河流", "责任单位"], ["清淤", "东河", "区交通局、东风镇"]]})
    prepared = prepare([("清单.xlsx", book)], small)
    assert prepared.ok and prepared.new_units == ["区交通局"]
    units = prepared.tables["units"]
    assert units.loc[units["name"] == "区交通局", "kind"].tolist() == ["部门"]
    item = prepared.tables["items"].iloc[0]
    assert item["co_unit_ids"] == units.loc[units["name"] == "东风镇", "unit_id"].iloc[0]
    assert not prepare([("清单.xlsx", book)], small, accept_new_units=False).ok  # the CLI asks for --add-units


def test_a_list_without_a_month_asks_for_it(small):
    book = xlsx_of({"一河一策": [["任务名称", "河流", "责任单位"], ["清淤", "东河", "区水务局"]]})
    prepared = prepare([("清单.xlsx", book)], small)
    assert any("通报月份" in i.message for i in prepared.issues)
    assert prepare([("清单.xlsx", book)], small, notice=dt.date(2024, 5, 31)).ok


def test_a_sheet_not_understood_is_mapped_once_and_remembered(small):
    book = xlsx_of({"Sheet1": [["站点", "时间", "TP值", "说明"], ["东河桥", "2024-05-01", 0.1, "x"]]})
    prepared = prepare([("站点.xlsx", book)], small)
    assert not prepared.ok and [u.headers for u in prepared.unknown] == [["站点", "时间", "TP值", "说明"]]
    u = prepared.unknown[0]
    mappings.save(small, u.headers, "readings", {"站点": "section_id", "时间": "sampled_at", "TP值": "tp"})
    again = prepare([("六月站点.xlsx", book)], small)  # next month, same header shape
    assert again.ok and again.changes["added"].tolist() == [1] and again.changes["ignored"].tolist() == ["说明"]


def test_the_map_command_line_remembers_a_mapping(small, tmp_path):
    path = tmp_path / "站点.xlsx"
    path.write_bytes(xlsx_of({"Sheet1": [["站点", "时间", "TP值"], ["东河桥", "2024-05-01", 0.1]]}))
    out = cli(small, "import", path)
    assert out.returncode == 1 and "python -m loaders map" in out.stderr
    out = cli(small, "map", path, "--table", "readings", "--column", "站点=section_id", "--column", "时间=sampled_at",
              "--column", "TP值=tp")
    assert out.returncode == 0, out.stderr
    out = cli(small, "import", path)
    assert out.returncode == 0 and "已发布" in out.stdout, out.stderr


def test_a_projected_map_without_crs_is_placed_or_asked_for(small, tmp_path):
    import geopandas as gpd
    import shapely as sh

    towns = gpd.GeoDataFrame({"XZMC": ["东风镇", "西湖街道"]},
                             geometry=[sh.box(106.4, 29.4, 106.5, 29.5), sh.box(106.5, 29.4, 106.6, 29.5)], crs=4326)
    def bare(frame):  # a GeoJSON as GIS units hand it over: projected, no crs member
        data = json.loads(frame.to_json(drop_id=True))
        data.pop("crs", None)
        return json.dumps(data, ensure_ascii=False)

    with_zone = bare(towns.to_crs(4523))  # zone 35: eastings carry the zone number
    prepared = prepare([("镇街.geojson", with_zone.encode())], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert any("带号推断为 EPSG:4523" in n.message for n in prepared.notes)
    no_zone = bare(towns.to_crs(4542))  # CM 105°E: no zone number in the eastings
    prepared = prepare([("镇街.geojson", no_zone.encode())], small)
    assert any("没有写明坐标系" in i.message for i in prepared.issues)
    assert prepare([("镇街_CGCS2000_中央经线105.geojson", no_zone.encode())], small).ok
    assert prepare([("镇街.geojson", no_zone.encode())], small, crs="EPSG:4542").ok


# -- the words people write -----------------------------------------------------------------------------


@pytest.mark.parametrize("text,year,expected", [
    ("2024年底前", None, dt.date(2024, 12, 31)), ("年底前", 2024, dt.date(2024, 12, 31)),
    ("2024.10", None, dt.date(2024, 10, 31)), ("2024年10月", None, dt.date(2024, 10, 31)),
    ("6月30日前", 2024, dt.date(2024, 6, 30)), ("3月底前", 2024, dt.date(2024, 3, 31)),
    ("2024年上半年", None, dt.date(2024, 6, 30)), ("三季度末", 2024, dt.date(2024, 9, 30)),
    (45473, None, dt.date(2024, 6, 30)), ("2024年9月30日", None, dt.date(2024, 9, 30)),
    ("长期坚持", 2024, None), ("持续推进", None, None), ("常态化开展", None, None),
    ("2024年2月底", None, dt.date(2024, 2, 29)),
])
def test_deadlines_in_words(text, year, expected):
    assert convert.to_deadline(text, year) == expected


@pytest.mark.parametrize("bad,year", [("尽快", 2024), ("6月30日前", None), ("2024.13", None)])
def test_deadlines_not_understood_say_what_is_expected(bad, year):
    with pytest.raises(convert.BadValue):
        convert.to_deadline(bad, year)


@pytest.mark.parametrize("text,share,done,qty", [
    ("已完成", 1.0, True, None), ("推进中（60%）", 0.6, False, None), ("未启动", 0.0, False, None),
    (0.6, 0.6, False, None), (60, 0.6, False, None), ("60%", 0.6, False, None), (1, 1.0, True, None),
    ("完成3.2公里", None, False, 3.2), ("进度滞后（30%）", 0.3, False, None), ("完成主体工程，进度85%", 0.85, False, None),
    ("正在整改", None, False, None), ("已整改", 1.0, True, None), ("100%", 1.0, True, None),
])
def test_progress_in_words(text, share, done, qty):
    p = convert.to_progress(text)
    assert (p.progress, p.done, p.done_qty) == (share, done, qty)


def test_progress_words_not_understood():
    with pytest.raises(convert.BadValue, match="不是进度"):
        convert.to_progress("看情况")


@pytest.mark.parametrize("text,expected", [
    ("106°02′30″", 106.041667), ("106度2分30秒", 106.041667), ("E106°02′30″", 106.041667), (106.5, 106.5),
    ("29°30′", 29.5), ("107°05′60″", 107.1), ("106.25", 106.25),
])
def test_coordinates_in_degrees_minutes_seconds(text, expected):
    assert convert.to_coordinate(text) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("text,expected", [("Ⅲ", 3), ("III", 3), ("3类", 3), ("Ⅲ类", 3), ("II", 2), (4, 4), ("Ⅴ类", 5)])
def test_classes_as_written(text, expected):
    assert convert.to_class(text) == expected


@pytest.mark.parametrize("text", ["0.01L", "<0.01", "未检出", "ND"])
def test_below_detection_as_written(text):
    value, bdl = convert.to_concentration(text, "tp")
    assert bdl and value == 0.01


def test_quantities_done_convert_between_kilometres_and_metres():
    assert convert.quantity_in(3.2, "公里", "米") == 3200
    assert convert.quantity_in(3.2, "公里", "处") is None


# -- a second district with other habits (tests/office_habits.py) ----------------------------------------


@pytest.fixture(scope="module")
def nanxi(tmp_path_factory):
    from office_habits import write

    files = tmp_path_factory.mktemp("nanxi_files")
    want = write(files)
    root = tmp_path_factory.mktemp("nanxi")
    publishing.init_district(root, "南溪区")
    found, passed = expand([files])
    prepared = prepare(found, root)
    assert prepared.ok, [str(i) for i in prepared.issues] + [u.label for u in prepared.unknown]
    publish(prepared, root, "河长办")
    return root, files, want, prepared, passed


def test_another_district_goes_in_with_its_own_habits(nanxi):
    root, files, want, prepared, passed = nanxi
    assert passed == ["说明.txt"]  # not a data file: passed over, and said
    db = Database(versions.current_version(root))
    count = lambda sql: int(db.execute(sql).iloc[0, 0])  # noqa: E731
    assert count("SELECT count(*) FROM townships") == want["townships"]
    assert count("SELECT count(*) FROM units WHERE kind = '部门'") == want["departments"]
    assert count("SELECT count(*) FROM rivers") == want["rivers"]
    assert count("SELECT count(*) FROM sections") == want["sections"]
    assert count("SELECT count(*) FROM items") == want["tasks"]
    assert count("SELECT count(*) FROM problems") == want["problems"]
    assert count("SELECT count(*) FROM readings") == want["readings"]
    assert versions.current_version(root).notices == [want["notice"]]  # 截至2024年9月底
    assert count("SELECT count(*) FROM rivers WHERE geom_wkt IS NOT NULL") == want["river_shapes"]
    # the river merged down over its tasks belongs to each; 3360米 is a target with its unit
    got = db.execute("SELECT r.name, i.target_qty, i.target_unit FROM items i JOIN rivers r USING (river_id) "
                     "WHERE i.title LIKE '%清淤疏浚'").sort_values("name")
    assert got.values.tolist() == [["南溪河", 3360.0, "米"], ["红旗溪", 3360.0, "米"], ["长河", 3360.0, "米"]]
    # 乡级 is 镇级; 国考 is 国控; the reservoir's section is a lake section
    assert db.execute("SELECT level FROM rivers WHERE name = '红旗溪'").iloc[0, 0] == "镇级"
    assert db.execute("SELECT control_level, water_body FROM sections WHERE name = '青龙水库坝前'").values.tolist() == [
        ["市控", "lake"]]
    # a ledger's own words: 群众投诉 → 群众举报, 已完成 → 已整改 (done, so green)
    problems = db.execute("SELECT source, status, light FROM problems ORDER BY found_date")
    assert problems.values.tolist()[1] == ["群众举报", "已整改", "green"]
    # the monthly sheets without dates: their month, not the file name's range
    months = db.execute("SELECT DISTINCT month(sampled_at) AS m FROM readings ORDER BY m")["m"].tolist()
    assert months == list(range(1, 10))
    # names written loosely are read, and the preview says how
    assert any("“水务局”按“区水务局”识别" in n.message for n in prepared.notes)
    assert any("“东风”按“东风镇”识别" in n.message for n in prepared.notes)


def test_another_district_reimported_changes_nothing(nanxi):
    root, files, *_ = nanxi
    again = prepare(expand([files])[0], root)
    assert again.ok and again.unchanged


@pytest.mark.parametrize("written,expected", [("水务局", "区水务局"), ("南溪区水务局", "区水务局"), ("东风", "东风镇"),
                                              ("东风镇人民政府", "东风镇"), ("城南", "城南街道")])
def test_loose_names(written, expected):
    from loaders.names import loose_key

    assert loose_key(written, "南溪区") == loose_key(expected, "南溪区")


@pytest.mark.parametrize("column,written,expected", [
    ("status", "正在整改", "整改中"), ("status", "已完成", "已整改"), ("status", "已销号", "已销号"),
    ("source", "群众投诉", "群众举报"), ("source", "市级督查", "督察反馈"), ("level", "乡级", "镇级"),
    ("control_level", "国考", "国控"),
])
def test_choices_in_offices_words(column, written, expected):
    from loaders.specs import SPECS

    field = next(f for spec in SPECS.values() for f in spec.fields if f.column == column and f.choices
                 and expected in f.choices)
    assert convert.to_choice(written, field.choices, column) == expected


def test_dates_written_as_a_month():
    assert convert.to_date("2024年6月") == dt.date(2024, 6, 1)
    assert convert.to_date("6月", 2024) == dt.date(2024, 6, 1)
    assert convert.to_date("6月30号", 2024) == dt.date(2024, 6, 30)
    with pytest.raises(convert.BadValue):
        convert.to_date("6月")  # no year anywhere


@pytest.mark.parametrize("written,expected", [("3360米", (3360.0, "米")), ("12处", (12.0, "处")), (5, (5.0, None)),
                                              ("1,200亩", (1200.0, "亩"))])
def test_quantities_with_their_unit(written, expected):
    assert convert.to_quantity(written) == expected


def test_an_old_xls_workbook_is_read(small, tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("5月")
    style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(["测试区2024年5月水质"]):
        sheet.write(0, c, h)
    for c, h in enumerate(["断面名称", "采样日期", "总磷（mg/L）", "氨氮（mg/L）"]):
        sheet.write(1, c, h)
    sheet.write(2, 0, "东河桥")
    sheet.write(2, 1, dt.date(2024, 5, 6), style)
    sheet.write(2, 2, 0.123)
    sheet.write(2, 3, "0.025L")
    path = tmp_path / "五月水质.xls"
    book.save(str(path))
    prepared = prepare([(path.name, path.read_bytes())], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    row = prepared.tables["readings"].iloc[0]
    assert pd.Timestamp(row["sampled_at"]).date() == dt.date(2024, 5, 6) and row["tp"] == 0.123 and row["nh3n_bdl"]


def test_readings_one_row_per_factor_as_laboratories_export(small):
    csv = ("断面名称,采样日期,监测项目,监测值,单位\n"
           "东河桥,2024-05-06,总磷,0.123,mg/L\n东河桥,2024-05-06,氨氮,ND,mg/L\n东河桥,2024-05-06,pH,7.6,无量纲\n"
           "东河桥,2024-06-03,总磷(mg/L),0.2,mg/L\n东河桥,2024-06-03,溶解氧,6.1,mg/L\n").encode("gbk")
    prepared = prepare([("实验室导出.csv", csv)], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    got = prepared.tables["readings"].sort_values("sampled_at")
    assert got["tp"].tolist() == [0.123, 0.2] and got["nh3n_bdl"].tolist()[0] and got["do"].tolist()[1] == 6.1
    assert any("pH" in n.message and "未导入" in n.message for n in prepared.notes)
    bad = csv + "东河桥,2024-05-06,总磷,-1,mg/L\n".encode("gbk")
    assert any("浓度不能为负数" in i.message for i in prepare([("x.csv", bad)], small).issues)


def test_a_corrected_reading_one_row_per_factor_replaces_the_old_one(small):
    """Found by an office: a laboratory export corrected and imported again was taken as unchanged."""
    first = "断面,采样时间,监测项目,监测值\n东河桥,2024-07-05,总磷,0.192\n东河桥,2024-07-05,氨氮,0.3\n".encode()
    publish(prepare([("七月.csv", first)], small), small, "测试")
    again = prepare([("七月.csv", first)], small)
    assert again.unchanged
    corrected = prepare([("七月更正.csv", first.replace(b"0.192", b"0.25"))], small)
    assert corrected.ok and not corrected.unchanged
    got = corrected.tables["readings"].frame() if hasattr(corrected.tables["readings"], "frame") else corrected.tables["readings"]
    assert got["tp"].tolist() == [0.25] and got["nh3n"].tolist() == [0.3]


def test_more_habits_of_unseen_offices(small):
    """Coordinates in one cell (either order), a 配合单位 column, names with a note in brackets, a year as
    2024年度, deadlines ending in 完成, a 通报月份 of a month, and progress in other words."""
    sections = "断面名称,所属河流,经纬度,水质目标\n西河口,东河（区级）,\"29.51, 106.52\",Ⅲ\n"
    items = ("通报月份,年度,任务名称,河流,牵头单位,配合单位,完成时限,进展情况\n"
             "2024年6月,2024年度,清淤,东河,区水务局（牵头）,东风镇、区环保局,2024年12月31日前完成,正常推进\n"
             "2024年6月,2024年度,截污,东河,区水务局,,2024年9月底前完成,前期工作\n")
    prepared = prepare([("断面.csv", sections.encode()), ("清单.csv", items.encode())], small,
                       notice=None)
    assert prepared.ok, [str(i) for i in prepared.issues] + [u.label for u in prepared.unknown]
    section = prepared.tables["sections"].set_index("name").loc["西河口"]
    assert (section["lon"], section["lat"]) == (106.52, 29.51)
    items = prepared.tables["items"].sort_values("deadline")
    assert items["notice_date"].tolist() == [dt.date(2024, 6, 30)] * 2 and items["list_year"].tolist() == [2024, 2024]
    assert items["deadline"].tolist() == [dt.date(2024, 9, 30), dt.date(2024, 12, 31)]
    units = prepared.tables["units"].set_index("name")["unit_id"]
    assert items["co_unit_ids"].iloc[1] == f"{units['东风镇']}、{units['区环保局']}"
    assert items["status"].tolist() == ["前期工作", "正常推进"]


def test_category_rows_and_signature_lines_are_not_items(small):
    book = xlsx_of({"一河一策": [
        ["南溪区2024年6月“一河一策”任务清单"],
        ["序号", "任务名称", "河流", "责任单位", "完成时限", "进度"],
        ["一、水污染防治"],
        [1, "截污", "东河", "区水务局", "2024年底前", "50%"],
        ["（二）", "水生态修复"],
        [2, "护岸", "东河", "区水务局", "2024年底前", "已完成"],
        ["单位负责人：张三", None, None, "联系电话：123"],
    ]})
    prepared = prepare([("清单.xlsx", book)], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert sorted(prepared.tables["items"]["title"]) == ["截污", "护岸"]
    skipped = [n.message for n in prepared.notes if "跳过" in n.message]
    assert skipped.count("已跳过分类标题行") == 2 and "已跳过说明/注释行" in skipped


def test_a_task_merged_over_its_measures_is_one_item(small):
    wb = Workbook()
    ws = wb.active
    ws.title = "一河一策"
    ws.append(["2024年6月“一河一策”任务清单"])
    ws.append(["任务名称", "具体措施", "河流", "责任单位", "完成时限", "进度"])
    ws.append(["清淤疏浚", "排查", "东河", "区水务局", "2024年底前", "60%"])
    ws.append([None, "清淤", None, None, None, None])
    ws.append([None, "验收", None, None, None, None])
    ws.append(["岸线整治", "整治", "东河", "区水务局", "2024年底前", "已完成"])
    for column in (1, 3, 4, 5, 6):
        ws.merge_cells(start_row=3, start_column=column, end_row=5, end_column=column)
    out = io.BytesIO()
    wb.save(out)
    prepared = prepare([("清单.xlsx", out.getvalue())], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert sorted(prepared.tables["items"]["title"]) == ["岸线整治", "清淤疏浚"]  # not 清淤疏浚 three times
    assert sum("同属一项" in n.message for n in prepared.notes) == 2


def test_a_summary_sheet_can_be_set_aside_once(small):
    book = xlsx_of({"图表数据": [["月份", "达标率"], ["1月", "90%"]],
                  "断面2": [["断面名称", "所属河流", "经度", "纬度", "断面类型", "水质目标"],
                           ["水库心", "东河", 106.5, 29.5, "水库型", "Ⅱ"]]})
    prepared = prepare([("基础.xlsx", book)], small)
    assert [u.sheet for u in prepared.unknown] == ["图表数据"] and not prepared.ok  # asked about
    mappings.save(small, prepared.unknown[0].headers, "", {})  # 不导入这张表
    prepared = prepare([("基础.xlsx", book)], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert any(n.sheet == "图表数据" and "不导入" in n.message for n in prepared.notes)
    assert prepared.tables["sections"].set_index("name").loc["水库心", "water_body"] == "lake"  # 水库型
