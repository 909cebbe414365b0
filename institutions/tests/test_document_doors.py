"""Approval documents carry their issuing region: a district office writes only its own region's, a document that a
transfer or decision cites is frozen; readers get read-only pages, never a 500."""
import json

import pytest

from accounts.roles import Role
from institutions.models import ApprovalDocument
from institutions.tests.factories import CityFactory, DistrictFactory, DocumentFactory, InstitutionFactory
from quotas import services as ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(db):
    city = CityFactory(code="230100", name="哈尔滨市（市本级）")
    return {"city": city, "daoli": DistrictFactory(parent=city, code="230102", name="道里区"),
            "nangang": DistrictFactory(parent=city, code="230103", name="南岗区")}


def patch(client, document, **data):
    return client.patch(f"/api/v1/documents/{document.pk}/", json.dumps(data), content_type="application/json")


def test_a_district_office_reads_the_citys_documents_but_writes_only_its_own(api_client, make_user, regions):
    city_document = DocumentFactory(region=regions["city"])
    api_client.force_authenticate(make_user(Role.DISTRICT_OFFICE, region=regions["daoli"]))

    assert api_client.get(f"/api/v1/documents/{city_document.pk}/").status_code == 200
    refused = patch(api_client, city_document, title="改过的标题")
    assert refused.status_code == 403 and refused.json()["code"] == "another_region"
    city_document.refresh_from_db()
    assert city_document.title != "改过的标题"

    created = api_client.post("/api/v1/documents/", json.dumps({
        "number": "道编发〔2024〕3号", "issuer": "道里区委编办", "title": "批复", "date_issued": "2024-01-02",
        "date_effective": "2024-01-02"}), content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["region_code"] == "230102"
    own = ApprovalDocument.objects.get(pk=created.json()["id"])
    assert patch(api_client, own, title="更正").status_code == 200

    elsewhere = api_client.post("/api/v1/documents/", json.dumps({
        "number": "道编发〔2024〕4号", "issuer": "道里区委编办", "title": "批复", "date_issued": "2024-01-02",
        "date_effective": "2024-01-02", "region": regions["nangang"].pk}), content_type="application/json")
    assert elsewhere.status_code == 400 and "region" in elsewhere.json()["errors"]


def test_a_cited_document_is_frozen(api_client, make_user, regions):
    clerk = make_user(Role.CITY_OFFICE)
    document = DocumentFactory(region=regions["city"], year=2024)
    pool = ledger.account_for_region(region=regions["daoli"], quota_type=ledger.quota_type_get())
    ledger.quota_grant(target=pool, amount=5, document=document, effective_date=document.date_effective, by=clerk)
    api_client.force_authenticate(clerk)

    refused = patch(api_client, document, title="改过的标题")

    assert refused.status_code == 409 and refused.json()["code"] == "document_frozen"
    document.refresh_from_db()
    assert document.title != "改过的标题"
    fresh = DocumentFactory(region=regions["city"], year=2024)
    assert patch(api_client, fresh, title="更正").status_code == 200


@pytest.mark.parametrize("role", [Role.HR_BUREAU, Role.AUDITOR, Role.DISTRICT_OFFICE])
def test_readers_get_the_document_page_read_only(client, make_user, regions, role):
    document = DocumentFactory(region=regions["city"])
    client.force_login(make_user(role, region=regions["daoli"] if role == Role.DISTRICT_OFFICE else None,
                                 is_staff=True))

    page = client.get(f"/admin/institutions/approvaldocument/{document.pk}/change/")
    refused = client.post(f"/admin/institutions/approvaldocument/{document.pk}/change/", {"title": "改"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert refused.status_code == 403
    document.refresh_from_db()
    assert document.title != "改"


def test_a_reader_may_not_import_indicators_in_the_admin(client, make_user, regions):
    client.force_login(make_user(Role.AUDITOR, is_staff=True))

    assert client.get("/admin/allocation/regionindicator/import/").status_code == 403


def test_citywide_totals_are_for_citywide_roles(api_client, make_user, regions):
    InstitutionFactory(region=regions["daoli"])
    api_client.force_authenticate(make_user(Role.DISTRICT_OFFICE, region=regions["daoli"]))

    for by in ("level", "type"):
        answer = api_client.get("/api/v1/quota-accounts/totals/", {"by": by})
        assert answer.status_code == 403 and answer.json()["code"] == "citywide_only"
    assert api_client.get("/api/v1/quota-accounts/totals/", {"by": "region"}).status_code == 200
