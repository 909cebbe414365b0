"""The frame of our pages: the unit picker, the search of units, a unit's page, the menu, breadcrumbs, the
language switch and the error pages, on a small hand-built city (two districts, a few units)."""
import datetime

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import path, reverse
from django.utils.encoding import iri_to_uri
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.roles import Role
from core.widgets import UnitAutocompleteWidget
from institutions.choices import InstitutionKind
from institutions.models import ApprovalDocument, Institution, InstitutionEvent, LifeEventKind, Plaque, Region
from institutions.tests.factories import make_credit_code
from portal import nav

DAY = datetime.date(2024, 1, 1)


@pytest.fixture
def city(db):
    """哈尔滨市 with 道里区 and 依兰县; a museum in 道里区 (a plaque, a former name), a school in 依兰县."""
    top = Region.objects.create(code="230100", name="哈尔滨市（市本级）", kind="city")
    daoli = Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=top)
    yilan = Region.objects.create(code="230123", name="依兰县", kind="county", parent=top)
    document = ApprovalDocument.objects.create(
        issuer="哈尔滨市机构编制委员会", office_code="哈编发", year=2024, serial=7, title="关于更名的批复",
        date_issued=DAY, date_effective=DAY)
    museum = Institution.objects.create(name="道里区博物馆", region=daoli, credit_code=make_credit_code("230102"))
    Plaque.objects.create(institution=museum, name="道里区文物保护中心", document=document)
    InstitutionEvent.objects.create(institution=museum, kind=LifeEventKind.RENAMED, date=DAY, region=daoli,
                                    former_name="道里区文物管理所", document=document)
    archive = Institution.objects.create(name="道里区档案馆", region=daoli)
    school = Institution.objects.create(name="依兰县第一中学", region=yilan, credit_code=make_credit_code("230123"))
    return {"top": top, "daoli": daoli, "yilan": yilan, "museum": museum, "archive": archive, "school": school,
            "document": document}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


# --- the unit picker --------------------------------------------------------------------------------------------
class PickForm(forms.Form):
    unit = forms.ModelChoiceField(Institution.objects.all(), widget=UnitAutocompleteWidget(region_field="region"))


def test_picker_renders_only_the_chosen_unit_and_its_search_url(city):
    html = str(PickForm(initial={"unit": city["museum"].pk})["unit"])
    assert 'data-autocomplete-url="/search/units.json"' in html
    assert 'data-autocomplete-region-field="region"' in html
    assert f'<option value="{city["museum"].pk}" selected>道里区博物馆</option>' in html
    assert "道里区档案馆" not in html and "依兰县第一中学" not in html
    assert 'value=""' in html  # the empty choice


def test_picker_posts_an_id_like_a_select(city):
    form = PickForm({"unit": str(city["school"].pk)})
    assert form.is_valid() and form.cleaned_data["unit"] == city["school"]
    assert PickForm({"unit": "999999"}).errors.as_data()["unit"][0].code == "invalid_choice"
    html = str(PickForm({"unit": "abc"})["unit"])  # a forged value renders no option, and no error page
    assert "selected" not in html


def test_picker_media_is_our_deferred_script():
    assert 'src="/static/js/autocomplete.js" defer' in str(PickForm().media)


# --- the units' JSON ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "unit"), [
    ("博物馆", "museum"),  # name
    ("文物管理所", "museum"),  # former name
    ("文物保护中心", "museum"),  # plaque
    ("第一中学", "school"),  # name
])
def test_json_matches_each_kind(client, make_user, city, text, unit):
    client.force_login(make_user(Role.CITY_OFFICE))
    assert _ids(client.get("/search/units.json", {"q": text})) == [city[unit].pk]


def test_json_matches_a_credit_code_by_prefix_in_any_case(client, make_user, city):
    client.force_login(make_user(Role.CITY_OFFICE))
    code = city["school"].credit_code
    assert _ids(client.get("/search/units.json", {"q": code})) == [city["school"].pk]
    assert _ids(client.get("/search/units.json", {"q": code[:12].lower()})) == [city["school"].pk]


def test_json_labels_name_and_region(client, make_user, city):
    client.force_login(make_user(Role.CITY_OFFICE))
    answer = client.get("/search/units.json", {"q": "道里区"}).json()
    assert sorted(answer, key=lambda row: row["id"]) == sorted([
        {"id": city["archive"].pk, "label": "道里区档案馆（道里区）"},
        {"id": city["museum"].pk, "label": "道里区博物馆（道里区）"}], key=lambda row: row["id"])


