"""The demo reform's plans as worked out from the generated city, without the database: deterministic, each unit in
one part only, the counts they imply at the article's reductions, 松北区 at 23."""
from collections import Counter

import pytest

from demo.institutions import DEFAULT_SEED, generate
from demo.reform import expected_counts, plan_reform, staff_by_category
from demo.tests.test_demo_institutions import REGION_KINDS

DISTRICTS = [code for code, kind in REGION_KINDS.items() if kind in ("main_urban", "integrated", "outer_suburban")]


@pytest.fixture(scope="module")
def city():
    return generate(DEFAULT_SEED)


@pytest.fixture(scope="module")
def plans(city):
    return plan_reform(city)


def test_the_plans_are_the_same_for_the_same_city(city, plans):
    assert plan_reform(city) == plans
    # The city's hospitals and streamlining first; its devolutions after the districts' own plans, which make room
    # under their caps for the units they receive.
    assert [(plan.region_code, plan.key) for plan in plans][:2] == [("230100", "hospitals"), ("230100", "streamline")]
    assert [plan.key for plan in plans].count("local") == 18 and len(plans) == 3 + 18
    devolution = next(plan for plan in plans if plan.key == "devolution")
    assert {operation.kind for operation in devolution.operations} == {"devolve", "change_supervisor"}
    assert all(plan.effective_date < devolution.effective_date for plan in plans if plan.region_code in DISTRICTS)
    assert len({plan.document.number for plan in plans}) == len(plans)
    assert all(plan.document.title.endswith("（示意）") for plan in plans)


def test_no_unit_is_ended_twice_or_both_ended_and_kept_to_receive(plans):
    ended = Counter(code for plan in plans for operation in plan.operations
                    for code in (operation.sources if operation.kind == "merge" else
                                 (operation.unit,) if operation.kind == "abolish" else ()))
    survivors = {operation.unit for plan in plans for operation in plan.operations if operation.kind == "merge"}
    receivers = {operation.receiver for plan in plans for operation in plan.operations if operation.receiver}

    assert max(ended.values()) == 1
    assert not set(ended) & (survivors | receivers)
    assert not survivors & receivers


def test_the_counts_the_plans_imply_are_the_articles(city, plans):
    level = {region.code: region.level for region in city.regions}
    totals = {name: [0, 0] for name in ("city", "district", "county")}
    counts = expected_counts(city, plans)
    for code, (before, after) in counts.items():
        totals[level[code]][0] += before
        totals[level[code]][1] += after

    # The article: city level 19.3 %, districts 21 %, counties 5 % fewer; worked out on this city's counts.
    assert totals == {"city": [243, 243 - 47], "district": [716, 716 - 150], "county": [2043, 2043 - 102]}
    assert round(47 / 243 * 100, 1) == 19.3 and round(150 / 716 * 100) == 21 and round(102 / 2043 * 100) == 5
    assert counts["230109"][1] == 23
    # Every district within its institution cap after the reform (74; 58 for the government-zone-integrated ones).
    assert all(counts[code][1] <= city.region(code).institution_cap for code in DISTRICTS)


def test_staff_are_split_by_category_and_band_without_losing_anyone():
    # 20 × (15 %, 77 %, 8 %) = 3, 15.4, 1.6 → 3, 15, 1 and the one left to the largest remainder (workers' 0.6);
    # 15 professionals × (3, 12, 35, 50 %) = 0.45, 1.8, 5.25, 7.5 → 0, 1, 5, 7 and two left: to 0.8 and 0.5.
    assert staff_by_category(20) == {"management": 3, "professional": 15, "senior_full": 0, "senior_deputy": 2,
                                     "intermediate": 5, "junior": 8, "worker": 2}
    assert staff_by_category(0) == dict.fromkeys(("management", "professional", "senior_full", "senior_deputy",
                                                  "intermediate", "junior", "worker"), 0)
