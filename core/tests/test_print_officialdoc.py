"""The official-document builder (GB/T 9704): A4 with the standard's margins, the body in 仿宋 三号 (16 pt), the title
in 小标宋 二号 (22 pt), the mark in red, the number under it, signed and dated; an office's template replaces the
base."""
import datetime
import io

from django.test import override_settings
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.officialdoc import Letterhead, OfficialDocument, official_date

HEAD = Letterhead(issuer="哈尔滨市机构编制委员会办公室", number="哈编发〔2026〕12号", title="关于核准使用编制的通知",
                  date=datetime.date(2026, 12, 3), recipient="道里区机构编制委员会办公室")


def build(head: Letterhead = HEAD) -> Document:
    document = OfficialDocument(head)
    document.paragraph("经研究，同意你单位使用事业编制3名。")
    document.table(["项目", "编制数"], [["核定编制", 20], ["空编", 5]])
    return Document(io.BytesIO(document.finish()))


def east_asian_font(style) -> str | None:
    """The East-Asian font a style sets, or inherits from its base style."""
    while style is not None:
        fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
        style = style.base_style
    return None


def size_of(style):
    while style is not None:
        if style.font.size is not None:
            return style.font.size
        style = style.base_style
    return None


def paragraph_of(document, text: str):
    return next(paragraph for paragraph in document.paragraphs if paragraph.text == text)


def test_the_page_is_a4_with_the_standards_margins():
    section = build().sections[0]

    # Word keeps page sizes in twips (635 EMU): 210 mm is 11,906 twips, 7,560,310 EMU.
    assert (section.page_width, section.page_height) == (11906 * 635, 16838 * 635) == (7560310, 10692130)
    for measured, millimetres in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 37),
                                  (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(measured - Mm(millimetres)) < 635


def test_the_body_is_fangsong_16_pt_and_the_title_22_pt():
    document = build()

    body = paragraph_of(document, "经研究，同意你单位使用事业编制3名。")
    title = paragraph_of(document, "关于核准使用编制的通知")

    assert body.style.name == "公文正文" and east_asian_font(body.style) == "仿宋"
    assert size_of(body.style) == Pt(16) == 203200
    assert body.style.paragraph_format.first_line_indent == Pt(32)  # two characters
    assert all(run.font.size in (None, Pt(16)) for run in body.runs)
    assert title.style.name == "公文标题" and size_of(title.style) == Pt(22)
    assert east_asian_font(title.style) == "方正小标宋简体"
    assert title.alignment is None and title.style.paragraph_format.alignment == 1  # centred


def test_the_head_mark_number_and_recipient_then_the_signature_and_date():
    with translation.override("zh-hans"):
        document = build()

    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[:4] == ["哈尔滨市机构编制委员会办公室", "哈编发〔2026〕12号", "关于核准使用编制的通知",
                         "道里区机构编制委员会办公室："]
    mark = document.paragraphs[0]
    assert str(mark.style.font.color.rgb) == "FF0000"
    assert mark.runs[0].font.size == Pt(31)  # 14 characters on the 156 mm line
    number = document.paragraphs[1]
    assert number.style.name == "发文字号"
    assert number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "FF0000"  # the red rule
    assert texts[-2] == "哈尔滨市机构编制委员会办公室"
    assert document.paragraphs[-1].style.name == "成文日期"
    assert document.paragraphs[-1].style.paragraph_format.right_indent == Pt(64)  # 右空四字


def test_a_table_with_a_repeated_header_row():
    table = build().tables[0]

    assert [[cell.text for cell in row.cells] for row in table.rows] == [["项目", "编制数"], ["核定编制", "20"],
                                                                         ["空编", "5"]]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # figures right-aligned


def test_the_footer_numbers_the_pages():
    footer = build().sections[0].footer

    assert "PAGE" in footer._element.xml and footer.paragraphs[0].text == "—  —"


def test_dates_are_written_in_arabic_numerals():
    with translation.override("en"):
        assert official_date(datetime.date(2026, 12, 3)) == "12/3/2026"


def test_an_offices_template_gives_page_setup_and_styles(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches

    template = Document()
    template.sections[0].page_width, template.sections[0].page_height = Inches(8.5), Inches(11)
    style = template.styles.add_style("公文正文", WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(15)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    template.add_paragraph("模板里的示例文字")
    path = tmp_path / "office.docx"
    template.save(str(path))

    with override_settings(OFFICIAL_DOCX_TEMPLATE=str(path)):
        document = build()

    assert document.sections[0].page_width == Inches(8.5)
    body = paragraph_of(document, "经研究，同意你单位使用事业编制3名。")
    assert east_asian_font(body.style) == "仿宋_GB2312" and body.style.font.size == Pt(15)
    assert "模板里的示例文字" not in [paragraph.text for paragraph in document.paragraphs]
    assert paragraph_of(document, "关于核准使用编制的通知").style.name == "公文标题"  # added: the template lacked it
