"""The standards' arithmetic, on the cases worked by hand in the issue (and docs/domain.md, "One standard for all")."""
from decimal import Decimal

import pytest

from standards import rules
from standards.rules import Band, IndustryRule


def test_a_derived_cap_rounds_its_formula_down():
    """30 must-exist units + ⌊1.2 × 40 agencies × (1 − 0.193) × 1.0⌋ = 30 + ⌊38.736⌋ = 68."""
    derivation = rules.CapDerivation(30, Decimal("1.2"), 40, Decimal("0.193"), Decimal("1.0"))

    assert derivation.derived_part == Decimal("38.7360")
    assert derivation.cap == 68


def test_the_character_factor_scales_only_the_derived_part():
    """An integrated district at factor 0.8: 30 + ⌊38.736 × 0.8⌋ = 30 + ⌊30.9888⌋ = 60."""
    assert rules.CapDerivation(30, Decimal("1.2"), 40, Decimal("0.193"), Decimal("0.8")).cap == 60


def test_a_junior_middle_school_of_1350_students_at_1_to_13_5_is_100():
    standard = rules.standard_quota(1350, IndustryRule(rules.STUDENTS_PER_STAFF, Decimal("13.5")))

    assert (standard.low, standard.high) == (100, 100)


def test_a_standard_rounds_half_up():
    """1,357 / 13.5 = 100.52 → 101; 1,356 / 13.5 = 100.44 → 100."""
    rule = IndustryRule(rules.STUDENTS_PER_STAFF, Decimal("13.5"))
    assert rules.standard_quota(1357, rule).low == 101
    assert rules.standard_quota(1356, rule).low == 100


def test_a_420_bed_hospital_at_1_4_to_1_5_staff_a_bed_is_588_to_630():
    standard = rules.standard_quota(420, IndustryRule(rules.STAFF_PER_UNIT, Decimal("1.4"), Decimal("1.5")))

    assert (standard.low, standard.high) == (588, 630)


@pytest.mark.parametrize(("residents", "expected", "minimum_applied"), [
    (120_000, 21, False),  # max(120,000 × 1.75 / 10,000 = 21, 20) = 21
    (100_000, 20, True),  # 17.5 → 18, under the county minimum of 20
    (200_000, 35, False),  # at or above 150,000 residents the minimum does not apply
])
def test_a_county_disease_control_centre_gets_at_least_20_under_150000_residents(residents, expected,
                                                                               minimum_applied):
    rule = IndustryRule(rules.STAFF_PER_UNIT, Decimal("1.75"), per=10_000, minimum=20, minimum_below=150_000)

    standard = rules.standard_quota(residents, rule)

    assert (standard.low, standard.high, standard.minimum_applied) == (expected, expected, minimum_applied)


def test_three_divisions_over_20_quotas_average_6_7_and_are_flagged():
    check = rules.division_check(20, 3, rules.DivisionLimit(3, 8, 15))

    assert check.average.quantize(Decimal("0.1")) == Decimal("6.7")
    assert check.average_too_low and not check.too_many and check.broken


def test_more_divisions_than_before_the_plan_is_flagged():
    assert rules.division_check(40, 4, None, baseline_divisions=3).more_than_before
    assert not rules.division_check(40, 3, None, baseline_divisions=3).broken


def test_bands_that_share_a_value_overlap_and_other_keys_do_not():
    bands = [Band("unit", 0, 10), Band("unit", 11, 50), Band("unit", 50, None), Band("division", 0, 60)]

    assert rules.overlapping_bands(bands) == [(Band("unit", 11, 50), Band("unit", 50, None))]
    assert rules.overlapping_bands([Band("a", 0, None), Band("a", 5, 6), Band("a", 100, 200)]) == [
        (Band("a", 0, None), Band("a", 5, 6)), (Band("a", 0, None), Band("a", 100, 200))]


def test_a_value_finds_its_band():
    table = [(0, 10, "1–2"), (11, 50, "2–3"), (51, None, "3–4")]
    assert [rules.band_for(value, table) for value in (0, 10, 11, 50, 51, 5000)] == [
        "1–2", "1–2", "2–3", "2–3", "3–4", "3–4"]
