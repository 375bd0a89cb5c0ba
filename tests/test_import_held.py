"""One sheet never blocks the rest: what is understood and valid goes in, a sheet or rows in error are held
back with the reason, and the same problem on many rows is said once."""
import pandas as pd
import pytest

from conftest import xlsx_of
from loaders.importer import prepare, publish
from loaders.issues import grouped, grouped_lines
from riverchief import publishing, versions

TASKS = ["2024年6月一河一策任务清单"], ["任务名称", "河流", "责任单位", "完成时限", "完成进度"]


def test_a_sheet_not_understood_and_a_sheet_in_error_hold_back_only_themselves(small):
    book = xlsx_of({
        "一河一策": [*TASKS, ["清淤", "东河", "区水务局", "2024-12-31", "50%"]],
        "统计": [["甲", "乙"], [1, 2]],  # not understood
        "水质": [["断面", "采样时间", "总磷", "氨氮"], ["东河桥", "2024-06-03", 0.1, None]],  # 氨氮 read empty: held whole
    })
    prepared = prepare([("六月.xlsx", book)], small)
    assert not prepared.ok and prepared.publishable
    held = {h.sheet: h for h in prepared.held}
    assert set(held) == {"统计", "水质"} and held["水质"].rows is None and "没有读到任何数值" in held["水质"].reason
    assert prepared.changes["table"].tolist() == ["三张清单"]
    with pytest.raises(versions.StoreError, match="仍有错误"):
        publish(prepared, small, "测试", whole=True)  # the office may still choose all or nothing
    version = publish(prepared, small, "测试")
    assert "暂缓导入" in version.manifest["source"]
    assert versions.read_tables(version)["items"]["title"].tolist() == ["清淤"]


def test_rows_in_error_are_held_back_and_the_rest_goes_in(small):
    rows = [["清淤", "东河", "区水务局", "2024-12-31", "50%"], ["护岸", "东河", "区水务局", "明年", "10%"],
            ["截污", "东河", "区水务局", "2024-10-31", "150%"], ["种树", "东河", "区环保局", "2024-11-30", "20%"]]
    prepared = prepare([("六月.xlsx", xlsx_of({"一河一策": [*TASKS, *rows]}))], small)
    assert prepared.publishable and not prepared.ok
    assert {(i.row, i.column) for i in prepared.issues} == {(4, "完成时限"), (5, "进度")}
    assert [(h.rows, h.sheet) for h in prepared.held] == [(2, "一河一策")]
    version = publish(prepared, small, "测试")
    assert sorted(versions.read_tables(version)["items"]["title"]) == ["清淤", "种树"]


def test_a_snapshot_with_rows_held_back_removes_nothing(small):
    good = [["清淤", "东河", "区水务局", "2024-12-31", "50%"], ["护岸", "东河", "区水务局", "2024-12-31", "10%"]]
    publish(prepare([("六月.xlsx", xlsx_of({"一河一策": [*TASKS, *good]}))], small), small, "测试")
    broken = [["清淤", "东河", "区水务局", "2024-12-31", "60%"], ["护岸", "东河", "区水务局", "不知道", "20%"]]
    prepared = prepare([("六月.xlsx", xlsx_of({"一河一策": [*TASKS, *broken]}))], small)
    assert prepared.changes[["added", "changed", "removed"]].values.tolist() == [[0, 1, 0]]
    items = publish(prepared, small, "测试") and versions.read_tables(versions.current_version(small))["items"]
    assert dict(zip(items["title"], items["progress"])) == {"清淤": 0.6, "护岸": 0.1}  # the held row keeps its value


def test_a_river_list_names_its_own_parents_in_any_order(small):
    rivers = [["河流名称", "河流级别", "汇入河流", "水质目标"], ["小溪沟", "村级", "南河", "Ⅲ类"],
              ["南河", "区级", "东河", "Ⅲ类"], ["北沟", "镇级", "南河", "Ⅲ类"]]
    prepared = prepare([("河流.xlsx", xlsx_of({"河流名录": rivers}))], small)
    assert prepared.ok, grouped_lines(prepared.issues)
    r = prepared.tables["rivers"].set_index("name")
    assert r.at["小溪沟", "parent_river_id"] == r.at["北沟", "parent_river_id"] == r.at["南河", "river_id"]
    assert r.at["南河", "parent_river_id"] == r.at["东河", "river_id"]


def test_rows_naming_a_river_held_back_point_to_the_cause(small):
    rivers = [["河流名称", "河流级别"], ["临江河", "某级"]]  # a level not understood: the river is held back
    tasks = [*TASKS] + [[f"任务{k}", "临江河", "区水务局", "2024-12-31", "10%"] for k in range(38)]
    prepared = prepare([("河流.xlsx", xlsx_of({"河流": rivers})), ("任务.xlsx", xlsx_of({"一河一策": tasks}))], small)
    lines = grouped_lines(prepared.issues)
    assert len(lines) == 2, lines  # one cause and its 38 consequences, not 39 lines
    assert any("河流级别" in line for line in lines)
    consequence = next(line for line in lines if "38行" in line)
    assert "临江河" in consequence and "河流.xlsx" in consequence and "未能导入" in consequence


def test_grouping_counts_rows_beyond_those_listed(small):
    csv = "断面,采样时间,总磷\n" + "".join(f"无名桥,2024-03-{d:02d},0.1\n" for d in range(1, 29))
    prepared = prepare([("水质.csv", csv.encode())], small)
    table = grouped(prepared.issues)
    assert len(table) == 1 and table.at[0, "行数"] == 28 and "等28行" in table.at[0, "位置"]
    assert prepared.held[0].rows == 28 and prepared.changes is not None and prepared.changes.empty


