"""An approval document's page (/documents/<id>/): the ledger's transfers under it with their total, the requests it
decided with links, its file as a download named by its number; a district office sees its own region's rows only.

Worked by hand: 道里区图书馆 is funded under 哈编发〔2024〕1号 with 10 quotas (a grant into 道里区's pool, then an
allocation to the library: 2 transfers, 20 quotas moved in all) and 南岗区's museum with 4 (2 transfers, 8): the
city office sees 4 transfers and 28 quotas, 南岗区's office its own 2 and 8.
"""
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from institutions.models import ApprovalDocument
from institutions.tests.factories import DocumentFactory, InstitutionFactory
from quotas import services as ledger
from workflow import hiring
from workflow.tests.conftest import *  # noqa: F403  (a city, users, documents, funding; the workflow's fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(fund, library, nangang):
    museum = InstitutionFactory(region=nangang, name="南岗区博物馆")
    fund(museum, 4)
    return library, museum


def page_of(client, document):
    return client.get(f"/documents/{document.pk}/")


def test_the_city_office_sees_every_transfer_and_decision_under_the_document(client, make_user, funded, document,
                                                                           clerk, decision):
    library, _museum = funded
    plan = hiring.hiring_plan_create(institution=library, year=2026, by=clerk, lines=[
        {"quota_type": ledger.quota_type_get(), "category": "professional", "count": 2}])
    hiring.hiring_plan_approve(plan=hiring.hiring_plan_submit(plan=plan, by=clerk), by=clerk, document=decision)
    client.force_login(make_user(Role.CITY_OFFICE))

    funding = page_of(client, document)
    decided = page_of(client, decision)

    assert funding.status_code == 200
    assert (funding.context["transfer_count"], funding.context["transfer_amount"]) == (4, 28)
    assert f'href="/units/{library.pk}/"' in funding.content.decode()
    assert [(kind.count, kind.rows) for kind in decided.context["citing"] if kind.rows] == [
        (1, [(str(plan), f"/positions/plans/{plan.pk}/")])]
    assert decided.context["transfer_count"] == 0
    with CaptureQueriesContext(connection) as one:
        page_of(client, decision)
    for year in (2024, 2025):  # more decisions under it cost no more queries (each listed with its unit's name)
        more = hiring.hiring_plan_create(institution=library, year=year, by=clerk, lines=[
            {"quota_type": ledger.quota_type_get(), "category": "professional", "count": 1}])
        hiring.hiring_plan_approve(plan=hiring.hiring_plan_submit(plan=more, by=clerk), by=clerk, document=decision)
    with CaptureQueriesContext(connection) as three:
        listed = [kind.rows for kind in page_of(client, decision).context["citing"] if kind.rows]
    assert [len(rows) for rows in listed] == [3]
    assert len(three) == len(one)


def test_a_district_office_sees_its_own_region_s_rows_only(client, make_user, funded, document, nangang):
    _library, museum = funded
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=nangang))

    page = page_of(client, document)

    assert (page.context["transfer_count"], page.context["transfer_amount"]) == (2, 8)
    html = page.content.decode()
    assert "南岗区博物馆" in html and "道里区图书馆" not in html


def test_the_file_downloads_under_the_document_s_number(client, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scanned = DocumentFactory(office_code="哈编发", year=2026, serial=30, title="关于设立的批复",
                              file=SimpleUploadedFile("scan.PDF", b"%PDF-1.4 scanned"))
    bare = DocumentFactory(office_code="哈编发", year=2026, serial=31, title="无附件")
    client.force_login(make_user(Role.AUDITOR))

    download = client.get(f"/documents/{scanned.pk}/file/")

    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 scanned"
    assert download["Content-Disposition"] == (  # the number and title, percent-encoded (RFC 5987)
        f"attachment; filename*=utf-8''{quote('哈编发〔2026〕30号 关于设立的批复.pdf')}")
    assert 'id="document-file"' in page_of(client, scanned).content.decode()
    assert client.get(f"/documents/{bare.pk}/file/").status_code == 404
    (tmp_path / scanned.file.name).unlink()
    assert client.get(f"/documents/{scanned.pk}/file/").status_code == 404  # lost on disk: not found, not a 500


def test_who_may_open_a_document(client, make_user, document):
    assert client.get(f"/documents/{document.pk}/")["Location"].startswith("/admin/login/")
    client.force_login(make_user(None))
    assert client.get(f"/documents/{document.pk}/").status_code == 403  # a login without a role
    client.force_login(make_user(Role.HR_BUREAU))
    assert client.get(f"/documents/{document.pk}/").status_code == 200
    missing = ApprovalDocument.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    assert client.get(f"/documents/{missing}/").status_code == 404
    assert client.get(f"/documents/{2**63}/").status_code == 404