def test_json_district_office_finds_only_its_region(client, make_user, city):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=city["daoli"]))
    assert _ids(client.get("/search/units.json", {"q": "第一中学"})) == []
    assert _ids(client.get("/search/units.json", {"q": city["school"].credit_code})) == []
    assert _ids(client.get("/search/units.json", {"q": "博物馆"})) == [city["museum"].pk]
    # naming another region does not widen the scope
    assert _ids(client.get("/search/units.json", {"q": "中学", "region": city["yilan"].pk})) == []


def test_json_region_narrows(client, make_user, city):
    client.force_login(make_user(Role.CITY_OFFICE))
    assert _ids(client.get("/search/units.json", {"q": "区", "region": city["yilan"].pk})) == []
    assert sorted(_ids(client.get("/search/units.json", {"q": "区", "region": city["daoli"].pk}))) == sorted(
        [city["museum"].pk, city["archive"].pk])
    assert sorted(_ids(client.get("/search/units.json", {"q": "区", "region": city["top"].pk}))) == sorted(
        [city["museum"].pk, city["archive"].pk])  # a region's sub-regions are in it


@pytest.mark.parametrize("region", ["abc", "-1", "1.5", str(2**63)])
def test_json_bad_region_is_a_400_in_the_error_shape(client, make_user, city, region):
    client.force_login(make_user(Role.CITY_OFFICE))
    response = client.get("/search/units.json", {"q": "区", "region": region})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"region"}


def test_json_kind_narrows_to_agencies_or_institutions(client, make_user, city):
    culture = Institution.objects.create(name="道里区文化局", region=city["daoli"], kind=InstitutionKind.AGENCY)
    client.force_login(make_user(Role.CITY_OFFICE))
    assert _ids(client.get("/search/units.json", {"q": "道里区", "kind": "agency"})) == [culture.pk]
    assert sorted(_ids(client.get("/search/units.json", {"q": "道里区", "kind": "public_institution"}))) == sorted(
        [city["museum"].pk, city["archive"].pk])
    refused = client.get("/search/units.json", {"q": "道里区", "kind": "church"})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"kind"}


def test_the_reconciliation_s_department_filter_searches_agencies_only(client, make_user, city):
    client.force_login(make_user(Role.CITY_OFFICE))
    html = client.get("/positions/reconciliation/").content.decode()
    assert 'data-autocomplete-url="/search/units.json?kind=agency"' in html  # not a select of every department


@pytest.mark.parametrize("text", ["", "   ", "\x00", "区" * 201])
def test_json_empty_or_impossible_query_finds_nothing(client, make_user, city, text):
    client.force_login(make_user(Role.CITY_OFFICE))
    assert _ids(client.get("/search/units.json", {"q": text})) == []


def test_json_gives_at_most_twenty(client, make_user, city):
    Institution.objects.bulk_create(
        [Institution(name=f"依兰县第{n}小学", region=city["yilan"]) for n in range(25)])
    client.force_login(make_user(Role.CITY_OFFICE))
    assert len(_ids(client.get("/search/units.json", {"q": "小学"}))) == 20


def test_json_needs_a_role(client, make_user, city):
    assert client.get("/search/units.json", {"q": "区"}).status_code == 302  # to the login
    client.force_login(make_user(None))
    assert client.get("/search/units.json", {"q": "区"}).status_code == 403



# --- the menu ------------------------------------------------------------------------------------------------------
ROLES = [*Role.values, "superuser", None]


@pytest.fixture(autouse=True)
def _menu_context(settings):
    """The menu's context processor, as config/settings.py has it once wired (added here if it is not yet)."""
    options = settings.TEMPLATES[0]["OPTIONS"]
    if "portal.nav.menu" not in options["context_processors"]:
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {
            **options, "context_processors": [*options["context_processors"], "portal.nav.menu"]}}]


def _user(make_user, city, role, *, staff=True):
    if role == "superuser":
        return make_user(None, is_superuser=True, is_staff=True)
    region = city["daoli"] if role == Role.DISTRICT_OFFICE else None
    return make_user(role, region=region, is_staff=staff)


def _menu_urls(response) -> list[str]:
    return [link.url for _label, links in response.context["menu"].sections for link in links]


def _every_entry_url() -> set[str]:
    return {reverse(entry.url_name) for section in nav.SECTIONS for entry in section.entries}


@pytest.mark.parametrize("staff", [True, False])
@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_and_no_other_entry_does(client, make_user, city, role, staff):
    client.force_login(_user(make_user, city, role, staff=staff))
    shown = _menu_urls(client.get("/search/"))
    assert len(shown) == len(set(shown))
    for url in shown:
        assert client.get(url).status_code == 200, (role, url)
    for url in _every_entry_url() - set(shown):
        assert client.get(url).status_code in (302, 403), (role, url)  # refused: to the login, or forbidden


