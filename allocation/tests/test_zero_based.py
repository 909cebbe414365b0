"""Tests of allocation.zero_based: a hand-worked plan checked figure by figure, its explanation, and refusals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.zero_based import (
    AreaInput,
    AreaResult,
    ControlledUse,
    PlanError,
    PlanResult,
    explain,
    zero_based_plan,
)

WEIGHTS = {"population": Decimal("50"), "area": Decimal("20"), "gdp": Decimal("30")}
COUNTY_RULE = ControlledUse(share=Decimal("0.05"))


def indicators(population: int, area: int, gdp: int) -> dict[str, Decimal]:
    return {"population": Decimal(population), "area": Decimal(area), "gdp": Decimal(gdp)}


DAOLI = AreaInput(
    key="daoli", name="道里区", is_county=False, fixed_reserve=120, indicators=indicators(500_000, 100, 100),
    current=400, cap=250,
)  # fmt: skip
NANGANG = AreaInput(
    key="nangang", name="南岗区", is_county=False, fixed_reserve=80, indicators=indicators(300_000, 300, 100),
    current=290,
)  # fmt: skip
BINXIAN = AreaInput(
    key="binxian", name="宾县", is_county=True, fixed_reserve=100, indicators=indicators(200_000, 600, 100),
    current=329,
)  # fmt: skip
AREAS = [DAOLI, NANGANG, BINXIAN]


def plan(areas=AREAS, **overrides) -> PlanResult:
    arguments = {"total": 1001, "weights": WEIGHTS, "county_rule": COUNTY_RULE, **overrides}
    return zero_based_plan(areas, **arguments)


def test_hand_worked_plan_every_figure():
    # remainder = 1001 − (120 + 80 + 100) = 701.
    # Shares: population 500k/300k/200k of 1,000k = .5 .3 .2; area 100/300/600 of 1000 = .1 .3 .6;
    # GDP 100 each = 1/3 each.
    # Scores (50 % / 20 % / 30 %): 道里 .25 + .02 + .1 = .37; 南岗 .15 + .06 + .1 = .31; 宾县 .1 + .12 + .1 = .32.
    # Ideals 701 × score: 259.37, 217.31, 224.32.
    # Largest remainder with 道里's cap of 250 binding (.37λ > 250): 250 + .63λ = 701 → λ = 45100/63;
    # quotas 250, .31λ = 13981/63 = 221 58/63, .32λ = 14432/63 = 229 5/63; whole parts 700, the last seat to
    # 南岗 (58/63 > 5/63) → 250, 222, 229.
    # Results: 370, 302, 329 (sum 1001). 宾县's controlled use: 5 % of 329 = 16.45 → 16; usable 313.
    # Differences from today's 400, 290, 329: −30, +12, 0.
    result = plan()
    assert result == PlanResult(
        areas=[
            AreaResult(
                key="daoli", fixed_reserve=120,
                shares={"population": Decimal("0.500000"), "area": Decimal("0.100000"), "gdp": Decimal("0.333333")},
                score=Decimal("0.370000"), ideal=Decimal("259.370000"), allocated=250, result=370, bound="cap",
                controlled=0, usable=370, difference=-30,
                name="道里区", is_county=False, current=400, floor=None, cap=250, method="largest_remainder",
            ),
            AreaResult(
                key="nangang", fixed_reserve=80,
                shares={"population": Decimal("0.300000"), "area": Decimal("0.300000"), "gdp": Decimal("0.333333")},
                score=Decimal("0.310000"), ideal=Decimal("217.310000"), allocated=222, result=302, bound="",
                controlled=0, usable=302, difference=12,
                name="南岗区", is_county=False, current=290, floor=None, cap=None, method="largest_remainder",
            ),
            AreaResult(
                key="binxian", fixed_reserve=100,
                shares={"population": Decimal("0.200000"), "area": Decimal("0.600000"), "gdp": Decimal("0.333333")},
                score=Decimal("0.320000"), ideal=Decimal("224.320000"), allocated=229, result=329, bound="",
                controlled=16, usable=313, difference=0,
                name="宾县", is_county=True, current=329, floor=None, cap=None, method="largest_remainder",
            ),
        ],
        remainder=701,
        total=1001,
        method="largest_remainder",
    )  # fmt: skip
    assert [str(area.score) for area in result.areas] == ["0.370000", "0.310000", "0.320000"]


def test_explanations_of_the_hand_worked_plan():
    daoli, nangang, binxian = plan().areas
    assert explain(daoli) == (
        "道里区：固定保障编制 120 名；人口占比 50%、面积占比 10%、地区生产总值占比 33.3333%；综合得分 0.37；"
        "理论分配 259.37 名，按最大余额法取整为 250 名（触及上限 250 名）；核定总量 370 名；较现有 400 名减少 30 名。"
    )
    assert explain(nangang) == (
        "南岗区：固定保障编制 80 名；人口占比 30%、面积占比 30%、地区生产总值占比 33.3333%；综合得分 0.31；"
        "理论分配 217.31 名，按最大余额法取整为 222 名；核定总量 302 名；较现有 290 名增加 12 名。"
    )
    assert explain(binxian) == (
        "宾县：固定保障编制 100 名；人口占比 20%、面积占比 60%、地区生产总值占比 33.3333%；综合得分 0.32；"
        "理论分配 224.32 名，按最大余额法取整为 229 名；核定总量 329 名，其中控制使用 16 名、可使用 313 名；"
        "与现有 329 名持平。"
    )


def test_floor_on_the_allocated_part_and_its_explanation():
    # 宾县 with a floor of 240 on its allocated part. With both bounds binding: 250 + .31λ + 240 = 701 →
    # λ = 21100/31; check 道里 .37λ = 251.8 > 250 (cap binds) and 宾县 .32λ = 217.8 < 240 (floor binds);
    # 南岗's quota .31λ = 211 exactly. So 250, 211, 240: results 370, 291, 340; 宾县 controlled 5 % of 340 = 17.
    areas = [DAOLI, NANGANG, replace(BINXIAN, floor=240)]
    result = plan(areas)
    assert [(a.allocated, a.result, a.bound, a.controlled) for a in result.areas] == [
        (250, 370, "cap", 0),
        (211, 291, "", 0),
        (240, 340, "floor", 17),
    ]
    assert "按最大余额法取整为 240 名（触及下限 240 名）" in explain(result.areas[2])


def test_other_methods_and_a_county_rule_of_its_own():
    # With a fixed count of 30 for 宾县 and D'Hondt: 道里 is still capped; 451 seats between .31 and .32 by
    # D'Hondt: quotients .31/222 = .0013964 beat .32/230 = .0013913 for the last seat → 222, 229 as before.
    areas = [DAOLI, NANGANG, replace(BINXIAN, controlled_rule=ControlledUse(count=30))]
    result = plan(areas, method="dhondt")
    assert [(a.allocated, a.controlled, a.usable) for a in result.areas] == [
        (250, 0, 370),
        (222, 0, 302),
        (229, 30, 299),
    ]
    assert "按洪德法取整为 229 名" in explain(result.areas[2])


def test_controlled_share_rounds_half_up():
    rule = ControlledUse(share=Decimal("0.1"))
    assert [rule.amount(result) for result in (0, 324, 325, 335, 1000)] == [0, 32, 33, 34, 100]


def test_fixed_reserves_equal_to_the_total_leave_nothing_to_allocate():
    result = plan(total=300)
    assert result.remainder == 0
    assert [(a.allocated, a.result) for a in result.areas] == [(0, 120), (0, 80), (0, 100)]
    assert [a.ideal for a in result.areas] == [Decimal("0.000000")] * 3


def test_shares_round_half_up_to_six_places():
    areas = [
        replace(NANGANG, indicators=indicators(1, 1, 1)),
        replace(BINXIAN, indicators=indicators(2, 2, 2)),
    ]
    result = plan(areas, total=180, county_rule=None)
    # Shares 1/3 and 2/3 → 0.333333 and 0.666667; remainder 0; ideals 0.
    assert [a.shares["population"] for a in result.areas] == [Decimal("0.333333"), Decimal("0.666667")]
    assert [a.score for a in result.areas] == [Decimal("0.333333"), Decimal("0.666667")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"total": 299}, "fixed reserves add up to 300, more than the total 299"),
        ({"weights": {**WEIGHTS, "gdp": Decimal("29")}}, r"weights must add up to 100 \(%\), not 99"),
        (
            {"weights": {"population": Decimal("0.5"), "area": Decimal("0.2"), "gdp": Decimal("0.3")}},
            r"weights must add up to 100 \(%\), not 1",
        ),
        ({"weights": {**WEIGHTS, "gdp": 30.0}}, "weight of 'gdp' must be a Decimal or an integer"),
        ({"weights": {"population": Decimal("110"), "area": Decimal("-10")}}, "must not be negative"),
        ({"method": "hare"}, "unknown method 'hare'"),
        ({"total": -1}, "total must be a whole number"),
        ({"areas": []}, "no areas"),
        ({"areas": [DAOLI, replace(NANGANG, key="daoli"), BINXIAN]}, "area keys repeat"),
        ({"areas": [DAOLI, NANGANG, replace(BINXIAN, indicators={"population": Decimal(1)})]}, "宾县: no value"),
        ({"areas": [DAOLI, replace(NANGANG, fixed_reserve=-1), BINXIAN]}, "南岗区: the fixed reserve"),
        (
            {"areas": [DAOLI, replace(NANGANG, controlled_rule=ControlledUse(count=1)), BINXIAN]},
            "南岗区: controlled use applies to counties only",
        ),
        (
            {"areas": [DAOLI, NANGANG, replace(BINXIAN, controlled_rule=ControlledUse(count=400))]},
            "宾县: controlled use of 400 exceeds its result of 329",
        ),
        (
            {"areas": [DAOLI, NANGANG, replace(BINXIAN, floor=702)]},
            "remainder of 701 cannot be allocated: the floors add up to 702, above the total 701",
        ),
        (
            {"areas": [replace(area, indicators={**area.indicators, "gdp": Decimal(0)}) for area in AREAS]},
            "indicator 'gdp' is zero for every area",
        ),
    ],
)
def test_impossible_plans_are_refused_with_the_reason(change, message):
    arguments = {"areas": AREAS, "total": 1001, "weights": WEIGHTS, "county_rule": COUNTY_RULE, **change}
    with pytest.raises(PlanError, match=message):
        zero_based_plan(arguments.pop("areas"), **arguments)


def test_an_indicator_without_weight_may_be_zero_everywhere():
    weights = {**WEIGHTS, "fiscal_revenue": Decimal(0)}
    areas = [replace(area, indicators={**area.indicators, "fiscal_revenue": Decimal(0)}) for area in AREAS]
    assert [a.result for a in plan(areas, weights=weights).areas] == [370, 302, 329]


def test_plan_error_is_a_value_error_and_rules_are_checked():
    assert issubclass(PlanError, ValueError)
    with pytest.raises(PlanError, match="either a share or a count"):
        ControlledUse()
    with pytest.raises(PlanError, match="either a share or a count"):
        ControlledUse(share=Decimal("0.1"), count=1)
    with pytest.raises(PlanError, match="between 0 and 1"):
        ControlledUse(share=Decimal("1.5"))
    with pytest.raises(PlanError, match="whole number"):
        ControlledUse(count=-1)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 10**6), st.integers(0, 10**4), st.booleans(), st.integers(0, 500)),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 2000),
    st.sampled_from(["largest_remainder", "dhondt", "sainte_lague", "huntington_hill"]),
    st.integers(0, 100),
)
def test_plan_invariants(rows, extra, method, population_weight):
    areas = [
        AreaInput(
            key=f"a{i}", name=f"区{i}", is_county=is_county, fixed_reserve=fixed,
            indicators={"population": Decimal(population + 1), "area": Decimal(area)}, current=current,
        )
        for i, (fixed, population, area, is_county, current) in enumerate(rows)
    ]  # fmt: skip
    weights = {"population": Decimal(population_weight), "area": Decimal(100 - population_weight)}
    total = sum(row[0] for row in rows) + extra
    try:
        result = zero_based_plan(areas, total=total, weights=weights, method=method, county_rule=COUNTY_RULE)
    except PlanError as error:
        assert "is zero for every area" in str(error)  # only an all-zero area indicator with a weight
        return
    assert result.remainder == extra
    assert sum(a.allocated for a in result.areas) == extra
    assert sum(a.result for a in result.areas) == total
    for area, row in zip(result.areas, rows, strict=True):
        assert area.result == row[0] + area.allocated
        assert area.usable + area.controlled == area.result
        assert area.difference == area.result - row[4]
        assert area.controlled == (COUNTY_RULE.amount(area.result) if row[3] else 0)
