"""Exports opened and read back: chart PNGs, table workbooks, the meeting pack."""
import datetime as dt
import io
import math
import subprocess
import sys
import unicodedata

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
from rendering import figures
from riverchief import publishing, versions
from riverchief.assessment_rules import default_rules
from riverchief.board import Filters, headline, load_board
from riverchief.db import Database
from tiny import N1, N2
from tools import needs

# Only the tests that draw a chart need Chromium; the workbook test runs without it.
needs_chromium = needs(available, "Chromium (to render charts)")
NOTICE = dt.date(2024, 10, 31)


@pytest.fixture(scope="module")
def demo_db(demo_dir):
    return Database(versions.current_version(demo_dir))


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


def test_table_workbook_writes_floats_without_binary_noise():
    import pandas as pd

    frame = pd.DataFrame({"x": [0.1 + 0.2, 0.61 - 1.0, float("nan")], "n": [1, 2, 3]})
    ws = load_workbook(io.BytesIO(table_xlsx(frame, [("x", "超标倍数", 8), ("n", "数", 6)], "范围：全区", "表")))["表"]
    assert [ws.cell(row=r, column=1).value for r in (3, 4, 5)] == [0.3, -0.39, None]


@needs_chromium
def test_chart_png_title_keeps_off_the_left_edge():
    """Exported chart titles touched the image's left edge."""
    import pandas as pd

    fig = figures.bars(pd.DataFrame({"k": ["甲", "乙"], "n": [3, 5]}), "k", [("n", "数量", figures.ACCENT)],
                       "标题标题标题", "数据：测试")
    image = Image.open(io.BytesIO(chart_png(fig))).convert("L")
    band = image.crop((0, 0, 1600, 90))
    dark = [x for x in range(1600) if any(band.getpixel((x, y)) < 128 for y in range(90))]
    assert dark and dark[0] >= 30, dark[:3]


@needs_chromium
def test_meeting_pack_slides_and_numbers(demo_dir, demo_db):
    version = versions.current_version(demo_dir)
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
    version = versions.current_version(tiny_dir)
    prs = Presentation(io.BytesIO(build_pack(Database(version), version, N1, Filters(), "全区", default_rules())))
    red = next(s for s in prs.slides if any(sh.has_text_frame and sh.text_frame.text.startswith("红灯事项") for sh in s.shapes))
    assert not any(sh.has_table for sh in red.shapes)
    assert any(sh.has_text_frame and sh.text_frame.text == "本月无红灯事项" for sh in red.shapes)
    water = next(s for s in prs.slides if s.shapes[0].text_frame.text.startswith("断面水质类别"))
    assert not any(sh.has_table for sh in water.shapes)  # no table of zeros under the words
    assert any(sh.has_text_frame and sh.text_frame.text == "所选范围内尚无监测数据" for sh in water.shapes)


@needs_chromium
def test_meeting_pack_prints_readable(demo_dir, demo_db):
    """Rendered with LibreOffice: the slides to look at (tests/artifacts/pack/)."""
    from render import render

    version = versions.current_version(demo_dir)
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


