"""Supervision papers: a 交办单 for red items and a 提醒函 for yellow ones, recorded as supervision, as Word
(rendered with LibreOffice into tests/artifacts/ to be looked at), from the item page and the command line."""
import datetime as dt


import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, signed_in
from exports.paper_files import paper_docx
from render import render
from riverchief import access, supervision, publishing, versions
from riverchief.db import Database
from tiny import N2

TODAY = dt.date(2023, 7, 3)


def test_a_red_item_gets_a_numbered_assignment_with_its_light_history(tiny_dir):
    db = Database(versions.current_version(tiny_dir))
    paper = supervision.build_paper(db, N2, "T1", ["A"], dt.date(2023, 7, 15), "区河长办公室", TODAY)
    assert (paper.kind, paper.title, paper.addressee) == ("交办", "河长制工作督办通知（交办单）", "甲镇")
    assert paper.number == "河长办交〔2023〕1号"
    assert paper.items.iloc[0]["history"] == "2023年5月绿灯 → 6月红灯"
    assert "2023年7月15日前" in paper.paragraphs[2] and "约谈" in paper.paragraphs[2]
    line = supervision.item_lines(paper)[0]
    assert line[:4] == ["事项A（一号河）", "2023年5月31日", "95%", "红灯"]
    assert line[4].startswith("截止2023年5月31日未完成") and line[4].endswith("亮灯记录：2023年5月绿灯 → 6月红灯")


def test_a_yellow_item_gets_a_reminder(tiny_dir):
    db = Database(versions.current_version(tiny_dir))
    paper = supervision.build_paper(db, N2, "D1", ["B"], dt.date(2023, 7, 15), "区河长办公室", TODAY)
    assert paper.kind == "提醒" and paper.number == "河长办提〔2023〕1号" and "约谈" not in paper.paragraphs[2]


@pytest.mark.parametrize("unit,items,reply,message", [
    ("T1", [], dt.date(2023, 7, 15), "请选择"),
    ("T1", ["C"], dt.date(2023, 7, 15), "责任单位不是"),  # C is 区水利局's
    ("D1", ["C"], dt.date(2023, 7, 15), "绿灯，无需督办"),
    ("T1", ["A"], TODAY, "应晚于发文日期"),
    ("T1", ["ZZ"], dt.date(2023, 7, 15), "不在2023年6月通报中"),
])
def test_papers_that_cannot_be_made_say_why(tiny_dir, unit, items, reply, message):
    db = Database(versions.current_version(tiny_dir))
    with pytest.raises(supervision.PaperError, match=message):
        supervision.build_paper(db, N2, unit, items, reply, "区河长办公室", TODAY)


def test_issuing_records_supervision_numbers_the_next_and_only_the_office_may(tiny_dir):
    from riverchief.office import actions

    version = versions.current_version(tiny_dir)
    paper = supervision.build_paper(Database(version), N2, "T1", ["A", "E"], dt.date(2023, 7, 15), "区河长办公室", TODAY)
    with pytest.raises(access.Forbidden):
        actions.issue_paper(access.Principal("fx", "分析", access.ANALYST), tiny_dir, paper, version.id)
    new = actions.issue_paper(access.Principal("hzb", "区河长办", access.OFFICE), tiny_dir, paper, version.id)
    records = Database(new).query("supervision_for", notice=N2, year=None, unit="T1", item=None)
    issued = records[records["kind"] == "交办"]
    assert sorted(issued["item_id"]) == ["A", "E"] and set(issued["by_whom"]) == {"区河长办"}
    assert issued["content"].str.startswith("河长办交〔2023〕1号《河长制工作督办通知（交办单）》").all()
    with pytest.raises(supervision.PaperError, match=r"已就“事项A”发出河长办交〔2023〕1号"):  # not a second number for A
        supervision.build_paper(Database(new), N2, "T1", ["A"], dt.date(2023, 7, 20), "区河长办公室", TODAY)
    again = supervision.build_paper(Database(new), N2, "T2", ["D"], dt.date(2023, 7, 20), "区河长办公室", TODAY)
    assert again.number == "河长办交〔2023〕2号"
    with pytest.raises(versions.StoreError, match="他人更新"):  # issued from a page read before the first one
        supervision.record(tiny_dir, again, "区河长办", version.id)


def test_the_assignment_opens_in_word_as_a_gongwen(tiny_dir):
    db = Database(versions.current_version(tiny_dir))
    paper = supervision.build_paper(db, N2, "T1", ["A", "E"], dt.date(2023, 7, 15), "区河长办公室", TODAY)
    data = paper_docx(paper, demo=False)
    from docx import Document
    import io

    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "河长制工作督办通知（交办单）" in text and "甲镇：" in text and "河长办交〔2023〕1号" in text
    cells = [c.text for t in Document(io.BytesIO(data)).tables for row in t.rows for c in row.cells]
    assert any(c.endswith("亮灯记录：2023年5月绿灯 → 6月红灯") for c in cells) and "事项E（一号河）" in cells
    pages, pngs = render(data, "交办单.docx", ROOT / "tests" / "artifacts" / "papers", dpi=80)
    assert pages == 1 and pngs  # two items, the request and the signature fit on one A4 page