def test_menu_by_role(client, make_user, city):
    inbox, reclamation, institutions = reverse("workflow:inbox"), reverse("workflow:reclamation"), reverse(
        "admin:institutions_institution_changelist")
    expected = {Role.CITY_OFFICE: {inbox, reclamation, institutions},
                Role.DISTRICT_OFFICE: {inbox, reclamation, institutions},
                Role.HR_BUREAU: {reclamation, institutions}, Role.AUDITOR: {reclamation, institutions}}
    for role, urls in expected.items():
        client.force_login(_user(make_user, city, role))
        shown = set(_menu_urls(client.get("/search/")))
        assert shown & {inbox, reclamation, institutions} == urls, role
    client.force_login(_user(make_user, city, Role.AUDITOR, staff=False))  # no admin login: no admin entries
    shown = _menu_urls(client.get("/search/"))
    assert institutions not in shown and reverse("admin:index") not in shown and reclamation in shown
    client.force_login(make_user(None))  # a login without a role: the API documentation only (here on a 403 page)
    response = client.get(reverse("portal:search"))
    assert response.status_code == 403
    assert _menu_urls(response) == [reverse("api-docs"), reverse("api-redoc")]


def test_menu_renders_in_the_header_grouped_by_task(client, make_user, city):
    client.force_login(_user(make_user, city, Role.DISTRICT_OFFICE))
    html = client.get("/search/").content.decode()
    assert html.count('class="menu-section"') == len(nav.SECTIONS)
    assert f'href="{reverse("workflow:inbox")}"' in html and 'id="header-search"' in html


def test_anonymous_pages_have_no_menu(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and 'class="menu"' not in response.content.decode()


# --- breadcrumbs -----------------------------------------------------------------------------------------------------
def test_breadcrumbs_name_the_section_and_link_the_list_from_a_page_under_it(client, make_user, city):
    client.force_login(_user(make_user, city, Role.CITY_OFFICE))
    section = next(s for s in nav.SECTIONS if any(e.url_name == "reconciliation:reconciliation" for e in s.entries))
    crumbs = client.get(reverse("reconciliation:reconciliation")).context["menu"].crumbs
    assert [(str(c.label), c.url) for c in crumbs] == [
        (str(section.label), None), (str(section.entries[0].label), None)]
    crumbs = client.get(reverse("standards:unit", args=[city["museum"].pk])).context["menu"].crumbs
    assert [c.url for c in crumbs] == [None, reverse("standards:standards")]
    html = client.get(reverse("standards:unit", args=[city["museum"].pk])).content.decode()
    assert 'class="breadcrumbs' in html and f'<a href="{reverse("standards:standards")}">' in html
    assert "› <span>道里区博物馆</span>" in html  # the page's own crumb
    html = client.get(reverse("mandates:unit", args=[city["museum"].pk])).content.decode()
    assert f'<a href="{reverse("mandates:index")}">' in html and "› <span>道里区博物馆</span>" in html


def test_unit_page_breadcrumbs_lead_back_to_the_search(client, make_user, city):
    client.force_login(_user(make_user, city, Role.CITY_OFFICE))
    html = client.get(reverse("portal:unit", args=[city["museum"].pk])).content.decode()
    assert f'<a href="{reverse("portal:search")}">' in html and "<span>道里区博物馆</span>" in html


# --- the language switch ---------------------------------------------------------------------------------------------
def test_language_switch_keeps_the_page_and_switches_back(client, make_user, city):
    client.force_login(_user(make_user, city, Role.CITY_OFFICE))
    page = reverse("portal:search") + "?q=博物馆"
    html = client.get(page).content.decode()
    assert '<html lang="zh-hans">' in html and "机构编制管理平台" in html
    assert 'action="/i18n/setlang/"' in html and 'name="csrfmiddlewaretoken"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response.status_code == 302 and response["Location"] == iri_to_uri(page)
    html = client.get(page).content.decode()
    assert '<html lang="en">' in html and "Staffing-quota platform" in html and "机构编制管理平台" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": page})
    html = client.get(page).content.decode()
    assert '<html lang="zh-hans">' in html and "机构编制管理平台" in html


def test_language_switch_refuses_another_host_as_next(client, make_user, city):
    client.force_login(_user(make_user, city, Role.CITY_OFFICE))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_switch_needs_the_csrf_token(city, make_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(_user(make_user, city, Role.CITY_OFFICE))
    assert strict.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 403


# --- the search page -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "unit"), [
    ("博物馆", "museum"), ("文物管理所", "museum"), ("文物保护中心", "museum"), ("第一中学", "school")])