@pytest.fixture(scope="module")
def crowded_dir(tmp_path_factory):
    """A generated district of many units: the demo three times over (120 units), the departments under their
    long official names, every other item with a long title — many red items, long names to set."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from loaders.demo import build_tables
    from scale import replicate

    tables = replicate(build_tables(2023), 3)
    units = tables["units"]
    dept = units["kind"] == "部门"
    units.loc[dept, "name"] = units.loc[dept, "name"].str.replace("区住房城乡建委", "区住房和城乡建设委员会").str.replace(
        "区规划自然资源局", "区规划和自然资源局").str.replace("区生态环境局", "区生态环境保护局")
    items = tables["items"]
    longer = items["item_id"].str.len() % 2 == 0
    items.loc[longer, "title"] = items.loc[longer, "title"] + "（含配套管网、泵站及截污干管改造工程）"
    root = tmp_path_factory.mktemp("crowded")
    publishing.publish(root, tables, source="测试", created_by="tests", demo=True)
    return root


def _fits(text: str, width_pt: float, size: float) -> int:
    """Lines `text` takes at `size` in a cell `width_pt` wide (the test's own measure: a Chinese character one
    em, any other character two thirds of one — wider than any digit of the faces used — and the quarter em
    LibreOffice puts where Chinese meets Latin: `143 天`)."""
    wide = [unicodedata.east_asian_width(ch) in "WFA" for ch in text]
    em = sum(1 if w else 2 / 3 for w in wide) + 0.25 * sum(a != b for a, b in zip(wide, wide[1:]))
    return max(1, math.ceil(em * size / (width_pt - 14.4)))


@needs_chromium
def test_every_pack_table_ends_above_the_footer_and_no_name_breaks(crowded_dir):
    """The score slide's department table ran over the footer and broke `区生态环/境局`: every table's rows, at
    the height their text needs, end above the footer line; a unit's name is on one line; red items that do not
    fit go on a continued slide (续)."""
    version = versions.current_version(crowded_dir)
    db = Database(version)
    notice = dt.date(2024, 10, 31)
    prs = Presentation(io.BytesIO(build_pack(db, version, notice, Filters(), "全区", default_rules())))
    footer_top = min(sh.top for s in prs.slides for sh in s.shapes if sh.has_text_frame and "数据版本" in sh.text_frame.text
                     and sh.top > Inches(6))
    tables = [(s, sh) for s in prs.slides for sh in s.shapes if sh.has_table]
    assert len(tables) >= 5
    for slide, shape in tables:
        table = shape.table
        widths = [c.width / 12700 for c in table.columns]
        headers = [c.text for c in table.rows[0].cells]
        name_columns = [j for j, h in enumerate(headers) if h in ("单位", "责任单位")]
        bottom = shape.top
        for row in table.rows:
            texts = [cell.text for cell in row.cells]
            size = max(run.font.size.pt for cell in row.cells for p in cell.text_frame.paragraphs for run in p.runs)
            lines = max(_fits(t, w, size) for t, w in zip(texts, widths))
            assert row.height / 12700 >= lines * size * 1.4 + 7, (texts, lines)  # the row holds its text
            assert all(_fits(texts[j], widths[j], size) == 1 for j in name_columns), texts  # names on one line
            bottom += row.height
        assert bottom <= footer_top, slide.shapes[0].text_frame.text
    red = load_board(db, notice, Filters()).count("red")
    titles = [s.shapes[0].text_frame.text for s in prs.slides]
    assert red > 10 and f"红灯事项（{red}项，按责任单位）（续）" in titles
    shown = sum(len(sh.table.rows) - 1 for s in prs.slides if s.shapes[0].text_frame.text.startswith("红灯事项")
                for sh in s.shapes if sh.has_table)
    said = [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame and sh.text_frame.text.startswith("另有")]
    assert shown == red or said == [f"另有{red - shown}项，见每月亮灯通报附件。"]


@needs_chromium
def test_meeting_pack_water_of_a_month_without_readings(tiny_late_water_dir):
    """After a round the month had no readings: slide 8 said 本月无监测数据 over a table of zeros. Now it shows
    the latest month with readings and says so."""
    version = versions.current_version(tiny_late_water_dir)
    prs = Presentation(io.BytesIO(build_pack(Database(version), version, N2, Filters(), "全区", default_rules())))
    slide = next(s for s in prs.slides if s.shapes[0].text_frame.text.startswith("断面水质类别"))
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    assert texts[0] == "断面水质类别 · 2023年4月"
    assert "2023年6月尚无监测数据，以下为最近有数据的2023年4月" in texts
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    assert sum(int(table.cell(i, 1).text) for i in range(1, len(table.rows))) == 1  # S1, Ⅲ类
