"""One unit against every standard (``standards.selectors.unit_standing``), its page ``/standards/unit/<id>/`` and
its API ``/api/v1/institution-standards/<id>/``, on cases worked by hand (the city of ``conftest.py``):

- a junior secondary school of 1,350 students (2025) at 1 : 13.5 under the 2014 unified standard: 1,350 / 13.5 = 100
  exactly; it holds 110 quotas, over its standard;
- 道里区甲中心: 20 quotas over 3 internal divisions, 20 / 3 = 6.67 (shown 6.7), under 8;
- a unit of 60 quotas with 1 principal and 3 deputy posts: 4, within the table's 3–4 for 51–100 quotas.
"""
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.roles import Role
from institutions.choices import InstitutionKind, ReservedClass
from institutions.tests.factories import DistrictFactory, DivisionFactory, InstitutionFactory
from standards import selectors
from standards.models import FigureKind, ServiceFigure

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
UNIFIED_2014 = "城乡统一中小学教职工编制标准（2014）"
SCHOOL_SENTENCE = (f"1,350 junior secondary students (2025, source 道里区教育局2025年统计) at 1 : 13.5 under "
                   f"{UNIFIED_2014} → 100")


def page(pk) -> str:
    return f"/standards/unit/{pk}/"


def api(pk) -> str:
    return f"/api/v1/institution-standards/{pk}/"


@pytest.fixture
def school(standards_city, fund):
    unit = InstitutionFactory(region=standards_city["daoli"], name="道里区第二中学",
                              reserved_class=ReservedClass.SCHOOL)
    fund(unit, 110)
    ServiceFigure.objects.create(institution=unit, year=2025, figure=FigureKind.STUDENTS_JUNIOR, value=1350,
                                 source="道里区教育局2025年统计")
    return unit


@pytest.fixture
def sixty(standards_city, fund):
    unit = InstitutionFactory(region=standards_city["daoli"], name="道里区档案馆", leadership_principal=1,
                              leadership_deputy=3)
    fund(unit, 60)
    return unit


def unit_findings(unit) -> list[selectors.Finding]:
    return [finding for finding in selectors.findings() if finding.institution == unit]


# --- the selector -------------------------------------------------------------------------------------------------

def test_a_junior_school_of_1350_students_holding_110_has_a_standard_of_100_and_is_over(school):
    standing = selectors.unit_standing(school)

    assert standing.quotas == 110 and standing.measured
    assert (standing.standard.low, standing.standard.high, standing.standard.missing) == (100, 100, ())
    [part] = standing.standard.parts
    assert (part.figure, part.year, part.value, part.source, part.rule_set) == (
        "students_junior", 2025, 1350, "道里区教育局2025年统计", UNIFIED_2014)
    assert (part.rule.basis, part.rule.rate_low, part.rule.per, part.rule.minimum) == (
        "students_per_staff", Decimal("13.5"), 1, None)
    assert (part.result.computed_low, part.result.low, part.result.high, part.result.minimum_applied) == (
        Decimal(100), 100, 100, False)
    assert standing.broken == (selectors.INDUSTRY_OVER,)
    assert list(standing.findings) == unit_findings(school)  # the same finding as the standards page's


def test_twenty_quotas_over_three_divisions_average_6_7_and_break_the_division_average(standards_city):
    standing = selectors.unit_standing(standards_city["a"])

    assert (standing.quotas, standing.divisions.divisions, standing.average) == (20, 3, Decimal("6.7"))
    assert standing.divisions.average_too_low and not standing.divisions.too_many
    assert (standing.divisions.limit.max_divisions, standing.divisions.limit.min_per_division) == (3, 8)
    assert standing.broken == (selectors.DIVISION_AVERAGE,)
    assert list(standing.findings) == unit_findings(standards_city["a"])


def test_sixty_quotas_with_one_and_three_leaders_are_within_three_to_four(sixty):
    standing = selectors.unit_standing(sixty)

    assert (standing.leadership.quotas, standing.leadership.posts) == (60, 4)
    assert (standing.leadership.allowed.low, standing.leadership.allowed.high) == (3, 4)
    assert not standing.leadership.over and standing.broken == ()
    assert standing.standard is None  # no reserved class: no industry standard


