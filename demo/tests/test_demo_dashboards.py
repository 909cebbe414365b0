"""The home pages on the full demo city: the city office's figures agree with the selectors of the pages that
explain them, every chart is drawn (the scenario and its stress test included) and agrees with its source, a
district office's home holds its region only, and the city's home costs a bounded number of queries.

Run from ``test_loaded_city.py``, which holds the loaded city (see ``test_demo_standards.py`` for why).
"""
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from allocation.models import AllocationScenario
from institutions.models import Institution, Region
from portal.figures import institutional_type, latest_scenario
from quotas.selectors import totals_by_region
from reconciliation.selectors import reconciliation, reconciliation_totals
from standards.selectors import findings
from workflow import states as workflow
from workflow.models import HiringPlan, TurnoverLoan

__test__ = False  # collected through test_loaded_city.py
__all__ = ["test_dashboards_the_city_office_s_home_on_the_demo_city",
           "test_dashboards_a_district_office_s_home_on_the_demo_city"]


def _values(figures) -> dict[str, int]:
    return {figure.key: figure.value for figure in figures}


def _charts(response) -> dict[str, dict]:
    return {chart["key"]: chart for chart in response.context["charts"]}


def test_dashboards_the_city_office_s_home_on_the_demo_city(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user(Role.CITY_OFFICE))
    with django_assert_max_num_queries(60):
        response = client.get("/")

    assert response.status_code == 200
    today = timezone.localdate()
    quotas = _values(response.context["quota_figures"])
    totals = reconciliation_totals(reconciliation(institutions=Institution.objects.all()))
    assert (quotas["units"], quotas["approved"], quotas["staff"], quotas["vacant"], quotas["over-quota"],
            quotas["borrowed"]) == (totals["units"], totals["approved_sum"], totals["staff_sum"],
                                    totals["vacant_sum"], totals["over_quota_sum"], totals["borrowed_sum"])
    assert quotas["units"] > 1000 and quotas["vacant"] > 0 and quotas["over-quota"] > 0
    assert quotas["controlled"] == sum(row.controlled for row in totals_by_region(
        today, quota_type=institutional_type())) > 0
    found = client.get(reverse("portal:home-findings"))
    assert sum(_values(found.context["findings"]).values()) == len(findings(on=today)) > 0
    waiting = _values(response.context["waiting"])
    assert waiting["waiting-plans"] == HiringPlan.objects.filter(status=workflow.SUBMITTED).count()

    charts = _charts(response)
    assert set(charts) == {"reform-regions", "reform-levels", "scenario", "stress", "vacancy", "loans"}
    assert len(charts["reform-regions"]["rows"]) == Region.objects.count()
    scenario = latest_scenario(AllocationScenario.objects.all())
    results = {result.region.name: result.result for result in scenario.results.select_related("region")}
    assert {row[0]: row[2] for row in charts["scenario"]["rows"]} == results
    assert all(low <= base <= high for _name, low, base, high in charts["stress"]["rows"])
    assert len(charts["stress"]["rows"]) == len(results)
    bands = charts["vacancy"]["rows"]  # the bands part the units with a vacancy, and those over quota
    assert sum(row[1] for row in bands) == totals["vacant_units"]
    assert sum(row[2] for row in bands) == totals["over_quota_units"]
    assert sum(row[1] for row in charts["loans"]["rows"]) == TurnoverLoan.objects.filter(
        start_date__isnull=False).count() > 0


def test_dashboards_a_district_office_s_home_on_the_demo_city(client, make_user):
    daoli = Region.objects.get(name="道里区")
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))

    response = client.get("/")

    assert response.status_code == 200
    own = Institution.objects.filter(region__in=[daoli, *daoli.children.all()])
    totals = reconciliation_totals(reconciliation(institutions=own))
    quotas = _values(response.context["quota_figures"])
    assert (quotas["units"], quotas["approved"], quotas["vacant"]) == (
        totals["units"], totals["approved_sum"], totals["vacant_sum"])
    assert 0 < quotas["units"] < Institution.objects.count()
    charts = _charts(response)
    assert set(charts) == {"reform-regions", "vacancy", "loans"}  # no citywide level, no city scenario
    assert [row[0] for row in charts["reform-regions"]["rows"]] == ["道里区"]
