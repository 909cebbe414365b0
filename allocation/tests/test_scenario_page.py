"""A scenario's page refreshes its results part while the figures are being recomputed: the page polls
``status/`` only while a computation is queued or running, and the status part, scoped like the page, comes back
without its polling once the scenario is computed (or failed). Also: each area links to its reconciliation, and the
scenario pages carry their breadcrumbs.

Worked by hand (the three-area city of ``conftest.py``; shares population A .6 B .3 C .1, area .1 .1 .8, GDP .5 .3 .2,
fiscal .6 .3 .1; fixed reserves A 30, C 20; total 151, remainder 101; county C holds 10% under controlled use):
  weights 40/20/20/20 → results A 79, B 26, C 46 (see conftest.py);
  weights 20/40/20/20 → scores A .12+.04+.10+.12 = .38, B .06+.04+.06+.06 = .22, C .02+.32+.04+.02 = .40;
  ideals 38.38, 22.22, 40.40 → 38+22+40 = 100, the last quota to the largest fraction (C .40): 38, 22, 41;
  results A 30+38 = 68, B 22, C 20+41 = 61 (controlled 6.1 → 6); against holdings 40, 0, 20: +28, +22, +41.
"""
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from allocation import services as allocation
from allocation.models import RegionIndicator
from allocation.tasks import recompute_scenario
from allocation.tests.conftest import make_scenario

pytestmark = pytest.mark.django_db
POLLING = 'hx-trigger="every 2s"'


def page(client, scenario):
    return client.get(f"/quotas/scenarios/{scenario.pk}/")


def status(client, scenario):
    return client.get(f"/quotas/scenarios/{scenario.pk}/status/")


def crumbs(response) -> str:
    """The breadcrumbs of a page, from Home to the page itself."""
    html = response.content.decode()
    assert response.status_code == 200
    start = html.index('<nav class="breadcrumbs')
    return " ".join(html[html.index(">", start) + 1:html.index("</nav>", start)].split())


def figures(response) -> dict[str, tuple[int, int, int]]:
    """Each area's (result, controlled use, difference) as the response shows them, by region code."""
    return {row.region.code: (row.result, row.controlled, row.difference) for row in response.context["results"]}


@pytest.fixture
def city_office(client, make_user):
    client.force_login(make_user(Role.CITY_OFFICE))
    return client


@pytest.fixture
def computed(setting):
    scenario = make_scenario(setting)
    assert recompute_scenario(scenario.pk) == "computed"
    scenario.refresh_from_db()
    return scenario


def test_a_computed_scenario_does_not_poll_and_says_when_it_was_computed(city_office, computed):
    response = page(city_office, computed)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="scenario-results" data-status="computed"' in html and POLLING not in html
    assert figures(response) == {"230102": (79, 0, 39), "230103": (26, 0, 26), "230123": (46, 5, 26)}
    at = timezone.localtime(computed.computed_at).strftime("%Y-%m-%d %H:%M:%S")
    assert 'id="scenario-computed-at"' in html and at in html
    assert "htmx-2.0.11.min.js" in html and "includeIndicatorStyles" in html


def test_a_weight_change_polls_until_the_new_figures_are_in(city_office, computed, setting):
    allocation.scenario_update(scenario=computed, by=setting["clerk"], weight_population=Decimal(20),
                               weight_area=Decimal(40))

    stale_page, stale_part = page(city_office, computed), status(city_office, computed)
    assert recompute_scenario(computed.pk) == "computed"  # what the worker does
    done = status(city_office, computed)

    for response in (stale_page, stale_part):  # the old figures, dimmed, and the poll
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-status="stale" aria-busy="true"' in html and POLLING in html
        assert f'hx-get="/quotas/scenarios/{computed.pk}/status/"' in html
        assert figures(response)["230102"] == (79, 0, 39)
    assert "<html" not in stale_part.content.decode()  # the part alone, for the swap
    assert stale_part["Cache-Control"].startswith("max-age=0")
    html = done.content.decode()
    assert done.status_code == 200 and 'data-status="computed"' in html and POLLING not in html
    assert figures(done) == {"230102": (68, 0, 28), "230103": (22, 0, 22), "230123": (61, 6, 41)}
    assert done.context["totals"] == {"result": 151, "current": 60, "controlled": 6}
    assert 'id="scenario-weights"' in html and "20.00%" in html and "40.00%" in html


def test_a_computing_scenario_polls_and_a_new_draft_polls_for_its_first_figures(city_office, computed, setting):
    computed.__class__.objects.filter(pk=computed.pk).update(status="computing")
    draft = make_scenario(setting, name="新方案")  # its first computation queued, not yet run

    computing, first = status(city_office, computed), page(city_office, draft)

    assert POLLING in computing.content.decode() and computing.context["pending"]
    assert POLLING in first.content.decode() and first.context["results"] == []
    assert recompute_scenario(draft.pk) == "computed"
    assert POLLING not in status(city_office, draft).content.decode()


def test_a_failed_computation_stops_the_polling_and_shows_the_error(city_office, computed, setting):
    RegionIndicator.objects.filter(region=setting["b"], indicator="gdp").delete()
    allocation.indicator_regions_changed([setting["b"].pk])

    assert recompute_scenario(computed.pk) == "failed"
    response = status(city_office, computed)

    html = response.content.decode()
    assert response.status_code == 200 and 'data-status="failed"' in html and POLLING not in html
    assert 'class="error"' in html and "南岗区" in response.context["scenario"].last_error
    assert figures(response)["230102"] == (79, 0, 39)  # the previous figures are kept


