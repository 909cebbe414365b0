"""Searchable choices in the admin: fields naming one of thousands of units search as one types (the admin's
autocomplete), and the search is scoped like the pages: a district office finds none of another region's rows."""
import json

import pytest
from django.test import Client

from accounts.roles import Role
from institutions.tests.factories import (
    AgencyFactory,
    CityFactory,
    DistrictFactory,
    DocumentFactory,
    InstitutionFactory,
)

pytestmark = pytest.mark.django_db

ISSUE = "/admin/reconciliation/positiondirectionnotice/issue/"
# (app, model, field): fields naming a unit, each searched through the institutions' admin.
UNIT_FIELDS = [("reforms", "reformoperation", "institution"), ("reforms", "reformoperation", "sources"),
               ("reforms", "reformoperation", "new_supervisor"), ("reforms", "staffplacement", "to_institution"),
               ("mandates", "charter", "sponsor"), ("reconciliation", "positiondirectionnotice", "institution"),
               ("reconciliation", "positiondirectionnotice", "supervisor")]


@pytest.fixture
def regions():
    city = CityFactory(code="230100", name="哈尔滨市（市本级）")
    return (DistrictFactory(parent=city, code="230102", name="道里区"),
            DistrictFactory(parent=city, code="230103", name="南岗区"))


def _client(make_user, role, region=None) -> Client:
    client = Client()
    client.force_login(make_user(role, region=region, is_staff=True))
    return client


def _offered(client: Client, app: str, model: str, field: str, term: str) -> list[str]:
    response = client.get("/admin/autocomplete/", {"app_label": app, "model_name": model, "field_name": field,
                                                    "term": term})
    assert response.status_code == 200, (app, model, field)
    return sorted(item["text"] for item in json.loads(response.content)["results"])


@pytest.mark.parametrize(("app", "model", "field"), UNIT_FIELDS)
def test_a_district_office_searching_for_a_unit_finds_only_its_own_region(make_user, regions, app, model, field):
    daoli, nangang = regions
    for region in regions:
        AgencyFactory(region=region, name=f"{region.name}卫生健康局")
        InstitutionFactory(region=region, name=f"{region.name}卫生健康服务中心")

    district = _offered(_client(make_user, Role.DISTRICT_OFFICE, daoli), app, model, field, "卫生健康")
    city = _offered(_client(make_user, Role.CITY_OFFICE), app, model, field, "卫生健康")

    assert district and all(name.startswith("道里区") for name in district)
    assert len(city) == 2 * len(district) and any(name.startswith("南岗区") for name in city)


def test_the_notice_s_unit_is_searched_among_public_institutions_and_its_department_among_agencies(make_user,
                                                                                                   regions):
    for region in regions:
        AgencyFactory(region=region, name=f"{region.name}卫生健康局")
        InstitutionFactory(region=region, name=f"{region.name}卫生健康服务中心")
    client = _client(make_user, Role.CITY_OFFICE)

    def offered(field):
        return _offered(client, "reconciliation", "positiondirectionnotice", field, "道里区卫生")

    assert (offered("institution"), offered("supervisor")) == (["道里区卫生健康服务中心"], ["道里区卫生健康局"])


def test_the_notice_issue_page_lists_no_units_and_issues_on_a_searched_unit(make_user, regions):
    daoli, _ = regions
    units = InstitutionFactory.create_batch(60, region=daoli)
    DocumentFactory()
    client = _client(make_user, Role.CITY_OFFICE)

    page = client.get(ISSUE)  # its speed is bench/bench_pages.py's (admin pages at demo scale)

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<option") <= 3  # an empty choice per searchable field, no unit listed
    assert html.count('<select name="') == html.count('data-ajax--url="/admin/autocomplete/"') == 3
    assert 'type="date" name="issued_on"' in html
    chosen = client.get(ISSUE, {"institution": units[0].pk}).content.decode()
    assert chosen.count("<option") <= 4 and f'value="{units[0].pk}" selected' in chosen
