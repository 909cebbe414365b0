"""Regulations and charters as .docx, from a Word template the office can replace (docxtpl).

The template is, in order of precedence: the file uploaded on the city's ``MandateTemplate`` (``mandate_docx`` /
``charter_docx``), the path in ``settings.MANDATES_DOCX_TEMPLATES[kind]``, the default shipped under
``mandates/templates_docx/<kind>.docx`` (built by ``build_default_template`` when missing). Its variables:
``title``, ``number`` (文号), ``issuer``, ``date`` (in words), ``articles`` (each with ``heading`` and
``paragraphs``). The default layout follows GB/T 9704: A4, margins 37/35/28/26 mm, the title in 小标宋 2号 (22 pt),
the body in 仿宋 3号 (16 pt).
"""
from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DEFAULT_DIR = Path(__file__).resolve().parent / "templates_docx"
KINDS = ("mandate", "charter")
BODY_FONT, BODY_PT = "FangSong", 16
TITLE_FONT, TITLE_PT = "FZXiaoBiaoSong-B05S", 22
HEADING_FONT = "SimHei"


def _font(style_or_run, name: str, size: int, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name, font.size, font.bold = name, Pt(size), bold
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def build_default_template(kind: str, path: Path) -> Path:
    """Write the default template of ``kind`` (``mandate``: articles; ``charter``: chapters with headings)."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    _font(normal, BODY_FONT, BODY_PT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    title_style = document.styles.add_style("Official Title", WD_STYLE_TYPE.PARAGRAPH)
    title_style.base_style = normal
    _font(title_style, TITLE_FONT, TITLE_PT)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.space_before = Pt(12)
    title_style.paragraph_format.space_after = Pt(24)
    title_style.paragraph_format.line_spacing = Pt(36)
    heading_style = document.styles.add_style("Official Heading", WD_STYLE_TYPE.PARAGRAPH)
    heading_style.base_style = normal
    _font(heading_style, HEADING_FONT, BODY_PT)
    heading_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    body_style = document.styles.add_style("Official Body", WD_STYLE_TYPE.PARAGRAPH)
    body_style.base_style = normal
    body_style.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    body_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    document.add_paragraph("{{ number }}", style=normal).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("{{ title }}", style=title_style)
    document.add_paragraph("{%p for article in articles %}", style=normal)
    if kind == "charter":
        document.add_paragraph("{{ article.heading }}", style=heading_style)
    document.add_paragraph("{%p for paragraph in article.paragraphs %}", style=normal)
    document.add_paragraph("{{ paragraph }}", style=body_style)
    document.add_paragraph("{%p endfor %}", style=normal)
    document.add_paragraph("{%p endfor %}", style=normal)
    document.add_paragraph("", style=normal)
    document.add_paragraph("{{ issuer }}", style=normal).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{{ date }}", style=normal).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def default_template(kind: str) -> Path:
    path = DEFAULT_DIR / f"{kind}.docx"
    if not path.exists():
        build_default_template(kind, path)
    return path


def template_source(kind: str, uploaded=None):
    """The template to render: the uploaded file, the configured path, or the default."""
    if uploaded:
        uploaded.open("rb")
        try:
            return io.BytesIO(uploaded.read())
        finally:
            uploaded.close()
    configured = getattr(settings, "MANDATES_DOCX_TEMPLATES", {}).get(kind)
    return str(configured) if configured else str(default_template(kind))


def render(kind: str, context: dict, *, uploaded=None) -> bytes:
    from docxtpl import DocxTemplate

    template = DocxTemplate(template_source(kind, uploaded))
    template.render(context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
