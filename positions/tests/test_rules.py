"""The pure rule checks (positions.rules): no database, figures worked out by hand."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from positions import rules
from positions.choices import MainPostType, RuleCode

NATIONAL = rules.RuleSet(
    name="national", ratio=(Decimal(1), Decimal(3), Decimal(6)), tolerance=Decimal("0.02"),
    rules=(
        rules.Rule(rules.TOTAL_WITHIN_QUOTA, Decimal("1.00"), is_binding=True),
        rules.Rule(rules.PROFESSIONAL_SHARE_MIN, Decimal("0.70"), applies_to=rules.PROFESSIONAL_SERVICE),
        rules.Rule(rules.MANAGEMENT_SHARE_MIN, Decimal("0.50"), applies_to=rules.ADMINISTRATIVE),
        rules.Rule(rules.WORKER_SHARE_MIN, Decimal("0.50"), applies_to=rules.SUPPORT),
        rules.Rule(rules.SENIOR_RATIO),
        rules.Rule(rules.INTERMEDIATE_RATIO),
        rules.Rule(rules.TOP_GRADE, Decimal(4)),
        rules.Rule(rules.LEADERSHIP_WITHIN_POSTS, Decimal("1.00"), is_binding=True),
    ),
)


def plan(management=2, professional=(0, 0, 0, 1, 0, 0, 0, 0, 2, 1, 3, 2, 1), worker=0, **extra):
    """A plan with management posts at level 8 and professional posts by level 1…13."""
    management_levels = (0, 0, 0, 0, 0, management, 0, 0)
    total = management + sum(professional) + worker
    values = {
        "total": total, "management": management, "professional": sum(professional), "worker": worker,
        "management_levels": management_levels, "professional_levels": tuple(professional),
        "worker_levels": (0, 0, 0, 0, 0), "worker_ordinary": worker,
        "approved_quotas": total, "leadership_posts": 3,
    }
    values.update(extra)
    return rules.PlanFigures(**values)


def test_the_codes_of_the_pure_module_are_the_choices_of_the_models():
    assert set(rules.RULE_CODES) == set(RuleCode.values)
    assert set(rules.MAIN_POST_TYPES) == set(MainPostType.values)


def test_a_plan_within_every_rule_has_no_finding():
    # 10 professional posts: senior 1 (10%), intermediate 3 (30%), junior 6; 2 management: 83% professional.
    assert rules.check_plan(plan(), NATIONAL) == []


def test_bands_add_up_levels():
    figures = plan(professional=(1, 0, 0, 1, 2, 0, 1, 3, 0, 0, 4, 0, 1))

    assert [figures.band(band) for band in rules.BANDS] == [2, 3, 3, 5]
    assert figures.senior == 5


def test_position_total_above_the_approved_quotas_is_a_binding_finding():
    findings = rules.check_plan(plan(approved_quotas=11), NATIONAL)

    assert findings == [rules.Finding(rules.TOTAL_WITHIN_QUOTA, 12, 11, True)]
    assert findings[0].field == "total"
    assert rules.binding(findings) == findings


def test_professional_share_below_seventy_percent_is_a_warning_for_professional_service_units():
    figures = plan(management=5)  # 10 of 15: 66.67%

    (finding,) = rules.check_plan(figures, NATIONAL)

    assert (finding.rule, finding.figure, finding.limit, finding.binding) == (
        rules.PROFESSIONAL_SHARE_MIN, Decimal("0.6667"), Decimal("0.70"), False,
    )
    # The same plan of an administrative-type unit is checked against the management share instead.
    (other,) = rules.check_plan(plan(management=5, main_post_type=rules.ADMINISTRATIVE), NATIONAL)
    assert (other.rule, other.figure) == (rules.MANAGEMENT_SHARE_MIN, Decimal("0.3333"))


def test_management_must_be_more_than_half_exactly_half_is_not_enough():
    figures = plan(management=10, main_post_type=rules.ADMINISTRATIVE)  # 10 of 20: exactly 50%

    (finding,) = rules.check_plan(figures, NATIONAL)

    assert (finding.rule, finding.figure, finding.limit) == (rules.MANAGEMENT_SHARE_MIN, Decimal("0.5000"),
                                                             Decimal("0.50"))
    assert rules.check_plan(plan(management=11, main_post_type=rules.ADMINISTRATIVE), NATIONAL) == []


def test_worker_share_of_support_units():
    figures = plan(management=1, worker=10, main_post_type=rules.SUPPORT)  # 10 of 21

    assert [finding.rule for finding in rules.check_plan(figures, NATIONAL)] == [rules.WORKER_SHARE_MIN]
    assert rules.check_plan(plan(management=1, worker=12, main_post_type=rules.SUPPORT), NATIONAL) == []


def test_senior_and_intermediate_shares_are_held_to_the_ratio_plus_tolerance():
    # 10 professional posts: senior 2 (20% > 10% + 2%), intermediate 4 (40% > 30% + 2%), junior 4.
    figures = plan(professional=(0, 0, 0, 1, 0, 0, 1, 0, 2, 2, 2, 1, 1))

    findings = {finding.rule: finding for finding in rules.check_plan(figures, NATIONAL)}

    assert set(findings) == {rules.SENIOR_RATIO, rules.INTERMEDIATE_RATIO}
    assert (findings[rules.SENIOR_RATIO].figure, findings[rules.SENIOR_RATIO].limit) == (
        Decimal("0.2000"), Decimal("0.1200"))
    assert (findings[rules.INTERMEDIATE_RATIO].figure, findings[rules.INTERMEDIATE_RATIO].limit) == (
        Decimal("0.4000"), Decimal("0.3200"))


def test_more_junior_posts_never_break_the_ratio():
    assert rules.check_plan(plan(professional=(0,) * 10 + (5, 5, 0)), NATIONAL) == []


def test_city_ratio_allows_more_senior_posts():
    city = rules.RuleSet("city", (Decimal(2), Decimal(4), Decimal(4)), Decimal(0), (rules.Rule(rules.SENIOR_RATIO),))
    figures = plan(professional=(0, 0, 0, 1, 0, 0, 1, 0, 2, 2, 2, 1, 1))  # senior 20%

    assert rules.check_plan(figures, city) == []


def test_posts_above_the_top_level_are_found():
    figures = plan(professional=(0, 0, 1, 0, 0, 0, 0, 0, 2, 1, 3, 2, 1))  # a level-3 post; top allowed is 4

    findings = [f for f in rules.check_plan(figures, NATIONAL) if f.rule == rules.TOP_GRADE]

    assert findings == [rules.Finding(rules.TOP_GRADE, 3, 4, False)]


def test_leadership_posts_above_the_units_leadership_posts_is_binding():
    (finding,) = rules.check_plan(plan(management_leadership=2, leadership_posts=1), NATIONAL)

    assert (finding.rule, finding.figure, finding.limit, finding.binding) == (
        rules.LEADERSHIP_WITHIN_POSTS, 2, 1, True)


def test_unknown_figures_are_not_checked():
    assert rules.check_plan(plan(approved_quotas=None, leadership_posts=None, management_leadership=9,
                                 management=9), NATIONAL) == [
        rules.Finding(rules.PROFESSIONAL_SHARE_MIN, Decimal("0.5263"), Decimal("0.70"), False,
                      applies_to=rules.PROFESSIONAL_SERVICE)
    ]


def test_findings_survive_their_json_form():
    finding = rules.Finding(rules.SENIOR_RATIO, Decimal("0.2000"), Decimal("0.1200"), False)

    assert rules.Finding.from_dict(finding.as_dict()) == finding
    assert finding.as_dict()["figure"] == "0.2000"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"management": 3}, "management", "grades_sum"),
        ({"professional": 9}, "professional", "grades_sum"),
        ({"worker": 1}, "worker", "grades_sum"),
        ({"total": 13}, "total", "categories_sum"),
        ({"management_leadership": 3}, "management_leadership", "leadership_over_management"),
        ({"special": -1}, "special", "negative"),
    ],
)
def test_counts_that_do_not_add_up_are_structure_problems(change, field, code):
    values = {**plan().__dict__, **change}

    problems = rules.structure_problems(rules.PlanFigures(**values))

    assert [(problem.field, problem.code) for problem in problems][:1] == [(field, code)]


@given(
    management=st.lists(st.integers(0, 20), min_size=8, max_size=8),
    professional=st.lists(st.integers(0, 20), min_size=13, max_size=13),
    worker=st.lists(st.integers(0, 20), min_size=6, max_size=6),
)
def test_counts_built_from_their_grades_always_add_up(management, professional, worker):
    figures = rules.PlanFigures(
        total=sum(management) + sum(professional) + sum(worker), management=sum(management),
        professional=sum(professional), worker=sum(worker), management_levels=tuple(management),
        professional_levels=tuple(professional), worker_levels=tuple(worker[:5]), worker_ordinary=worker[5],
    )

    assert rules.structure_problems(figures) == []
    for finding in rules.check_plan(figures, NATIONAL):
        assert not finding.binding  # no quotas or leadership posts given: nothing binding can break
