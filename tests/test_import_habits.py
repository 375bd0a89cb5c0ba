"""Habits of offices the team has not seen, each read as the office meant it and said in the preview:
layouts (months across, a second small table, hidden rows), units of measure, headers matched by closeness,
loose choices, spans and 立行立改, lists that name only their year, values asked once and remembered."""
import datetime as dt
import io
import subprocess
import sys

import pandas as pd
import pytest
from openpyxl import Workbook

from conftest import ROOT, xlsx_of
from loaders import answers, convert
from loaders.importer import prepare, publish
from riverchief import versions

TASKS = ["2024年6月一河一策任务清单"], ["任务名称", "河流", "责任单位", "完成时限", "完成进度"]


def frame_of(table):
    return table.frame() if hasattr(table, "frame") else table


def notes_of(prepared) -> str:
    return "\n".join(str(n) for n in prepared.notes)


def test_readings_with_the_months_across_one_factor_per_sheet(small):
    rows = lambda f: [[f"测试区2024年断面水质（{f}）"], ["填报单位：监测站", "单位：mg/L"],  # noqa: E731
                      ["序号", "断面名称", "1月份", "2月份", "3月份", "1-3月均值"],
                      [1, "东河桥", 0.1, "0.01L", 0.3, 0.14], [], [], ["分析方法", "见附件"]]
    book = xlsx_of({"总磷": rows("总磷"), "氨氮": rows("氨氮")})
    prepared = prepare([("2024年1-3月水质.xlsx", book)], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    got = frame_of(prepared.tables["readings"]).sort_values("sampled_at")
    assert [d.month for d in got["sampled_at"]] == [1, 2, 3]
    assert got["tp"].tolist() == [0.1, 0.01, 0.3] and got["tp_bdl"].tolist() == [False, True, False]
    assert got["nh3n"].tolist() == [0.1, 0.01, 0.3]
    assert "月份横排（3个月），指标按“总磷”" in notes_of(prepared)
    assert "1-3月均值" in prepared.changes["ignored"].iloc[0]  # a span is not a month


@pytest.mark.parametrize("header,title,values,expected", [
    ("总磷(μg/L)", None, [119, 98], [0.119, 0.098]),
    ("总磷（ug/L）", None, [50], [0.05]),
    ("总磷", "单位：μg/L", [73], [0.073]),
    ("总磷（mg/L）", None, [0.2], [0.2]),
])
def test_units_in_a_header_or_a_title_line_are_converted_to_mg_per_litre(small, header, title, values, expected):
    rows = ([[title]] if title else []) + [["断面", "采样时间", header]]
    rows += [["东河桥", f"2024-0{k + 1}-05", v] for k, v in enumerate(values)]
    prepared = prepare([("水质.xlsx", xlsx_of({"水质": rows}))], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert frame_of(prepared.tables["readings"])["tp"].tolist() == expected
    assert ("已换算为 mg/L" in notes_of(prepared)) == (expected != values)


def test_a_unit_column_converts_its_row(small):
    csv = ("断面,采样时间,监测项目,监测值,单位\n东河桥,2024-05-06,总磷,120,μg/L\n东河桥,2024-05-06,氨氮,0.4,mg/L\n"
           "东河桥,2024-06-06,总磷,0.15,mg/L\n").encode()
    got = frame_of(prepare([("lab.csv", csv)], small).tables["readings"]).sort_values("sampled_at")
    assert got["tp"].tolist() == [0.12, 0.15] and got["nh3n"].tolist()[0] == 0.4


def test_a_value_implausible_for_its_factor_is_held_back_as_a_likely_unit_error(small):
    csv = "断面,采样时间,总磷\n东河桥,2024-05-06,73\n东河桥,2024-06-06,0.2\n".encode()
    prepared = prepare([("x.csv", csv)], small)
    assert any("单位不对" in i.message and i.row == 2 for i in prepared.issues)
    assert frame_of(prepared.tables["readings"])["tp"].tolist() == [0.2]  # never stored silently


def _book_with_hidden_row_and_column() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "一河一策"
    for r in [*TASKS, ["清淤", "东河", "区水务局", "2024-12-31", "50%"], ["撤销的任务", "东河", "区水务局", "2024-12-31", "0%"],
              ["护岸", "东河", "区水务局", "2024-12-31", "20%"]]:
        ws.append(r)
    ws.row_dimensions[4].hidden = True
    ws["F2"], ws["F3"] = "内部备注", "不要导入"
    ws.column_dimensions["F"].hidden = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_hidden_rows_and_columns_are_left_out_and_said(small):
    prepared = prepare([("清单.xlsx", _book_with_hidden_row_and_column())], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert sorted(prepared.tables["items"]["title"]) == ["护岸", "清淤"]
    said = notes_of(prepared)
    assert "隐藏的行" in said and "隐藏的列未导入：内部备注" in said


def test_a_small_table_below_the_main_one_is_not_read_as_rows(small):
    rows = [*TASKS, ["清淤", "东河", "区水务局", "2024-12-31", "50%"], ["护岸", "东河", "区水务局", "2024-12-31", "20%"],
            [], ["备注", "进度为估算"]]
    prepared = prepare([("清单.xlsx", xlsx_of({"一河一策": rows}))], small)
    assert prepared.ok and sorted(prepared.tables["items"]["title"]) == ["护岸", "清淤"]


def test_a_blank_row_inside_the_table_does_not_end_it(small):
    rows = [*TASKS, ["清淤", "东河", "区水务局", "2024-12-31", "50%"], [], ["护岸", "东河", "区水务局", "2024-12-31", "20%"]]
    prepared = prepare([("清单.xlsx", xlsx_of({"一河一策": rows}))], small)
    assert sorted(prepared.tables["items"]["title"]) == ["护岸", "清淤"]


def test_major_projects_without_a_river_with_a_span_of_years_and_investment(small):
    rows = [["2024年度重大事项重大项目清单（截至10月底）"],
            ["序号", "项目名称", "建设起止\n年限", "总投资（万元）", "已完成投资（万元）", "完成率", "责任单位"],
            [1, "流域综合治理", "2023-2025", 12500, 6800, 0.544, "区水务局"], [2, "污水厂提标", "2024年3月至11月", 900, 900, 1, "区环保局"]]
    prepared = prepare([("重大项目.xlsx", xlsx_of({"重大事项": rows}))], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    items = prepared.tables["items"].set_index("title")
    assert items.at["流域综合治理", "start_date"] == dt.date(2023, 1, 1) and items.at["流域综合治理", "deadline"] == dt.date(2025, 12, 31)
    assert items.at["污水厂提标", "start_date"] == dt.date(2024, 3, 1) and items.at["污水厂提标", "deadline"] == dt.date(2024, 11, 30)
    assert items.at["流域综合治理", "progress"] == 0.544 and items.at["流域综合治理", "funds_spent_wan"] == 6800
    assert items["river_id"].isna().all() and set(items["notice_date"]) == {dt.date(2024, 10, 31)}


def test_a_task_needs_its_river_even_when_major_items_do_not(small):
    rows = [["2024年6月一河一策任务清单"], ["任务名称", "河流", "责任单位"], ["清淤", None, "区水务局"], ["护岸", "东河", "区水务局"]]
    prepared = prepare([("任务.xlsx", xlsx_of({"一河一策": rows}))], small)
    assert [(i.row, i.column) for i in prepared.issues] == [(3, "河流")]
    assert prepared.tables["items"]["title"].tolist() == ["护岸"]


def test_a_list_naming_only_its_year_follows_the_other_lists_month(small):
    problems = [["2024年度突出问题整改责任清单"], ["问题描述", "河流名称", "责任单位", "整改时限"],
                ["排口直排", "东河", "区水务局", "立行立改"]]
    tasks = [["2024年“一河一策”任务清单"], ["填报单位：河长办　　截止日期：2024年10月31日"], TASKS[1],
             ["清淤", "东河", "区水务局", "2024-12-31", "50%"]]
    prepared = prepare([("突出问题.xlsx", xlsx_of({"Sheet1": problems})), ("任务.xlsx", xlsx_of({"任务": tasks}))], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert set(prepared.tables["items"]["notice_date"]) == {dt.date(2024, 10, 31)}
    assert "通报月份按2024年10月（与本次导入的其他清单相同）" in notes_of(prepared)
    problem = prepared.tables["items"].set_index("title").loc["排口直排"]
    assert problem["deadline"] == dt.date(2024, 10, 31)  # 立行立改 with nothing to count from: due with the notice


def test_a_ledger_says_its_source_in_its_title_and_its_state_in_its_progress(small):
    rows = [["测试区2024年河长巡河发现问题台账"], ["填报单位：河长办　统计时间：2024年1月—6月"],
            ["河流名称", "发现\n时间", "问题描述", "整改责任\n单位", "整改\n时限", "整改\n情况"],
            ["东河", "2024.1.17", "排口直排", "区水务局", "2024.2.17", "已整改"],
            ["东河", "2024.5.2", "垃圾", "东风", "立行立改", "正在整改"]]
    prepared = prepare([("巡河问题台账.xlsx", xlsx_of({"台账": rows}))], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    p = prepared.tables["problems"].set_index("title")
    assert set(p["source"]) == {"巡河"} and p.at["排口直排", "status"] == "已整改" and p.at["垃圾", "status"] == "整改中"
    assert p.at["垃圾", "deadline"] == dt.date(2024, 5, 31) and set(p["notice_date"]) == {dt.date(2024, 6, 30)}


def test_a_river_list_takes_its_level_from_its_title_and_keeps_out_rivers_beyond_the_district(small):
    rows = [["测试区区级河流名录"], ["河流名称", "汇入河流", "河道长度\n（公里）", "流经镇街", "水质目标"],
            ["南河", "长江", 46.8, "东风、西湖", "Ⅲ类"]]
    prepared = prepare([("河流.xlsx", xlsx_of({"河流": rows}))], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    r = prepared.tables["rivers"].set_index("name").loc["南河"]
    assert r["level"] == "区级" and r["length_km"] == 46.8 and r["parent_river_id"] is None
    assert r["township_id"] == prepared.tables["townships"].set_index("name").at["东风镇", "township_id"]
    said = notes_of(prepared)
    assert "按“测试区区级河流名录”记为区级" in said and "“长江”不在本区河流名录中" in said and "按“河长（公里）”读取" in said


def test_a_river_list_naming_no_level_anywhere_is_asked_about(small):
    book = xlsx_of({"Sheet1": [["河流名称", "水质目标"], ["南河", "Ⅲ类"]]})
    assert [u.sheet for u in prepare([("名录.xlsx", book)], small).unknown] == ["Sheet1"]  # a list of names: asked what
    prepared = prepare([("名录.xlsx", book)], small, kind="rivers")
    assert any("无法判断河流级别" in i.message for i in prepared.issues) and prepared.held[0].rows is None


@pytest.mark.parametrize("written,choices,expected", [
    ("区级部门", ("镇街", "部门"), "部门"), ("镇", ("镇街", "部门"), "镇街"), ("河流型", ("河流", "湖库"), "河流"),
    ("未知", ("镇街", "部门"), None), ("已", ("已交办", "已整改"), None),  # two fit as well: asked, never guessed
    ("较轻", ("一般", "较重", "严重"), None), ("不严重", ("一般", "较重", "严重"), None),  # never the opposite
    ("已办理", ("已交办", "整改中", "已整改", "已销号", "反弹重办"), None),
])
def test_loose_choices(written, choices, expected):
    assert convert.loose_choice(written, choices) == expected


@pytest.mark.parametrize("written,column,choices,expected", [
    ("街道", "kind", ("镇街", "部门"), "镇街"), ("乡镇", "kind", ("镇街", "部门"), "镇街"),
    ("社区级", "level", ("区级", "镇级", "村级"), "村级"), ("社区", "chief_level", ("区级", "镇级", "村级"), "村级"),
    ("已整改待销号", "status", ("已交办", "整改中", "已整改", "已销号", "反弹重办"), "已整改"),
    ("待销号", "status", ("已交办", "整改中", "已整改", "已销号", "反弹重办"), "已整改"),
    ("已销号", "status", ("已交办", "整改中", "已整改", "已销号", "反弹重办"), "已销号"),
])
def test_choices_in_more_offices_words(written, column, choices, expected):
    assert convert.to_choice(written, choices, column) == expected


@pytest.mark.parametrize("table,header,expected", [
    ("items", "计划完成日期", "deadline"), ("items", "投资完成率", None), ("items", "时间进度", None),
    ("items", "主责单位", None), ("rivers", "镇级河长", "chief"), ("rivers", "河道长度（公里）", "length_km"),
    ("readings", "分析日期", None), ("readings", "溶解性总磷", None), ("readings", "非离子氨氮", None),
    ("sections", "断面坐标", "lonlat"), ("sections", "水质类别", None), ("items", "已完成投资", "funds_spent_wan"),
])
def test_headers_close_to_a_field_but_meaning_something_else_are_not_read_as_it(table, header, expected):
    from loaders.read import _matched
    from loaders.specs import SPECS

    assert _matched(SPECS[table], [header]).get(0) == expected


@pytest.mark.parametrize("written,expected", [
    ("2022-2024", (dt.date(2022, 1, 1), dt.date(2024, 12, 31))), ("2023年—2025年", (dt.date(2023, 1, 1), dt.date(2025, 12, 31))),
    ("2023.3-2024.12", (dt.date(2023, 3, 1), dt.date(2024, 12, 31))), ("2024年3月至12月", (dt.date(2024, 3, 1), dt.date(2024, 12, 31))),
    ("2024.3.1~2024.11.30", (dt.date(2024, 3, 1), dt.date(2024, 11, 30))), (2024, (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
])
def test_spans_of_years(written, expected):
    assert convert.to_period(written, 2024) == expected


@pytest.mark.parametrize("bad", ["2025-2023", "三年", "2024-06"])
def test_spans_not_understood_say_what_is_expected(bad):
    with pytest.raises(convert.BadValue):
        convert.to_period(bad, 2024)


@pytest.mark.parametrize("written,expected", [("东经106°08′12″，北纬29°41′05″", (106.1367, 29.6847)),
                                              ("北纬29.5，东经106.2", (106.2, 29.5))])
def test_coordinates_with_their_words(written, expected):
    assert tuple(round(v, 4) for v in convert.to_lonlat(written)) == expected


def test_an_answer_is_asked_once_and_used_next_month_on_the_page_and_the_command_line(small, tmp_path):
    rows = lambda m: [[f"2024年{m}月一河一策任务清单"], TASKS[1], ["清淤", "东河干流", "区水务局", "2024-12-31", "50%"]]  # noqa: E731
    june = prepare([("6月.xlsx", xlsx_of({"任务": rows(6)}))], small)
    asked = answers.questions(june.issues)
    assert list(asked) == [("river", "东河干流")] and asked[("river", "东河干流")][0] == "东河"
    answers.remember(small, "测试", {("river", "东河干流"): "东河"})
    again = prepare([("6月.xlsx", xlsx_of({"任务": rows(6)}))], small)
    assert again.ok and "按“东河”识别" in notes_of(again)
    publish(again, small, "测试")
    path = tmp_path / "7月.xlsx"
    path.write_bytes(xlsx_of({"任务": rows(7)}))
    env = {"RIVERBOARD_DATA_DIR": str(small), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "loaders", "import", str(path)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0 and "已发布" in out.stdout, out.stderr
    tables = versions.read_tables(versions.current_version(small))
    assert set(tables["items"]["river_id"]) == {tables["rivers"].set_index("name").at["东河", "river_id"]}
    assert len(tables["items"]) == 2  # June and July


def test_the_answer_command_checks_the_name_and_remembers_it(small):
    env = {"RIVERBOARD_DATA_DIR": str(small), "PATH": "/usr/bin:/bin"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "loaders", "answer", *a], cwd=ROOT, env=env,  # noqa: E731
                                    capture_output=True, text=True)
    assert run("unit", "土桥镇等=土桥镇").returncode == 1  # not a unit of this district
    out = run("unit", "东风镇等=东风镇")
    assert out.returncode == 0 and answers.load(small)["unit"]["东风镇等"] == "东风镇"
    assert run("kind", "区县部门=部门").returncode == 0 and answers.load(small)["choice:kind"]["区县部门"] == "部门"
    assert run("kind", "x=不是选项").returncode == 1
    assert run("unit", "东风镇等=").returncode == 0 and "unit" not in answers.load(small)  # forgotten


def test_a_county_s_task_list_grouped_under_river_headings_with_roles_in_the_unit_cell(small):
    rows = [["测试区2024年度“一河一策”任务清单"], ["序号", "任务名称", "责任单位（牵头）", "配合单位", "开始时间", "完成时限", "完成进度", "备注"],
            ["一、东河（区级河长：王某）"], [1, "护岸", "区水务局", "东风", "2024/2/10", "24.11.30", "已完成60%", None],
            [2, "清淤", "区水务局牵头，各乡镇配合", "/", "24.1.10", "24.5.31", "已完成", None],
            ["二、西湖水库（区级河长：李某）"], [3, "保洁", "区环保局", "各相关部门", "2024/3/1", "长期", "0.5", None],
            [4, "撤掉的任务", "区环保局", None, "2024/3/1", "2024/6/30", "0", "已撤销"]]
    prepared = prepare([("2024年9月任务清单.xlsx", xlsx_of({"任务清单": rows}))], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    t = prepared.tables
    rivers = dict(zip(t["rivers"]["river_id"], t["rivers"]["name"]))
    items = t["items"].set_index("title")
    assert sorted(items.index) == ["保洁", "护岸", "清淤"]  # the withdrawn row left out
    assert {k: rivers[v] for k, v in items["river_id"].items()} == {"护岸": "东河", "清淤": "东河", "保洁": "西湖水库"}
    assert pd.isna(items.at["清淤", "co_unit_ids"]) and items.at["护岸", "progress"] == 0.6
    assert items.at["护岸", "deadline"] == dt.date(2024, 11, 30) and items.at["保洁", "deadline"] is None
    said = notes_of(prepared)
    assert "标为已撤销的行" in said and "“各乡镇配合”按“（泛指多个单位" in said and "“各相关部门”按“（泛指多个单位" in said


def test_a_hotline_ledger_is_a_problem_ledger(small):
    rows = [["测试区12345政务服务便民热线涉河湖问题办理台账"],
            ["序号", "工单编号", "受理时间", "诉求内容", "涉及河流", "所属乡镇", "承办单位", "办理状态", "办结时间"],
            [1, "SX01", "2024/1/8 09:12", "污水排入东河", "东河", "东风镇", "区水务局", "已办结", "2024/1/20"],
            [2, "SX02", "2024/5/3 15:40", "岸边垃圾", "东河", "东风镇", "东风镇", "办理中", None]]
    prepared = prepare([("12345热线涉河湖问题台账（2024年1-5月）.csv", _csv(rows))], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    p = prepared.tables["problems"].set_index("title")
    assert set(p["source"]) == {"群众举报"} and p.at["污水排入东河", "status"] == "已整改" and p.at["岸边垃圾", "status"] == "整改中"
    assert p.at["岸边垃圾", "deadline"] == dt.date(2024, 6, 2) and set(p["notice_date"]) == {dt.date(2024, 5, 31)}
    assert "按发现后30日计" in notes_of(prepared)


def _csv(rows) -> bytes:
    return "\n".join(",".join("" if v is None else str(v) for v in r) for r in rows).encode("gbk")


def test_two_sheets_of_one_list_and_month_add_up(small):
    tasks = [["2024年6月任务清单"], TASKS[1], ["清淤", "东河", "区水务局", "2024-12-31", "50%"]]
    duties = [["2024年6月河长制责任清单"], ["任务名称", "河流", "责任单位", "完成时限"], ["日常保洁", "东河", "东风镇", "长期"]]
    prepared = prepare([("任务.xlsx", xlsx_of({"任务": tasks})), ("责任.xlsx", xlsx_of({"责任": duties}))], small)
    assert prepared.ok and sorted(prepared.tables["items"]["title"]) == ["日常保洁", "清淤"]
    assert set(prepared.tables["items"]["list"]) == {"task"} and prepared.changes["removed"].sum() == 0
    publish(prepared, small, "测试")
    again = prepare([("责任.xlsx", xlsx_of({"责任": duties})), ("任务.xlsx", xlsx_of({"任务": tasks}))], small)
    assert again.unchanged


def _layer_files(tmp_path, towns):
    import geopandas as gpd
    import shapely

    rivers = gpd.GeoDataFrame({"Name": ["东河"]}, geometry=[shapely.LineString([(106.40, 29.40), (106.55, 29.55)])], crs=4326)
    kml = tmp_path / "水系.kml"
    rivers.to_file(kml, driver="KML")
    kmz = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(kmz, "w") as z:
        z.write(kml, "doc.kml")
    shp = tmp_path / "shp" / "镇界.shp"
    shp.parent.mkdir()
    polygons = [shapely.box(106.3 + k * 0.1, 29.3, 106.4 + k * 0.1, 29.6) for k in range(len(towns))]
    gpd.GeoDataFrame({"XZMC": towns}, geometry=polygons, crs=4326).to_file(shp, encoding="GBK")
    shp.with_suffix(".cpg").unlink(missing_ok=True)  # as many GIS exports: no word on the encoding
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        for f in shp.parent.iterdir():
            z.write(f, f.name)
    return kml.read_bytes(), kmz.getvalue(), zipped.getvalue()


def test_rivers_as_kml_or_kmz_and_townships_as_a_gbk_shapefile_without_cpg(small, tmp_path):
    kml, kmz, shapefile = _layer_files(tmp_path, ["东风镇", "西湖街道"])
    for rivers in (("水系.kml", kml), ("水系.kmz", kmz)):
        prepared = prepare([rivers, ("镇界.zip", shapefile)], small)
        assert prepared.ok, [str(i) for i in prepared.issues]
        t = prepared.tables
        assert t["rivers"].set_index("name")["geom_wkt"].notna().to_dict() == {"东河": True, "西湖水库": False}
        assert t["townships"]["geom_wkt"].notna().all()


def test_a_mapping_of_a_header_with_a_line_break_is_kept(small):
    from loaders import mappings

    headers = ["站点", "采样\n时间", "TP值"]
    mappings.save(small, headers, "readings", {"站点": "section_id", "采样时间": "sampled_at", "TP值": "tp"})
    book = xlsx_of({"Sheet1": [headers, ["东河桥", "2024-05-01", 0.1]]})
    prepared = prepare([("站点.xlsx", book)], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert frame_of(prepared.tables["readings"])["tp"].tolist() == [0.1]


def test_the_data_page_shows_how_every_sheet_was_read_and_changes_it(small, monkeypatch):
    """Uploaded through the page (AppTest): each sheet's columns as read, close matches marked; the office
    changes one sheet's reading, it is remembered for that header shape and the next check reads it so."""
    from streamlit.testing.v1 import AppTest

    from conftest import signed_in
    from loaders import mappings

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(small))
    book = xlsx_of({"站点": [["断面名称", "采样时间", "总磷", "备用值"], ["东河桥", "2024-05-01", 0.1, 0.3]]})
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)).run()
    at.switch_page("app_pages/data_admin.py").run()
    at.file_uploader(key="uploads").upload("站点.xlsx", book).run()
    assert not at.exception, [e.value for e in at.exception]
    readings = next(d for d in at.dataframe if "对应" in d.value.columns).value
    assert readings["对应"].iloc[0] == "断面名称→断面；采样时间→采样时间；总磷→总磷"
    at.selectbox(key="remap_pick").select("站点.xlsx · 站点").run()
    [spare] = [s for s in at.selectbox if s.label.startswith("备用值")]
    spare.select("nh3n").run()
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("map_save_"))).click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = next(iter(mappings.load(small).values()))
    assert saved["table"] == "readings" and saved["columns"]["备用值"] == "nh3n"
    again = prepare([("站点.xlsx", book)], small)
    assert frame_of(again.tables["readings"])["nh3n"].tolist() == [0.3]


def test_rows_after_a_blank_row_filling_fewer_columns_are_still_rows(small):
    rows = [["序号", "河流名称", "河流级别", "长度（公里）", "流经镇街", "区级河长", "牵头单位", "水质目标"],
            [1, "南河", "区级", 46.8, "东风镇", "王某", "区水务局", "Ⅲ类"], [2, "北河", "区级", 21.3, "东风镇", "李某", "区水务局", "Ⅲ类"],
            [], [3, "小沟", "村级", None, "东风镇", None, None, None]]
    prepared = prepare([("河流.xlsx", xlsx_of({"河流": rows}))], small)
    assert sorted(prepared.tables["rivers"]["name"]) == sorted(["北河", "南河", "小沟", "西湖水库", "东河"])


def test_rows_a_filter_hides_are_imported(small):
    wb = Workbook()
    ws = wb.active
    ws.title = "一河一策"
    for r in [*TASKS, ["清淤", "东河", "区水务局", "2024-12-31", "已完成"], ["护岸", "东河", "区水务局", "2024-12-31", "20%"]]:
        ws.append(r)
    ws.auto_filter.ref = "A2:E4"
    ws.row_dimensions[3].hidden = True  # the office filtered out the finished ones
    out = io.BytesIO()
    wb.save(out)
    prepared = prepare([("清单.xlsx", out.getvalue())], small)
    assert sorted(prepared.tables["items"]["title"]) == ["护岸", "清淤"]


def test_a_held_row_is_not_removed_by_another_sheet_of_its_list_and_month(small):
    tasks = [["2024年6月任务清单"], TASKS[1], ["清淤", "东河", "区水务局", "2024-12-31", "50%"]]
    duties = lambda p: [["2024年6月责任清单"], TASKS[1], ["日常保洁", "东河", "东风镇", "长期", "20%"],  # noqa: E731
                        ["巡查", "东河", "东风镇", "长期", p]]
    publish(prepare([("任务.xlsx", xlsx_of({"任务": tasks})), ("责任.xlsx", xlsx_of({"责任": duties("30%")}))], small), small, "测试")
    again = prepare([("任务.xlsx", xlsx_of({"任务": tasks})), ("责任.xlsx", xlsx_of({"责任": duties("150%")}))], small)
    assert sorted(again.tables["items"]["title"]) == ["巡查", "日常保洁", "清淤"] and again.changes["removed"].sum() == 0


def test_a_list_grouped_under_headings_that_are_not_rivers_keeps_them_out_of_the_river(small):
    rows = [["2024年度重大事项重大项目清单（截至10月底）"], ["序号", "项目名称", "责任单位"], ["一、续建项目"],
            [1, "流域治理", "区水务局"], ["二、新建项目"], [2, "污水厂提标", "区环保局"]]
    prepared = prepare([("重大项目.xlsx", xlsx_of({"重大事项": rows}))], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    assert prepared.tables["items"]["river_id"].isna().all()


@pytest.mark.parametrize("title,month", [("2024年10月重大项目推进情况表", 10), ("2024年重大项目推进情况（截至2024年9月30日）", 9),
                                         ("2024年10月任务清单（任务须于截止2024年12月底前完成）", 10)])
def test_the_month_of_the_title_wins_over_a_header_s_and_a_deadline_s(small, title, month):
    rows = [[title], ["项目名称", "责任单位", "年度计划投资（截至12月底）"], ["流域治理", "区水务局", 100]]
    prepared = prepare([("重大项目.xlsx", xlsx_of({"重大事项": rows}))], small)
    assert {d.month for d in prepared.tables["items"]["notice_date"]} == {month}


def test_a_unit_in_a_title_without_the_word_or_on_the_value_column_converts(small):
    wide = [["各断面氨氮浓度（μg/L）"], ["断面名称", "1月", "2月", "3月"], ["东河桥", 250, 300, 100]]
    got = frame_of(prepare([("2024年氨氮.xlsx", xlsx_of({"氨氮": wide}))], small).tables["readings"]).sort_values("sampled_at")
    assert got["nh3n"].tolist() == [0.25, 0.3, 0.1]
    lab = "断面,采样时间,监测项目,监测值(μg/L)\n东河桥,2024-05-06,总磷,120\n".encode()
    assert frame_of(prepare([("lab.csv", lab)], small).tables["readings"])["tp"].tolist() == [0.12]


def test_a_third_office_s_habits(small):
    """Amounts in 元, progress as 2400/3200 or only in the 备注, deadlines by 旬 and 季度, units by their 简称 (learned
    from the units list and kept), 问题名称, a patrol ledger dated by 巡河日期, a sheet named 一河一策 never read as units."""
    units = [["序号", "单位名称", "简称"], [1, "区住房和城乡建设委员会", "住建委"]]
    lists = {"重大项目": [["2025年度重大事项重大项目清单（截至2025年8月31日）"],
                         ["项目名称", "责任单位", "总投资（元）", "已完成投资（元）", "完成时限", "备注"],
                         ["合计", None, 9600000, 4800000, None, None],
                         ["污水厂提标", "住建委", 9600000, 4800000, "9月中旬", "完成50%，主体完工"]],
             "一河一策": [["2025年度“一河一策”任务措施清单（截至2025年8月31日）"],
                        ["河流", "任务措施", "责任单位", "目标任务量", "计量单位", "完成时限", "完成情况"],
                        ["东河", "清淤疏浚", "区水务局", 3200, "米", "2025年第三季度", "2400/3200"]]}
    ledger = [["2025年河长巡河发现问题台账（1-8月）"], ["巡河日期", "河流名称", "问题名称", "整改责任单位", "整改期限", "整改情况"],
              ["2025-01-02", "东河", "岸边垃圾", "东风镇", "2025-02-15", "已整改"]]
    prepared = prepare([("单位.xlsx", xlsx_of({"责任单位": units})), ("三张清单.xlsx", xlsx_of(lists)),
                        ("巡河问题台账.xlsx", xlsx_of({"台账": ledger}))], small)
    assert prepared.ok, [str(i) for i in prepared.issues]
    items = prepared.tables["items"].set_index("title")
    units_now = dict(zip(prepared.tables["units"]["unit_id"], prepared.tables["units"]["name"]))
    major = items.loc["污水厂提标"]
    assert (major["funds_plan_wan"], major["funds_spent_wan"], major["progress"]) == (960, 480, 0.5)
    assert units_now[major["unit_id"]] == "区住房和城乡建设委员会" and major["deadline"] == dt.date(2025, 9, 20)
    task = items.loc["清淤疏浚"]
    assert task["progress"] == 0.75 and task["deadline"] == dt.date(2025, 9, 30) and task["list"] == "task"
    assert prepared.tables["problems"]["title"].tolist() == ["岸边垃圾"]
    publish(prepared, small, "测试")
    assert answers.load(small)["unit"]["住建委"] == "区住房和城乡建设委员会"  # next month's lists need no 简称 list
