"""Every page through streamlit.testing.v1.AppTest, on the demo district and on the tiny one."""
import dataclasses
import datetime as dt
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, signed_in
from riverchief import assessment_rules, publishing, versions
from riverchief.board import Filters, load_board
from riverchief.db import Database
from riverchief.office import audit

APP = str(ROOT / "app.py")


def run_app(monkeypatch, data_dir, role="office", unit=None, **query) -> AppTest:
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(data_dir))
    at = signed_in(AppTest.from_file(APP, default_timeout=60), role, unit)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, str]:
    """The board's four key numbers (the change metrics further down are checked on their own)."""
    return {m.label: m.value for m in at.metric if m.label in ("红灯", "黄灯", "绿灯", "事项总数")}


def expected_board(data_dir, notice, filters=Filters()):
    return load_board(Database(versions.current_version(data_dir)), notice, filters)


def test_board_shows_the_latest_notice_of_the_demo(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir)
    latest = versions.current_version(demo_dir).notices[-1]
    board = expected_board(demo_dir, latest)
    assert at.title[0].value == f"三色看板 · {latest.year}年{latest.month}月通报 · 全区"
    assert "示例数据" in at.caption[0].value
    assert metrics(at) == {"红灯": f"{board.count('red')} 项", "黄灯": f"{board.count('yellow')} 项",
                           "绿灯": f"{board.count('green')} 项", "事项总数": f"{int(board.totals['n'].sum())} 项"}
    assert len(at.get("plotly_chart")) == 2
    table = at.dataframe[0].value
    assert len(table) == board.count("red") + board.count("yellow") > 0
    assert set(table["灯色"] if "灯色" in table else table["light_text"]) <= {"● 红灯", "● 黄灯", "● 红灯（人工认定）",
                                                                          "● 黄灯（人工认定）"}
    assert at.query_params["month"] == f"{latest.year}-{latest.month:02d}"


def test_filters_come_from_the_url_and_narrow_everything(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir, month="2024-06", list="task", township="T03")
    board = expected_board(demo_dir, dt.date(2024, 6, 30), Filters(list="task", township="T03"))
    assert at.title[0].value.startswith("三色看板 · 2024年6月通报 · ")
    assert "“一河一策”任务" in at.title[0].value and "锦江街道" in at.title[0].value
    assert metrics(at)["事项总数"] == f"{int(board.totals['n'].sum())} 项"
    assert metrics(at)["红灯"] == f"{board.count('red')} 项"
    assert at.selectbox(key="f_list").value == "task"


def test_changing_a_filter_updates_the_board_and_the_url(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir)
    at.selectbox(key="f_month").set_value("2023-07").run()
    at.selectbox(key="f_list").set_value("major").run()
    assert not at.exception
    board = expected_board(demo_dir, dt.date(2023, 7, 31), Filters(list="major"))
    assert metrics(at)["事项总数"] == f"{int(board.totals['n'].sum())} 项" == "8 项"
    assert at.query_params["month"] == "2023-07" and at.query_params["list"] == "major"


def test_unknown_values_in_the_link_are_ignored_with_a_warning(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir, river="R99", month="1999-01")
    assert r"river\=R99" in at.warning[0].value and r"month\=1999\-01" in at.warning[0].value  # shown as typed
    assert at.title[0].value.endswith("· 全区")


def test_markdown_in_a_link_stays_text(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir, township="![x](http://evil.example/x.png) [点击领取](http://evil.example)")
    shown = at.warning[0].value
    assert "](" not in shown and r"\!\[x\]\(http\:" in shown  # no image, no link: the characters themselves


