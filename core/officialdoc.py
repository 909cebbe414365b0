"""Official documents (公文) as .docx in the GB/T 9704-2012 layout: the one builder of every document the platform
issues (the reconciliation's direction notices, the quota-use notices).

The layout: A4 (210 × 297 mm), margins top 37, bottom 35, left 28, right 26 mm; the issuing office's mark
(发文机关标志) centred in red 小标宋 at the top, the document number (发文字号, 哈编发〔2026〕12号) centred under it
over a red rule; the title in 小标宋 二号 (22 pt) centred; the main recipient (主送机关) flush left with a full-width
colon; the body in 仿宋 三号 (16 pt), each paragraph indented two characters, 28 pt a line (22 lines a page);
headings in 黑体 (first level) and 楷体 (second); the issuing office (发文机关署名) and the date (成文日期, in Arabic
numerals: 2026年12月3日) at the end, four characters in from the right; the page number centred in the footer as
"— 1 —". The styles carry Chinese names (公文正文, 公文标题, …) and their East-Asian fonts (``w:eastAsia``), so Word
and WPS show the Chinese fonts and an office can restyle a document by its styles.

An office may replace the base: ``settings.OFFICIAL_DOCX_TEMPLATE`` names a .docx whose page setup, headers and
footers and styles are kept (its body text is dropped); a style of ours it lacks is added with our defaults, one it
has is used as it is.
"""
from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_PT = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) * 72 / 25.4  # about 442 pt

BODY_FONT, BODY_PT = "仿宋", 16  # 三号
TITLE_FONT, TITLE_PT = "方正小标宋简体", 22  # 二号
HEADING_FONTS = {1: "黑体", 2: "楷体"}
TABLE_PT = 14  # 四号: tables may be set smaller than the body
PAGE_NUMBER_FONT, PAGE_NUMBER_PT = "宋体", 14  # 4号半角宋体
LATIN_FONT = "Times New Roman"
RED = "FF0000"
LINE_PT = 28
MARK_PT_RANGE = (22, 36)  # the mark: as large as fits on one line, from 二号 to 小初

# Our styles: name → (East-Asian font, size in pt, alignment, first-line indent in characters, bold, red).
STYLES = {
    "公文正文": (BODY_FONT, BODY_PT, "justify", 2, False, False),
    "发文机关标志": (TITLE_FONT, MARK_PT_RANGE[1], "center", 0, False, True),
    "发文字号": (BODY_FONT, BODY_PT, "center", 0, False, False),
    "公文标题": (TITLE_FONT, TITLE_PT, "center", 0, False, False),
    "主送机关": (BODY_FONT, BODY_PT, "left", 0, False, False),
    "一级标题": (HEADING_FONTS[1], BODY_PT, "left", 2, False, False),
    "二级标题": (HEADING_FONTS[2], BODY_PT, "left", 2, False, False),
    "发文机关署名": (BODY_FONT, BODY_PT, "right", 0, False, False),
    "成文日期": (BODY_FONT, BODY_PT, "right", 0, False, False),
    "公文表格": (BODY_FONT, TABLE_PT, "left", 0, False, False),
}

# Blank lines before and after a style, and characters it stands in from the right: the number two lines under the
# mark, the title two under the rule and one above the recipient, the signature one line under the body and two
# characters in (右空二字), the date four (右空四字).
SPACING = {"发文字号": (2, 0, 0), "公文标题": (2, 1, 0), "发文机关署名": (1, 0, 2), "成文日期": (0, 0, 4)}


@dataclass(frozen=True)
class Letterhead:
    """What a document says of itself: the office's mark and number at the top, the title and recipient, and
    the office and date it is signed with at the end."""

    issuer: str  # 发文机关标志 (printed in red at the top)
    number: str  # 发文字号
    title: str
    date: datetime.date  # 成文日期
    recipient: str = ""  # 主送机关
    signature: str = ""  # 发文机关署名; empty: the issuer


def official_date(day: datetime.date) -> str:
    """The date as a document is dated (成文日期): Arabic numerals, 2026年12月3日 in Chinese."""
    return _("%(month)s/%(day)s/%(year)s") % {"year": day.year, "month": day.month, "day": day.day}


def _set_fonts(style_or_run, east_asian: str, size_pt: float | None = None) -> None:
    """The East-Asian font (``w:eastAsia``) and a Latin font for digits and letters; python-docx's ``font.name``
    sets only the Latin ones."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style_or_run.font.name = LATIN_FONT
    if size_pt is not None:
        style_or_run.font.size = Pt(size_pt)
    fonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _alignment(name: str):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[name]


def _lay_out(style, name: str, size: float, align: str, indent: int) -> None:
    """A style's paragraph layout: alignment, first-line indent, line spacing, blank lines around it."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    layout = style.paragraph_format
    layout.alignment = _alignment(align)
    layout.first_line_indent = Pt(indent * size) if indent else None
    if name == "公文表格":  # single-spaced, a little air above and below each cell's text
        layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
        layout.space_before = layout.space_after = Pt(3)
        return
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(max(LINE_PT, size * 1.3))
    before, after, right = SPACING.get(name, (0, 0, 0))
    layout.space_before, layout.space_after = Pt(before * LINE_PT), Pt(after * LINE_PT)
    layout.right_indent = Pt(right * BODY_PT) if right else None


