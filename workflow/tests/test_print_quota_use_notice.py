"""The printable 核准使用编制通知单 and its .docx: an issued notice's number, unit, quota type and amount, the people
entered against it, validity, document and issuing office; scoped (another region's: 404) and only once issued."""
import datetime
import io
from urllib.parse import quote

import pytest
from django.urls import include, path, reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

import config.urls
from accounts.roles import Role
from core.officialdoc import official_date
from institutions.tests.factories import InstitutionFactory
from quotas import services as ledger
from workflow import hiring, print_urls
from workflow import urls as workflow_urls
from workflow.models.requests import RequestState

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# The printouts' routes in the workflow's namespace (as the lead wires them), before the site's.
urlpatterns = [
    path("positions/", include(([*workflow_urls.urlpatterns, *print_urls.urlpatterns], "workflow"))),
    *config.urls.urlpatterns,
]
ISSUED = datetime.date(2026, 3, 2)


@pytest.fixture
def notice(library, clerk, decision):
    """An issued notice for 3 professional-technical quotas of 道里区图书馆, one person entered against it."""
    draft = hiring.quota_use_notice_create(institution=library, quota_type=ledger.quota_type_get(),
                                           category="professional", count=3, by=clerk,
                                           supervisor_opinion="同意。")
    issued = hiring.quota_use_notice_approve(notice=hiring.quota_use_notice_submit(notice=draft, by=clerk),
                                             by=clerk, document=decision, on=ISSUED)
    hiring.staff_entry_record(notice=issued, by=clerk, on=datetime.date(2026, 4, 1), band="junior",
                              person_name="张三")
    issued.refresh_from_db()
    return issued


def urls_of(notice) -> tuple[str, str]:
    return (reverse("workflow:quota-use-notice-print", args=[notice.pk]),
            reverse("workflow:quota-use-notice-docx", args=[notice.pk]))


def test_the_urls_sit_under_positions(notice):
    assert urls_of(notice) == (f"/positions/quota-use-notices/{notice.pk}/print/",
                               f"/positions/quota-use-notices/{notice.pk}/docx/")


def test_the_page_holds_number_unit_amount_people_and_validity(client, make_user, notice, decision):
    client.force_login(make_user(Role.HR_BUREAU))

    response = client.get(urls_of(notice)[0])

    assert response.status_code == 200
    html = response.content.decode()
    assert notice.number.startswith("哈编核〔2026〕") and notice.number in html
    assert "道里区图书馆" in html and "张三" in html and decision.number in html and decision.issuer in html
    figures = dict(response.context["doc"].figures)
    assert (figures["编制类型"], figures["岗位类别"]) == ("事业编制", "专业技术")
    assert [value for label, value in response.context["doc"].figures if value == "3"]  # quotas approved for use
    assert notice.taken_up == 1 and notice.remaining == 2
    assert notice.valid_until == ISSUED + datetime.timedelta(days=180)
    assert "css/print.css" in html and 'id="quota-use-notice"' in html


def test_the_docx_is_the_notice_in_the_official_layout(client, make_user, notice, decision):
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get(urls_of(notice)[1])

    assert response.status_code == 200
    assert quote(f"核准使用编制通知单-{notice.number}.docx") in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[:3] == [decision.issuer, notice.number, "核准使用编制通知单"]
    figures = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert figures["单位"] == "道里区图书馆" and figures["编制类型"] == "事业编制" and "3" in figures.values()
    assert [cell.text for cell in document.tables[1].rows[1].cells][0] == "张三"
    body = document.paragraphs[4]
    assert body.style.name == "公文正文" and body.style.font.size == Pt(16)
    assert body.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert document.sections[0].page_width == 11906 * 635  # A4


def test_a_district_office_opens_its_own_regions_notices_only(client, make_user, notice, daoli, nangang):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))
    assert [client.get(url).status_code for url in urls_of(notice)] == [200, 200]

    client.force_login(make_user(Role.DISTRICT_OFFICE, region=nangang))
    assert [client.get(url).status_code for url in urls_of(notice)] == [404, 404]


def test_a_notice_not_issued_is_no_document(client, make_user, clerk, nangang, staffed):
    palace = staffed(InstitutionFactory(region=nangang, name="南岗区少年宫"), 5, management=1)
    draft = hiring.quota_use_notice_create(institution=palace, quota_type=ledger.quota_type_get(),
                                           category="management", count=1, by=clerk)
    submitted = hiring.quota_use_notice_submit(
        notice=hiring.quota_use_notice_create(institution=palace, quota_type=ledger.quota_type_get(),
                                              category="management", count=1, by=clerk), by=clerk)
    client.force_login(make_user(Role.CITY_OFFICE))

    for request in (draft, submitted):
        assert [client.get(url).status_code for url in urls_of(request)] == [404, 404]


def test_a_closed_notice_still_prints_with_its_state(client, make_user, notice, clerk):
    hiring.quota_use_notice_execute(notice=notice, by=clerk, on=datetime.date(2026, 5, 1))
    client.force_login(make_user(Role.AUDITOR))

    response = client.get(urls_of(notice)[0])

    assert response.status_code == 200
    closed = str(RequestState.EXECUTED.label)
    assert any(closed in value and official_date(datetime.date(2026, 5, 1)) in value
               for _label, value in response.context["doc"].figures)


def test_the_pages_need_a_login_and_a_role(client, make_user, notice):
    assert [client.get(url).status_code for url in urls_of(notice)] == [302, 302]
    client.force_login(make_user(None))
    assert [client.get(url).status_code for url in urls_of(notice)] == [403, 403]
