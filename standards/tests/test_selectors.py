"""The standards' figures on a small city worked by hand: caps, industry standards by the rule set in force, and the
findings of each rule."""
import datetime
from decimal import Decimal

import pytest

from institutions.models import ApprovalDocument, Institution, InternalDivision, Region
from quotas import services as ledger
from standards import selectors
from standards.models import InstitutionCap, ServiceFigure

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 1, 2)


@pytest.fixture
def toy(db):
    city = Region.objects.create(code="230100", name="市本级", kind="city")
    daoli = Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=city)
    yilan = Region.objects.create(code="230123", name="依兰县", kind="county", parent=city)
    document = ApprovalDocument.objects.create(issuer="市委编办", office_code="哈编发", year=2024, serial=1,
                                               title="批复", date_issued=DAY, date_effective=DAY)
    quota_type = ledger.quota_type_get()

    def unit(region, name, quotas, **fields):
        institution = Institution.objects.create(name=name, region=region, **fields)
        if quotas:
            pool = ledger.account_for_region(region=region, quota_type=quota_type)
            ledger.quota_grant(target=pool, amount=quotas, document=document, effective_date=DAY, by=None)
            ledger.quota_allocate(source=pool, target=ledger.account_for_institution(
                institution=institution, quota_type=quota_type), amount=quotas, document=document,
                effective_date=DAY, by=None)
        return institution

    return {"city": city, "daoli": daoli, "yilan": yilan, "unit": unit, "document": document}


def test_a_derived_cap_reads_the_registry_and_a_fixed_one_its_document(toy):
    daoli, yilan, unit = toy["daoli"], toy["yilan"], toy["unit"]
    for index in range(3):
        unit(daoli, f"必设单位{index}", 0, must_exist_reason="by_law")
    for index in range(5):
        unit(daoli, f"局{index}", 0, kind="agency")
    unit(daoli, "普通单位", 0)
    InstitutionCap.objects.create(region=daoli, method="derived", coefficient=Decimal("1.2"),
                                  city_reduction=Decimal("0.193"))
    InstitutionCap.objects.create(region=yilan, method="fixed", cap=0, document=toy["document"])
    unit(yilan, "县单位", 0)

    caps = selectors.region_caps()

    # 3 + ⌊1.2 × 5 × 0.807⌋ = 3 + ⌊4.842⌋ = 7; 4 public institutions (agencies are not counted)
    assert (caps[daoli.pk].cap, caps[daoli.pk].institutions, caps[daoli.pk].over_by) == (7, 4, 0)
    assert (caps[daoli.pk].derivation.must_exist, caps[daoli.pk].derivation.agencies) == (3, 5)
    assert (caps[yilan.pk].cap, caps[yilan.pk].over_by, caps[yilan.pk].document) == (0, 1, toy["document"])
    assert caps[toy["city"].pk].cap is None
    found = [(f.rule, f.region.name, f.figure, f.limit) for f in selectors.findings() if f.rule == selectors.CAP]
    assert found == [("cap", "依兰县", 1, "0")]


def test_a_school_is_measured_by_the_rule_set_in_force_at_the_end_of_its_figures_year(toy):
    """A county junior school of 1,600 students: in 2010 at the county rate 1 : 16 → 100; in 2025 at the unified
    1 : 13.5 → 118.5 → 119. It holds 110: under the 2025 standard, over the 2010 one."""
    school = toy["unit"](toy["yilan"], "依兰县第二中学", 110, reserved_class="school")
    ServiceFigure.objects.create(institution=school, year=2010, figure="students_junior", value=1600, source="统计")

    then = selectors.unit_standards([school], on=datetime.date(2011, 6, 1))[school.pk]
    assert (then.low, then.high, then.parts[0].rule_set) == (100, 100, "中小学教职工编制标准（2001）")

    ServiceFigure.objects.create(institution=school, year=2025, figure="students_junior", value=1600, source="统计")
    now = selectors.unit_standards([school])[school.pk]
    assert (now.low, now.high, now.parts[0].year) == (119, 119, 2025)
    found = [(f.rule, f.figure, f.limit) for f in selectors.findings() if f.institution == school]
    assert found == [("industry_under", 110, "119")]


def test_a_hospital_over_its_beds_standard_and_a_disease_control_centre_at_the_county_minimum(toy):
    hospital = toy["unit"](toy["daoli"], "道里区人民医院", 640, reserved_class="public_hospital")
    ServiceFigure.objects.create(institution=hospital, year=2025, figure="beds", value=420, source="卫健局")
    centre = toy["unit"](toy["yilan"], "依兰县疾病预防控制中心", 20, reserved_class="disease_control")
    ServiceFigure.objects.create(institution=centre, year=2025, figure="residents", value=100_000, source="统计")

    standards = selectors.unit_standards([hospital, centre])

    assert (standards[hospital.pk].low, standards[hospital.pk].high) == (588, 630)
    assert (standards[centre.pk].low, standards[centre.pk].parts[0].result.minimum_applied) == (20, True)
    found = [(f.rule, f.institution.name, f.figure, f.limit) for f in selectors.findings()
             if f.rule.startswith("industry")]
    assert found == [("industry_over", "道里区人民医院", 640, "588–630")]


def test_divisions_under_the_average_and_leaders_over_the_table_are_found(toy):
    """20 quotas over 3 divisions: 6.7 a division, under 8. 20 quotas allow 2–3 leaders: 1 + 3 = 4 is over. A
    division of 4 quotas allows 1–2: 1 + 2 = 3 is over."""
    unit = toy["unit"](toy["daoli"], "道里区档案馆", 20, leadership_principal=1, leadership_deputy=3)
    for name in ("一科", "二科"):
        InternalDivision.objects.create(institution=unit, name=name, quota_count=8)
    crowded = InternalDivision.objects.create(institution=unit, name="三科", quota_count=4, leadership_deputy=2)

    found = sorted((f.rule, str(f.figure), f.limit, f.division) for f in selectors.findings())

    assert found == [("division_average", "6.7", "≥ 8", None), ("leadership_division", "3", "1–2", crowded),
                     ("leadership_unit", "4", "2–3", None)]
