"""The meeting pack (会议材料): one PowerPoint for a month and filters — cover, lights and what changed,
lights by unit, the red items, problems and tasks, TP and NH3-N with water classes, the score ranking.

Charts are the app's own figures rendered on the server (exports.images); Chinese text is set as East
Asian text (a:ea) so PowerPoint does not fall back to a font without the glyphs.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from rendering.safe import clean
from exports.images import slide_png
from exports.xlsx import auto_style
from riverchief import clock
from riverchief import rectification as R
from riverchief import water_rules
from riverchief.assessment import load_inputs, score_units
from riverchief.assessment_rules import Rules
from riverchief.board import Filters, headline
from riverchief.dates import cn_date, cn_month, cn_notice, cn_stamp
from riverchief.db import Database
from riverchief.lights import GREEN, LIGHT_COLOURS, LIGHT_NAMES, RED, YELLOW
from riverchief.notice import build_notice, change_summary
from riverchief.versions import Version
from riverchief.water_report import fallback_words, load_water, month_figures, trend_of
from rendering import figures

FONT = "微软雅黑"
GREY = RGBColor(0x5F, 0x63, 0x68)
WIDE = (Inches(13.333), Inches(7.5))
RED_PT = 18  # the red items' table
SCORE_HEADERS = ["名次", "单位", "总分", "红灯", "黄灯"]
RED_SLIDES = 2  # slides of red items at most; the rest are in the notice's annex


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _text(slide, text: str, left, top, width, height, size=20, bold=False, colour: RGBColor | None = None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = p.add_run()
        run.text = clean(line)
        _font(run, size, bold, colour)
    return box


def _font(run, size, bold=False, colour=None):
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set("typeface", FONT)
    if colour is not None:
        run.font.color.rgb = colour


def _slide(prs, title: str, footer: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _text(slide, title, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.8), size=30, bold=True)
    _text(slide, footer, Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4), size=11, colour=GREY)
    return slide


CHART = (Inches(0.5), Inches(1.15), 12.3, 5.75)  # left, top, width and height (inches) of a chart slide's chart


def _chart_slide(prs, title: str, footer: str, fig) -> None:
    """One chart per slide, at full width, its text rendered at the size it is shown."""
    slide = _slide(prs, title, footer)
    left, top, width, height = CHART
    png = slide_png(fig, width, height)
    slide.shapes.add_picture(io.BytesIO(png), left, top, width=Inches(width), height=Inches(height))


def _empty(slide, words: str) -> None:
    """An empty state said in words, where a table or chart would stand."""
    _text(slide, words, Inches(0.7), Inches(2.8), Inches(12), Inches(1.2), size=36, bold=True, colour=GREY)


FOOTER_TOP = Inches(7.0)  # where the footer line starts: every table ends above it
LINE = 1.45  # line height in ems of the CJK face that sets the slides (Noto Sans CJK in LibreOffice; YaHei ~1.3)
MARGIN_X, MARGIN_Y = Inches(0.1), Inches(0.05)  # python-pptx's cell margins, each side


def _pt(text, size: float, bold: bool = False) -> float:
    """Width in points of one line of `text` at `size`: a Chinese character (and “”) one em, others 0.65 (the
    digits of the Latin face LibreOffice and PowerPoint fall back to are up to 0.64 em), and a quarter em where
    Chinese meets Latin (`143 天`: the space both insert there)."""
    wide = [unicodedata.east_asian_width(ch) in "WFA" for ch in str(text)]
    em = sum(1 if w else 0.65 for w in wide) + 0.25 * sum(a != b for a, b in zip(wide, wide[1:]))  # CJK–Latin space
    return em * size * (1.05 if bold else 1)


def _row_height(values, widths, size: float) -> Emu:
    """The height a row takes: its cell of most lines at the column widths, plus the cell margins."""
    usable = [(w - 2 * MARGIN_X) / 12700 for w in widths]
    lines = max(max(1, math.ceil(_pt(v, size) / u - 1e-9)) for v, u in zip(values, usable))
    return Emu(int(Pt(lines * size * LINE)) + 2 * MARGIN_Y)


def _columns(texts: list[list[str]], width, size: float, flex: int, wrap: bool, floor: float = 12):
    """(size, widths): every column as wide as its widest entry (the header, in bold, included) and column `flex`
    the rest; when `flex` may not wrap (a unit's name) and does not fit, the type comes down to `floor`."""
    while True:
        need = [max(_pt(t, size, bold=(i == 0)) for i, t in enumerate(col)) * 1.06 + 2 * MARGIN_X / 12700
                for col in texts]
        rest = width / 12700 - (sum(need) - need[flex])
        least = need[flex] if not wrap else max(_pt(texts[flex][0], size, True) + 2 * MARGIN_X / 12700, 6 * size)
        if rest >= least or size <= floor:
            break
        size -= 1
    widths = [Emu(int(Pt(n))) for n in need]
    widths[flex] = Emu(int(width - sum(w for j, w in enumerate(widths) if j != flex)))
    return size, widths


def _table_rows(frame: pd.DataFrame, headers: list[str], width, size: float, flex: int, wrap: bool = False):
    """(size, widths, row heights with the header first) of a table laid out as `_table` sets it."""
    cells = [[h] + ["" if pd.isna(v) else str(v) for v in frame.iloc[:, j]] for j, h in enumerate(headers)]
    size, widths = _columns(cells, width, size, flex, wrap)
    heights = [_row_height([col[i] for col in cells], widths, size) for i in range(len(frame) + 1)]
    return size, widths, heights


def _rows_that_fit(heights, top, bottom=FOOTER_TOP - Inches(0.1)) -> int:
    """How many rows after the header fit between `top` and `bottom`."""
    room, n = bottom - top - heights[0], 0
    for h in heights[1:]:
        if h > room:
            break
        room, n = room - h, n + 1
    return n


def _table(slide, frame: pd.DataFrame, headers: list[str], left, top, width, size=14, colours=None, flex: int = 0,
           wrap: bool = False):
    """A table whose columns are as wide as their entries (column `flex` takes the rest; it wraps only when `wrap`)
    and whose rows are as high as their text needs, so its bottom is where it is drawn (`_rows_that_fit`)."""
    size, widths, heights = _table_rows(frame, headers, width, size, flex, wrap)
    rows, cols = len(frame) + 1, len(headers)
    shape = slide.shapes.add_table(rows, cols, left, top, width, Emu(sum(heights)))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = w
    for i, h in enumerate(heights):
        table.rows[i].height = h
    for j, h in enumerate(headers):
        cell = table.cell(0, j)
        cell.text = ""
        _font(cell.text_frame.paragraphs[0].add_run(), size, True)
        cell.text_frame.paragraphs[0].runs[0].text = h
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = "" if pd.isna(value) else clean(value)
            _font(run, size)
            fill = colours(value) if colours else None
            if fill:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(fill[0])
                run.font.color.rgb = _rgb(fill[1])
    return table


def build_pack(db: Database, version: Version, notice: dt.date, filters: Filters, scope: str, rules: Rules) -> bytes:
    district = version.manifest.get("district", "")
    demo = "（示例数据，虚构）" if version.is_demo else ""
    source = f"数据：{district}河长办 · {notice.isoformat()}快照 · 范围：{scope}" + (" · 示例数据" if version.is_demo else "")
    footer = f"{district}河长办 · {cn_notice(notice)} · 范围：{scope} · 数据版本 {version.id}{demo}"
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE

    # 1 cover
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, f"{district}河长制工作调度", Inches(0.8), Inches(2.2), Inches(11.7), Inches(1.2), size=44, bold=True)
    _text(slide, f"{cn_notice(notice)} · 范围：{scope}{demo}", Inches(0.8), Inches(3.5), Inches(11.7), Inches(0.8), size=24)
    _text(slide, f"{district}河长办 · {cn_date(clock.today())}", Inches(0.8), Inches(4.4), Inches(11.7),
          Inches(0.6), size=18, colour=GREY)

    # 2 lights and what changed
    notice_doc = build_notice(db, notice, filters, scope, district)
    board = notice_doc.board
    slide = _slide(prs, f"“三色”亮灯情况 · {cn_notice(notice)}", footer)
    for k, light in enumerate((RED, YELLOW, GREEN)):
        now = board.count(light)
        delta = "" if board.prev_notice is None else f"较上期 {now - board.count(light, True):+d}"
        left = Inches(0.7 + 4.1 * k)
        _text(slide, LIGHT_NAMES[light], left, Inches(1.4), Inches(3.8), Inches(0.7), size=28, bold=True,
              colour=_rgb(LIGHT_COLOURS[light]))
        _text(slide, f"{now} 项", left, Inches(2.1), Inches(3.8), Inches(1.4), size=66, bold=True)
        _text(slide, delta, left, Inches(3.6), Inches(3.8), Inches(0.6), size=20, colour=GREY)
    _text(slide, headline(board), Inches(0.7), Inches(4.5), Inches(12), Inches(0.9), size=24, bold=True)
    if board.prev_notice is not None:
        _text(slide, change_summary(notice_doc.changes), Inches(0.7), Inches(5.4), Inches(12), Inches(0.7), size=20)

    # 3 lights by unit
    _chart_slide(prs, "各责任单位亮灯情况（红灯、黄灯最多的8个单位）", footer,
                 figures.lights_by_unit(board.by_unit, headline(board), source, top=8))  # 8 rows read at 18 pt

    # 4 red items by unit: as many slides as they need, up to RED_SLIDES; the rest are in the notice's annex
    red = notice_doc.red_by_unit
    slide = _slide(prs, f"红灯事项（{len(red)}项，按责任单位）", footer)
    if red.empty:
        _empty(slide, "本月无红灯事项")
    else:
        rest = red.assign(days=red["days_overdue"].map(lambda d: "" if pd.isna(d) else f"{int(d)}天"))[
            ["unit_name", "item_id", "title", "days"]]
        headers, top, width = ["责任单位", "编号", "事项", "逾期"], Inches(1.2), Inches(12.3)
        for page in range(RED_SLIDES):
            if page:
                slide = _slide(prs, f"红灯事项（{len(red)}项，按责任单位）（续）", footer)
            _, _, heights = _table_rows(rest, headers, width, RED_PT, flex=2, wrap=True)
            last = page == RED_SLIDES - 1
            n = _rows_that_fit(heights, top, FOOTER_TOP - Inches(0.7 if last else 0.1))  # room for the line below
            n = len(rest) if n >= len(rest) else max(n, 1)
            _table(slide, rest.head(n), headers, Inches(0.5), top, width, size=RED_PT, flex=2, wrap=True)
            rest = rest.iloc[n:]
            if rest.empty:
                break
        if len(rest):
            _text(slide, f"另有{len(rest)}项，见每月亮灯通报附件。", Inches(0.5), FOOTER_TOP - Inches(0.6), Inches(12),
                  Inches(0.5), size=18, colour=GREY)

    # 5 problems and tasks
    prog = R.load_progress(db, notice, filters)
    fl = R.flow(prog.problems).set_index("stage")["n"]
    found, rectified = int(fl["发现"]), int(fl["已整改"])
    if found:
        _chart_slide(prs, "问题整改", footer, figures.bars(R.flow(prog.problems), "stage", [("n", "数量", figures.ACCENT)],
                                                        f"本年发现{found}个问题，已整改{rectified}个", source, horizontal=True))
    else:
        _empty(_slide(prs, "问题整改", footer), "本年尚无巡河、举报、督察发现的问题")
    curve = R.s_curve(prog.tasks)
    if len(curve):
        last = curve.iloc[-1]
        _chart_slide(prs, "“一河一策”任务推进", footer,
                     figures.lines(curve, "notice_date", [("planned", "计划（序时）", "#5F6368", "dash"),
                                                          ("actual", "实际", figures.ACCENT, "solid")],
                                   f"实际完成{last['actual']:.1%}，序时计划{last['planned']:.1%}", source, percent=True))

    # 6 TP and NH3-N of the most improved river, 7 water classes of the month
    view = load_water(db, notice, filters.township, filters.river, rules.share_min_sections)
    stories = view.stories
    improved = stories[stories["change"] == "改善"].sort_values(["water_class_first", "river_id"], ascending=[False, True])
    pick = improved["river_id"].iloc[0] if len(improved) else (view.series["river_id"].iloc[0] if len(view.series) else None)
    if pick is not None:
        trend = trend_of(view.series, river_id=pick)
        name = view.series.loc[view.series["river_id"] == pick, "river_name"].iloc[0]
        body = water_rules.body_of(view.series.loc[view.series["river_id"] == pick, "water_body"])
        for f in ("tp", "nh3n"):
            _chart_slide(prs, f"{water_rules.FACTOR_NAMES[f]}变化：{name}", footer,
                         figures.concentration_trend(trend, f, body, f"{water_rules.FACTOR_NAMES[f]}：{name}月均值与年均值", source))
    month = view.sections[view.sections["water_class"].notna()]
    slide = _slide(prs, f"断面水质类别 · {cn_month(view.month)}", footer)
    if len(month):  # the notice's month, or the latest with readings before it, said so
        counts = month["water_class"].value_counts()
        classes = pd.DataFrame([(water_rules.CLASS_NAMES[c], int(counts.get(c, 0))) for c in range(1, 7)],
                               columns=["类别", "断面数"])
        _table(slide, classes, ["类别", "断面数"], Inches(0.5), Inches(1.3), Inches(4.2), size=20, colours=auto_style)
        said = month_figures(view.sections)  # the water page's own figures
        _text(slide, f"达标率 {said['met'].value:.1%}\nⅠ–Ⅲ类比例 {said['good'].value:.1%}\n"
                     f"劣Ⅴ类断面 {int(said['worst'].value)} 个",
              Inches(5.2), Inches(1.4), Inches(7.5), Inches(2.2), size=28, bold=True)
        lines = [f"{r.river_name}：由{int(r.first_year)}年{water_rules.CLASS_NAMES[int(r.water_class_first)]}"
                 f"{r.change}为{water_rules.CLASS_NAMES[int(r.water_class)]}" for r in stories[stories["change"] != "持平"].itertuples()][:8]
        _text(slide, "\n".join(lines), Inches(5.2), Inches(3.8), Inches(7.5), Inches(3), size=20)
        if view.asked is not None:
            _text(slide, fallback_words(view), Inches(0.5), Inches(5.2), Inches(4.4), Inches(1.2), size=18, colour=GREY)
    else:
        _empty(slide, "所选范围内尚无监测数据")

    # 8 score ranking
    scores = score_units(load_inputs(db, notice), rules)
    slide = _slide(prs, f"考核得分 · {notice.year}年度（截至{notice.month}月通报）", footer)
    for k, kind in enumerate(("镇街", "部门")):
        group = scores[scores["unit_kind"] == kind].sort_values("rank")
        shown = pd.concat([group.head(5), group.tail(5)]).drop_duplicates("unit_id")
        shown = shown.assign(total_text=shown["total"].map(lambda v: f"{v:.1f}"))[
            ["rank", "unit_name", "total_text", "red_n", "yellow_n"]]
        fit = _rows_that_fit(_table_rows(shown, SCORE_HEADERS, Inches(6.0), 18, flex=1)[2], Inches(1.7))
        if fit < len(shown):  # the first and the last places that fit, never rows over the footer
            shown = pd.concat([shown.head(fit - fit // 2), shown.tail(fit // 2)])
        _text(slide, f"{kind}（前5名与后5名）", Inches(0.5 + 6.4 * k), Inches(1.1), Inches(6), Inches(0.5), size=18, bold=True)
        _table(slide, shown, SCORE_HEADERS, Inches(0.5 + 6.4 * k), Inches(1.7), Inches(6.0), size=18, flex=1)  # a name never breaks

    # last: what the numbers are, in one sentence each
    slide = _slide(prs, "数据与口径", footer)
    tolerance = version.tolerance
    _text(slide, f"数据版本：{version.id}，{cn_stamp(version.manifest.get('created_at', ''))} 由 {version.manifest.get('created_by', '')}"
                 f"发布（{version.manifest.get('source', '')}）{demo}。", Inches(0.7), Inches(1.5), Inches(12), Inches(1.6), size=20)
    _text(slide, f"亮灯口径：到期未完成为红灯；完成进度加{tolerance:.0%}容差仍落后于序时进度为黄灯；已完成、按序时推进或长期"
                 "任务本月已报送为绿灯；河长办人工认定的灯色以认定为准。", Inches(0.7), Inches(3.2), Inches(12), Inches(1.6), size=20)
    _text(slide, "水质口径：按《地表水环境质量标准》（GB 3838-2002）单因子评价，月均值计，检出限以下按检出限一半计。",
          Inches(0.7), Inches(4.9), Inches(12), Inches(1.2), size=20)

    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
