"""Direction notices as documents: the .docx opened and its numbers read back; the printable page; scoping."""
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from accounts.roles import Role
from institutions.tests.factories import AgencyFactory, InstitutionFactory
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, plan_counts, staff_counts
from reconciliation import notices, services

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2026, 3, 2)


@pytest.fixture
def bureau(daoli):
    return AgencyFactory(region=daoli, name="道里区文化局")


@pytest.fixture
def library(daoli, bureau, fund, filing):
    """20 approved; posts 4/14/2; staff 3/10/2 (15): 5 vacant, 4 to professional posts, 1 to management."""
    unit = InstitutionFactory(region=daoli, supervisor=bureau, name="道里区图书馆")
    fund(unit, 20)
    PositionPlanFactory(institution=unit, document=filing,
                        **plan_counts(management=4, professional=(1, 2, 5, 6), worker=2))
    StaffCountFactory(institution=unit, **staff_counts(management=3, professional=(1, 2, 3, 4), worker=2))
    return unit


@pytest.fixture
def archive(daoli, bureau, fund, filing):
    """8 approved; posts 2/5/1; staff 2/6/2 (10): over quota by 2."""
    unit = InstitutionFactory(region=daoli, supervisor=bureau, name="道里区档案馆")
    fund(unit, 8)
    PositionPlanFactory(institution=unit, document=filing,
                        **plan_counts(management=2, professional=(0, 1, 2, 2), worker=1))
    StaffCountFactory(institution=unit, **staff_counts(management=2, professional=(0, 1, 2, 3), worker=2))
    return unit


def docx_tables(content: bytes) -> tuple[list[list[list[str]]], list[str]]:
    document = Document(io.BytesIO(content))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return tables, [paragraph.text for paragraph in document.paragraphs]


def test_the_docx_of_a_unit_notice_carries_the_reconciliations_numbers(library, clerk, document):
    notice = services.position_notice_issue(institution=library, by=clerk, document=document, issued_on=ISSUED)

    with translation.override("en"):
        tables, paragraphs = docx_tables(notices.notice_docx(notice))

    summary, categories = tables
    assert summary == [["Approved quotas", "20"], ["Staff in quota", "15"], ["Vacant quotas (reserved excluded)", "5"],
                       ["Over quota", "0"]]
    assert categories == [
        ["Item", "management", "professional-technical", "worker-skill", "Total"],
        ["Posts (position plan)", "4", "14", "2", "20"],
        ["Staff in quota", "3", "10", "2", "15"],
        ["Posts lacking staff", "1", "4", "0", "5"],
        ["Over position", "0", "0", "0", "0"],
    ]
    assert paragraphs[1] == "哈编岗通〔2026〕1号"
    assert "Vacant quotas (5) go to posts lacking staff: 4 professional-technical, 1 management." in paragraphs
    assert any("哈编发〔2024〕1号" in text for text in paragraphs)


def test_the_numbers_stay_those_of_the_day_of_issue(library, clerk, document, fund):
    notice = services.position_notice_issue(institution=library, by=clerk, document=document, issued_on=ISSUED)
    fund(library, 3)  # the ledger moves afterwards

    tables, _paragraphs = docx_tables(notices.notice_docx(notice))

    assert tables[0][0][1] == "20"


def test_a_department_notice_lists_each_unit_and_the_totals(library, archive, bureau, clerk, document):
    batch = services.position_notices_issue_for_department(supervisor=bureau, by=clerk, document=document,
                                                           issued_on=ISSUED)

    with translation.override("en"):
        tables, paragraphs = docx_tables(notices.notice_docx(batch))

    assert tables[0] == [["Units", "2"], ["Approved quotas", "28"], ["Staff in quota", "25"],
                         ["Vacant quotas (reserved excluded)", "5"], ["Over quota", "2"]]
    unit_summaries = tables[1::2]
    assert sorted(summary[0][1] for summary in unit_summaries) == ["20", "8"]  # 图书馆 and 档案馆
    assert "道里区档案馆" in paragraphs and "道里区图书馆" in paragraphs
    assert any(text.startswith("Frozen (只出不进): staff in quota (10) exceed the approved quotas (8)")
               for text in paragraphs)


def test_the_printable_page_and_the_download(library, clerk, document, client, make_user):
    notice = services.position_notice_issue(institution=library, by=clerk, document=document, issued_on=ISSUED)
    client.force_login(make_user(Role.HR_BUREAU))

    page = client.get(reverse("reconciliation:notice", args=[notice.pk]), HTTP_ACCEPT_LANGUAGE="en")
    download = client.get(reverse("reconciliation:notice-docx", args=[notice.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "哈编岗通〔2026〕1号" in html and "道里区图书馆" in html
    assert "Vacant quotas (5) go to posts lacking staff" in html
    assert 'class="actions no-print"' in html
    assert download.status_code == 200
    assert download["Content-Type"] == notices.DOCX_CONTENT_TYPE
    assert "attachment" in download["Content-Disposition"]
    assert docx_tables(download.content)[0][0][0][1] == "20"


def test_another_districts_notice_answers_404(library, clerk, document, client, make_user, nangang):
    notice = services.position_notice_issue(institution=library, by=clerk, document=document, issued_on=ISSUED)
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=nangang))

    assert client.get(reverse("reconciliation:notice", args=[notice.pk])).status_code == 404
    assert client.get(reverse("reconciliation:notice-docx", args=[notice.pk])).status_code == 404
