"""The supervision paper (督办通知／交办单, 提醒函) as a 公文 Word file (exports/gongwen.py)."""
from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH

from exports import gongwen
from riverchief.dates import cn_date
from riverchief.supervision import ITEM_HEADERS, Paper, item_lines


def paper_docx(paper: Paper, demo: bool) -> bytes:
    doc = gongwen.document()
    gongwen.title(doc, paper.title)
    gongwen.body(doc, paper.number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    if demo:
        gongwen.body(doc, "（示例数据，非真实情况）", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    gongwen.body(doc, "")
    gongwen.body(doc, f"{paper.addressee}：", indent=False)
    for text in paper.paragraphs[:1]:
        gongwen.body(doc, text)
    gongwen.table(doc, ITEM_HEADERS, item_lines(paper), total_mm=156)
    gongwen.body(doc, "")
    for text in paper.paragraphs[1:]:
        gongwen.body(doc, text)
    gongwen.body(doc, "")
    gongwen.body(doc, paper.issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    gongwen.body(doc, cn_date(paper.issued), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
