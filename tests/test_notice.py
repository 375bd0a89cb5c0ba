"""What changed, lights this year, supervision, the notice text and files, overrides, the CLI."""
import datetime as dt
import io
import subprocess
import sys

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import ROOT
from exports.notice_files import notice_docx, notice_xlsx
from riverchief import publishing, versions
from riverchief.board import Filters
from riverchief.db import Database
from riverchief.notice import build_notice, load_changes, scope_words, ytd_sentence, _list_words, change_summary
from tiny import N1, N2


@pytest.fixture
def db(tiny_dir):
    return Database(versions.current_version(tiny_dir))


def test_changes_item_by_item(db):
    changes = load_changes(db, N2, Filters())
    by_item = dict(zip(changes.items["item_id"], changes.items["change"]))
    # A green → red, B yellow → yellow, C done on 6-15 (closed), D yellow → red, E green → red (override)
    assert by_item == {"A": "newly_red", "B": "unchanged", "C": "closed", "D": "newly_red", "E": "newly_red"}
    assert changes.count("newly_red") == 3 and changes.count("closed") == 1


def test_first_notice_items_are_new(db):
    assert set(load_changes(db, N1, Filters()).items["change"]) == {"new"}


def test_lights_per_unit_counted_per_notice(db):
    ytd = load_changes(db, N2, Filters()).ytd.set_index("unit_name")
    # 甲镇: A red (N2), E red (N2) → 2 red; 区水利局: B yellow on N1 and N2 → 2 yellow; 乙街道: D yellow N1, red N2
    assert ytd.loc["甲镇", ["red_lights", "yellow_lights"]].tolist() == [2, 0]
    assert ytd.loc["区水利局", ["red_lights", "yellow_lights"]].tolist() == [0, 2]
    assert ytd.loc["乙街道", ["red_lights", "yellow_lights"]].tolist() == [1, 1]


def test_supervision_on_the_notice(db):
    records = load_changes(db, N2, Filters()).supervision
    assert sorted(records["kind"]) == ["提醒", "约谈"]
    assert db.query("supervision_for", notice=None, year=None, unit=None, item="A")["kind"].tolist() == ["约谈"]


def test_notice_text_numbers_equal_the_board(db):
    notice = build_notice(db, N2, Filters(), "全区", "测试区")
    assert notice.title == "测试区河长制“三张清单”2023年6月通报"
    first = notice.paragraphs[0]
    assert "共5项，其中绿灯1项、黄灯1项、红灯3项" in first
    assert "红灯增加3项，黄灯减少1项" in first and "新亮红灯3项" in first and "完成销号1项" in first
    assert "甲镇（2项）" in notice.paragraphs[2]
    assert notice.red_by_unit["item_id"].tolist() == ["D", "A", "E"]  # by unit name, then days overdue
    assert len(notice.table) == 5 and notice.table["light"].tolist()[:3] == ["red", "red", "red"]