def test_many_rows_with_the_same_bad_value_are_all_held_back(small):
    csv = "断面,采样时间,总磷\n" + "".join(f"东河桥,2024-01-01 {h:02d}:00,x\n" for h in range(24))
    csv += "".join(f"东河桥,2024-{m:02d}-{d:02d},x\n" for m in range(2, 12) for d in range(1, 28)) + "东河桥,2024-12-01,0.1\n"
    prepared = prepare([("水质.csv", csv.encode())], small)
    assert sum(grouped(prepared.issues)["行数"]) == 24 + 270
    readings = prepared.tables["readings"]
    readings = readings.frame() if hasattr(readings, "frame") else readings
    assert readings["tp"].tolist() == [0.1]
    assert isinstance(readings, pd.DataFrame)


def test_rows_held_back_are_offered_as_the_file_has_them_and_corrections_go_in(small):
    rows = [["清淤", "东河", "区水务局", "2024-12-31", "50%"], ["护岸", "东和", "区水务局", "明年", "10%"]]
    prepared = prepare([("六月.xlsx", xlsx_of({"一河一策": [*TASKS, *rows]}))], small)
    [sheet] = prepared.editable
    assert (sheet.file, sheet.sheet, sheet.rows) == ("六月.xlsx", "一河一策", {4: ["护岸", "东和", "区水务局", "明年", "10%"]})
    assert "未知的河流“东和”" in sheet.problems[4] and "不是完成时限" in sheet.problems[4]
    fixes = {("六月.xlsx", "一河一策", 4, 1): "东河", ("六月.xlsx", "一河一策", 4, 3): "2024-11-30"}
    fixed = prepare([("六月.xlsx", xlsx_of({"一河一策": [*TASKS, *rows]}))], small, corrections=fixes)
    assert fixed.ok and sorted(fixed.tables["items"]["title"]) == ["护岸", "清淤"]
    assert fixed.tables["items"].set_index("title").at["护岸", "deadline"].isoformat() == "2024-11-30"
    assert fixed.corrected == ["六月.xlsx“一河一策”第4行第2列改为“东河”", "六月.xlsx“一河一策”第4行第4列改为“2024-11-30”"]
    publish(fixed, small, "测试")
    from riverchief.office import audit, database

    entry = audit.log(database.default_url(small), action="import").iloc[0]
    assert "页面改正：六月.xlsx“一河一策”第4行第2列改为“东河”" in entry["detail"]


def test_every_order_and_grouping_of_a_folder_gives_the_same_data_and_then_no_change(tmp_path):
    """References resolve across the import whatever the order of its files: towns, rivers (a tributary before its
    parent), sections, a list and readings in every fifth of the 120 orders (each file in every place) give the
    same data, and the same files again change nothing."""
    import itertools

    files = [("镇街.csv", "镇街名称\n东风镇\n西湖街道\n".encode()),
             ("河流.xlsx", xlsx_of({"区级河流名录": [["河流名称", "汇入河流", "水质目标"], ["小河", "大河", "Ⅲ类"], ["大河", None, "Ⅲ类"]]})),
             ("断面.csv", "断面名称,所属河流,经度,纬度\n小河口,小河,106.5,29.5\n".encode()),
             ("任务.xlsx", xlsx_of({"一河一策": [["2024年6月任务清单"], ["任务名称", "河流", "责任单位", "完成时限"],
                                              ["清淤", "小河", "东风镇", "2024-12-31"]]})),
             ("水质.csv", "断面,采样时间,总磷\n小河口,2024-05-06,0.1\n".encode())]
    seen = set()
    for k, order in enumerate(list(itertools.permutations(files))[::5]):
        root = tmp_path / f"d{k}"
        publishing.init_district(root, "测试区")
        prepared = prepare(list(order), root)
        assert prepared.ok, ([n for n, _ in order], [str(i) for i in prepared.issues])
        t = prepared.tables
        rivers = dict(zip(t["rivers"]["river_id"], t["rivers"]["name"]))
        seen.add((tuple(sorted(t["townships"]["name"])), tuple(sorted((n, rivers.get(p)) for n, p in
                                                                       zip(t["rivers"]["name"], t["rivers"]["parent_river_id"]))),
                  tuple(rivers[r] for r in t["items"]["river_id"]), len(t["readings"])))
        if k % 8 == 0:  # published, then again in another order: nothing changes
            publish(prepared, root, "测试")
            assert prepare(list(reversed(order)), root).unchanged
    assert seen == {(("东风镇", "西湖街道"), (("大河", None), ("小河", "大河")), ("小河",), 1)}


def test_a_name_in_a_sheet_not_understood_points_there(small):
    rivers = [["名字", "备注"], ["临江河", "干流"]]  # not understood: no header names a field
    tasks = [*TASKS] + [[f"任务{k}", "临江河", "区水务局", "2024-12-31", "10%"] for k in range(3)]
    prepared = prepare([("名录.xlsx", xlsx_of({"河": rivers})), ("任务.xlsx", xlsx_of({"一河一策": tasks}))], small)
    [line] = grouped_lines(prepared.issues)
    assert "河流“临江河”在尚未识别的工作表“名录.xlsx · 河”中" in line and "（3行）" in line
