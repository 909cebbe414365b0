"""The admin writes through the services: drafts added and changed, approved versions read-only, approval by the
city office only (document and effective date), a new draft from a version; party organisations set up, renamed and
adjusted on their documents. A service's refusal is a form error on its field and writes nothing; another region's
rows are out of reach."""
from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from institutions.tests.factories import DivisionFactory, InstitutionFactory
from mandates import services
from mandates.models import Charter, Mandate, PartyEvent, PartyOrganisation
from mandates.tests.conftest import DAY, DIVISIONS, DUTIES, charter_texts

pytestmark = pytest.mark.django_db
MANDATES = reverse("admin:mandates_mandate_add")
CHARTERS = reverse("admin:mandates_charter_add")
PARTY = reverse("admin:mandates_partyorganisation_add")


def url(model: str, page: str, pk: int) -> str:
    return reverse(f"admin:mandates_{model}_{page}", args=[pk])


def form_codes(response, name: str = "adminform") -> dict[str, list[str]]:
    """The field codes of the page's form (the admin's change form, or a decision page's ``form``)."""
    form = response.context[name].form if name == "adminform" else response.context[name]
    return {field: [error.code for error in errors] for field, errors in form.errors.as_data().items()}


@pytest.fixture
def city_staff(make_user):
    return make_user(Role.CITY_OFFICE, is_staff=True)


@pytest.fixture
def daoli_staff(make_user, daoli):
    return make_user(Role.DISTRICT_OFFICE, region=daoli, is_staff=True)


@pytest.fixture
def nangang_staff(make_user, nangang):
    return make_user(Role.DISTRICT_OFFICE, region=nangang, is_staff=True)


def mandate_post(unit, **changes) -> dict:
    data = {"institution": unit.pk, "nature": "道里区人力资源和社会保障局所属公益一类事业单位",
            "duties": "\n".join(DUTIES), "function_shift": "推进医保经办服务便民化。",
            "divisions": '[{"name": "综合科", "duties": ["负责文电、会务、财务和后勤工作"]}, '
                         '{"name": "待遇审核科", "duties": ["负责医疗保险待遇审核"]}]',
            "affiliated_units": "", "other_matters": ""}
    return {**data, **changes}


# --- regulations --------------------------------------------------------------------------------------------------
def test_a_district_office_adds_and_changes_its_own_draft(client, daoli_staff, funded_centre):
    client.force_login(daoli_staff)
    assert client.get(MANDATES).status_code == 200
    response = client.post(MANDATES, mandate_post(funded_centre))
    assert response.status_code == 302, form_codes(response)
    mandate = Mandate.objects.get()
    assert (mandate.version, mandate.status, mandate.duties) == (1, "draft", DUTIES)
    assert mandate.divisions == DIVISIONS
    change = url("mandate", "change", mandate.pk)
    data = mandate_post(funded_centre, nature="改后的性质", affiliated_units="道里区医保服务站\n\n道里区医保档案室")
    del data["institution"]  # read-only once drafted
    assert client.post(change, data).status_code == 302
    mandate.refresh_from_db()
    assert mandate.nature == "改后的性质" and mandate.affiliated_units == ["道里区医保服务站", "道里区医保档案室"]
    assert mandate.history.count() == 2


def test_another_regions_unit_is_refused_and_its_rows_are_out_of_reach(client, nangang_staff, funded_centre,
                                                                      clerk, mandate_fields):
    client.force_login(nangang_staff)
    response = client.post(MANDATES, mandate_post(funded_centre))
    assert response.status_code == 200 and form_codes(response) == {"institution": ["invalid_choice"]}
    assert not Mandate.objects.exists()
    mandate = services.mandate_create(by=clerk, institution=funded_centre, **mandate_fields)
    assert client.get(url("mandate", "change", mandate.pk)).status_code == 302  # "does not exist": to the index
    assert client.get(url("mandate", "new_draft", mandate.pk)).status_code == 404
    assert client.post(url("mandate", "new_draft", mandate.pk)).status_code == 404
    assert Mandate.objects.count() == 1


def test_a_bad_division_is_a_form_error_and_nothing_is_written(client, daoli_staff, funded_centre):
    client.force_login(daoli_staff)
    response = client.post(MANDATES, mandate_post(funded_centre, divisions='[{"name": "不存在科", "duties": []}]'))
    assert response.status_code == 200 and form_codes(response) == {"divisions": ["unknown_division"]}
    assert not Mandate.objects.exists()


