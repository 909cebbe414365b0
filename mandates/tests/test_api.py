"""The mandates API as each role: a district office drafts its own region's, the city office approves; reads are
scoped (another region's row is 404); bad input answers 400 with field codes, never 500."""
from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from mandates import services
from mandates.models import Charter, Mandate, PartyOrganisation
from mandates.tests.conftest import DAY, charter_texts

pytestmark = pytest.mark.django_db
LIST = reverse("v1:mandate-list")


def detail(name, pk, action=None):
    return reverse(f"v1:{name}-{action or 'detail'}", kwargs={"pk": pk})


@pytest.fixture
def body(funded_centre, mandate_fields):
    return {"institution": funded_centre.pk, **mandate_fields}


def test_a_district_office_drafts_its_own_and_the_city_office_approves(
        api_client, as_role, daoli, body, document_on, funded_centre):
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    response = api_client.post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["articles"][5]["paragraphs"][0] == "第六条　道里区医疗保险服务中心核定事业编制20名。"
    document = document_on(datetime.date(2024, 3, 1))
    refused = api_client.post(detail("mandate", pk, "approve"), {"document": document.pk}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    as_role(Role.CITY_OFFICE)
    approved = api_client.post(detail("mandate", pk, "approve"), {"document": document.pk}, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved" and approved.json()["effective_date"] == "2024-03-01"
    changed = api_client.patch(detail("mandate", pk), {"nature": "改"}, format="json")
    assert changed.status_code == 409 and changed.json()["codes"]["status"] == ["not_draft"]
    docx = api_client.get(detail("mandate", pk, "docx"))
    assert docx.status_code == 200
    lines = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "第六条　道里区医疗保险服务中心核定事业编制20名。" in lines
    # In force: none the day before, this one from its effective date; ?on= must be a date.
    assert api_client.get(LIST, {"on": "2024-02-29"}).json()["count"] == 0
    assert [row["id"] for row in api_client.get(LIST, {"on": "2024-03-01"}).json()["results"]] == [pk]
    bad = api_client.get(LIST, {"on": "2024-13-01"})
    assert bad.status_code == 400 and "on" in bad.json()["errors"]


def test_another_regions_rows_are_404_to_read_and_refused_to_write(api_client, as_role, nangang, body, clerk,
                                                                    centre):
    mandate = services.mandate_create(by=clerk, institution=centre, duties=["职责"])
    as_role(Role.DISTRICT_OFFICE, region=nangang)
    assert api_client.get(detail("mandate", mandate.pk)).status_code == 404
    assert api_client.get(LIST).json()["count"] == 0
    assert api_client.patch(detail("mandate", mandate.pk), {"nature": "改"}, format="json").status_code == 404
    created = api_client.post(LIST, body, format="json")  # another region's unit: not one it may name
    assert created.status_code == 400 and created.json()["codes"]["institution"] == ["does_not_exist"]
    as_role(Role.AUDITOR)
    assert api_client.get(detail("mandate", mandate.pk)).status_code == 200
    refused = api_client.patch(detail("mandate", mandate.pk), {"nature": "改"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert Mandate.objects.get().nature == ""


@pytest.mark.parametrize("change, field, code", [
    ({"divisions": [{"name": "稽核科", "duties": ["稽核"]}]}, "divisions", "unknown_division"),
    ({"duties": "不是列表"}, "duties", "not_a_list"),
    ({"duties": [""]}, "duties.0", "blank"),
    ({"divisions": [{"duties": ["无名"]}]}, "divisions.0.name", "required"),
    ({"institution": "x"}, "institution", "incorrect_type"),
])
def test_bad_input_is_400_with_a_field_code_and_writes_nothing(api_client, as_role, body, change, field, code):
    as_role(Role.CITY_OFFICE)
    response = api_client.post(LIST, {**body, **change}, format="json")
    assert response.status_code == 400, response.json()
    assert code in response.json()["codes"].get(field, []), response.json()
    assert not Mandate.objects.exists()


def test_approval_input_and_the_diff(api_client, as_role, clerk, centre, document_on):
    first = services.mandate_create(by=clerk, institution=centre, duties=["职责一"])
    as_role(Role.CITY_OFFICE)
    url = detail("mandate", first.pk, "approve")
    assert api_client.post(url, {}, format="json").json()["codes"]["document"] == ["required"]
    early = api_client.post(url, {"document": document_on(DAY).pk, "effective_date": "2023-12-01"}, format="json")
    assert early.status_code == 400 and early.json()["codes"]["effective_date"] == ["before_document"]
    assert api_client.post(url, {"document": document_on(DAY).pk}, format="json").status_code == 200
    second = services.mandate_create(by=clerk, institution=centre, duties=["职责一", "职责二"])
    diff = api_client.get(detail("mandate", second.pk, "diff"))
    assert diff.status_code == 200, diff.json()
    changed = [row["number"] for row in diff.json()["articles"] if row["status"] == "changed"]
    assert changed == [4, 8]  # a duty more; the draft has no effective date yet (印发之日)
    assert api_client.get(detail("mandate", first.pk, "diff")).status_code == 400  # the first: nothing before it
    assert api_client.get(detail("mandate", first.pk, "diff"), {"against": "abc"}).status_code == 400
    other = services.mandate_create(by=clerk, institution=InstitutionFactory(region=centre.region), duties=["x"])
    assert api_client.get(detail("mandate", first.pk, "diff"), {"against": other.pk}).status_code == 400


def test_charters_over_the_api(api_client, as_role, daoli, centre, document_on):
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    url = reverse("v1:charter-list")
    refused = api_client.post(url, {"institution": centre.pk, **charter_texts(), "funding_source": "partial"},
                              format="json")
    assert refused.status_code == 400 and refused.json()["codes"]["funding_source"] == ["differs_from_registry"]
    assert not Charter.objects.exists()
    created = api_client.post(url, {"institution": centre.pk, **charter_texts()}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["funding_source"] == "full" and created.json()["sponsor"] == centre.supervisor_id
    assert [a["heading"] for a in created.json()["articles"]][0] == "第一章　总则"
    as_role(Role.CITY_OFFICE)
    approved = api_client.post(detail("charter", created.json()["id"], "approve"),
                               {"document": document_on(DAY).pk}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert api_client.get(detail("charter", created.json()["id"], "docx")).status_code == 200


def test_party_organisations_over_the_api(api_client, as_role, daoli, nangang, centre, document_on):
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    url = reverse("v1:party-organisation-list")
    document = document_on(datetime.date(2021, 5, 1))
    too_many = api_client.post(url, {"institution": centre.pk, "kind": "branch", "name": "党支部", "deputy_posts": 2,
                                     "document": document.pk, "date": "2021-05-01"}, format="json")
    assert too_many.status_code == 400 and too_many.json()["codes"]["deputy_posts"] == ["party_posts"]
    assert not PartyOrganisation.objects.exists()
    created = api_client.post(url, {"institution": centre.pk, "kind": "branch", "name": "党支部", "deputy_posts": 1,
                                    "document": document.pk, "date": "2021-05-01"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    renamed = api_client.post(detail("party-organisation", pk, "rename"), {
        "name": "机关党支部", "document": document_on(datetime.date(2022, 3, 1)).pk, "date": "2022-03-01"},
        format="json")
    assert renamed.status_code == 200, renamed.json()
    assert [event["kind"] for event in renamed.json()["events"]] == ["established", "renamed"]
    backwards = api_client.post(detail("party-organisation", pk, "adjust"), {
        "kind": "general_branch", "document": document.pk, "date": "2021-06-01"}, format="json")
    assert backwards.status_code == 400 and backwards.json()["codes"]["date"] == ["before_last_event"]
    as_role(Role.DISTRICT_OFFICE, region=nangang)
    assert api_client.get(detail("party-organisation", pk)).status_code == 404
    assert api_client.post(detail("party-organisation", pk, "rename"), {
        "name": "改", "document": document.pk, "date": "2022-05-01"}, format="json").status_code == 404


def test_odd_input_is_400_not_500(api_client, as_role, clerk, centre, document_on):
    mandate = services.mandate_create(by=clerk, institution=centre, duties=["职责"])
    organisation = services.party_organisation_establish(by=clerk, institution=centre, kind="branch", name="党支部",
                                                         document=document_on(DAY), date=DAY)
    as_role(Role.CITY_OFFICE)
    for value in ("99999999999999999999999", "²", "-1"):
        assert api_client.get(detail("mandate", mandate.pk, "diff"), {"against": value}).status_code == 400
    assert api_client.get(LIST, {"institution": "abc"}).status_code == 400
    assert api_client.get(LIST, {"status": "nonsense"}).status_code == 400
    no_name = api_client.post(detail("party-organisation", organisation.pk, "rename"), {
        "document": document_on(DAY).pk, "date": "2024-02-01"}, format="json")
    assert no_name.status_code == 400 and no_name.json()["codes"]["name"] == ["same_name"]
    assert api_client.post(detail("party-organisation", organisation.pk, "adjust"), {
        "document": "x", "date": "yesterday"}, format="json").status_code == 400
    not_a_dict = api_client.post(LIST, {"institution": centre.pk, "divisions": ["综合科"]}, format="json")
    assert not_a_dict.status_code == 400


def test_a_new_draft_starts_from_a_version(api_client, as_role, daoli, nangang, clerk, funded_centre, mandate_fields,
                                           document_on):
    approved = services.mandate_approve(mandate=services.mandate_create(
        by=clerk, institution=funded_centre, **mandate_fields), by=clerk, document=document_on(DAY))
    charter = services.charter_create(by=clerk, institution=funded_centre, **charter_texts())
    as_role(Role.DISTRICT_OFFICE, region=nangang)
    assert api_client.post(detail("mandate", approved.pk, "new-draft")).status_code == 404
    as_role(Role.AUDITOR)
    assert api_client.post(detail("mandate", approved.pk, "new-draft")).status_code == 403
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    made = api_client.post(detail("mandate", approved.pk, "new-draft"))
    assert made.status_code == 201, made.json()
    assert (made.json()["version"], made.json()["status"], made.json()["duties"]) == (
        2, "draft", mandate_fields["duties"])
    copied = api_client.post(detail("charter", charter.pk, "new-draft"))
    assert copied.status_code == 201 and copied.json()["version"] == 2
    assert copied.json()["address"] == charter_texts()["address"]
    assert Mandate.objects.count() == 2 and Charter.objects.count() == 2
