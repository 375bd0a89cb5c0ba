"""Exports opened and read back: chart PNGs, table workbooks, the meeting pack."""
import datetime as dt
import io
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from conftest import ROOT
from exports.images import SLIDE_DPI, available, chart_png
from exports.pack import build_pack
from exports.xlsx import table_xlsx
from output import figures
from riverchief import store
from riverchief.assessment_rules import default_rules
from riverchief.board import Filters, headline, load_board
from riverchief.db import Database
from tiny import N1
from tools import needs

# Only the tests that draw a chart need Chromium; the workbook test runs without it.
needs_chromium = needs(available, "Chromium (to render charts)")
NOTICE = dt.date(2024, 10, 31)


@pytest.fixture(scope="module")
def demo_db(demo_dir):
    return Database(store.current_version(demo_dir))


@needs_chromium
def test_chart_png_is_slide_sized_with_the_lights_drawn(demo_db):
    board = load_board(demo_db, NOTICE, Filters())
    png = chart_png(figures.lights_by_unit(board.by_unit, headline(board), "数据：测试"))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1600, 900)
    colours = set(image.get_flattened_data())
    assert (0xD9, 0x30, 0x25) in colours and (0x1E, 0x8E, 0x3E) in colours  # red and green bars
    # Chinese text renders as glyphs: the title row holds many dark pixels, not a few box outlines
    title_band = image.crop((0, 0, 1600, 60)).convert("L")
    assert sum(1 for p in title_band.get_flattened_data() if p < 100) > 2000


def test_table_workbook_styles_lights_and_classes():
    import pandas as pd

    frame = pd.DataFrame({"unit": ["甲镇", "乙镇"], "light": ["● 红灯", "● 黄灯（人工认定）"], "cls": ["Ⅲ类", "劣Ⅴ类"],
                          "rate": [0.5, 0.125]})
    wb = load_workbook(io.BytesIO(table_xlsx(frame, [("unit", "单位", 10), ("light", "灯色", 12), ("cls", "类别", 8),
                                                     ("rate", "比例", 8)], "范围：全区", "测试表", percent=("rate",))))
    ws = wb["测试表"]
    assert ws["A1"].value == "范围：全区" and [c.value for c in ws[2]] == ["单位", "灯色", "类别", "比例"]
    assert ws["A2"].font.bold and ws.column_dimensions["B"].width == 12
    assert ws["B3"].fill.fgColor.rgb[-6:] == "D93025" and ws["B4"].fill.fgColor.rgb[-6:] == "F2A900"
    assert ws["C3"].fill.fgColor.rgb[-6:] == "2E7D32" and ws["C4"].fill.fgColor.rgb[-6:] == "C62828"
    assert ws["D3"].number_format == "0.0%" and ws["D4"].value == 0.125


@needs_chromium
def test_meeting_pack_slides_and_numbers(demo_dir, demo_db):
    version = store.current_version(demo_dir)
    prs = Presentation(io.BytesIO(build_pack(demo_db, version, NOTICE, Filters(), "全区", default_rules())))
    assert len(prs.slides) == 11
    texts = [[sh.text_frame.text for sh in s.shapes if sh.has_text_frame] for s in prs.slides]
    assert "清溪区（示例）河长制工作调度" in texts[0] and any("示例数据" in t for t in texts[0])
    board = load_board(demo_db, NOTICE, Filters())
    assert [f"{board.count(l)} 项" for l in ("red", "yellow", "green")] == [t for t in texts[1] if t.endswith(" 项")]
    red_table = next(sh.table for sh in prs.slides[3].shapes if sh.has_table)
    assert len(red_table.rows) - 1 == min(8, board.count("red"))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 5  # lights by unit, flow, S-curve, TP, NH3-N: one a slide, at full width
    assert all(p.width >= Inches(12) for p in pictures)
    assert all(Image.open(io.BytesIO(p.image.blob)).size == (round(12.3 * SLIDE_DPI), round(5.75 * SLIDE_DPI))
               for p in pictures)  # rendered at the size shown, so its 18 pt labels are 18 pt on the slide
    sizes = [r.font.size.pt for s in prs.slides for sh in s.shapes if sh.has_text_frame and sh.top < Inches(6.9)
             for para in sh.text_frame.paragraphs for r in para.runs if r.font.size]
    assert min(sizes) >= 18  # every text but the footer line
    assert any(version.id in t for t in texts[-1]) and any("GB 3838-2002" in t for t in texts[-1])
    run = prs.slides[1].shapes[0].text_frame.paragraphs[0].runs[0]
    assert run._r.get_or_add_rPr().find(qn("a:ea")).get("typeface") == "微软雅黑"


@needs_chromium
def test_meeting_pack_says_an_empty_month_in_words(tiny_dir):
    version = store.current_version(tiny_dir)
    prs = Presentation(io.BytesIO(build_pack(Database(version), version, N1, Filters(), "全区", default_rules())))
    red = next(s for s in prs.slides if any(sh.has_text_frame and sh.text_frame.text.startswith("红灯事项") for sh in s.shapes))
    assert not any(sh.has_table for sh in red.shapes)
    assert any(sh.has_text_frame and sh.text_frame.text == "本月无红灯事项" for sh in red.shapes)


@needs_chromium
def test_meeting_pack_prints_readable(demo_dir, demo_db):
    """Rendered with LibreOffice: the slides to look at (tests/artifacts/pack/)."""
    from render import render

    version = store.current_version(demo_dir)
    pages, images = render(build_pack(demo_db, version, NOTICE, Filters(), "全区", default_rules()), "pack.pptx",
                           ROOT / "tests" / "artifacts" / "pack")
    assert pages == 11 and all(Image.open(p).size[0] > Image.open(p).size[1] for p in images)


@needs_chromium
def test_meeting_pack_from_the_command_line(demo_dir, tmp_path):
    out = subprocess.run([sys.executable, "-m", "exports", "pack", "--month", "2024-06", "--list", "task",
                          "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                         env={"RIVERBOARD_DATA_DIR": str(demo_dir), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    path = tmp_path / "会议材料_2024-06_“一河一策”任务.pptx"
    assert path.exists() and len(Presentation(path).slides) == 11
    assert out.stderr.strip().endswith(" s")  # how long it took, for the record
