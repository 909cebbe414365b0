"""The allocation pages: scenarios, a scenario with its stress test, the comparison."""
import pytest

from accounts.roles import Role
from allocation import services as allocation
from allocation.tasks import recompute_scenario
from allocation.tests.conftest import make_scenario

pytestmark = pytest.mark.django_db


def test_scenario_pages(client, make_user, setting):
    one = make_scenario(setting)
    two = make_scenario(setting, name="方案乙", method="dhondt")
    for scenario in (one, two):
        recompute_scenario(scenario.pk)
    client.force_login(make_user(Role.CITY_OFFICE))

    listing = client.get("/quotas/scenarios/")
    detail = client.get(f"/quotas/scenarios/{one.pk}/", {"points": "5"})
    compare = client.get("/quotas/scenarios/compare/", {"ids": [one.pk, two.pk]})
    bad = client.get(f"/quotas/scenarios/{one.pk}/", {"points": "abc"})

    assert listing.status_code == 200 and "方案乙" in listing.content.decode()
    assert detail.context["totals"]["result"] == 151
    assert len(detail.context["stress"]["areas"]) == 3
    assert [area["cells"][0]["result"] for area in compare.context["areas"]] == [79, 26, 46]
    assert bad.status_code == 200 and bad.context["stress_error"]
    assert allocation.scenarios_compare([one])[0]["results"][str(one.pk)]["result"] == 79
