"""In a real browser (Chromium): the reconciliation's printout prints on A4 landscape, over several pages, with
every filtered unit and the totals row, and without the site's navigation."""
import re

import pytest

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_LANDSCAPE = re.compile(rb"/MediaBox \[0 0 841\.9\d* 59[45]\.\d+\]")


def test_the_printout_prints_every_unit_on_a4_landscape(live_server, browser_page, make_user, daoli, fund,
                                                        screenshot):
    for number in range(60):
        unit = InstitutionFactory(region=daoli, name=f"道里区事业单位{number:02d}")
        if number < 4:
            fund(unit, 5)
    make_user(Role.CITY_OFFICE, username="printer", is_staff=True)
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "printer")
    page.fill("#id_password", "pw-12345")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/positions/reconciliation/print/?region={daoli.pk}")
    screenshot(page, "reconciliation-print")
    assert page.locator("tr.unit-row").count() == 60
    assert "20" in page.inner_text("#printed-totals")  # 4 units × 5 quotas
    page.emulate_media(media="print")
    assert not page.locator("header").first.is_visible()  # the site's navigation is not printed
    assert not page.locator("[data-print]").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)

    pages = A4_LANDSCAPE.findall(pdf)
    assert len(pages) >= 2 and len(pages) == len(re.findall(rb"/Type /Page\b", pdf))
