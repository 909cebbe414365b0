"""The demo city: its shape, valid codes and names, determinism, and loading it (once, idempotently)."""
from collections import Counter
from io import StringIO

import pytest

from demo.institutions import DEFAULT_SEED, generate, load
from institutions.choices import (
    Category,
    FundingForm,
    InstitutionKind,
    MustExistReason,
    ReservedClass,
)
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region
from institutions.validators import validate_credit_code

REGION_KINDS = {
    "230100": "city",
    "230102": "main_urban", "230103": "main_urban", "230104": "main_urban", "230110": "main_urban",
    "230108": "integrated", "230109": "integrated",
    "230111": "outer_suburban", "230112": "outer_suburban", "230113": "outer_suburban",
    "230123": "county", "230124": "county", "230125": "county", "230126": "county", "230127": "county",
    "230128": "county", "230129": "county", "230183": "county", "230184": "county",
}
CAPS = {"city": None, "main_urban": 74, "outer_suburban": 74, "integrated": 58, "county": None}
# The districts start below the article's 843: a 21 % cut of 843 would leave more than their caps hold (7 × 74 +
# 2 × 58, 松北区 at 23), and every district ends the reform within its cap (demo/tests/test_demo_standards.py).
PUBLIC_PER_LEVEL = {"city": (220, 260), "district": (690, 750), "county": (1900, 2100)}


@pytest.fixture(scope="module")
def city():
    return generate(DEFAULT_SEED)


def public(city):
    return [unit for unit in city.institutions if unit.kind == InstitutionKind.PUBLIC_INSTITUTION]


def test_same_seed_gives_the_same_city_and_another_seed_another():
    assert generate(7) == generate(7)
    assert generate(7) != generate(8)


def test_regions_are_the_city_and_its_eighteen_districts_and_counties(city):
    assert {region.code: region.kind for region in city.regions} == REGION_KINDS
    assert {region.code: region.institution_cap for region in city.regions} == {
        code: CAPS[kind] for code, kind in REGION_KINDS.items()
    }
    assert all(region.parent_code == "230100" for region in city.regions[1:])
    assert city.region("230102").name == "道里区"


def test_public_institutions_per_level_are_as_in_the_article(city):
    counts = city.counts()

    for level, (low, high) in PUBLIC_PER_LEVEL.items():
        assert low <= counts[level]["public"] <= high, level
    for region in city.regions:
        agencies = sum(1 for u in city.institutions if u.region_code == region.code and u.kind == "agency")
        assert 25 <= agencies <= 40, region.name


def test_every_category_funding_form_and_reserved_class_is_present(city):
    units = public(city)

    assert {unit.category for unit in units} == set(Category.values)
    assert {unit.funding_form for unit in units} == set(FundingForm.values)
    assert {unit.reserved_class for unit in units} == set(ReservedClass.values)
    assert {unit.must_exist_reason for unit in units} == set(MustExistReason.values)


def test_credit_codes_are_valid_unique_and_carry_the_region_code(city):
    codes = [unit.credit_code for unit in city.institutions]

    assert len(codes) == len(set(codes))
    for unit in city.institutions:
        validate_credit_code(unit.credit_code)
        assert unit.credit_code[:2] == ("11" if unit.kind == InstitutionKind.AGENCY else "12")
        assert unit.credit_code[2:8] == unit.region_code


def test_active_names_are_unique_in_each_region(city):
    names = Counter((u.region_code, u.name) for u in city.institutions)

    assert [key for key, count in names.items() if count > 1] == []


def test_each_public_institution_is_supervised_by_an_agency_of_its_region(city):
    agencies = {u.credit_code: u for u in city.institutions if u.kind == InstitutionKind.AGENCY}

    for unit in public(city):
        assert agencies[unit.supervisor_code].region_code == unit.region_code
    schools = [u for u in public(city) if u.name.endswith(("中学", "中学校", "小学"))]
    hospitals = [u for u in public(city) if u.reserved_class == ReservedClass.PUBLIC_HOSPITAL and "民康" not in u.name]
    assert {agencies[u.supervisor_code].name[-3:] for u in schools} == {"教育局"}
    assert all("卫生健康" in agencies[u.supervisor_code].name for u in hospitals)


