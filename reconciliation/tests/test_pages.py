"""The reconciliation page: server-rendered, filtered by GET parameters, scoped, a fixed number of queries."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from institutions.tests.factories import AgencyFactory, InstitutionFactory
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, plan_counts, staff_counts

pytestmark = pytest.mark.django_db

URL = "/positions/reconciliation/"


@pytest.fixture
def units(daoli, nangang, fund, filing):
    culture = AgencyFactory(region=daoli, name="道里区文化局")
    library = InstitutionFactory(region=daoli, name="道里区图书馆", supervisor=culture)
    archive = InstitutionFactory(region=daoli, name="道里区档案馆")
    palace = InstitutionFactory(region=nangang, name="南岗区少年宫")
    fund(library, 20)
    fund(archive, 8)
    fund(palace, 5)
    PositionPlanFactory(institution=library, document=filing,
                        **plan_counts(management=4, professional=(1, 2, 5, 6), worker=2))
    StaffCountFactory(institution=library, **staff_counts(management=3, professional=(1, 2, 3, 4), worker=2))
    StaffCountFactory(institution=archive, **staff_counts(management=2, professional=(0, 1, 2, 3), worker=2))
    return {"culture": culture, "library": library, "archive": archive, "palace": palace}


def login(client, make_user, role, region=None):
    client.force_login(make_user(role, region=region))


def test_the_page_lists_units_with_their_figures_and_directions(client, make_user, units):
    login(client, make_user, Role.HR_BUREAU)

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("reconciliation:reconciliation") == URL
    assert "Vacant quotas (5) go to posts lacking staff: 4 professional-technical, 1 management." in html
    assert "Frozen (只出不进)" in html  # 档案馆: 10 staff on 8 quotas
    assert "Vacant quotas (5) are held until the HR bureau files a position plan for the unit;" in html  # 少年宫
    totals = response.context["totals"]
    assert (totals["units"], totals["approved_sum"], totals["vacant_sum"], totals["over_quota_sum"]) == (3, 33, 10, 2)
    assert (totals["no_plan_units"], totals["over_quota_units"]) == (2, 1)


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"flag": "over_quota"}, ["道里区档案馆"]),
        ({"flag": "no_plan"}, ["南岗区少年宫", "道里区档案馆"]),
        ({"name": "图书"}, ["道里区图书馆"]),
    ],
)
def test_filters_are_get_parameters(client, make_user, units, params, names):
    login(client, make_user, Role.CITY_OFFICE)

    response = client.get(URL, params)

    assert sorted(row.name for row in response.context["rows"]) == sorted(names)


def test_filter_by_region_and_supervisor(client, make_user, units, nangang):
    login(client, make_user, Role.CITY_OFFICE)

    by_region = client.get(URL, {"region": nangang.pk}).context["rows"]
    by_supervisor = client.get(URL, {"supervisor": units["culture"].pk}).context["rows"]
    bad = client.get(URL, {"on": "not a date"})

    assert [row.name for row in by_region] == ["南岗区少年宫"]
    assert [row.name for row in by_supervisor] == ["道里区图书馆"]
    assert bad.status_code == 200 and "on" in bad.context["form"].errors


def test_a_district_office_sees_its_own_region_only(client, make_user, units, daoli, nangang):
    login(client, make_user, Role.DISTRICT_OFFICE, region=daoli)

    response = client.get(URL)
    foreign = client.get(URL, {"region": nangang.pk})

    assert {row.name for row in response.context["rows"]} == {"道里区图书馆", "道里区档案馆"}
    assert "region" in foreign.context["form"].errors  # another region is not a choice


def test_the_page_needs_a_login_and_a_role(client, make_user, units):
    assert client.get(URL).status_code == 302
    client.force_login(make_user(None))
    assert client.get(URL).status_code == 403


def test_the_page_costs_the_same_queries_for_one_unit_or_many(client, make_user, daoli, fund, filing):
    login(client, make_user, Role.CITY_OFFICE)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    unit = InstitutionFactory(region=daoli)
    fund(unit, 3)
    few = queries()
    for _number in range(15):
        other = InstitutionFactory(region=daoli, supervisor=AgencyFactory(region=daoli))
        fund(other, 4)
        PositionPlanFactory(institution=other, document=filing)
    assert queries() == few


def test_the_city_office_is_offered_the_departments_notices(client, make_user, units):
    login(client, make_user, Role.CITY_OFFICE)

    html = client.get(URL, {"supervisor": units["culture"].pk}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"?supervisor={units['culture'].pk}" in html
    assert "Issue the notices of 道里区文化局 and each of its units" in html
