"""In Chromium: the home pages of the city office, a district office, the HR bureau and an auditor draw their charts
(ECharts on canvas) under the Content-Security-Policy, with no console message and no violation."""
import pytest
from django.contrib.auth.models import Group

from accounts.models import UserProfile
from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from positions.tests.conftest import *  # noqa: F403 -- the small city, its users, documents and funding
from positions.tests.factories import StaffCountFactory, staff_counts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-home-2026"


@pytest.fixture
def small_city(daoli, nangang, fund):
    """Two units in 道里区 (approved 10 and 5, staff 8 and 6) and one in 南岗区 (approved 7, staff 3)."""
    for region, name, approved, staff in ((daoli, "道里区图书馆", 10, (2, 5, 1)), (daoli, "道里区档案馆", 5, (2, 3, 1)),
                                          (nangang, "南岗区少年宫", 7, (1, 2, 0))):
        unit = InstitutionFactory(region=region, name=name)
        fund(unit, approved)
        management, professional, worker = staff
        StaffCountFactory(institution=unit, **staff_counts(management=management,
                                                           professional=(0, 0, 0, professional), worker=worker))


def _user(django_user_model, username, role, region=None):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    UserProfile.objects.create(user=user, region=region)
    return user


def _watch(page, live_server):
    """Console messages, page errors and CSP violations of ``page`` (Chromium's /favicon.ico 404 aside)."""
    problems = []
    page.expose_function("reportViolation", lambda violation: problems.append(("csp", violation)))
    page.add_init_script("document.addEventListener('securitypolicyviolation', (e) => window.reportViolation("
                         "[location.pathname, e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber]))")
    page.on("console", lambda message: None if message.location.get("url", "").endswith("/favicon.ico")
            else problems.append((message.type, message.text)))
    page.on("pageerror", lambda error: problems.append(("pageerror", str(error))))
    page.on("request", lambda request: None if request.url.startswith((live_server.url, "data:", "blob:"))
            else problems.append(("foreign", request.url)))
    return problems


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/?next=/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize(("username", "role", "district", "charts", "shot"), [
    ("clerk-city", Role.CITY_OFFICE, False, 3, "home-city"),  # reform by region and by level, the bands (no loans)
    ("clerk-daoli", Role.DISTRICT_OFFICE, True, 2, "home-district"),
    ("clerk-hr", Role.HR_BUREAU, False, 3, "home-hr"),
    ("clerk-auditor", Role.AUDITOR, False, 3, "home-auditor"),
])
def test_the_home_draws_its_charts_under_the_csp(live_server, browser_page, screenshot, django_user_model,
                                                  small_city, daoli, username, role, district, charts, shot):
    _user(django_user_model, username, role, region=daoli if district else None)
    page = browser_page
    problems = _watch(page, live_server)

    _log_in(page, live_server, username)
    page.wait_for_selector(".chart[data-rendered] canvas")
    page.wait_for_load_state("networkidle")

    assert page.locator(".chart[data-rendered] canvas").count() == charts
    assert page.locator("table.chart-table").count() == charts
    vacant = page.inner_text("#figure-vacant .value")
    assert vacant == ("2" if district else "6")
    assert ("南岗" in page.inner_text("main")) is not district
    screenshot(page, shot)
    assert problems == []
