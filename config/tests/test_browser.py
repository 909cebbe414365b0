"""In a real browser (Chromium): a clerk logs in to the Chinese admin and reads a statement."""
import datetime

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(locale="zh-CN")
        yield page
        browser.close()


def test_clerk_logs_in_and_reads_a_statement(live_server, browser_page, django_user_model, tmp_path):
    from institutions.models import ApprovalDocument, Institution, Region
    from quotas import services

    city = Region.objects.create(code="230100", name="哈尔滨市（市本级）", kind="city")
    day = datetime.date(2024, 1, 2)
    document = ApprovalDocument.objects.create(issuer="哈尔滨市机构编制委员会", office_code="哈编发", year=2024,
                                               serial=3, title="关于核定编制的批复", date_issued=day,
                                               date_effective=day)
    archive = Institution.objects.create(name="哈尔滨市档案馆", region=city)
    quota_type = services.quota_type_get()
    pool = services.account_for_region(region=city, quota_type=quota_type)
    account = services.account_for_institution(institution=archive, quota_type=quota_type)
    services.quota_grant(target=pool, amount=30, document=document, effective_date=day, by=None)
    services.quota_allocate(source=pool, target=account, amount=12, document=document, effective_date=day, by=None)
    clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-2026", is_staff=True)
    clerk.groups.add(Group.objects.get(name=Role.CITY_OFFICE))
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/")
    assert "用户名" in page.content()
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw-clerk-2026")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert "编制台账" in page.content()

    page.goto(f"{live_server.url}/admin/quotas/quotaaccount/")
    page.click("text=哈尔滨市档案馆")  # the holder column links to the account
    page.goto(f"{live_server.url}/admin/quotas/quotaaccount/{account.pk}/statement/?start=2024-01-01&end=2024-12-31")
    text = page.inner_text("body")
    page.screenshot(path=str(tmp_path / "statement.png"), full_page=True)

    assert "期初余额" in text and "期末余额" in text
    assert "哈编发〔2024〕3号" in text
    assert "+12" in text