def _ensure_styles(document) -> None:
    """Add each of our styles the base lacks (a replaced template's own styles are left as they are)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    existing = {style.name for style in document.styles}
    for name, (font, size, align, indent, bold, red) in STYLES.items():
        if name in existing:
            continue
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.quick_style = True
        _set_fonts(style, font, size)
        style.font.bold = bold
        if red:
            style.font.color.rgb = RGBColor.from_string(RED)
        _lay_out(style, name, size, align, indent)


def _page_number_footer(section) -> None:
    """— PAGE — centred in the footer, in 4号宋体."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    run = paragraph.add_run()
    _set_fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _set_fonts(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)


def _default_base():
    """python-docx's blank document set up as GB/T 9704 asks: A4, the margins, the body font on Normal."""
    from docx import Document
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    _set_fonts(document.styles["Normal"], BODY_FONT, BODY_PT)
    _page_number_footer(section)
    return document


def _template_base(path: str):
    """The office's template: its page setup, headers, footers and styles; its body text dropped."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(path)
    body = document.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    return document


def base_document():
    """The document every official document starts from: the configured template, or our GB/T 9704 default."""
    path = getattr(settings, "OFFICIAL_DOCX_TEMPLATE", "") or ""
    document = _template_base(str(path)) if path else _default_base()
    _ensure_styles(document)
    return document


def _mark_size(issuer: str) -> int:
    """The mark's size in pt: as large as fits the text width on one line, within 二号 to 小初."""
    low, high = MARK_PT_RANGE
    return max(low, min(high, int(TEXT_WIDTH_PT / max(len(issuer), 1))))


def _red_rule(paragraph) -> None:
    """The red rule under the document number (版头中的分隔线), as the paragraph's bottom border."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", RED)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _table_borders(table) -> None:
    """Single black lines around and between cells (whatever table styles the base has)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(key), value)
        borders.append(line)
    table._tbl.tblPr.append(borders)


class OfficialDocument:
    """A document being written: the head on creation, then paragraphs, headings and tables, then ``finish``.

    >>> document = OfficialDocument(Letterhead(issuer=..., number=..., title=..., date=..., recipient=...))
    >>> document.paragraph("……")
    >>> data = document.finish()  # the .docx as bytes, signed and dated
    """

    def __init__(self, head: Letterhead) -> None:
        from docx.shared import Pt

        self.head = head
        self.document = base_document()
        mark = self.document.add_paragraph(head.issuer, style="发文机关标志")
        for run in mark.runs:
            run.font.size = Pt(_mark_size(head.issuer))
        _red_rule(self.document.add_paragraph(head.number, style="发文字号"))
        self.document.add_paragraph(head.title, style="公文标题")
        if head.recipient:
            self.document.add_paragraph(f"{head.recipient}{_(':')}", style="主送机关")

    def paragraph(self, text: str) -> None:
        self.document.add_paragraph(text, style="公文正文")

    def heading(self, text: str, level: int = 1) -> None:
        """A heading within the body: 一级 in 黑体, 二级 in 楷体."""
        self.document.add_paragraph(text, style="一级标题" if level == 1 else "二级标题")

    def table(self, header: Sequence[str] | None, rows: Iterable[Sequence]) -> None:
        """A bordered table in 四号仿宋 (header row repeated on each page); figures right-aligned."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        rows = [list(row) for row in rows]
        width = len(header) if header else max((len(row) for row in rows), default=1)
        table = self.document.add_table(rows=0, cols=width)
        _table_borders(table)

        def fill(cells, values, *, bold=False) -> None:
            for cell, value in zip(cells, values, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph.style = self.document.styles["公文表格"]
                paragraph.add_run("" if value is None else str(value)).bold = bold
                if isinstance(value, int) and not isinstance(value, bool):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

        if header:
            cells = table.add_row().cells
            fill(cells, header, bold=True)
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for row in rows:
            fill(table.add_row().cells, row)
        self.document.add_paragraph("", style="公文正文")

    def finish(self) -> bytes:
        """Sign and date the document and return the .docx."""
        self.document.add_paragraph(self.head.signature or self.head.issuer, style="发文机关署名")
        self.document.add_paragraph(official_date(self.head.date), style="成文日期")
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def docx_response(data: bytes, filename: str):
    """A download of a .docx named ``filename`` (RFC 5987, so a Chinese name survives)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    return HttpResponse(data, content_type=DOCX_CONTENT_TYPE,
                        headers={"Content-Disposition": content_disposition_header(True, filename)})