def test_tiny_district_numbers_and_override_mark(monkeypatch, tiny_dir):
    at = run_app(monkeypatch, tiny_dir)
    assert metrics(at) == {"红灯": "3 项", "黄灯": "1 项", "绿灯": "1 项", "事项总数": "5 项"}
    assert [m.delta for m in at.metric][:4] == ["+3 项", "-1 项", "-2 项", "持平"]  # no arrow on a zero change
    assert "direction: NONE" in str(at.metric[3].proto) and "direction: UP" in str(at.metric[0].proto)
    assert "超过完成时限仍未完成" in " ".join(h.proto.body for h in at.get("html"))  # what a red light means, up top
    table = at.dataframe[0].value
    assert "● 红灯（人工认定）" in set(table.iloc[:, 0])
    assert not at.caption or "示例数据" not in at.caption[0].value  # real data carries no demo tag


@pytest.mark.parametrize("query,shown", [
    # 2023-05-31 by hand: A 90% on its deadline day (+10% ≥ 100%) green; B 10% against 41% yellow; C 80% against 83%
    # green; D 30% against 86% yellow; E 50% against 41% green.
    (dict(month="2023-05"), ("0 项", "2 项", "3 项", "5 项")),
    # 2023-06-30, 一河一策 only: A late (red), B 20% against 49% (yellow), E set red by the office.
    (dict(list="task"), ("2 项", "1 项", "0 项", "3 项")),
    (dict(township="T2"), ("1 项", "1 项", "0 项", "2 项")),  # 乙街道: D late (red), B yellow
])
def test_tiny_district_under_filters_by_hand(monkeypatch, tiny_dir, query, shown):
    at = run_app(monkeypatch, tiny_dir, **query)
    assert metrics(at) == dict(zip(("红灯", "黄灯", "绿灯", "事项总数"), shown))


def test_no_data_opens_the_start_page(monkeypatch, tmp_path):
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tmp_path))
    at = signed_in(AppTest.from_file(APP, default_timeout=30)).run()
    assert not at.exception
    assert at.title[0].value == "开始使用本区数据" and {b.label for b in at.button} >= {"先看看示例数据"}
    assert at.text_input[0].label.startswith("本区名称")