def test_only_the_city_office_approves_and_a_bad_date_is_a_form_error(
        client, daoli_staff, city_staff, funded_centre, clerk, mandate_fields, document_on):
    mandate = services.mandate_create(by=clerk, institution=funded_centre, **mandate_fields)
    approve = url("mandate", "approve", mandate.pk)
    document = document_on(datetime.date(2024, 3, 1))
    client.force_login(daoli_staff)
    assert client.get(approve).status_code == 403
    assert client.post(approve, {"document": document.pk}).status_code == 403
    client.force_login(city_staff)
    assert client.get(approve).status_code == 200
    missing = client.post(approve, {"effective_date": "2024-03-01"})
    assert missing.status_code == 200 and form_codes(missing, "form") == {"document": ["required"]}
    early = client.post(approve, {"document": document.pk, "effective_date": "2024-02-29"})
    assert early.status_code == 200 and form_codes(early, "form") == {"effective_date": ["before_document"]}
    ancient = client.post(approve, {"document": document.pk, "effective_date": "1940-01-01"})
    assert ancient.status_code == 200 and "effective_date" in form_codes(ancient, "form")
    mandate.refresh_from_db()
    assert mandate.status == "draft" and mandate.document is None
    done = client.post(approve, {"document": document.pk, "effective_date": "2024-04-01"})
    assert done.status_code == 302 and done["Location"] == url("mandate", "change", mandate.pk)
    mandate.refresh_from_db()
    assert (mandate.status, mandate.document, mandate.issued_on, mandate.effective_date) == (
        "approved", document, datetime.date(2024, 3, 1), datetime.date(2024, 4, 1))
    assert mandate.articles[6]["paragraphs"][0] == "第六条　道里区医疗保险服务中心核定事业编制20名。"


def test_an_approved_version_is_read_only_and_a_new_draft_starts_from_it(
        client, daoli_staff, funded_centre, clerk, mandate_fields, document_on):
    approved = services.mandate_approve(mandate=services.mandate_create(
        by=clerk, institution=funded_centre, **mandate_fields), by=clerk, document=document_on(DAY))
    client.force_login(daoli_staff)
    page = client.get(url("mandate", "change", approved.pk))
    text = page.content.decode()
    assert page.status_code == 200 and 'name="_save"' not in text
    assert "道里区医疗保险服务中心核定事业编制20名" in text  # the frozen staffing article
    assert url("mandate", "new_draft", approved.pk) in text and url("mandate", "approve", approved.pk) not in text
    data = mandate_post(funded_centre, nature="改")
    assert client.post(url("mandate", "change", approved.pk), data).status_code == 403
    assert client.get(url("mandate", "new_draft", approved.pk)).status_code == 200
    made = client.post(url("mandate", "new_draft", approved.pk))
    draft = Mandate.objects.get(version=2)
    assert made.status_code == 302 and made["Location"] == url("mandate", "change", draft.pk)
    assert (draft.status, draft.duties, draft.divisions, draft.nature) == (
        "draft", DUTIES, DIVISIONS, mandate_fields["nature"])
    approved.refresh_from_db()
    assert approved.nature == mandate_fields["nature"]


# --- charters -----------------------------------------------------------------------------------------------------
def test_a_charter_takes_the_registrys_particulars_and_a_differing_one_is_a_form_error(
        client, daoli_staff, city_staff, centre, bureau, document_on):
    client.force_login(daoli_staff)
    data = {"institution": centre.pk, **charter_texts()}
    wrong = client.post(CHARTERS, {**data, "name": "另一个名称"})
    assert wrong.status_code == 200 and form_codes(wrong) == {"name": ["differs_from_registry"]}
    assert not Charter.objects.exists()
    response = client.post(CHARTERS, data)
    assert response.status_code == 302, form_codes(response)
    charter = Charter.objects.get()
    assert (charter.name, charter.unit_type, charter.funding_source, charter.sponsor) == (
        "道里区医疗保险服务中心", "public_welfare_1", "full", bureau)
    client.force_login(city_staff)
    page = client.get(url("charter", "change", charter.pk)).content.decode()
    assert url("charter", "approve", charter.pk) in page
    assert client.post(url("charter", "approve", charter.pk), {"document": document_on(DAY).pk}).status_code == 302
    charter.refresh_from_db()
    assert charter.status == "approved" and charter.effective_date == DAY


# --- party organisations ------------------------------------------------------------------------------------------
@pytest.fixture
def party_office(centre):
    return DivisionFactory(institution=centre, name="党群工作科", leadership_principal=1, leadership_deputy=0)