def test_search_page_finds_each_kind_and_links_the_unit(client, make_user, city, text, unit):
    client.force_login(_user(make_user, city, Role.CITY_OFFICE))
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    assert [each.pk for each in response.context["page"]] == [city[unit].pk]
    assert f'href="{reverse("portal:unit", args=[city[unit].pk])}"' in response.content.decode()


def test_search_page_district_office_finds_only_its_region(client, make_user, city):
    client.force_login(_user(make_user, city, Role.DISTRICT_OFFICE))
    response = client.get("/search/", {"q": city["school"].credit_code})
    assert response.status_code == 200 and 'id="search-none"' in response.content.decode()
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize(("params", "element"), [
    ({}, "search-empty"), ({"q": "  "}, "search-empty"), ({"q": "区" * 201}, "search-too-long"),
    ({"q": "无此单位"}, "search-none")])
def test_search_page_without_results_says_why(client, make_user, city, params, element):
    client.force_login(_user(make_user, city, Role.CITY_OFFICE))
    html = client.get("/search/", params).content.decode()
    assert f'id="{element}"' in html and 'id="search-results"' not in html


def test_search_page_pages_fifty_at_a_time(client, make_user, city):
    Institution.objects.bulk_create([Institution(name=f"依兰县第{n}小学", region=city["yilan"]) for n in range(60)])
    client.force_login(_user(make_user, city, Role.CITY_OFFICE))
    first, second = (client.get("/search/", {"q": "小学", "page": n}) for n in (1, 2))
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 10
    assert first.context["page"].paginator.count == 60 and "page=2" in first.content.decode()
    assert client.get("/search/", {"q": "小学", "page": "abc"}).status_code == 200  # a bad page number: page 1


def test_search_reads_a_fixed_number_of_queries(client, make_user, city, django_assert_max_num_queries):
    Institution.objects.bulk_create([Institution(name=f"依兰县第{n}小学", region=city["yilan"]) for n in range(30)])
    client.force_login(_user(make_user, city, Role.CITY_OFFICE))
    client.get("/search/units.json", {"q": "小学"})  # the session and the user are loaded once
    with django_assert_max_num_queries(4):
        assert len(client.get("/search/units.json", {"q": "小学"}).json()) == 20


def test_ended_units_are_found_after_the_active_ones(client, make_user, city):
    ended = Institution.objects.create(name="道里区博物馆筹备处", region=city["daoli"], status="abolished",
                                       ended_on=DAY)
    client.force_login(_user(make_user, city, Role.CITY_OFFICE))
    assert _ids(client.get("/search/units.json", {"q": "道里区博物馆"})) == [city["museum"].pk, ended.pk]


# --- a unit's page -------------------------------------------------------------------------------------------------
@pytest.fixture
def funded(city, django_user_model):
    """道里区's pool gets 30 by 哈编发〔2024〕8号; 10 go to the museum, whose registry counts 4 staff in quota."""
    from quotas import services

    clerk = django_user_model.objects.create_user("clerk", password="pw")
    document = ApprovalDocument.objects.create(
        issuer="哈尔滨市机构编制委员会", office_code="哈编发", year=2024, serial=8, title="关于核定编制的批复",
        date_issued=DAY, date_effective=DAY)
    quota_type = services.quota_type_get()
    pool = services.account_for_region(region=city["daoli"], quota_type=quota_type)
    account = services.account_for_institution(institution=city["museum"], quota_type=quota_type)
    services.quota_grant(target=pool, amount=30, document=document, effective_date=DAY, by=clerk)
    services.quota_allocate(source=pool, target=account, amount=10, document=document, effective_date=DAY, by=clerk)
    Institution.objects.filter(pk=city["museum"].pk).update(staff_in_quota=4)
    return {**city, "ledger_document": document, "account": account}


def _main_links(html: str) -> list[str]:
    import re

    main = html.split("<main>", 1)[1].split("</main>", 1)[0]
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', main)]


