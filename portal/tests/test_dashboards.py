"""The home pages per role: the figures of a small hand-built city, worked by hand; scoping; no actions for the
read-only roles; a fixed number of queries."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from positions.tests.conftest import *  # noqa: F403 -- the small city, its users, documents and funding
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, staff_counts
from quotas import services as ledger
from workflow import states as workflow
from workflow.models import HiringPlan

pytestmark = pytest.mark.django_db

URL = "/"


@pytest.fixture
def units(daoli, nangang, fund, filing, clerk, document):
    """道里区: 图书馆 approved 10, staff 8 (vacant 2, a plan of 10 posts); 档案馆 approved 5, staff 6 (over 1).
    南岗区: 少年宫 approved 7, staff 3 counted on 2025-06-30 (vacant 4, the count older than 12 months), 3 more
    quotas under controlled use, and a hiring plan submitted."""
    library = InstitutionFactory(region=daoli, name="道里区图书馆")
    archive = InstitutionFactory(region=daoli, name="道里区档案馆")
    palace = InstitutionFactory(region=nangang, name="南岗区少年宫")
    fund(library, 10)
    fund(archive, 5)
    fund(palace, 7)
    PositionPlanFactory(institution=library, document=filing)  # 10 posts, as many as its quotas
    StaffCountFactory(institution=library, **staff_counts(management=2, professional=(0, 1, 2, 2), worker=1))
    StaffCountFactory(institution=archive, **staff_counts(management=2, professional=(0, 1, 1, 1), worker=1))
    StaffCountFactory(institution=palace, as_of=datetime.date(2025, 6, 30),
                      **staff_counts(management=1, professional=(0, 0, 1, 1), worker=0))
    quota_type = ledger.quota_type_get()
    pool = ledger.account_for_region(region=nangang, quota_type=quota_type)
    ledger.quota_grant(target=pool, amount=3, document=document, effective_date=document.date_effective, by=clerk)
    ledger.quota_control(region=nangang, quota_type=quota_type, amount=3, document=document,
                         effective_date=document.date_effective, by=clerk)
    HiringPlan.objects.create(institution=palace, year=2026, status=workflow.SUBMITTED)
    return {"library": library, "archive": archive, "palace": palace}


def home(client, make_user, role, region=None):
    client.force_login(make_user(role, region=region))
    response = client.get(URL)
    assert response.status_code == 200
    return response


def values(figures) -> dict[str, int]:
    return {figure.key: figure.value for figure in figures}


def charts(response) -> dict[str, dict]:
    return {chart["key"]: chart for chart in response.context["charts"]}


def test_the_home_is_the_portal_s_and_needs_a_login_and_a_role(client, make_user):
    assert reverse("portal:home") == URL
    assert client.get(URL).status_code == 302
    client.force_login(make_user(None))
    assert client.get(URL).status_code == 403


def test_the_city_office_sees_the_city_s_figures_and_what_waits(client, make_user, units):
    response = home(client, make_user, Role.CITY_OFFICE)

    quotas = values(response.context["quota_figures"])
    assert quotas == {"units": 3, "approved": 22, "staff": 17, "vacant": 6, "over-quota": 1, "controlled": 3,
                      "borrowed": 0}
    assert values(response.context["waiting"]) == {"waiting-plans": 1, "waiting-notices": 0, "waiting-loans": 0,
                                                   "waiting-reforms": 0}
    assert values(response.context["due"]) == {"loans-due": 0, "loans-overdue": 0, "notices-expiring": 0}
    assert values(response.context["hr"]) == {"no-plan": 2, "stale-plan": 0, "no-staff-count": 0,
                                              "staff-count-due": 1}
    html = response.content.decode()
    assert 'id="figure-vacant"' in html and reverse("workflow:inbox") in html
    assert f'href="{reverse("reconciliation:reconciliation")}?flag=over_quota"' in html


def test_the_charts_have_their_tables_with_the_same_numbers(client, make_user, units):
    response = home(client, make_user, Role.CITY_OFFICE)

    found = charts(response)
    assert set(found) == {"reform-regions", "reform-levels", "vacancy", "loans"}  # no scenario computed
    regions = found["reform-regions"]
    assert [row[1:] for row in regions["rows"]] == [(0, 0, 0), (0, 15, 15), (0, 10, 10)]  # city, 道里, 南岗
    assert regions["data"]["series"][1]["data"] == [0, 15, 10]
    vacancy = found["vacancy"]["rows"]
    assert [row[1:] for row in vacancy] == [(1, 1), (1, 0), (0, 0), (0, 0), (0, 0)]  # vacant 2 and 4; over 1
    assert found["loans"]["rows"] == []
    html = response.content.decode()
    assert 'id="data-vacancy"' in html and 'id="table-vacancy"' in html and 'data-source="data-vacancy"' in html


def test_a_district_office_sees_its_own_region_only(client, make_user, units, daoli):
    response = home(client, make_user, Role.DISTRICT_OFFICE, region=daoli)

    quotas = values(response.context["quota_figures"])
    assert quotas == {"units": 2, "approved": 15, "staff": 14, "vacant": 2, "over-quota": 1, "controlled": 0,
                      "borrowed": 0}
    assert response.context["waiting"] == [] and response.context["hr"] == []
    requests = dict(response.context["requests"]["rows"])
    assert all(count == 0 for counts in requests.values() for count in counts)  # 南岗's plan is not its own
    found = charts(response)
    assert set(found) == {"reform-regions", "vacancy", "loans"}
    assert [row[0] for row in found["reform-regions"]["rows"]] == ["道里区"]
    html = response.content.decode()
    assert "南岗" not in html


def test_a_district_office_sees_its_own_requests_by_state(client, make_user, units, daoli):
    HiringPlan.objects.create(institution=units["library"], year=2026, status=workflow.DRAFT)
    HiringPlan.objects.create(institution=units["archive"], year=2026, status=workflow.SUBMITTED)

    response = home(client, make_user, Role.DISTRICT_OFFICE, region=daoli)

    head = response.context["requests"]["head"]
    plans = response.context["requests"]["rows"][0][1]
    assert len(head) == len(plans) == 7
    assert plans[:3] == [1, 1, 0]  # draft, submitted, approved


def test_the_hr_bureau_sees_what_to_update_and_the_import_pages(client, make_user, units):
    response = home(client, make_user, Role.HR_BUREAU)

    assert values(response.context["hr"])["staff-count-due"] == 1
    assert response.context["waiting"] == [] and response.context["due"] == []
    html = response.content.decode()
    assert reverse("position_imports:page") in html


@pytest.mark.parametrize("role", [Role.ORGANISATION_DEPARTMENT, Role.AUDITOR, Role.FINANCE_SYSTEM])
def test_read_only_roles_get_the_figures_and_no_action(client, make_user, units, role):
    response = home(client, make_user, role)

    assert values(response.context["quota_figures"])["approved"] == 22
    html = response.content.decode()
    html = html[html.index("<main>"):]  # the page's own links (the menu offers each role what it may open)
    for action in (reverse("workflow:inbox"), reverse("workflow:reclamation"), "/import/", "/imports/", "/add/",
                   "status__exact=submitted"):
        assert action not in html
    assert 'id="waiting"' not in html and 'id="imports"' not in html


def test_the_city_office_s_home_costs_a_fixed_number_of_queries(client, make_user, units, daoli, fund,
                                                                 django_assert_max_num_queries):
    client.force_login(make_user(Role.CITY_OFFICE))
    with django_assert_max_num_queries(50):  # 46 on 2026-12-03
        client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for index in range(4):
        unit = InstitutionFactory(region=daoli, name=f"道里区新单位{index}")
        fund(unit, 3)
        StaffCountFactory(institution=unit)
        HiringPlan.objects.create(institution=unit, year=2026, status=workflow.SUBMITTED)
    with CaptureQueriesContext(connection) as more:
        response = client.get(URL)
    assert values(response.context["quota_figures"])["units"] == 7
    assert len(more.captured_queries) == len(few.captured_queries)


def test_a_district_office_without_a_region_sees_nothing_and_no_error(client, make_user, units):
    response = home(client, make_user, Role.DISTRICT_OFFICE)

    assert set(values(response.context["quota_figures"]).values()) == {0}
    assert charts(response)["reform-regions"]["rows"] == []


def test_the_rules_broken_now_come_after_the_page_counted_per_rule_in_the_user_s_regions(client, make_user, units,
                                                                                        daoli, nangang):
    from institutions.models import InternalDivision
    from standards.selectors import DIVISION_AVERAGE

    # 道里区图书馆: 10 quotas over 2 internal divisions, 5 a division, under the average of 8 the standard asks.
    for name in ("借阅部", "采编部"):
        InternalDivision.objects.create(institution=units["library"], name=name)
    findings_url = reverse("portal:home-findings")

    page = home(client, make_user, Role.CITY_OFFICE).content.decode()
    city = client.get(findings_url)
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=nangang))
    nangang_office = client.get(findings_url)

    assert findings_url in page and "findings-figures" not in page  # the page asks for them once it is shown
    assert values(city.context["findings"])[f"rule-{DIVISION_AVERAGE}"] == 1
    assert values(nangang_office.context["findings"])[f"rule-{DIVISION_AVERAGE}"] == 0