def test_a_unit_shows_the_same_findings_as_the_findings_list(standards_city, school, sixty):
    """Every rule a unit breaks on the standards page, and no other (one division over the table here)."""
    crowded = DivisionFactory(institution=sixty, name="一科", quota_count=4, leadership_deputy=2)  # 3 > 1–2

    for unit in (standards_city["a"], standards_city["b"], school, sixty):
        assert list(selectors.unit_standing(unit).findings) == unit_findings(unit), unit
    standing = selectors.unit_standing(sixty)
    assert standing.broken == (selectors.LEADERSHIP_DIVISION,) and standing.division_breaks(crowded)
    [row] = standing.division_leadership
    assert (row.leadership.posts, row.leadership.allowed.low, row.leadership.allowed.high) == (3, 1, 2)


def test_an_agency_is_not_measured_and_breaks_no_rule(standards_city):
    agency = InstitutionFactory(region=standards_city["daoli"], name="道里区某局", kind=InstitutionKind.AGENCY,
                                leadership_deputy=9)

    standing = selectors.unit_standing(agency)

    assert not standing.measured and standing.leadership.over and standing.findings == ()


# --- the page -----------------------------------------------------------------------------------------------------

def test_the_page_explains_the_industry_standard_in_a_sentence(client, clerk, school):
    client.force_login(clerk)

    with translation.override("en"):
        response = client.get(page(school.pk), **EN)

    assert response.status_code == 200
    content = response.content.decode()
    assert SCHOOL_SENTENCE in content
    assert "The unit holds 110 quotas, more than its industry standard of 100." in content
    assert "More quotas than the industry standard" in content  # the rule it breaks
    assert "The unit holds 110 quotas; its industry standard is 100." in content  # the finding's detail


def test_the_page_explains_the_divisions_and_the_leadership_posts(client, clerk, standards_city, sixty):
    client.force_login(clerk)

    with translation.override("en"):
        divided = client.get(page(standards_city["a"].pk), **EN).content.decode()
        led = client.get(page(sixty.pk), **EN).content.decode()

    assert "20 quotas over 3 internal divisions: 6.7 a division; the standard asks at least 8." in divided
    assert "Too few quotas per internal division" in divided
    assert "1 principal and 3 deputy posts: 4, against 3–4 for a unit of 60 quotas." in led
    assert "No rule is broken." in led


def test_the_page_renders_in_chinese(client, make_user, standards_city):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=standards_city["daoli"]))

    response = client.get(page(standards_city["a"].pk), **ZH)

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert "机构编制管理平台" in content and "内设机构" in content and "打印" in content  # the site's Chinese
    assert "道里区甲中心" in content and "6.7" in content


def test_a_rounded_standard_and_a_minimum_are_explained(client, clerk, standards_city, fund, city):
    """A county's disease-control centre of 100,000 residents at 1.75 per 10,000: 17.5, under the county minimum
    of 20 (below 150,000 residents): 20. It holds 15: under."""
    county = DistrictFactory(parent=city, code="230123", name="依兰县", kind="county")
    centre = InstitutionFactory(region=county, name="依兰县疾病预防控制中心",
                                reserved_class=ReservedClass.DISEASE_CONTROL)
    fund(centre, 15)
    ServiceFigure.objects.create(institution=centre, year=2025, figure=FigureKind.RESIDENTS, value=100_000,
                                 source="依兰县统计局")
    client.force_login(clerk)

    with translation.override("en"):
        response = client.get(page(centre.pk), **EN)

    [(part, _rate, minimum, text)] = response.context["parts"]
    assert part.result.minimum_applied and (part.result.low, part.result.high) == (20, 20)
    assert minimum == "at least 20 below 150,000"
    assert text == ("100,000 residents (2025, source 依兰县统计局) at 1.75 staff per 10,000 under "
                    "疾病预防控制中心编制标准（2017） → 20 (worked out as 17.5, rounded half up to whole quotas; the "
                    "rule's minimum of 20 applies)")
    assert response.context["standing"].broken == (selectors.INDUSTRY_UNDER,)


