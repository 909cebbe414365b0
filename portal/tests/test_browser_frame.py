"""In a real browser (Chromium): a district office searches from the header, opens a unit's page, switches to
English and back; the unit picker finds a unit as the user types and posts its id; nothing breaks the CSP."""
import datetime

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.template import engines
from django.test import override_settings
from django.urls import path

from accounts.roles import Role
from config.urls import urlpatterns as site_urls
from core.widgets import UnitAutocompleteWidget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-daoli-2026"  # noqa: S105 -- a test login
DAY = datetime.date(2024, 1, 1)


class PickForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label="单位", widget=UnitAutocompleteWidget())

    def __init__(self, *args, request=None, **kwargs):
        from accounts.scoping import visible_institutions

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_institutions(request)


PICK_PAGE = """{% extends "base.html" %}{% block head %}{{ form.media }}{% endblock %}{% block content %}
<form method="post">{% csrf_token %}{{ form.as_p }}<button type="submit" id="pick-submit">OK</button></form>
{% if picked %}<p id="picked">{{ picked.pk }}</p>{% endif %}{% endblock %}"""


def _pick(request):
    """A page with the picker, as another helper's form would use it."""
    form = PickForm(request.POST or None, request=request)
    picked = form.cleaned_data["unit"] if request.method == "POST" and form.is_valid() else None
    template = engines["django"].from_string(PICK_PAGE)
    return HttpResponse(template.render({"form": form, "picked": picked}, request))


urlpatterns = [path("picker/", _pick), *site_urls]


@pytest.fixture
def district(django_user_model, settings):
    from accounts.models import UserProfile
    from institutions.models import ApprovalDocument, Institution, InstitutionEvent, LifeEventKind, Plaque, Region
    from quotas import services

    options = settings.TEMPLATES[0]["OPTIONS"]
    if "portal.nav.menu" not in options["context_processors"]:  # until config/settings.py has it
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {
            **options, "context_processors": [*options["context_processors"], "portal.nav.menu"]}}]
    top = Region.objects.create(code="230100", name="哈尔滨市（市本级）", kind="city")
    daoli = Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=top)
    yilan = Region.objects.create(code="230123", name="依兰县", kind="county", parent=top)
    document = ApprovalDocument.objects.create(
        issuer="哈尔滨市机构编制委员会", office_code="哈编发", year=2024, serial=8, title="关于核定编制的批复",
        date_issued=DAY, date_effective=DAY)
    museum = Institution.objects.create(name="道里区博物馆", region=daoli, staff_in_quota=4)
    Plaque.objects.create(institution=museum, name="道里区文物保护中心", document=document)
    InstitutionEvent.objects.create(institution=museum, kind=LifeEventKind.RENAMED, date=DAY, region=daoli,
                                    former_name="道里区文物管理所", document=document)
    Institution.objects.create(name="依兰县博物馆", region=yilan)
    quota_type = services.quota_type_get()
    pool = services.account_for_region(region=daoli, quota_type=quota_type)
    account = services.account_for_institution(institution=museum, quota_type=quota_type)
    services.quota_grant(target=pool, amount=30, document=document, effective_date=DAY, by=None)
    services.quota_allocate(source=pool, target=account, amount=10, document=document, effective_date=DAY, by=None)
    user = django_user_model.objects.create_user("daoli", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=Role.DISTRICT_OFFICE))
    UserProfile.objects.create(user=user, region=daoli)
    return {"museum": museum}


def _watch(page, live_server) -> list:
    """Console errors, page errors and CSP violations, collected while the test runs."""
    problems = []
    page.on("console", lambda message: None if message.location.get("url", "").endswith("/favicon.ico")
            or message.type != "error" else problems.append((page.url, message.text)))
    page.on("pageerror", lambda error: problems.append((page.url, str(error))))
    page.expose_function("reportViolation", lambda violation: problems.append(violation))
    page.add_init_script("document.addEventListener('securitypolicyviolation', (e) => window.reportViolation("
                         "[location.pathname, e.violatedDirective, e.blockedURI]))")
    return problems


def _log_in(page, live_server, next_path: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", "daoli")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}")


@override_settings(ROOT_URLCONF=__name__)
def test_district_searches_opens_a_unit_and_switches_language(live_server, browser_page, district, screenshot):
    page = browser_page
    problems = _watch(page, live_server)
    _log_in(page, live_server, "/search/")

    page.fill("#header-search", "博物馆")
    page.press("#header-search", "Enter")
    page.wait_for_selector("#search-results")
    assert page.inner_text("#search-results tbody").count("博物馆") == 1  # 依兰县博物馆 is another region's
    screenshot(page, "frame-search")

    page.click("#search-results >> text=道里区博物馆")
    page.wait_for_selector("#unit-name")
    assert "道里区文物保护中心" in page.inner_text("#plaques")
    assert "道里区文物管理所" in page.inner_text("#former-names")
    assert "哈编发〔2024〕8号" in page.inner_text("#documents")
    cells = page.locator("#accounts tbody td.num").all_inner_texts()
    assert cells[:7] == ["10", "0", "10", "4", "0", "6", "0"]  # held, borrowed, own, staff, reserved, usable, over
    screenshot(page, "frame-unit")
    assert not page.locator(".menu-section >> nth=0 >> ul").is_visible()
    page.hover(".menu-section >> nth=0")  # a menu section opens under the pointer
    assert page.locator(".menu-section >> nth=0 >> ul").is_visible()

    unit_url = page.url
    page.click("form.language button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.url == unit_url and "Staffing-quota platform" in page.inner_text("header")
    page.click("form.language button[value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    assert page.url == unit_url and "机构编制管理平台" in page.inner_text("header")
    assert problems == []


@override_settings(ROOT_URLCONF=__name__)
def test_the_unit_picker_finds_as_you_type_and_posts_the_id(live_server, browser_page, district):
    page = browser_page
    problems = _watch(page, live_server)
    _log_in(page, live_server, "/picker/")

    assert not page.locator("#id_unit").is_visible()  # the select is hidden behind the search box
    page.click("label[for=id_unit_search]")  # the label now points at the box
    page.keyboard.type("文物管理")  # a former name
    page.wait_for_selector("#id_unit_list li[data-id]")
    assert page.locator("#id_unit_list li[data-id]").all_inner_texts() == ["道里区博物馆（道里区）"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#id_unit_search") == "道里区博物馆（道里区）"
    assert page.input_value("#id_unit") == str(district["museum"].pk)
    page.click("#pick-submit")
    page.wait_for_selector("#picked")
    assert page.inner_text("#picked") == str(district["museum"].pk)
    assert page.input_value("#id_unit_search") == "道里区博物馆"  # the chosen unit shown again after the post

    page.fill("#id_unit_search", "依兰县")  # another region's units are not offered
    page.wait_for_selector("#id_unit_list li.autocomplete-none")
    assert page.locator("#id_unit_list li[data-id]").count() == 0
    assert page.input_value("#id_unit") == ""  # typing again clears the choice
    assert problems == []
