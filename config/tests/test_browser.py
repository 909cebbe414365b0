"""In a real browser (Chromium): a clerk logs in to the Chinese admin and reads a statement."""
import datetime

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_pages_and_api_docs_run_under_the_content_security_policy(live_server, browser_page, django_user_model,
                                                                   tmp_path):
    """Our pages, the admin's export page and both API docs pages load without a console message or a CSP
    violation, and nothing is fetched from another host (ReDoc's sidebar logo from cdn.redoc.ly is asked for and
    must stay blocked)."""
    from institutions.models import Institution, Region

    city = Region.objects.create(code="230100", name="哈尔滨市（市本级）", kind="city")
    Institution.objects.create(name="哈尔滨市档案馆", region=city)
    clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-2026", is_staff=True)
    clerk.groups.add(Group.objects.get(name=Role.CITY_OFFICE))
    page = browser_page
    messages, violations, foreign = [], [], []
    page.expose_function("reportViolation", lambda violation: violations.append(violation))
    page.add_init_script("document.addEventListener('securitypolicyviolation', (e) => window.reportViolation("
                         "[location.pathname, e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber]))")
    # Chromium asks for /favicon.ico once (a 404: the site has none); that is not a page's doing.
    page.on("console", lambda message: None if message.location.get("url", "").endswith("/favicon.ico")
            else messages.append((page.url, message.type, message.text)))
    page.on("pageerror", lambda error: messages.append((page.url, "pageerror", str(error))))
    page.on("request", lambda request: None if request.url.startswith((live_server.url, "data:", "blob:"))
            else foreign.append(request.url))

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_url(f"{live_server.url}/admin/login/?next=/api/docs/")  # the docs need a login
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw-clerk-2026")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")  # Swagger UI rendered the schema's operations
    assert "编制管理平台 API" in page.inner_text(".swagger-ui .info")
    page.screenshot(path=str(tmp_path / "swagger.png"))

    page.goto(f"{live_server.url}/")
    assert page.locator("link[href$='css/site.css']").count() == 1
    page.screenshot(path=str(tmp_path / "home.png"))

    page.goto(f"{live_server.url}/positions/reconciliation/")
    page.wait_for_load_state("networkidle")
    # The page's own stylesheet applies: the filter form is a flex row (static/css/reconciliation.css).
    assert page.eval_on_selector("form.filters", "form => getComputedStyle(form).display") == "flex"
    page.screenshot(path=str(tmp_path / "reconciliation.png"), full_page=True)

    page.goto(f"{live_server.url}/admin/institutions/institution/export/")
    boxes = ".selectable-field-export-row input[type=checkbox]"
    checked = page.locator(f"{boxes}:checked").count()
    page.click("input.select-toggle")  # import-export's inline handler, allowed by its hash (config.csp)
    assert checked > 0 and page.locator(f"{boxes}:checked").count() == 0

    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector("[role=search] input")
    page.fill("[role=search] input", "institutions")
    page.wait_for_selector("[data-role='search:results'] [role=menuitem]")  # the search worker (blob:) answered
    page.screenshot(path=str(tmp_path / "redoc.png"))

    redoc_logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert foreign == [redoc_logo]
    assert [violation[:3] for violation in violations] == [["/api/redoc/", "img-src", redoc_logo]]
    assert [text for _url, _type, text in messages if redoc_logo not in text] == []