def party_post(unit, document, **changes) -> dict:
    data = {"institution": unit.pk, "kind": "branch", "name": "道里区医疗保险服务中心党支部", "secretary_posts": 1,
            "deputy_posts": 0, "party_affairs_division": "", "discipline_division": "", "document": document.pk,
            "date": "2024-01-02", "detail": ""}
    return {**data, **changes}


def test_a_party_organisation_is_set_up_with_its_divisions(client, daoli_staff, centre, party_office,
                                                           document_on):
    client.force_login(daoli_staff)
    document = document_on(DAY)
    other_unit = InstitutionFactory(region=centre.region, name="道里区社会保险服务中心")
    foreign = DivisionFactory(institution=other_unit, name="办公室")
    refused = client.post(PARTY, party_post(centre, document, party_affairs_division=foreign.pk))
    assert refused.status_code == 200 and form_codes(refused) == {"party_affairs_division": ["not_units_division"]}
    early = client.post(PARTY, party_post(centre, document, date="2024-01-01"))
    assert early.status_code == 200 and form_codes(early) == {"date": ["before_document"]}
    assert not PartyOrganisation.objects.exists() and not PartyEvent.objects.exists()
    done = client.post(PARTY, party_post(centre, document, party_affairs_division=party_office.pk,
                                         discipline_division=party_office.pk))
    assert done.status_code == 302, form_codes(done)
    branch = PartyOrganisation.objects.get()
    assert (branch.party_affairs_division, branch.discipline_division, branch.established_on) == (
        party_office, party_office, DAY)
    assert list(branch.events.values_list("kind", "document")) == [("established", document.pk)]
    page = client.get(url("partyorganisation", "change", branch.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert url("partyorganisation", "rename", branch.pk) in page.content.decode()


def test_renaming_and_adjusting_on_their_pages(client, daoli_staff, nangang_staff, centre, party_office, clerk,
                                               document_on):
    branch = services.party_organisation_establish(by=clerk, institution=centre, kind="branch", name="中心党支部",
                                                   document=document_on(DAY), date=DAY)
    later = document_on(datetime.date(2024, 6, 1))
    client.force_login(nangang_staff)
    assert client.get(url("partyorganisation", "rename", branch.pk)).status_code == 404
    client.force_login(daoli_staff)
    rename = url("partyorganisation", "rename", branch.pk)
    same = client.post(rename, {"name": "中心党支部", "document": later.pk, "date": "2024-06-01"})
    assert same.status_code == 200 and form_codes(same, "form") == {"name": ["same_name"]}
    assert client.post(rename, {"name": "中心党总支", "document": later.pk, "date": "2024-06-01"}).status_code == 302
    adjust = url("partyorganisation", "adjust", branch.pk)
    base = {"kind": "general_branch", "secretary_posts": 1, "deputy_posts": 1, "party_affairs_division": "",
            "discipline_division": party_office.pk, "document": later.pk, "date": "2024-06-02"}
    too_many = client.post(adjust, {**base, "kind": "branch", "deputy_posts": 2})
    assert too_many.status_code == 200 and form_codes(too_many, "form") == {"deputy_posts": ["party_posts"]}
    backwards = client.post(adjust, {**base, "date": "2024-05-31"})
    assert backwards.status_code == 200 and form_codes(backwards, "form") == {"date": ["before_document"]}
    assert branch.events.count() == 2
    assert client.post(adjust, base).status_code == 302
    branch.refresh_from_db()
    assert (branch.name, branch.kind, branch.deputy_posts, branch.discipline_division, branch.party_affairs_division) \
        == ("中心党总支", "general_branch", 1, party_office, None)
    assert list(branch.events.values_list("kind", "former_name", "former_kind")) == [
        ("established", "", ""), ("renamed", "中心党支部", ""), ("adjusted", "", "branch")]


def test_a_new_draft_the_registry_no_longer_fits_is_refused_on_the_page(
        client, daoli_staff, funded_centre, clerk, mandate_fields, document_on):
    approved = services.mandate_approve(mandate=services.mandate_create(
        by=clerk, institution=funded_centre, **mandate_fields), by=clerk, document=document_on(DAY))
    funded_centre.divisions.filter(name="待遇审核科").update(name="待遇核定科")  # renamed in the registry since
    client.force_login(daoli_staff)
    refused = client.post(url("mandate", "new_draft", approved.pk))
    assert refused.status_code == 200
    assert [error.code for error in refused.context["form"].non_field_errors().as_data()] == ["unknown_division"]
    assert Mandate.objects.count() == 1
