"""Every Word file the app writes, laid out as a 公文 (GB/T 9704-2012): A4, 版心 156 × 225 mm (top margin
37 mm, left 28 mm), title 2号 方正小标宋简体, body 3号 仿宋_GB2312 at 22 lines of 28 characters, level-1
headings 黑体, level-2 楷体_GB2312, page numbers `— 1 —` in 4号 宋体 on the outside edge, annexes (附件)
in landscape sections with column widths set from their content.

The font names are written as East Asian fonts, so the office's Word uses its own 仿宋_GB2312 etc.; where
they are missing (LibreOffice here), the CJK fallback still sets the page as intended.
"""
from __future__ import annotations

import unicodedata

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from rendering.safe import clean

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, NUMBER_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
TITLE_PT, BODY_PT, NUMBER_PT, TABLE_PT = 22, 16, 14, 10.5  # 2号, 3号, 4号, 5号
LINE_PT = 28.95  # 225 mm ÷ 22 lines
PORTRAIT = dict(width=Mm(210), height=Mm(297), top=Mm(37), bottom=Mm(35), left=Mm(28), right=Mm(26))
LANDSCAPE = dict(width=Mm(297), height=Mm(210), top=Mm(28), bottom=Mm(26), left=Mm(37), right=Mm(35))


def font(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a font for Latin and East Asian text alike (Word otherwise falls back for Chinese)."""
    f = run_or_style.font
    f.name = name
    if size:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page(section, layout: dict) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if layout["width"] > layout["height"] else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = layout["width"], layout["height"]
    section.top_margin, section.bottom_margin = layout["top"], layout["bottom"]
    section.left_margin, section.right_margin = layout["left"], layout["right"]
    section.footer_distance = Mm(28) if layout is PORTRAIT else Mm(15)


def _page_number(paragraph) -> None:
    """— PAGE — in 4号 宋体."""
    for text, field in (("— ", None), (None, "PAGE"), (" —", None)):
        run = paragraph.add_run()
        font(run, NUMBER_FONT, NUMBER_PT)
        if field is None:
            run.text = text
            continue
        for kind, instr in (("begin", None), (None, f" {field} "), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = instr
            run._r.append(el)


def _footers(section) -> None:
    """Odd pages numbered at the right, even pages at the left (the outside edge when printed both sides)."""
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        p.paragraph_format.right_indent = Pt(NUMBER_PT) if align == WD_ALIGN_PARAGRAPH.RIGHT else None
        p.paragraph_format.left_indent = Pt(NUMBER_PT) if align == WD_ALIGN_PARAGRAPH.LEFT else None
        _page_number(p)


def document() -> Document:
    """An empty 公文: A4 portrait, the body style, page numbers."""
    doc = Document()
    doc.settings.odd_and_even_pages_header_footer = True
    normal = doc.styles["Normal"]
    font(normal, BODY_FONT, BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    section = doc.sections[0]
    _page(section, PORTRAIT)
    _footers(section)
    return doc


def title(doc, text: str | tuple[str, ...] | list[str]) -> None:
    """The title, centred; given as lines, each starts a line of its own (so `2025年1月通报` is never split
    between two lines by the line filling up)."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(35)
    p.paragraph_format.space_after = Pt(LINE_PT)
    for k, line in enumerate([text] if isinstance(text, str) else text):
        if k:
            p.runs[-1].add_break()
        font(p.add_run(clean(line)), TITLE_FONT, TITLE_PT)


def body(doc, text: str, indent: bool = True, align=None):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    if align is not None:
        p.alignment = align
    font(p.add_run(clean(text)), BODY_FONT, BODY_PT)
    return p


def addressee(doc, text: str) -> None:
    """主送机关: below the title (after its blank line), flush left, ending with a full-width colon."""
    body(doc, text.rstrip("：:") + "：", indent=False)


def _keep(paragraph, last_lines: bool = False) -> None:
    """Keep on the page of the next paragraph; `last_lines`: the body's last paragraph, of which at least its
    last two lines go along (widow control), so the next page never starts with the closing alone."""
    paragraph.paragraph_format.keep_with_next = True
    if last_lines:
        paragraph.paragraph_format.widow_control = True


def attachments(doc, names: list[str]) -> None:
    """附件说明: one blank line below the body, two characters in, `附件：1．…`, the next names aligned under the
    first. The last body paragraph stays with it (and it with the signature), so the closing never stands
    alone on a page."""
    if doc.paragraphs:
        _keep(doc.paragraphs[-1], last_lines=True)
    for k, name in enumerate(names, start=1):
        label = "附件：" if k == 1 else "　　　"
        p = body(doc, f"{label}{k}．{name}" if len(names) > 1 else f"附件：{name}")
        if k == 1:
            p.paragraph_format.space_before = Pt(LINE_PT)
        _keep(p)


def _em(text: str) -> float:
    """Width in characters of the body size (digits and Latin letters are half a character)."""
    return _width(text) / 2


def closing(doc, issuer: str, date_text: str, note: str = "") -> None:
    """发文机关署名 and 成文日期 of a 公文 without a seal (GB/T 9704-2012 7.3.5.2): one blank line below the body
    or the 附件说明, the issuer two characters from the right, the date on the next line starting two characters
    right of the issuer's first character (when the date is the longer, it is two from the right and the issuer
    moves left). Then `note` as a 附注 in small type. Kept on the page of the last lines of the body."""
    if doc.paragraphs:
        _keep(doc.paragraphs[-1], last_lines=True)
    issuer_w, date_w = _em(issuer), _em(date_text)
    if date_w >= issuer_w - 2:
        date_right, issuer_right = 2, 4 + date_w - issuer_w
    else:
        issuer_right, date_right = 2, issuer_w - date_w
    for k, (text, right) in enumerate(((issuer, issuer_right), (date_text, date_right))):
        p = body(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(right * BODY_PT)
        if k == 0:
            p.paragraph_format.space_before = Pt(LINE_PT)
        if note or k == 0:
            _keep(p)
    if note:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(2 * TABLE_PT)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.space_before = Pt(6)
        font(p.add_run(clean(f"（{note}）")), BODY_FONT, TABLE_PT)


def properties(doc, title_text: str, comments: str) -> None:
    """The file's own title and a comment (the data version and filters: where the document came from)."""
    doc.core_properties.title = clean(title_text)
    doc.core_properties.comments = clean(comments)


def heading(doc, text: str, level: int = 1) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    font(p.add_run(clean(text)), H1_FONT if level == 1 else H2_FONT, BODY_PT)


def annex(doc, number: int | None, text: str) -> None:
    """A new landscape section: 附件N at the top left in 黑体, then the annex title."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, LANDSCAPE)
    _footers(section)
    p = doc.add_paragraph()
    font(p.add_run(f"附件{number}" if number else "附件"), H1_FONT, BODY_PT)
    title(doc, text)


def _width(text: str) -> int:
    """Display width: a Chinese character counts two, Latin letters and digits one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(doc, headers: list[str], rows: list[list[str]], total_mm: float = 225, shade=None) -> None:
    """A table in 5号 仿宋 whose column widths follow what the columns hold: each column gets what its
    longest usual entry needs, long text columns share what is left and wrap."""
    need = []
    for j, h in enumerate(headers):
        lengths = sorted(_width(r[j]) for r in rows) or [0]
        usual = lengths[int(0.9 * (len(lengths) - 1))]
        need.append(max(_width(h), min(usual, 60)) + 2)
    mm_per, padding = TABLE_PT * 0.3528 / 2 * 1.1, 4.0  # a Latin-width unit of 5号 type, and cell margins, in mm
    widths = [n * mm_per + padding for n in need]
    if sum(widths) > total_mm:  # long text columns give way (and wrap); short ones (dates, ids) never do
        floor = [w if n <= 16 else (_width(h) + 2) * mm_per + padding for w, n, h in zip(widths, need, headers)]
        excess = sum(widths) - total_mm
        flexible = sum(w - f for w, f in zip(widths, floor))
        widths = [w - (w - f) * excess / flexible for w, f in zip(widths, floor)] if flexible > 0 else widths
    else:
        widths = [w * total_mm / sum(widths) for w in widths]
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for cell, h in zip(t.rows[0].cells, headers):
        _cell(cell, h, H1_FONT)
    _repeat_header(t.rows[0])
    for r in rows:
        cells = t.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, r)):
            run = _cell(cell, text, BODY_FONT)
            if shade is not None:
                shade(j, text, cell, run)
    for j, w in enumerate(widths):  # the grid (LibreOffice reads it) and every cell (Word reads these)
        t.columns[j].width = Mm(w)
        for cell in t.columns[j].cells:
            cell.width = Mm(w)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)


def _cell(cell, text: str, name: str):
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = None
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    run = p.add_run(clean(text))
    font(run, name, TABLE_PT)
    return run


def _repeat_header(row) -> None:
    """The header row repeats on every page of a long annex."""
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)
