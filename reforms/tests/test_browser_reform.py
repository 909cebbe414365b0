"""In Chromium: 道里区's district office drafts the hand-worked merger of test_merge.py on the plan pages (its merged
units and its placement picked in rows added with "Add a line"), submits it, and the city office approves and
executes it on the same page."""
import pytest

from accounts.roles import Role
from institutions.choices import InstitutionStatus
from institutions.models import Institution
from reforms.models import ReformPlan
from reforms.tests.conftest import PLAN_DAY
from workflow.tests.test_browser_workflow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, field: str, text: str) -> None:
    """Type into the unit picker of ``field`` and take the first unit offered."""
    page.fill(f"#id_{field}_search", text)
    page.click(f"#id_{field}_list li[data-id] >> nth=0")


def add_line(page, prefix: str) -> None:
    page.click(f"fieldset[data-prefix={prefix}] button.formset-add")


def test_the_district_drafts_a_merger_and_the_city_executes_it(live_server, browser_page, screenshot, make_user,
                                                               daoli, units, reform_document):
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    a, b, d = units

    log_in(page, live_server, make_user(Role.DISTRICT_OFFICE, region=daoli))
    page.goto(f"{live_server.url}/reforms/plans/")
    page.click("#new")
    page.fill("#id_title", "道里区事业单位整合")
    page.select_option("#id_region", str(daoli.pk))
    page.fill("#id_effective_date", PLAN_DAY.isoformat())
    page.click("#save")
    page.click("#add-operation")
    page.select_option("#id_kind", "merge")
    page.fill("#id_new_name", "道里区丙中心")
    page.fill("#id_approved_total", "30")
    pick(page, "sources-0-unit", "甲中心")
    add_line(page, "sources")
    pick(page, "sources-1-unit", "乙中心")  # a row added in the page: its picker works too
    add_line(page, "placements")
    pick(page, "placements-0-to_institution", "丁中心")
    page.select_option("#id_placements-0-category", "management")
    page.fill("#id_placements-0-count", "3")
    page.click("#save")

    plan = ReformPlan.objects.get()
    operation = plan.operations.get()
    assert set(operation.sources.all()) == {a, b}
    assert [(p.to_institution, p.count) for p in operation.placements.all()] == [(d, 3)]
    assert "道里区丙中心" in page.inner_text("#preview")
    page.click("#action-submit button[type=submit]")
    plan.refresh_from_db()
    assert plan.status == "submitted"

    log_in(page, live_server, make_user(Role.CITY_OFFICE))
    page.goto(f"{live_server.url}/reforms/plans/{plan.pk}/")
    page.select_option("#id_approve_document", str(reform_document.pk))
    page.click("#action-approve button[type=submit]")
    screenshot(page, "reform-plan")
    page.click("#action-execute button[type=submit]")

    plan.refresh_from_db()
    assert plan.status == "executed"
    c = Institution.objects.get(name="道里区丙中心")
    a.refresh_from_db()
    assert (a.status, a.successor) == (InstitutionStatus.MERGED, c)
    assert errors == []
