"""In Chromium: 道里区's district office files a hiring plan and a quota-use request, the city office approves the
plan and issues the notice on the same pages, and the district records the entry against it."""
import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from quotas import services as ledger
from workflow.models import HiringPlan, QuotaUseNotice, StaffMovement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user) -> None:
    """Give the browser a session of ``user`` (the login page is not what this test is about)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def pick_unit(page, text: str) -> None:
    page.fill("#id_institution_search", text)
    page.click("#id_institution_list li[data-id] >> nth=0")


def test_district_files_city_decides_district_enters(live_server, browser_page, screenshot, make_user, daoli, library,
                                                     decision):
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    quota_type = ledger.quota_type_get()
    district, city = make_user(Role.DISTRICT_OFFICE, region=daoli), make_user(Role.CITY_OFFICE)
    today = timezone.localdate()

    log_in(page, live_server, district)
    page.goto(f"{live_server.url}/positions/plans/")
    page.click("#new")
    pick_unit(page, "图书馆")
    page.fill("#id_year", str(today.year))
    page.select_option("#id_lines-0-quota_type", str(quota_type.pk))
    page.select_option("#id_lines-0-category", "professional")
    page.fill("#id_lines-0-count", "2")
    page.click("#save")
    page.click("#action-submit button[type=submit]")
    plan = HiringPlan.objects.get()
    assert (plan.status, plan.planned_total, plan.institution_id) == ("submitted", 2, library.pk)
    assert str(plan.get_status_display()) in page.inner_text("#state")

    page.goto(f"{live_server.url}/positions/requests/new/")
    pick_unit(page, "图书馆")
    page.select_option("#id_quota_type", str(quota_type.pk))
    page.select_option("#id_category", "professional")
    page.fill("#id_count", "1")
    page.click("#save")
    page.click("#action-submit button[type=submit]")
    notice = QuotaUseNotice.objects.get()
    assert notice.status == "submitted"

    log_in(page, live_server, city)
    page.goto(f"{live_server.url}/positions/plans/{plan.pk}/")
    page.select_option("#id_approve_document", str(decision.pk))
    page.fill("#id_approve_reason", "同意")
    page.click("#action-approve button[type=submit]")
    plan.refresh_from_db()
    assert plan.status == "approved"
    screenshot(page, "workflow-plan")

    page.goto(f"{live_server.url}/positions/requests/{notice.pk}/")
    assert page.input_value("#id_approve_date") == today.isoformat()  # the date picker shows today
    page.select_option("#id_approve_document", str(decision.pk))
    page.click("#action-approve button[type=submit]")
    notice.refresh_from_db()
    assert (notice.status, notice.issued_on) == ("approved", today)
    assert notice.number in page.inner_text("#number")
    screenshot(page, "workflow-notice")

    log_in(page, live_server, district)
    page.goto(f"{live_server.url}/positions/requests/{notice.pk}/")
    page.click("#record-entry")
    assert page.input_value("#id_date") == today.isoformat()
    page.select_option("#id_band", "junior")
    page.fill("#id_person_name", "张三")
    page.click("#save")
    movement = StaffMovement.objects.get()
    notice.refresh_from_db()
    assert (movement.kind, movement.notice_id, movement.person_name) == ("entry", notice.pk, "张三")
    assert (notice.taken_up, notice.status) == (1, "executed")
    assert "张三" in page.inner_text("main")
    screenshot(page, "workflow-entry")
    assert errors == []
