"""Bad input to the standards: a field error naming the reason, nothing written."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.roles import Role
from institutions.models import Institution, Region
from standards.models import DivisionBand, IndustryRule, IndustryRuleSet, InstitutionCap, LeadershipBand, ServiceFigure

pytestmark = pytest.mark.django_db
ADMIN = "/admin/standards"


@pytest.fixture
def daoli(db):
    city = Region.objects.create(code="230100", name="哈尔滨市（市本级）", kind="city")
    return Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=city)


@pytest.fixture
def city_office(make_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    user = make_user(Role.CITY_OFFICE)
    user.is_staff = True
    user.save()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_negative_coefficient_or_a_missing_input_is_a_field_error(daoli):
    with pytest.raises(ValidationError) as error:
        InstitutionCap(region=daoli, method="derived", coefficient=Decimal("-1.2"), city_reduction=Decimal("0.193"),
                       ).full_clean()
    assert "coefficient" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        InstitutionCap(region=daoli, method="derived", coefficient=Decimal("1.2")).full_clean()
    assert "city_reduction" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        InstitutionCap(region=daoli, method="fixed").full_clean()
    assert "cap" in error.value.message_dict


def test_service_figures_of_the_wrong_kind_of_unit_are_refused_naming_the_unit(daoli):
    school = Institution.objects.create(name="道里区第一中学", region=daoli, reserved_class="school")

    with pytest.raises(ValidationError) as error:
        ServiceFigure(institution=school, year=2025, figure="beds", value=300, source="统计").full_clean()

    assert "道里区第一中学" in error.value.message_dict["figure"][0]
    ServiceFigure(institution=school, year=2025, figure="students_junior", value=1350, source="统计").full_clean()


def test_a_band_overlapping_a_stored_band_of_its_table_is_refused():
    """The default table holds unit bands 0–10 and 11–50: a band 45–60 shares 45–50 with the second."""
    with pytest.raises(ValidationError) as error:
        LeadershipBand(applies_to="unit", low=45, high=60, posts_low=2, posts_high=3).full_clean()
    assert "11–50" in error.value.message_dict["low"][0]
    with pytest.raises(ValidationError):
        DivisionBand(low=420, high=None, max_divisions=9).full_clean()  # inside ≥401
    band = DivisionBand.objects.get(low=16)
    band.high = 31  # into 31–50
    with pytest.raises(ValidationError):
        band.full_clean()


def _rule_set_post(lines):
    data = {"name": "测试医院标准", "sector": "hospital", "valid_from": "2020-01-01", "source": "测试",
            "rules-TOTAL_FORMS": str(len(lines)), "rules-INITIAL_FORMS": "0", "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000"}
    for index, (figure, low, high) in enumerate(lines):
        data.update({f"rules-{index}-figure": figure, f"rules-{index}-level": "", f"rules-{index}-low": str(low),
                     f"rules-{index}-high": "" if high is None else str(high),
                     f"rules-{index}-basis": "staff_per_unit", f"rules-{index}-rate_low": "1.3",
                     f"rules-{index}-rate_high": "1.4", f"rules-{index}-per": "1"})
    return data


def test_a_rule_set_with_overlapping_lines_is_refused_and_nothing_is_written(city_office):
    sets, lines = IndustryRuleSet.objects.count(), IndustryRule.objects.count()

    response = city_office.post(f"{ADMIN}/industryruleset/add/", _rule_set_post([("beds", 0, 300), ("beds", 300,
                                                                                                      None)]))

    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert "重叠" in errors or "overlap" in errors, errors
    assert (IndustryRuleSet.objects.count(), IndustryRule.objects.count()) == (sets, lines)

    wrong = city_office.post(f"{ADMIN}/industryruleset/add/", _rule_set_post([("students_junior", 0, None)]))
    assert wrong.status_code == 200
    assert IndustryRuleSet.objects.count() == sets

    saved = city_office.post(f"{ADMIN}/industryruleset/add/", _rule_set_post([("beds", 0, 300), ("beds", 301,
                                                                                                   None)]))
    assert saved.status_code == 302
    assert IndustryRuleSet.objects.get(name="测试医院标准").rules.count() == 2


def test_the_defaults_hold_the_documented_tables():
    assert list(LeadershipBand.objects.filter(applies_to="unit").values_list("low", "high", "posts_low",
                                                                             "posts_high")) == [
        (0, 10, 1, 2), (11, 50, 2, 3), (51, 100, 3, 4), (101, 200, 4, 5), (201, 400, 5, 6), (401, 600, 6, 7),
        (601, None, 7, 8)]
    assert set(IndustryRuleSet.objects.values_list("sector", flat=True)) == {"school", "hospital",
                                                                             "disease_control"}
    assert IndustryRuleSet.objects.filter(sector="school", valid_from__lte=datetime.date(2025, 12, 31)).order_by(
        "-valid_from").first().rules.get(figure="students_junior").rate_low == Decimal("13.5")