def test_unit_page_shows_the_registry_entry_and_the_quota_position(client, make_user, funded):
    client.force_login(_user(make_user, funded, Role.CITY_OFFICE))
    response = client.get(reverse("portal:unit", args=[funded["museum"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "道里区文物保护中心" in html and "道里区文物管理所" in html and funded["museum"].credit_code in html
    (row,) = response.context["accounts"]
    position = row.position
    # held 10 (allocated), none borrowed: own 10; staff 4, nothing reserved: usable 10 - 4 - 0 = 6
    assert (position.held, position.borrowed, position.own, position.staff_total, position.reserved,
            position.usable, position.over_quota) == (10, 0, 10, 4, 0, 6, 0)
    assert row.statement_url == reverse("admin:quotas_quotaaccount_statement", args=[funded["account"].pk])
    numbers = [document.number for document in response.context["documents"]]
    assert sorted(numbers) == ["哈编发〔2024〕7号", "哈编发〔2024〕8号"]  # the rename's and the ledger's
    assert response.context["row"] is not None  # its reconciliation row


@pytest.mark.parametrize("role", [Role.CITY_OFFICE, Role.DISTRICT_OFFICE, Role.AUDITOR, "superuser"])
def test_every_link_of_a_unit_page_opens(client, make_user, funded, role):
    client.force_login(_user(make_user, funded, role))
    html = client.get(reverse("portal:unit", args=[funded["museum"].pk])).content.decode()
    links = _main_links(html)
    assert any("/statement/" in link for link in links) and any("institution__id__exact" in link for link in links)
    assert any(link.startswith(reverse("reconciliation:reconciliation") + "?") for link in links)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, (role, link)
        assert "?e=1" not in response.get("Location", ""), link  # the admin's "unknown filter" redirect


def test_unit_page_reconciliation_link_finds_the_unit(client, make_user, funded):
    client.force_login(_user(make_user, funded, Role.DISTRICT_OFFICE))
    response = client.get(reverse("portal:unit", args=[funded["museum"].pk]))
    rows = client.get(response.context["reconciliation_url"]).context["rows"]
    assert [row.institution_id for row in rows] == [funded["museum"].pk]


def test_unit_page_without_an_admin_login_has_no_admin_links(client, make_user, funded):
    client.force_login(_user(make_user, funded, Role.AUDITOR, staff=False))
    html = client.get(reverse("portal:unit", args=[funded["museum"].pk])).content.decode()
    assert "/admin/" not in "".join(_main_links(html)) and 'id="accounts"' in html


def test_unit_page_of_another_region_is_not_found(client, make_user, funded):
    yilan = make_user(Role.DISTRICT_OFFICE, region=funded["yilan"], is_staff=True)
    client.force_login(yilan)
    assert client.get(reverse("portal:unit", args=[funded["museum"].pk])).status_code == 404
    assert client.get(reverse("portal:unit", args=[funded["school"].pk])).status_code == 200
    assert client.get(f"/units/{2**63}/").status_code == 404


def test_unit_page_needs_a_role(client, make_user, funded):
    url = reverse("portal:unit", args=[funded["museum"].pk])
    assert client.get(url).status_code == 302
    client.force_login(make_user(None))
    assert client.get(url).status_code == 403


# --- error pages ---------------------------------------------------------------------------------------------------
def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]


def test_404_is_our_page_with_a_way_home(client, make_user, city):
    client.force_login(_user(make_user, city, Role.DISTRICT_OFFICE))
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and 'id="error-404"' in response.content.decode()
    assert f'href="{reverse("portal:home")}"' in response.content.decode()
    assert "404.html" in [template.name for template in response.templates]


def test_403_is_our_page(client, make_user, city):
    client.force_login(make_user(None))
    response = client.get("/search/")
    assert response.status_code == 403 and 'id="error-403"' in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_our_self_contained_page(client, db):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'id="error-500"' in html and 'href="/"' in html and "a bug" not in html


def test_500_reads_no_database_and_no_context(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert 'id="error-500"' in html


def test_the_api_still_answers_json(client, db):
    response = client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("text", ["%", "_", "\\", "'", "%区%"])
def test_json_takes_like_wildcards_literally(client, make_user, city, text):
    client.force_login(make_user(Role.CITY_OFFICE))
    assert _ids(client.get("/search/units.json", {"q": text})) == []


@given(text=st.text(max_size=40))
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_json_never_fails_and_never_leaves_the_region(client, make_user, city, text):
    if not hasattr(client, "_t1_logged_in"):  # the fixtures serve every example: one login
        client.force_login(make_user(Role.DISTRICT_OFFICE, region=city["daoli"]))
        client._t1_logged_in = True
    mine = {city["museum"].pk, city["archive"].pk}
    assert set(_ids(client.get("/search/units.json", {"q": text}))) <= mine
    assert client.get("/search/", {"q": text}).status_code == 200


def test_picker_with_a_forged_huge_id_is_a_form_error_not_a_crash(city):
    form = PickForm({"unit": str(2**70)})
    assert not form.is_valid() and form.errors.as_data()["unit"][0].code == "invalid_choice"
    assert "selected" not in str(form["unit"])