def test_the_status_part_is_scoped_like_the_page(client, make_user, computed, setting):
    url = f"/quotas/scenarios/{computed.pk}/status/"
    assert client.get(url).status_code == 302  # to the login
    client.force_login(make_user(None))
    assert client.get(url).status_code == 403  # a login without a role
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=setting["a"]))
    assert client.get(url).status_code == 404  # the city's scenario is not a district's
    assert page(client, computed).status_code == 404
    client.force_login(make_user(Role.AUDITOR))
    assert client.get(url).status_code == 200
    assert client.get(f"/quotas/scenarios/{computed.pk + 1000}/status/").status_code == 404
    assert client.post(url).status_code == 405


def test_each_area_links_to_its_reconciliation(city_office, computed, setting):
    html = page(city_office, computed).content.decode()

    for region in (setting["a"], setting["b"], setting["c"]):
        assert f'<a href="/positions/reconciliation/?region={region.pk}"' in html
    filtered = city_office.get("/positions/reconciliation/", {"region": setting["a"].pk})
    assert filtered.status_code == 200 and filtered.context["form"].is_valid()


def test_the_scenario_pages_have_their_breadcrumbs(city_office, computed, setting):
    other = make_scenario(setting, name="方案乙")
    recompute_scenario(other.pk)

    listing = crumbs(city_office.get("/quotas/scenarios/"))
    compare = crumbs(city_office.get("/quotas/scenarios/compare/", {"ids": [computed.pk, other.pk]}))
    detail = crumbs(page(city_office, computed))

    assert listing.count("› <span>") == 2 and "/quotas/scenarios/" not in listing  # section › this page
    for html in (compare, detail):  # section › the scenarios (a link) › this page
        assert html.count("› <span>") == 2 and '› <a href="/quotas/scenarios/">' in html
    assert detail.endswith(f"› <span>{computed.name}</span>")


# --- the weights, changed on the page ---------------------------------------------------------------------------
def weights_url(scenario) -> str:
    return f"/quotas/scenarios/{scenario.pk}/weights/"


WEIGHTS_20_40 = {"weight_population": "20", "weight_area": "40", "weight_gdp": "20", "weight_fiscal": "20"}


def test_the_city_office_changes_the_weights_on_the_page_and_the_figures_follow(city_office, computed):
    form_page = page(city_office, computed).content.decode()
    assert 'id="scenario-weights-form"' in form_page and 'name="weight_area"' in form_page

    response = city_office.post(weights_url(computed), WEIGHTS_20_40)

    assert response.status_code == 302 and response["Location"] == f"/quotas/scenarios/{computed.pk}/"
    computed.refresh_from_db()
    assert (computed.weight_population, computed.weight_area) == (Decimal(20), Decimal(40))
    assert computed.status == "stale"
    shown = page(city_office, computed)
    assert POLLING in shown.content.decode() and "占比已保存" in shown.content.decode()  # the saved message
    assert recompute_scenario(computed.pk) == "computed"  # what the worker does
    assert figures(status(city_office, computed)) == {"230102": (68, 0, 28), "230103": (22, 0, 22),
                                                      "230123": (61, 6, 41)}  # worked by hand above


@pytest.mark.parametrize(("data", "field"), [
    ({**WEIGHTS_20_40, "weight_area": "50"}, "weight_population"),  # 110%: the service's own check
    ({**WEIGHTS_20_40, "weight_area": "abc"}, "weight_area"),
    ({**WEIGHTS_20_40, "weight_area": "-5"}, "weight_area"),
    ({**WEIGHTS_20_40, "weight_area": "1e400"}, "weight_area"),
    ({"weight_population": "100"}, "weight_area"),  # the others missing
])
def test_bad_weights_come_back_on_the_form_and_change_nothing(city_office, computed, data, field):
    response = city_office.post(weights_url(computed), data)

    assert response.status_code == 400
    assert response.context["weights"].errors[field]
    assert 'class="error"' in response.content.decode()
    computed.refresh_from_db()
    assert (computed.weight_population, computed.weight_area, computed.status) == (Decimal(40), Decimal(20),
                                                                                   "computed")


def test_only_the_city_office_changes_weights_and_never_a_frozen_scenario(client, make_user, computed, setting):
    client.force_login(make_user(Role.AUDITOR))
    assert 'id="scenario-weights-form"' not in page(client, computed).content.decode()
    assert client.post(weights_url(computed), WEIGHTS_20_40).status_code == 403
    assert client.get(weights_url(computed)).status_code == 405
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=setting["a"]))
    assert client.post(weights_url(computed), WEIGHTS_20_40).status_code == 404  # the city's scenario
    client.force_login(make_user(Role.CITY_OFFICE))
    allocation.scenario_approve(scenario=computed, by=setting["clerk"])
    assert 'id="scenario-weights-form"' not in page(client, computed).content.decode()
    assert client.post(weights_url(computed), WEIGHTS_20_40).status_code == 403
    computed.refresh_from_db()
    assert computed.weight_area == Decimal(20)