def test_staff_is_mostly_below_the_planned_size_with_some_at_and_some_over_it(city):
    active = public(city)
    below = sum(u.staff_in_quota < u.planned_quota for u in active)
    at = sum(u.staff_in_quota == u.planned_quota for u in active)
    over = sum(u.staff_in_quota > u.planned_quota for u in active)

    assert below > len(active) / 2
    assert at > len(active) / 20
    assert len(active) / 25 < over < len(active) / 6
    assert set(city.planned_quotas()) == {u.credit_code for u in city.institutions}


def test_the_reform_examples_exist_before_it_and_documents_are_consistent(city):
    """The city is the state before the 2021 reform: the units its plans end or move are there, in place."""
    numbers = {document.number: document for document in city.documents}
    names = {(u.region_code, u.name) for u in public(city)}

    for name in ("第六医院", "职工医院", "第三医院", "干部疗养院", "勘察测绘研究院", "不动产登记中心松北分中心"):
        assert ("230100", "哈尔滨市" + name) in names
    assert ("230102", "哈尔滨市道里区工伤保险中心") in names
    assert ("230102", "哈尔滨市道里区社会保险事业中心") not in names  # the reform forms it
    assert len(numbers) == len(city.documents)
    assert 50 <= len(city.documents) <= 100
    for document in city.documents:
        assert document.date_issued.year == document.year
        assert document.date_effective >= document.date_issued
        assert document.title.endswith("（示意）")
    assert any(u.established_document for u in public(city))


def test_divisions_cover_a_third_of_the_units_within_their_planned_size(city):
    per_unit = Counter(division.institution_code for division in city.divisions)
    planned = {u.credit_code: u.planned_quota for u in city.institutions}
    quota = Counter()
    for division in city.divisions:
        quota[division.institution_code] += division.quota_count

    assert 0.25 < len(per_unit) / len(public(city)) < 0.4
    assert set(per_unit.values()) <= set(range(2, 7))
    assert all(quota[code] <= planned[code] for code in per_unit)


def test_about_three_percent_carry_a_plaque_and_the_research_institutes_are_up_before_the_reform(city):
    assert 0.02 < len(city.plaques) / len(public(city)) < 0.05
    assert sum(plaque.ended_on is not None for plaque in city.plaques) >= 4
    wanted = ("哈尔滨市肿瘤研究所", "哈尔滨市心血管病研究所", "哈尔滨市儿科研究所", "哈尔滨市结核病研究所")
    institutes = {plaque.name: plaque for plaque in city.plaques if plaque.name in wanted}
    assert len(institutes) == 4 and all(plaque.ended_on is None for plaque in institutes.values())


@pytest.mark.django_db
def test_loading_twice_writes_the_city_once(django_user_model):
    """Loads the registry of the city (its speed is measured in bench/bench_demo.py)."""
    user = django_user_model.objects.create_user(username="loader")
    first = load(by=user)
    counts = [model.objects.count() for model in (Region, ApprovalDocument, Institution, InternalDivision, Plaque)]

    out = StringIO()
    second = load(by=user, stdout=out)

    assert first.created
    assert not second.created
    assert [model.objects.count() for model in (Region, ApprovalDocument, Institution, InternalDivision, Plaque)] \
        == counts == [19, len(first.city.documents), len(first.city.institutions), len(first.city.divisions),
                      len(first.city.plaques)]
    assert "already loaded" in out.getvalue()
    assert "示意" in out.getvalue()
    assert Institution.history.filter(history_user=user).count() == len(first.city.institutions)