def test_notice_files_read_back(db):
    notice = build_notice(db, N2, Filters(), "全区", "测试区")
    doc = Document(io.BytesIO(notice_docx(notice, "范围：全区", demo=False)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "共5项，其中绿灯1项、黄灯1项、红灯3项" in text
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    colours = doc.tables[1]
    lights = [row.cells[-1].text for row in colours.rows[1:]]
    assert lights.count("红灯") + lights.count("红灯（人工认定）") == 3 and "红灯（人工认定）" in lights

    wb = load_workbook(io.BytesIO(notice_xlsx(notice, "范围：全区", demo=False)))
    assert wb.sheetnames == ["通报", "三色清单", "与上期相比", "本年亮灯次数"]
    ws = wb["三色清单"]
    assert ws["A1"].value == "范围：全区" and ws["A2"].value == "编号"
    light_col = [c.value for c in ws[2]].index("灯色") + 1
    cells = [ws.cell(row=r, column=light_col) for r in range(3, ws.max_row + 1)]
    assert sum(c.value.startswith("红灯") for c in cells) == 3
    assert {c.fill.fgColor.rgb[-6:] for c in cells if c.value.startswith("红灯")} == {"D93025"}
    summary = {r[0]: r[1] for r in wb["通报"].iter_rows(values_only=True) if r and r[0] in ("红灯", "黄灯", "绿灯")}
    assert summary == {"红灯": 3, "黄灯": 1, "绿灯": 1}


def test_scope_words(db):
    assert scope_words(db, Filters()) == "全区"
    assert scope_words(db, Filters(township="T1", list="task")) == "甲镇 · “一河一策”任务"


def test_override_is_a_new_version_with_who_and_why(tiny_dir):
    before = versions.current_version(tiny_dir)
    after = publishing.override_light(tiny_dir, "B", N2, "green", "已核实进度正常", "河长办 李某")
    assert after.id != before.id and versions.current_version(tiny_dir).id == after.id
    row = Database(after).query("item_history", item="B").set_index("notice_date").loc[pd.Timestamp(N2)]
    assert row["light"] == "green" and row["override_by"] == "河长办 李某" and "已核实进度正常" in row["light_reason"]
    assert pd.notna(row["override_at"])
    cleared = publishing.override_light(tiny_dir, "B", N2, None, "", "河长办 李某")
    assert Database(cleared).query("item_history", item="B")["light"].tolist() == ["yellow", "yellow"]


@pytest.mark.parametrize("args,message", [
    (("B", N2, "green", "  ", "某人"), "须写明理由"), (("B", N2, "green", "理由", " "), "须写明认定人"),
    (("B", N2, "blue", "理由", "某人"), "“blue”无法识别"), (("Z", N2, "green", "理由", "某人"), "事项 Z 不在2023年6月通报中"),
])
def test_bad_overrides_are_refused_and_change_nothing(tiny_dir, args, message):
    before = versions.current_version(tiny_dir).id
    with pytest.raises(versions.StoreError, match=message):
        publishing.override_light(tiny_dir, *args)
    assert versions.current_version(tiny_dir).id == before


def test_command_line_notice(tiny_dir, tmp_path):
    tmp_path = tmp_path / "out"  # tiny_dir is tmp_path itself
    out = subprocess.run([sys.executable, "-m", "exports", "notice", "--month", "2023-06", "--township", "T1",
                          "--to", "甲镇人民政府", "--out", str(tmp_path)], cwd=ROOT, env={"RIVERBOARD_DATA_DIR": str(tiny_dir), "PATH": ""},
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["三色亮灯通报_2023-06_甲镇.docx", "三色亮灯通报_2023-06_甲镇.xlsx"]
    text = "\n".join(p.text for p in Document(tmp_path / files[0]).paragraphs)
    assert "甲镇纳入“三张清单”管理的事项共3项，其中绿灯1项、黄灯0项、红灯2项" in text and "\n甲镇人民政府：\n" in text
    bad = subprocess.run([sys.executable, "-m", "exports", "notice", "--month", "1999-01", "--out", str(tmp_path)],
                         cwd=ROOT, env={"RIVERBOARD_DATA_DIR": str(tiny_dir), "PATH": ""}, capture_output=True, text=True)
    assert bad.returncode == 2 and "没有1999-01的通报快照" in bad.stderr


def test_demo_supervision_follows_the_lights_every_month(demo_dir):
    records = Database(versions.current_version(demo_dir)).execute(
        "SELECT kind, count(*) n FROM supervision WHERE year(notice_date) = 2024 GROUP BY kind")
    n = dict(zip(records["kind"], records["n"]))
    assert n["通报"] == 12 and n["批示"] > 0 and n["约谈"] > 0 and n["提醒"] > 0  # the scale: test_demo.py


def test_the_notice_is_a_gongwen(db, tmp_path):
    """A4 公文 (GB/T 9704-2012): margins, fonts and sizes written into the file, page numbers on the outside
    edge, the item lists as landscape annexes."""
    from docx.shared import Mm

    notice = build_notice(db, N2, Filters(), "全区", "测试区")
    doc = Document(io.BytesIO(notice_docx(notice, "范围：全区", demo=False)))
    body, *annexes = doc.sections
    mm = lambda v: round(v / Mm(1))  # noqa: E731
    assert (mm(body.page_width), mm(body.page_height)) == (210, 297)
    assert (mm(body.top_margin), mm(body.bottom_margin), mm(body.left_margin), mm(body.right_margin)) == (37, 35, 28, 26)
    assert len(annexes) == 2 and all(mm(s.page_width) == 297 and mm(s.page_height) == 210 for s in annexes)
    east = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    title = doc.paragraphs[0].runs[0]
    assert title.element.rPr.rFonts.get(east) == "方正小标宋简体" and title.font.size.pt == 22
    assert doc.styles["Normal"].font.size.pt == 16
    assert doc.styles["Normal"].paragraph_format.line_spacing.pt == pytest.approx(28.95)
    texts = [p.text for p in doc.paragraphs]
    assert "附件：1．红灯事项清单（按责任单位）" in texts and "附件1" in texts and "附件2" in texts
    assert doc.settings.odd_and_even_pages_header_footer
    footer = body.footer.paragraphs[0]
    assert footer.text.startswith("— ") and "PAGE" in footer._p.xml and footer.alignment == 2  # right (odd pages)
    assert body.even_page_footer.paragraphs[0].alignment == 0  # left (even pages)
    assert footer.runs[0].element.rPr.rFonts.get(east) == "宋体" and footer.runs[0].font.size.pt == 14


def test_the_demo_notice_prints_as_a_short_gongwen(demo_dir):
    """Rendered with LibreOffice: A4 portrait text, landscape annexes, the yellow and red list on a few pages."""
    from render import render

    version = versions.current_version(demo_dir)
    notice = build_notice(Database(version), dt.date(2024, 10, 31), Filters(), "全区", version.manifest["district"])
    pages, images = render(notice_docx(notice, "范围：全区", demo=True), "notice_2024-10.docx",
                           ROOT / "tests" / "artifacts" / "notice")
    flagged = int((notice.table["light"] != "green").sum())
    assert flagged >= 5 and pages <= 5, pages  # text 2 pages, the red annex and the red-and-yellow list one each
    from PIL import Image

    sizes = [Image.open(p).size for p in images]
    assert sizes[0][0] < sizes[0][1] and sizes[-1][0] > sizes[-1][1]  # portrait text, landscape annex


def _ytd(*rows):
    return pd.DataFrame(rows, columns=["unit_name", "red_lights", "yellow_lights"])


def test_ytd_sentence_names_only_units_with_red_lights():
    """The demo's notice said 亮红灯次数较多的责任单位为…高峰镇（红灯0次、黄灯4次）: a unit with no red light is never
    among those with most red lights, and no count is printed as 0次."""
    text = ytd_sentence(_ytd(("甲镇", 3, 1), ("乙镇", 1, 0), ("丙镇", 0, 4)), 2025)
    assert "丙镇" not in text and "0次" not in text
    assert "亮过红灯的责任单位共2个：甲镇（红灯3次、黄灯1次）、乙镇（红灯1次）" in text and "较多" not in text


def test_ytd_sentence_most_red_lights_with_ties():
    many = _ytd(("甲镇", 5, 0), ("乙镇", 3, 2), ("丙镇", 2, 0), ("丁镇", 2, 1), ("戊镇", 1, 0))
    text = ytd_sentence(many, 2025)
    # the third place is shared by 丙镇 and 丁镇: both named (the one with more yellow lights first), 戊镇 not
    assert "亮红灯次数较多的责任单位为甲镇（红灯5次）、乙镇（红灯3次、黄灯2次）、丁镇（红灯2次、黄灯1次）、丙镇（红灯2次）。" in text
    assert "戊镇" not in text
    # every unit tied: all of them had red lights, none had "more"
    assert "较多" not in ytd_sentence(_ytd(("甲镇", 1, 0), ("乙镇", 1, 0), ("丙镇", 1, 0), ("丁镇", 1, 0)), 2025)


def test_ytd_sentence_one_unit_and_no_red_at_all():
    assert "亮过红灯的责任单位为甲镇（红灯2次）。" in ytd_sentence(_ytd(("甲镇", 2, 0)), 2025)
    text = ytd_sentence(_ytd(("甲镇", 0, 4), ("乙镇", 0, 1)), 2025)
    assert "各责任单位均未亮红灯" in text and "亮过黄灯的责任单位为甲镇（黄灯4次）、乙镇（黄灯1次）" in text
    assert "红灯0次" not in text and "较多" not in text
    assert ytd_sentence(_ytd(), 2025) == "2025年以来（按每期亮灯次数累计），各责任单位均未亮红灯、黄灯。"


def test_notice_sentences_print_no_run_of_zeros(db):
    """`新亮红灯0项，新亮黄灯0项` and `红灯0项、黄灯0项、绿灯8项` say nothing: the changes that happened, a list all green."""
    assert change_summary(load_changes(db, N2, Filters())) == "新亮红灯3项，完成销号1项"
    assert change_summary(load_changes(db, N1, Filters())) == "无新亮红灯、黄灯，无转为绿灯或完成销号的事项"
    assert _list_words("重大事项", 0, 0, 8) == "重大事项8项均为绿灯"
    assert _list_words("重大事项", 0, 1, 7) == "重大事项红灯0项、黄灯1项、绿灯7项"


def test_the_notice_has_addressee_signature_and_date_as_gongwen(db):
    """GB/T 9704-2012: the title set in lines (the period on one line), 主送 flush left after it, the 附件说明, the
    issuer above the 成文日期 at the right; the data version only in small print and the file's properties."""
    from riverchief import clock
    from riverchief.dates import cn_date

    notice = build_notice(db, N2, Filters(), "全区", "测试区")
    doc = Document(io.BytesIO(notice_docx(notice, "范围：全区 · 数据版本 V123", demo=False)))
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert title.text == "测试区河长制“三张清单”\n2023年6月通报" and "<w:br/>" in title._p.xml
    assert paragraphs[1].text == "各镇街、区级有关部门：" and paragraphs[1].paragraph_format.first_line_indent is None
    texts = [p.text for p in paragraphs]
    date = texts.index(cn_date(clock.today()))
    assert texts[date - 1] == "测试区河长办公室" and texts[date - 2] == "　　　2．红灯、黄灯事项清单"
    issuer, dated = paragraphs[date - 1], paragraphs[date]
    assert issuer.alignment == dated.alignment == 2  # right
    # in characters of 3号 (16 pt; a digit is half one): the date starts two characters right of the issuer's first
    # character, and whichever ends further right ends two characters from the right margin
    chars = lambda t: sum(0.5 if ch.isascii() else 1 for ch in t)  # noqa: E731
    starts = [p.paragraph_format.right_indent.pt / 16 + chars(p.text) for p in (issuer, dated)]
    assert starts[0] - starts[1] == pytest.approx(2)
    assert min(p.paragraph_format.right_indent.pt for p in (issuer, dated)) == pytest.approx(32)
    body = [p for p in paragraphs if "数据版本" in p.text]
    assert len(body) == 1 and body[0].runs[0].font.size.pt <= 10.5 and texts[date + 1] == body[0].text
    assert "V123" in doc.core_properties.comments
    closing = paragraphs[texts.index("附件：1．红灯事项清单（按责任单位）") - 1: date]
    assert all(p.paragraph_format.keep_with_next for p in closing)  # the closing stays with the body's last lines


def test_the_addressee_can_be_named(db):
    notice = build_notice(db, N2, Filters(unit="T1"), "甲镇", "测试区", addressee="甲镇人民政府")
    assert notice.addressee == "甲镇人民政府"


def test_the_demo_notice_closing_is_on_a_page_with_the_body(demo_dir):
    """December 2024 of the demo printed page 2 with only `2．红灯、黄灯事项清单` and the date on it; and a title
    broken inside `2025年1月`. Rendered with LibreOffice: the page with the date holds a sentence of the body,
    the period of the title is on one line, no paragraph of the text names the data version."""
    from render import page_texts, render
    from riverchief import clock
    from riverchief.dates import cn_date

    version = versions.current_version(demo_dir)
    notice = build_notice(Database(version), dt.date(2024, 12, 31), Filters(), "全区", version.manifest["district"])
    out = ROOT / "tests" / "artifacts" / "notice"
    render(notice_docx(notice, "范围：全区 · 数据版本 " + version.id, demo=True), "notice_2024-12.docx", out)
    pages = page_texts(out, "notice_2024-12.docx")
    dated = next(p for p in pages if cn_date(clock.today()) in p.replace(" ", ""))
    assert "亮灯次数将纳入年度考核。" in dated.replace(" ", "").replace("\n", "")  # the body's last sentence
    lines = [line.replace(" ", "") for line in pages[0].splitlines()]
    assert "2024年12月通报" in lines
    assert not any("数据版本" in line for line in lines[:-3] if line)  # only the small note, at the end