def test_water_page_on_the_demo(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir)
    at.switch_page("app_pages/water.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "水质 · 2024年12月 · 全区"
    assert [m.label for m in at.metric][:3] == ["断面达标率", "Ⅰ–Ⅲ类断面比例", "劣Ⅴ类断面"]
    worst = str(at.metric[2].proto)  # none this year or last: 持平, no arrow (it read '+0 个' with a red arrow)
    assert at.metric[2].value == "0 个" and 'delta: "持平"' in worst and "direction: NONE" in worst
    stories = " ".join(m.value for m in at.markdown)
    assert "清溪河、白沙河** 由2021年Ⅴ类改善为Ⅲ类" in stories
    assert len(at.get("plotly_chart")) == 3 and len(at.dataframe) == 4
    sections = at.dataframe[0].value
    assert len(sections) == 34 and set(sections["cls"]) <= {"Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"}
    ahead = at.dataframe[3].value  # December: the year is complete, each mean met or not
    assert len(ahead) == 35 * 2 and ahead["section_name"].iloc[0] == "全区河流断面均值（目标不一，按最严的Ⅱ类）"
    assert ahead["words"].str.startswith("全年均值").all()


def test_water_page_says_what_the_rest_of_the_year_must_average(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir, month="2024-07")
    at.switch_page("app_pages/water.py").run()
    assert not at.exception
    ahead = at.dataframe[3].value.set_index(["section_name", "factor_name"])
    district = ahead.loc[("全区河流断面均值（目标不一，按最严的Ⅱ类）", "总磷")]  # the demo's sections: Ⅱ and Ⅲ
    assert district["months"] == 7 and district["words"].startswith("剩余5个月均值需≤")
    assert district["need"] == pytest.approx((0.1 * 12 - district["mean"] * 7) / 5)
    assert any("预计无法达标" in w for w in ahead["words"])  # the demo's two rivers getting worse


def test_water_page_follows_the_filters_and_its_own_url_choice(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir, month="2023-06", river="R01", trend="S:S03")
    at.switch_page("app_pages/water.py").run()
    assert not at.exception
    assert at.title[0].value == "水质 · 2023年6月 · 玉带河"
    assert len(at.dataframe[0].value) == 5  # the main river's five sections
    assert at.dataframe[3].value["section_name"].iloc[0] == "玉带河断面均值"  # the scope's row names the river
    trend = [s for s in at.selectbox if s.label == "趋势对象"][0]
    assert trend.value == "S:S03" and at.query_params["trend"] == "S:S03"


def test_water_page_without_readings_says_so(monkeypatch, tiny_dir):
    at = run_app(monkeypatch, tiny_dir, month="2023-05")
    at.switch_page("app_pages/water.py").run()
    assert not at.exception
    assert "没有监测数据" in at.info[0].value


def test_water_page_of_a_month_without_readings_shows_the_latest_with_them(monkeypatch, tiny_late_water_dir):
    at = run_app(monkeypatch, tiny_late_water_dir, month="2023-06")
    at.switch_page("app_pages/water.py").run()
    assert not at.exception
    assert at.info[0].value == "2023年6月尚无监测数据，以下为最近有数据的2023年4月"
    assert at.dataframe[0].value["cls"].tolist() == ["Ⅲ类"]  # S1 in April, not a table of nothing
    assert at.metric[0].value == "100.0%"


def test_map_page_on_the_demo(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir, colour="lights")
    at.switch_page("app_pages/river_map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "河流地图 · 2024年12月通报 · 全区"
    assert at.get("component_instance"), "the map component is on the page"
    assert any("河流 70 条（区级 26 条）· 监测断面 34 个" in c.value for c in at.caption)
    assert at.query_params["colour"] == "lights"


def test_board_shows_changes_lights_this_year_supervision_and_notice(monkeypatch, tiny_dir):
    at = run_app(monkeypatch, tiny_dir)
    labels = {m.label: m.value for m in at.metric}
    assert labels["新亮红灯"] == "3 项" and labels["完成销号"] == "1 项"
    assert any("约谈 1 次 · 提醒 1 次" in m.value for m in at.markdown)
    labels = [b.label for b in at.get("download_button")]
    assert {"下载通报（Word）", "下载三色清单（Excel）"} <= set(labels)
    assert labels.count("下载图片（PNG）") == 2  # one per chart
    assert labels.count("下载表格（Excel）") == len(at.dataframe)  # one per table
    ytd = [d.value for d in at.dataframe if "red_lights" in d.value.columns][0]
    assert dict(zip(ytd["unit_name"], ytd["red_lights"])) == {"甲镇": 2, "乙街道": 1, "区水利局": 0}


def test_meeting_mode_pages_through_the_red_items(monkeypatch, tiny_dir):
    at = run_app(monkeypatch, tiny_dir)
    at.switch_page("app_pages/meeting.py").run()
    assert not at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "2023年6月通报亮灯情况" in html and "第 1 / 4 页" in html  # totals, 3 red (one screen), 1 yellow, per unit
    assert "3 项" in html and "较上期 +3" in html
    at.button[1].click().run()  # 下一页
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "红灯事项（1/1）" in html and "事项D" in html and "逾期 15 天" in html and "（人工认定）" in html
    assert at.query_params["screen"] == "2"


def test_meeting_mode_escapes_titles(monkeypatch, tmp_path):
    from tiny import tiny_tables

    tables = tiny_tables()
    tables["items"].loc[tables["items"]["item_id"] == "A", "title"] = "<script>alert(1)</script>"
    publishing.publish(tmp_path, tables, source="测试", created_by="tests")
    at = run_app(monkeypatch, tmp_path, screen="2")
    at.switch_page("app_pages/meeting.py").run()
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_item_page_shows_history_supervision_and_override_form(monkeypatch, tiny_dir):
    at = run_app(monkeypatch, tiny_dir, item="A")
    at.switch_page("app_pages/item.py").run()
    assert not at.exception
    assert at.title[0].value == "事项详情 · 2023年6月通报 · 全区"
    assert at.subheader[0].value == "事项A"
    assert any("● 红灯" in m.value and "截止2023年5月31日未完成，已逾期30天（完成95%）" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 2
    history = [d.value for d in at.dataframe if "light_text" in d.value.columns][0]
    assert history["light_text"].tolist() == ["红灯", "绿灯"]  # newest first
    supervision = [d.value for d in at.dataframe if "by_whom" in d.value.columns][0]
    assert supervision["kind"].tolist() == ["约谈"]


def test_item_override_through_the_page(monkeypatch, tiny_dir):
    at = run_app(monkeypatch, tiny_dir, item="B")
    at.switch_page("app_pages/item.py").run()
    at.radio[-1].set_value("green")
    at.text_area[0].input("现场核查进度正常")
    [b for b in at.button if b.label == "保存认定"][0].click().run()
    assert not at.exception
    history = Database(versions.current_version(tiny_dir)).query("item_history", item="B")
    assert history["light"].tolist() == ["yellow", "green"] and history["override_by"].iloc[-1] == "测试河长办"
    entry = audit.log(action="override").iloc[0]
    assert (entry["actor"], entry["target"]) == ("test-office", "B") and "现场核查进度正常" in entry["detail"]
    assert any("● 绿灯" in m.value and "现场核查进度正常" in m.value for m in at.markdown)
    assert at.success[0].value.startswith("已保存：生成新的数据版本 ")  # said once, after the rerun
    assert "人工认定" in at.info[0].value


def test_item_override_needs_reason_and_name(monkeypatch, tiny_dir):
    at = run_app(monkeypatch, tiny_dir, item="B")
    at.switch_page("app_pages/item.py").run()
    before = versions.current_version(tiny_dir).id
    at.radio[-1].set_value("red")
    [b for b in at.button if b.label == "保存认定"][0].click().run()
    assert "请填写认定理由" in at.error[0].value
    assert versions.current_version(tiny_dir).id == before


def test_score_page_ranks_and_explains(monkeypatch, tiny_dir):
    at = run_app(monkeypatch, tiny_dir)
    at.switch_page("app_pages/score.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "考核评分 · 2023年度（截至6月通报） · 全区"
    towns = at.dataframe[0].value
    assert towns["unit_name"].tolist() == ["乙街道", "甲镇"] and towns["total"].tolist() == [97, 95]
    evidence = [d.value for d in at.dataframe if "计分项" in d.value.columns][0]
    assert evidence.set_index("计分项").loc["红灯", "说明"].startswith("红灯")
    assert len(at.get("plotly_chart")) == 1  # the waterfall


def test_score_what_if_moves_the_ranking_and_saving_is_recorded(monkeypatch, tiny_dir):
    at = run_app(monkeypatch, tiny_dir)
    at.switch_page("app_pages/score.py").run()
    at.number_input(key="rule_complaint_points").set_value(-5.0).run()
    side = [d.value for d in at.dataframe if "rank_trial" in d.value.columns][0].set_index("unit_name")
    assert side.loc["乙街道", "total_trial"] == 93 and side.loc["乙街道", "rank_trial"] == 2
    assert side.loc["甲镇", "rank_trial"] == 1 and side.loc["甲镇", "change"] == 1
    assert at.dataframe[0].value["total"].tolist() == [97, 95]  # the official ranking is untouched
    [b for b in at.button if b.label == "保存为正式规则"][0].click().run()
    assert "已保存为正式规则" in at.success[0].value
    assert (tiny_dir / "rules" / "assessment.toml").read_text(encoding="utf-8").startswith("# 由 测试河长办")
    assert "[complaint]\npoints = -5.0" in audit.log(action="rules").iloc[0]["detail"]


def test_the_rules_file_is_read_once_until_it_changes(monkeypatch, tiny_dir):
    """The score page reads the office's rules (and remembers them as the last good ones) when the file changes,
    not on every run."""
    (tiny_dir / "rules").mkdir()
    rules_file = tiny_dir / "rules" / "assessment.toml"
    rules_file.write_text((ROOT / "riverchief" / "assessment_default.toml").read_text(encoding="utf-8"), encoding="utf-8")
    reads = []
    real = assessment_rules._read
    monkeypatch.setattr(assessment_rules, "_read", lambda path: reads.append(path.name) or real(path))
    at = run_app(monkeypatch, tiny_dir)
    at.switch_page("app_pages/score.py").run()
    at.run()
    assert not at.exception and reads == ["assessment.toml"]
    rules_file.write_text(rules_file.read_text(encoding="utf-8").replace("# ", "#  ", 1), encoding="utf-8")
    at.run()
    assert reads == ["assessment.toml", "assessment.toml"]


def test_score_page_says_when_the_rules_file_is_broken(monkeypatch, tiny_dir):
    (tiny_dir / "rules").mkdir()
    (tiny_dir / "rules" / "assessment.toml").write_text("base = [", encoding="utf-8")
    at = run_app(monkeypatch, tiny_dir)
    at.switch_page("app_pages/score.py").run()
    assert not at.exception
    assert "考核规则文件有误" in at.error[0].value and "默认规则" in at.error[0].value
    assert at.dataframe[0].value["total"].tolist() == [97, 95]


def test_the_pages_that_follow_the_rules_file_say_when_it_is_broken(monkeypatch, tiny_dir):
    """The board's warning, 水质's rivers judged and 整改进度's patrols follow the rules file: broken, each says
    so and what it decides there, and goes on with the last good (here the default) rules."""
    (tiny_dir / "rules").mkdir()
    (tiny_dir / "rules" / "assessment.toml").write_text("base = [", encoding="utf-8")
    at = run_app(monkeypatch, tiny_dir)
    for page, what in (("light_board", "下期预警的进度推算期数"), ("water", "按断面比例评价河流的断面数"),
                       ("progress", "各级河长每月应巡河次数")):
        at.switch_page(f"app_pages/{page}.py").run()
        said = [w.value for w in at.warning if "本区规则文件有误" in w.value]
        assert not at.exception and len(said) == 1 and what in said[0] and "默认规则" in said[0], page
        assert at.dataframe or at.get("plotly_chart"), page  # and the page goes on


def test_progress_page_every_tab(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir, month="2023-12")
    at.switch_page("app_pages/progress.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "整改进度 · 2023年（截至12月通报） · 全区"
    labels = {m.label: m.value for m in at.metric}
    assert labels["回头看抽查"] == "32 个" and labels["反弹"] == "2 个"
    assert labels["“一河一策”总体进度"].endswith("%")
    assert any("曝光10个，已整改7个，整改中3个" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 6  # flow, sources, overdue, S-curve, funds, levels


def test_progress_page_follows_the_filters(monkeypatch, demo_dir):
    at = run_app(monkeypatch, demo_dir, month="2024-06", township="T05")
    at.switch_page("app_pages/progress.py").run()
    assert not at.exception
    prog_rows = [d.value for d in at.dataframe if "problem_id" in d.value.columns and "source" in d.value.columns][0]
    db = Database(versions.current_version(demo_dir))
    expected = db.execute("SELECT count(*) n FROM problems WHERE notice_date = '2024-06-30' AND year(found_date) = 2024 "
                          "AND township_id = 'T05'")["n"][0]
    assert len(prog_rows) == expected
    assert {m.label: m.value for m in at.metric}["本年发现问题"] == f"{expected} 个"


def test_data_page_lists_versions_and_rolls_back(monkeypatch, tiny_dir):
    first = versions.current_version(tiny_dir)
    from tiny import tiny_tables

    second = publishing.publish(tiny_dir, tiny_tables(), source="第二次", created_by="测试员")
    at = run_app(monkeypatch, tiny_dir)
    at.switch_page("app_pages/data_admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "数据管理 · 导入与版本 · 全区"
    history = at.dataframe[0].value
    assert history["id"].tolist() == [second.id, first.id] and history["current"].tolist() == ["当前", ""]
    assert "下载模板" in [b.label for b in at.get("download_button")]
    [b for b in at.button if b.label == "回退"][0].click().run()
    assert versions.current_version(tiny_dir).id == first.id
    assert versions.commits(tiny_dir)[-1] == {**versions.commits(tiny_dir)[-1], "action": "rollback", "by": "test-office"}
    assert audit.log(action="rollback").iloc[0]["target"] == first.id


def test_an_override_imported_without_its_time_still_shows(monkeypatch, tiny_dir):
    """Item E's override came from a file with reason and name but no time: the page says so, no error."""
    at = run_app(monkeypatch, tiny_dir, item="E")
    at.switch_page("app_pages/item.py").run()
    assert not at.exception
    assert "现场核查与上报不符" in at.info[0].value and "时间未记录" in at.info[0].value


def test_the_board_warns_of_next_months_lights_and_says_how_good_the_warning_has_been(monkeypatch, demo_dir):
    from riverchief import outlook

    at = run_app(monkeypatch, demo_dir, month="2024-06")
    title = [h.value for h in at.subheader if h.value.startswith("下期预警")][0]
    trajectory = Database(versions.current_version(demo_dir)).query("item_trajectory", notice=dt.date(2024, 6, 30),
                                                                 **Filters().params())
    expected = outlook.warnings(trajectory, dt.date(2024, 6, 30))
    red, yellow = (expected["predicted"] == "red").sum(), (expected["predicted"] == "yellow").sum()
    assert title == f"下期预警：预计2024年7月通报新增红灯{red}项、黄灯{yellow}项" and red + yellow > 0
    table = [d.value for d in at.dataframe if "predicted_text" in d.value.columns][0]
    assert len(table) == red + yellow and table["reason"].str.contains("序时进度|届时将逾期").all()
    note = [e for e in at.expander if e.label == "口径说明"][0]
    assert any("预警回测" in m.value and "命中率" in m.value for m in note.markdown)


def test_the_pages_follow_the_policy_of_the_offices_rules_file(monkeypatch, demo_dir, tmp_path):
    """Patrols required, the sections that call for the share rule and the warning's pace are the office's rules
    (each unlike the default here), on the board, the progress page and the water page."""
    from riverchief import outlook
    from riverchief.water_report import load_water

    root = tmp_path / "data"
    shutil.copytree(demo_dir, root)  # the shared demo keeps the default rules
    policy = dict(patrols_required={"区级": 3, "镇级": 5, "村级": 7}, share_min_sections=2, pace_notices=1)
    assessment_rules.save_rules(root, dataclasses.replace(assessment_rules.default_rules(), **policy), "测试河长办")
    june = dt.date(2024, 6, 30)
    db = Database(versions.current_version(root))
    trajectory = db.query("item_trajectory", notice=june, **Filters().params())
    expected = outlook.warnings(trajectory, june, pace_notices=1)
    assert len(expected) != len(outlook.warnings(trajectory, june))  # the demo's warning does depend on the pace
    at = run_app(monkeypatch, root, month="2024-06")
    red, yellow = (expected["predicted"] == "red").sum(), (expected["predicted"] == "yellow").sum()
    assert f"下期预警：预计2024年7月通报新增红灯{red}项、黄灯{yellow}项" in [h.value for h in at.subheader]
    assert any("各事项近1期通报的实际进度" in c.value for c in at.caption)
    note = [e for e in at.expander if e.label == "口径说明"][0]
    assert any("近1期通报（不足1期按开始以来）" in m.value for m in note.markdown)

    at.switch_page("app_pages/progress.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("应巡次数：区级每月3次、镇级5次、村级7次" in m.value for m in at.markdown)
    patrols = [d.value for d in at.dataframe if "required" in d.value.columns][0]
    assert len(patrols) and (patrols["required"] == patrols["chief_level"].map({"区级": 3, "镇级": 5, "村级": 7}) * 6).all()

    at.switch_page("app_pages/water.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [d.value for d in at.dataframe if "method" in d.value.columns][0]
    judged = load_water(db, june, None, None, share_min_sections=2).rivers
    assert shown["method"].tolist() == judged["method"].tolist()
    assert ((judged["sections"] < 5) & (judged["method"] == "断面比例法")).any()  # judged by shares only under this rule
    note = [e for e in at.expander if e.label == "口径说明"][0]
    assert any("有2个及以上断面的河流按Ⅰ–Ⅲ类断面比例评价" in m.value for m in note.markdown)


def test_the_score_page_shows_where_a_section_cap_bit(monkeypatch, tiny_dir):
    from riverchief.assessment_rules import default_rules

    text = default_rules().to_toml().replace("full = 40.0", "full = 3.0").replace("full = 30.0", "full = 67.0")
    (tiny_dir / "rules").mkdir()
    (tiny_dir / "rules" / "assessment.toml").write_text(text, encoding="utf-8")
    at = run_app(monkeypatch, tiny_dir, score_unit="T1")
    at.switch_page("app_pages/score.py").run()
    assert not at.exception
    assert "三张清单落实扣分已达本项上限3分" in at.warning[0].value  # 甲镇: 2 red lights, −4, counted −3
    parts = [d.value for d in at.dataframe if "section" in d.value.columns][0].set_index("section")
    assert parts.loc["三张清单落实", ["full", "deducted", "counted", "score", "capped"]].tolist() == [3, 4, 3, 0, "已扣完"]
    evidence = [d.value for d in at.dataframe if "计分项" in d.value.columns][0].set_index("计分项")
    assert evidence.loc["扣完为止", "得分"] == 1


def test_a_long_table_sends_its_first_rows_says_so_and_exports_every_row(monkeypatch, demo_dir):
    from ui import tables

    monkeypatch.setattr(tables, "ROWS_SHOWN", 5)
    at = run_app(monkeypatch, demo_dir, role="analyst")
    at.switch_page("app_pages/water.py").run()
    assert not at.exception
    sections = at.dataframe[0]
    assert len(sections.value) == 5  # the water page's first table: 34 sections, 5 sent
    assert any(c.value.startswith("表中显示前5行（共34行）") and "下载Excel查看全部" in c.value for c in at.caption)
    styled = tables._head(pd.DataFrame({"cls": ["Ⅲ类", "Ⅴ类", "Ⅱ类"]}).style.map(
        lambda v: "background-color: red" if v == "Ⅴ类" else ""), 2)
    assert len(styled.data) == 2 and "background-color: red" in styled.to_html()  # the cell colours kept


def test_a_story_of_many_rivers_names_ten_and_says_how_many(monkeypatch, tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from loaders.demo import build_tables
    from scale import replicate

    publishing.publish(tmp_path, replicate(build_tables(), 3), source="测试", created_by="tests", demo=True)
    at = run_app(monkeypatch, tmp_path, role="analyst")
    at.switch_page("app_pages/water.py").run()
    assert not at.exception
    story = next(m.value for m in at.markdown if "改善为Ⅱ类" in m.value)
    assert story.count("、") == 9 and "等15条河流" in story  # the demo's five rivers, three times over


def test_the_progress_page_leaves_its_shared_data_as_it_found_it(monkeypatch, demo_dir):
    import dataclasses

    from riverchief.rectification import load_progress
    from ui import data

    at = run_app(monkeypatch, demo_dir, role="analyst")
    at.switch_page("app_pages/progress.py").run()
    assert not at.exception
    version = versions.current_version(demo_dir)
    shared = data.progress(str(version.root), version.id, version.notices[-1], Filters())  # what the page used
    fresh = load_progress(Database(version), version.notices[-1], Filters())
    for field in dataclasses.fields(fresh):
        a, b = getattr(shared, field.name), getattr(fresh, field.name)
        if isinstance(b, pd.DataFrame):  # the same rows and values, whatever the order of rows SQL left tied
            assert list(a.columns) == list(b.columns) and a.dtypes.equals(b.dtypes), field.name
            assert sorted(map(tuple, a.astype(str).to_numpy())) == sorted(map(tuple, b.astype(str).to_numpy())), field.name
        else:
            assert a == b


def test_the_office_relights_a_notice_and_changes_the_water_rule_on_the_data_page(monkeypatch, tiny_dir):
    from riverchief.office import database
    from tiny import N1

    before = versions.current_version(tiny_dir)
    at = run_app(monkeypatch, tiny_dir)
    at.switch_page("app_pages/data_admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    form = [ms for ms in at.multiselect if ms.label == "重新亮灯的通报"][0]
    form.set_value([N1])
    at.button(key="FormSubmitter:relight-按现行规则重新亮灯").click().run()
    assert "请先勾选确认" in at.error[0].value and versions.current_version(tiny_dir).id == before.id  # not without
    [ms for ms in at.multiselect if ms.label == "重新亮灯的通报"][0].set_value([N1])
    [c for c in at.checkbox if c.label.startswith("我已知晓")][0].check()
    at.button(key="FormSubmitter:relight-按现行规则重新亮灯").click().run()
    relit = versions.current_version(tiny_dir)
    assert relit.id != before.id and relit.manifest["relit"] == [N1.isoformat()]
    with database.session(database.default_url(tiny_dir)) as s:
        assert "2023-05-31" in [e.target for e in s.query(audit.AuditEntry).filter_by(action="relight")]
    at.switch_page("app_pages/data_admin.py").run()
    [sb for sb in at.selectbox if sb.label == "水质月值口径"][0].set_value("manual")
    at.button(key="FormSubmitter:water_rule-按此口径重建水质月值").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert versions.current_version(tiny_dir).manifest["water_rule"] == {"kind": "manual", "min_days": 20}


def test_a_change_that_rounds_to_nothing_reads_as_level(monkeypatch, demo_dir):
    """The demo's August TP mean moved by less than 0.0005 mg/L: 持平 beside its rate, never "-0.000"."""
    at = run_app(monkeypatch, demo_dir, month="2024-08")
    at.switch_page("app_pages/water.py").run()
    tp = [m for m in at.metric if m.label == "总磷均值"][0]
    assert tp.delta == "持平" and "0.000" not in tp.value


def test_water_cards_hold_short_values_and_the_rates_a_line_of_their_own(monkeypatch, demo_dir):
    """The cards cut `0.133 …` and `-0.001（改善率+0.…`: the value alone, the change alone, the rates under them."""
    from riverchief.water_report import load_water, ytd_means

    at = run_app(monkeypatch, demo_dir)
    at.switch_page("app_pages/water.py").run()
    view = load_water(Database(versions.current_version(demo_dir)), dt.date(2024, 12, 31), None, None)
    means = ytd_means(view.annual)
    cards = {m.label: m for m in at.metric}
    tp, nh3n = cards["总磷均值"], cards["氨氮均值"]
    assert tp.value == f"{means['tp'].value:.3f}" and nh3n.value == f"{means['nh3n'].value:.3f}"
    assert all(len(m.value) <= 8 and (m.delta is None or len(m.delta) <= 8) for m in at.metric)
    rates = [c.value for c in at.caption if "改善率" in c.value]
    assert rates == ["总磷、氨氮为1–12月各断面年均值的平均（mg/L）；改善率（与去年同期比较，正值为改善）："
                     f"总磷{means['tp'].rate:+.1%}，氨氮{means['nh3n'].rate:+.1%}"]


def test_water_tables_download_under_their_names(monkeypatch, demo_dir):
    """Not `水质_表1.xlsx`: what the table is and when (AppTest keeps a download's name on the server: recorded here)."""
    import streamlit as st

    names, button = [], st.download_button

    def recorded(*args, **kwargs):
        names.append(kwargs.get("file_name"))
        return button(*args, **kwargs)

    monkeypatch.setattr(st, "download_button", recorded)
    at = run_app(monkeypatch, demo_dir)
    at.switch_page("app_pages/water.py").run()
    assert "水质_断面水质_2024年12月.xlsx" in names and "水质_同比变化_2024年1–12月.xlsx" in names, names
