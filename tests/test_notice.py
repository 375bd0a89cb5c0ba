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
from riverchief import store
from riverchief.board import Filters
from riverchief.db import Database
from riverchief.notice import build_notice, load_changes, scope_words
from tiny import N1, N2


@pytest.fixture
def db(tiny_dir):
    return Database(store.current_version(tiny_dir))


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
    before = store.current_version(tiny_dir)
    after = store.override_light(tiny_dir, "B", N2, "green", "已核实进度正常", "河长办 李某")
    assert after.id != before.id and store.current_version(tiny_dir).id == after.id
    row = Database(after).query("item_history", item="B").set_index("notice_date").loc[pd.Timestamp(N2)]
    assert row["light"] == "green" and row["override_by"] == "河长办 李某" and "已核实进度正常" in row["light_reason"]
    assert pd.notna(row["override_at"])
    cleared = store.override_light(tiny_dir, "B", N2, None, "", "河长办 李某")
    assert Database(cleared).query("item_history", item="B")["light"].tolist() == ["yellow", "yellow"]


@pytest.mark.parametrize("args,message", [
    (("B", N2, "green", "  ", "某人"), "reason"), (("B", N2, "green", "理由", " "), "who"),
    (("B", N2, "blue", "理由", "某人"), "unknown light"), (("Z", N2, "green", "理由", "某人"), "not on the notice"),
])
def test_bad_overrides_are_refused_and_change_nothing(tiny_dir, args, message):
    before = store.current_version(tiny_dir).id
    with pytest.raises(store.StoreError, match=message):
        store.override_light(tiny_dir, *args)
    assert store.current_version(tiny_dir).id == before


def test_command_line_notice(tiny_dir, tmp_path):
    tmp_path = tmp_path / "out"  # tiny_dir is tmp_path itself
    out = subprocess.run([sys.executable, "-m", "exports", "notice", "--month", "2023-06", "--township", "T1",
                          "--out", str(tmp_path)], cwd=ROOT, env={"RIVERBOARD_DATA_DIR": str(tiny_dir), "PATH": ""},
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["三色亮灯通报_2023-06_甲镇.docx", "三色亮灯通报_2023-06_甲镇.xlsx"]
    text = "\n".join(p.text for p in Document(tmp_path / files[0]).paragraphs)
    assert "甲镇纳入“三张清单”管理的事项共3项，其中绿灯1项、黄灯0项、红灯2项" in text
    bad = subprocess.run([sys.executable, "-m", "exports", "notice", "--month", "1999-01", "--out", str(tmp_path)],
                         cwd=ROOT, env={"RIVERBOARD_DATA_DIR": str(tiny_dir), "PATH": ""}, capture_output=True, text=True)
    assert bad.returncode == 2 and "没有1999-01的通报快照" in bad.stderr


def test_demo_supervision_follows_the_lights_every_month(demo_dir):
    records = Database(store.current_version(demo_dir)).execute(
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

    version = store.current_version(demo_dir)
    notice = build_notice(Database(version), dt.date(2024, 10, 31), Filters(), "全区", version.manifest["district"])
    pages, images = render(notice_docx(notice, "范围：全区", demo=True), "notice_2024-10.docx",
                           ROOT / "tests" / "artifacts" / "notice")
    flagged = int((notice.table["light"] != "green").sum())
    assert flagged >= 5 and pages <= 5, pages  # text 2 pages, the red annex and the red-and-yellow list one each
    from PIL import Image

    sizes = [Image.open(p).size for p in images]
    assert sizes[0][0] < sizes[0][1] and sizes[-1][0] > sizes[-1][1]  # portrait text, landscape annex
