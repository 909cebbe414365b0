"""The direction notice's .docx is an official document (core.officialdoc, GB/T 9704): A4, the issuing office in red
at the top, the number under it, the body in 仿宋 16 pt, signed and dated."""
import datetime
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from reconciliation import notices, services
from reconciliation.tests.test_notices import bureau, library  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_notice_docx_is_in_the_official_layout(library, clerk, document):  # noqa: F811
    notice = services.position_notice_issue(institution=library, by=clerk, document=document,
                                            issued_on=datetime.date(2026, 3, 2))

    docx = Document(io.BytesIO(notices.notice_docx(notice)))

    section = docx.sections[0]
    assert (section.page_width, section.page_height) == (11906 * 635, 16838 * 635)  # A4, in twips as Word keeps it
    mark, number, title, recipient = docx.paragraphs[:4]
    assert mark.text == document.issuer and str(mark.style.font.color.rgb) == "FF0000"
    assert number.text == notice.number and title.style.font.size == Pt(22)
    assert recipient.text.startswith(str(notice.addressee))
    body = docx.paragraphs[4]
    assert body.style.name == "公文正文" and body.style.font.size == Pt(16)
    assert body.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert docx.paragraphs[-2].text == document.issuer and docx.paragraphs[-1].style.name == "成文日期"