def test_the_standards_page_links_each_unit_to_its_page(client, clerk, standards_city):
    client.force_login(clerk)

    content = client.get("/standards/").content.decode()

    assert f'href="{page(standards_city["a"].pk)}"' in content


def test_a_district_office_gets_404_on_another_regions_unit(client, api_client, make_user, standards_city):
    user = make_user(Role.DISTRICT_OFFICE, region=standards_city["daoli"])
    client.force_login(user)
    api_client.force_authenticate(user)
    other = InstitutionFactory(region=standards_city["nangang"], name="南岗区某中心")

    assert client.get(page(other.pk)).status_code == 404
    assert api_client.get(api(other.pk)).status_code == 404
    assert client.get(page(standards_city["a"].pk)).status_code == 200
    assert api_client.get(api(standards_city["a"].pk)).status_code == 200


def test_unknown_ids_answer_404_never_500(client, api_client, clerk, standards_city):
    client.force_login(clerk)
    api_client.force_authenticate(clerk)
    client.raise_request_exception = api_client.raise_request_exception = False

    for pk in (987654321, "9" * 20, "9" * 30):
        assert client.get(page(pk)).status_code == 404, pk
        response = api_client.get(api(pk))
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), pk
    assert api_client.get(api("abc")).status_code == 404
    assert api_client.get(api("-1")).status_code == 404


def test_the_page_needs_a_role(client, make_user, standards_city):
    assert client.get(page(standards_city["a"].pk)).status_code == 302  # to the login
    client.force_login(make_user(None))
    assert client.get(page(standards_city["a"].pk)).status_code == 403


# --- the API ------------------------------------------------------------------------------------------------------

def test_the_api_returns_the_industry_standard_with_its_rule_line(api_client, clerk, school):
    api_client.force_authenticate(clerk)

    body = api_client.get(api(school.pk), **EN).json()

    assert (body["institution_id"], body["region_code"], body["quotas"], body["measured"]) == (
        school.pk, "230102", 110, True)
    standard = body["industry_standard"]
    assert (standard["low"], standard["high"], standard["missing"]) == (100, 100, [])
    [part] = standard["parts"]
    assert (part["figure"], part["year"], part["value"], part["source"], part["rule_set"]) == (
        "students_junior", 2025, 1350, "道里区教育局2025年统计", UNIFIED_2014)
    rule = part["rule"]
    assert (rule["basis"], rule["rate_low"], rule["rate_high"], rule["per"], rule["minimum"]) == (
        "students_per_staff", "13.5", None, 1, None)
    assert (part["computed_low"], part["low"], part["high"], part["minimum_applied"]) == ("100", 100, 100, False)
    assert part["text"] == SCHOOL_SENTENCE
    assert body["rules_broken"] == ["industry_over"]
    assert [(row["rule"], row["figure"], row["limit"]) for row in body["findings"]] == [("industry_over", "110", "100")]


def test_the_api_returns_the_divisions_and_the_leadership_posts(api_client, clerk, standards_city, sixty):
    api_client.force_authenticate(clerk)

    divided = api_client.get(api(standards_city["a"].pk), **EN).json()
    led = api_client.get(api(sixty.pk), **EN).json()

    divisions = divided["divisions"]
    assert (divisions["count"], divisions["average"], divisions["minimum_average"]) == (3, "6.7", "8")
    assert divisions["average_too_low"] and not divisions["too_many"]
    assert divisions["limit"] == {"max_divisions": 3, "min_per_division": 8, "max_per_division": 15}
    assert divisions["reform_ceiling"] is None and divisions["ceiling_text"] == ""
    assert divided["rules_broken"] == ["division_average"]
    assert len(divided["division_leadership"]) == 3
    leadership = led["leadership"]
    assert (leadership["quotas"], leadership["principal"], leadership["deputy"], leadership["posts"]) == (60, 1, 3, 4)
    assert leadership["allowed"] == {"low": 3, "high": 4} and leadership["over"] is False
    assert leadership["text"] == "1 principal and 3 deputy posts: 4, against 3–4 for a unit of 60 quotas."
    assert led["rules_broken"] == [] and led["industry_standard"] is None