def test_an_issued_paper_is_made_again_as_it_was_issued(tiny_dir):
    """Listed from its records and made again: the same number, dates, items and words — after the data moved on."""
    from riverchief.office import actions

    version = versions.current_version(tiny_dir)
    paper = supervision.build_paper(Database(version), N2, "T1", ["A", "E"], dt.date(2023, 7, 15), supervision.ISSUER, TODAY)
    new = actions.issue_paper(access.Principal("hzb", "区河长办", access.OFFICE), tiny_dir, paper, version.id)
    later = supervision.build_paper(Database(new), N2, "D1", ["B"], dt.date(2023, 7, 25), supervision.ISSUER,
                               dt.date(2023, 7, 10))
    newest = actions.issue_paper("tests", tiny_dir, later, new.id)
    issued = supervision.issued_papers(Database(newest))
    assert list(issued["number"]) == ["河长办提〔2023〕1号", "河长办交〔2023〕1号"]  # the newest first
    assert list(supervision.issued_papers(Database(newest), item="E")["number"]) == ["河长办交〔2023〕1号"]
    assert list(supervision.issued_papers(Database(newest), unit="D1")["number"]) == ["河长办提〔2023〕1号"]
    row = issued.iloc[1].to_dict()
    assert (row["addressee"], row["issued"], row["reply_by"], row["item_ids"]) == ("甲镇", TODAY, dt.date(2023, 7, 15),
                                                                                  ["A", "E"])
    tables = versions.read_tables(newest)  # later the office corrects June: A was done after all (green)
    june = tables["items"]["item_id"].eq("A") & (tables["items"]["notice_date"].astype(str).str[:10] == str(N2))
    tables["items"].loc[june, ["progress", "done_date"]] = [1.0, dt.date(2023, 6, 20)]
    publishing.publish(tiny_dir, tables, source="更正", created_by="tests")
    now = Database(versions.current_version(tiny_dir)).query("item_history", item="A")
    assert now.loc[now["notice_date"].astype(str).str[:10] == str(N2), "light"].iloc[0] == "green"
    again = supervision.reissue(tiny_dir, row)
    assert (again.number, again.issued, again.reply_by, again.paragraphs) == (paper.number, paper.issued,
                                                                              paper.reply_by, paper.paragraphs)
    assert supervision.item_lines(again) == supervision.item_lines(paper)  # still red in it, as it was sent


def test_the_office_issues_a_paper_from_the_item_page(monkeypatch, tiny_dir):
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.query_params["item"] = "B"
    at.run()
    at.switch_page("app_pages/item.py").run()
    assert not at.exception
    form = [e for e in at.expander if "督办：河长制工作提醒函" in e.label]
    assert form
    [b for b in at.button if b.label == "生成并登记"][0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已登记河长办提〔" in at.success[0].value
    assert any("已发督办文件（1份）" in m.value for m in at.markdown)
    [b for b in at.button if b.label == "生成并登记"][0].click().run()  # pressed again: no second number
    assert "已就“事项B”发出河长办提〔" in at.error[0].value
    reloaded = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))  # a new session (a reload)
    reloaded.query_params["item"] = "B"
    reloaded.run()
    reloaded.switch_page("app_pages/item.py").run()
    assert [b.label for b in reloaded.get("download_button") if b.label == "下载 Word"]
    version = versions.current_version(tiny_dir)
    records = Database(version).query("supervision_for", notice=N2, year=None, unit="D1", item="B")
    assert "提醒" in set(records["kind"]) and version.manifest["source"].startswith("河长办提〔")
    at.query_params["score_unit"] = "D1"
    at.switch_page("app_pages/score.py").run()  # the assessment's evidence of 区水利局 lists it
    evidence = [e for e in at.expander if e.label.startswith("本年督办记录")][0]
    assert "提醒2次" in evidence.label  # the tiny district's own reminder and the one just issued
    assert any(str(v).startswith("河长办提〔") for v in evidence.dataframe[0].value["content"])

    analyst = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), access.ANALYST)
    analyst.query_params["item"] = "B"
    analyst.run()
    analyst.switch_page("app_pages/item.py").run()
    assert not [e for e in analyst.expander if "督办" in e.label]


def test_the_command_line_writes_and_records_a_paper(monkeypatch, tiny_dir, tmp_path):
    from exports.__main__ import main

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    assert main(["paper", "--month", "2023-06", "--unit", "T1", "--light", "red", "--reply-by", "2099-07-15",
                 "--by", "区河长办 王某", "--out", str(tmp_path)]) == 0
    written = list(tmp_path.glob("*.docx"))
    assert len(written) == 1 and "甲镇" in written[0].name
    records = Database(versions.current_version(tiny_dir)).query("supervision_for", notice=N2, year=None, unit="T1",
                                                               item=None)
    assert sorted(records.loc[records["kind"] == "交办", "item_id"]) == ["A", "E"]
    assert main(["paper", "--month", "2023-06", "--unit", "T2", "--light", "yellow", "--reply-by", "2099-07-15",
                 "--by", "x", "--out", str(tmp_path)]) == 2  # 乙街道 has no yellow item
