"""A party organisation's party-affairs and discipline-inspection divisions: the unit's own internal divisions, set
when it is set up and by an adjustment (kept when not given, cleared by ``null``), over the services and the API."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from institutions.tests.factories import DivisionFactory, InstitutionFactory
from mandates import services
from mandates.models import PartyOrganisation

pytestmark = pytest.mark.django_db
LIST = reverse("v1:party-organisation-list")


def detail(pk, action):
    return reverse(f"v1:party-organisation-{action}", kwargs={"pk": pk})


@pytest.fixture
def offices(centre):
    """The centre's 综合科 (from the conftest) and a 党群工作科 added here."""
    return centre.divisions.get(name="综合科"), DivisionFactory(institution=centre, name="党群工作科")


def test_the_services_take_the_units_divisions_only(centre, offices, clerk, document_on):
    general, party = offices
    stranger = DivisionFactory(institution=InstitutionFactory(region=centre.region), name="办公室")
    document = document_on(datetime.date(2021, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.party_organisation_establish(by=clerk, institution=centre, kind="branch", name="党支部",
                                              document=document, date=datetime.date(2021, 5, 1),
                                              discipline_division=stranger)
    assert [item.code for item in error.value.error_dict["discipline_division"]] == ["not_units_division"]
    assert not PartyOrganisation.objects.exists()
    branch = services.party_organisation_establish(
        by=clerk, institution=centre, kind="branch", name="党支部", document=document, date=datetime.date(2021, 5, 1),
        party_affairs_division=party, discipline_division=general)
    later = document_on(datetime.date(2021, 6, 1))
    # An adjustment of the posts only keeps the links.
    branch = services.party_organisation_adjust(by=clerk, organisation=branch, document=later,
                                                date=datetime.date(2021, 6, 1), deputy_posts=1)
    assert (branch.party_affairs_division, branch.discipline_division, branch.deputy_posts) == (party, general, 1)
    with pytest.raises(ValidationError) as error:
        services.party_organisation_adjust(by=clerk, organisation=branch, document=later,
                                           date=datetime.date(2021, 6, 2), party_affairs_division=stranger)
    assert [item.code for item in error.value.error_dict["party_affairs_division"]] == ["not_units_division"]
    branch.refresh_from_db()
    assert branch.party_affairs_division == party and branch.events.count() == 2
    branch = services.party_organisation_adjust(by=clerk, organisation=branch, document=later,
                                                date=datetime.date(2021, 6, 2), discipline_division=None)
    assert (branch.party_affairs_division, branch.discipline_division) == (party, None)
    assert branch.events.count() == 3


def test_the_api_sets_shows_and_clears_the_divisions(api_client, as_role, daoli, nangang, centre, offices,
                                                     document_on):
    general, party = offices
    foreign = DivisionFactory(institution=InstitutionFactory(region=nangang), name="办公室")
    neighbour = DivisionFactory(institution=InstitutionFactory(region=daoli), name="办公室")
    document = document_on(datetime.date(2021, 5, 1))
    as_role(Role.DISTRICT_OFFICE, region=daoli)
    body = {"institution": centre.pk, "kind": "branch", "name": "党支部", "document": document.pk,
            "date": "2021-05-01"}
    other_region = api_client.post(LIST, {**body, "party_affairs_division": foreign.pk}, format="json")
    assert other_region.status_code == 400 and other_region.json()["codes"]["party_affairs_division"] == [
        "does_not_exist"]
    other_unit = api_client.post(LIST, {**body, "discipline_division": neighbour.pk}, format="json")
    assert other_unit.status_code == 400
    assert other_unit.json()["codes"]["discipline_division"] == ["not_units_division"]
    assert not PartyOrganisation.objects.exists()
    created = api_client.post(LIST, {**body, "party_affairs_division": party.pk, "discipline_division": general.pk},
                              format="json")
    assert created.status_code == 201, created.json()
    shown = created.json()
    assert (shown["party_affairs_division"], shown["party_affairs_division_name"], shown["discipline_division"],
            shown["discipline_division_name"]) == (party.pk, "党群工作科", general.pk, "综合科")
    later = document_on(datetime.date(2021, 6, 1))
    cleared = api_client.post(detail(shown["id"], "adjust"), {
        "discipline_division": None, "document": later.pk, "date": "2021-06-01"}, format="json")
    assert cleared.status_code == 200, cleared.json()
    assert (cleared.json()["party_affairs_division"], cleared.json()["discipline_division"],
            cleared.json()["discipline_division_name"]) == (party.pk, None, None)


def test_the_units_page_names_the_divisions(client, daoli_office, centre, offices, clerk, document_on):
    general, party = offices
    services.party_organisation_establish(by=clerk, institution=centre, kind="branch", name="中心党支部",
                                          document=document_on(datetime.date(2021, 5, 1)),
                                          date=datetime.date(2021, 5, 1), party_affairs_division=party)
    client.force_login(daoli_office)
    page = client.get(reverse("mandates:unit", args=[centre.pk])).content.decode()
    assert "党群工作科" in page and "综合科" not in page.split("中心党支部", 1)[1]
