"""In Chromium: the city office changes a scenario's weights on the scenario's own page (a draft or computed
scenario, approved ones being frozen) and sees the new figures there: at once where tasks run eagerly (the embedded
site, ``make run``); otherwise the page first says the figures are being recomputed and refreshes its results in
place, by itself, when the recomputation is in (a real worker in CI's PostgreSQL run, the test playing the worker
elsewhere), then stops asking.

Worked by hand in test_scenario_page.py: weights 40/20/20/20 give 道里区 79, 南岗区 26, 依兰县 46; population 20 and
area 40 give 68, 22 and 61 (依兰县's controlled use 6), against holdings 40, 0, 20: +28, +22, +41.
"""
import time

import pytest
from django.conf import settings
from django.db import connection

from accounts.roles import Role
from allocation.models import AllocationScenario
from allocation.tasks import recompute_scenario
from allocation.tests.conftest import make_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW = {"230102": ("68", "0", "28"), "230103": ("22", "0", "22"), "230123": ("61", "6", "41")}


def _real_worker() -> bool:
    """CI's PostgreSQL run: a broker and a worker that sees the test database."""
    return not settings.CELERY_BROKER_URL.startswith("memory") and connection.vendor == "postgresql"


def _settled(scenario_pk: int, *, worker: bool, polls: int = 300) -> None:
    """The scenario's queued computation has run: by the worker, or here, as the worker would. The worker is asked
    up to ``polls`` times, 0.2 s apart: a bound on the wait, not a speed the test asserts."""
    if not worker:
        assert recompute_scenario(scenario_pk) == "computed"
    for _poll in range(polls):
        if AllocationScenario.objects.get(pk=scenario_pk).status == "computed":
            return
        time.sleep(0.2)
    pytest.fail("the worker did not compute the scenario; see var/test-worker-*.log")


def _shown(page) -> dict[str, tuple[str, str, str]]:
    """Each area's result, controlled use and difference as the page shows them."""
    return {code: tuple(page.inner_text(f"#area-{code} td.{column}").strip()
                        for column in ("result", "controlled", "difference")) for code in NEW}


@pytest.mark.parametrize("eager", [True, False], ids=["eager", "background"])
def test_city_office_changes_a_weight_and_sees_the_new_figures(eager, request, live_server, browser_page, screenshot,
                                                               make_user, setting):
    worker = not eager and _real_worker()
    if eager:
        request.getfixturevalue("eager_celery")
    elif worker:
        request.getfixturevalue("celery_worker_process")
    scenario = make_scenario(setting)
    if not eager:
        _settled(scenario.pk, worker=worker)
    make_user(Role.CITY_OFFICE, username="city-planner", is_staff=True)
    page = browser_page
    errors, polls = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda sent: polls.append(sent.url) if sent.url.endswith("/status/") else None)

    page.goto(f"{live_server.url}/admin/login/?next=/quotas/scenarios/{scenario.pk}/")
    page.fill("#id_username", "city-planner")
    page.fill("#id_password", "pw-12345")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/quotas/scenarios/{scenario.pk}/")
    page.fill("#id_weight_population", "20")
    page.fill("#id_weight_area", "40")
    page.click("#scenario-weights-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/quotas/scenarios/{scenario.pk}/")
    page.wait_for_selector("p.message-success")
    assert AllocationScenario.objects.get(pk=scenario.pk).weight_area == 40
    page.evaluate("window.notReloaded = true")
    if eager:
        assert page.get_attribute("#scenario-results", "data-status") == "computed"
        assert page.get_attribute("#scenario-results", "hx-trigger") is None
    elif page.get_attribute("#scenario-results", "data-status") != "computed":  # a worker may have been quicker
        assert page.get_attribute("#scenario-results", "hx-trigger") == "every 2s"
        assert page.eval_on_selector("#scenario-table", "table => getComputedStyle(table).opacity") == "0.55"
        screenshot(page, "scenario-stale")
        _settled(scenario.pk, worker=worker)
        page.wait_for_selector("#scenario-results[data-status=computed]", timeout=15_000)
        assert page.evaluate("window.notReloaded") is True  # refreshed in place, not reloaded
        assert page.get_attribute("#scenario-results", "hx-trigger") is None
        assert page.eval_on_selector("#scenario-table", "table => getComputedStyle(table).opacity") == "1"
        polled = len(polls)
        page.wait_for_timeout(3_000)  # longer than the 2 s between polls
        assert len(polls) == polled  # no poll after the figures are in
    assert _shown(page) == NEW
    assert page.inner_text("#scenario-totals td.result").strip() == "151"
    assert page.is_visible("#scenario-computed-at")
    screenshot(page, "scenario" if not eager else "scenario-eager")
    assert errors == []
