"""Position services: plans checked against their rules, staff counts, numbered notices; refusals change nothing."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from institutions.tests.factories import AgencyFactory, DivisionFactory, InstitutionFactory
from positions import rules, services
from positions.choices import RuleLevel
from positions.models import PositionPlan, PositionRuleSet, StaffCount
from positions.tests.factories import plan_counts, staff_counts
from reconciliation.models import PositionDirectionNotice

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 1, 1)


@pytest.fixture
def funded(unit, fund):
    """道里区图书馆 with 10 approved quotas and 1 principal leadership post."""
    fund(unit, 10)
    return unit


def create(unit, by, filing, day=DAY, **counts):
    values = {"management": 1, "professional": (0, 1, 2, 6), "worker": 0}
    values.update(counts)
    return services.position_plan_create(institution=unit, by=by, effective_date=day, document=filing,
                                         counts=plan_counts(**values))


def snapshot():
    return (PositionPlan.objects.count(), StaffCount.objects.count(), PositionDirectionNotice.objects.count())


# --- plans ----------------------------------------------------------------------------------------------------
def test_a_plan_gets_the_default_rule_set_of_its_level_and_the_next_version(funded, hr_user, filing):
    first = create(funded, hr_user, filing)
    second = create(funded, hr_user, filing, day=datetime.date(2026, 1, 1))

    assert (first.version, second.version) == (1, 2)
    assert first.rule_set == PositionRuleSet.objects.get(level=RuleLevel.COUNTY, is_default=True)
    assert first.entered_by == hr_user
    assert first.findings == []
    assert first.history.first().history_user == hr_user


def test_city_level_and_township_units_get_their_levels_rule_sets(city, fund, hr_user, filing):
    city_unit = InstitutionFactory(region=city)
    township_unit = InstitutionFactory(reserved_class="township")

    assert services.default_rule_set_for(city_unit).level == RuleLevel.CITY
    assert services.default_rule_set_for(township_unit).level == RuleLevel.TOWNSHIP


def test_a_plan_above_the_approved_quotas_is_refused_naming_rule_figure_and_limit(funded, hr_user, filing):
    before = snapshot()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        create(funded, hr_user, filing, professional=(0, 1, 2, 7))  # 11 posts for 10 quotas

    assert refused.value.message_dict == {"total": [
        "Rule “Position total within approved quotas (binding)”: the position total is 11, above the limit of 10 "
        "set by the approved quotas."
    ]}
    assert snapshot() == before


def test_a_plan_breaking_a_non_binding_rule_is_saved_with_its_warnings(funded, hr_user, filing):
    plan = create(funded, hr_user, filing, management=4, professional=(0, 0, 1, 5))  # 6 of 10 professional

    assert [item["rule"] for item in plan.findings] == [rules.PROFESSIONAL_SHARE_MIN]
    assert plan.findings[0]["figure"] == "0.6000" and plan.findings[0]["limit"] == "0.7000"
    assert plan.findings[0]["binding"] is False


def test_leadership_posts_above_the_units_leadership_posts_are_refused(funded, hr_user, filing):
    DivisionFactory(institution=funded, leadership_principal=1, leadership_deputy=0)  # 1 + 1 = 2 posts

    assert services.leadership_posts_of(funded) == 2
    with pytest.raises(ValidationError) as refused:
        create(funded, hr_user, filing, leadership=3, management=3, professional=(0, 0, 2, 5))
    assert list(refused.value.message_dict) == ["management_leadership"]


def test_a_plan_is_checked_against_the_quotas_on_its_own_date(funded, fund, hr_user, filing):
    fund(funded, 5, on=datetime.date(2026, 1, 1))  # 15 from 2026

    with pytest.raises(ValidationError):
        create(funded, hr_user, filing, professional=(0, 1, 3, 10))  # 15 posts on 2025-01-01: 10 quotas
    plan = create(funded, hr_user, filing, day=datetime.date(2026, 1, 1), professional=(0, 1, 3, 10))
    assert plan.total == 15


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"management": -1}, "management", "cannot be negative"),
        ({"management_8": 1}, "management", "Grade counts must add up to their category"),
        ({"professional_12": 3}, "professional", "Grade counts must add up to their category"),
        ({"total": 9}, "total", "Categories must add up to the total"),
    ],
)
def test_counts_that_do_not_add_up_are_refused_against_their_field(funded, hr_user, filing, change, field, words):
    counts = plan_counts(management=2, professional=(0, 1, 3, 4))
    counts.update(change)
    before = snapshot()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.position_plan_create(institution=funded, by=hr_user, effective_date=DAY, document=filing,
                                      counts=counts)

    with translation.override("en"):  # the messages are lazy: read them in the language they are checked in
        assert words in " ".join(refused.value.message_dict[field])
    assert snapshot() == before


def test_no_plan_for_an_abolished_unit_nor_before_a_unit_existed(daoli, hr_user, filing):
    abolished = InstitutionFactory(region=daoli, status="abolished", ended_on=datetime.date(2024, 6, 30))
    young = InstitutionFactory(region=daoli, established_on=datetime.date(2025, 6, 1))

    with translation.override("en"):
        with pytest.raises(ValidationError) as gone:
            create(abolished, hr_user, filing)
        with pytest.raises(ValidationError) as early:
            create(young, hr_user, filing)

    assert "a unit must exist on the date" in gone.value.message_dict["institution"][0]
    assert "was established on" in early.value.message_dict["effective_date"][0]
    assert PositionPlan.objects.count() == 0


def test_agencies_get_no_position_plan(daoli, hr_user, filing):
    with pytest.raises(ValidationError) as refused:
        create(AgencyFactory(region=daoli), hr_user, filing)
    assert "institution" in refused.value.message_dict


def test_one_plan_per_unit_and_date(funded, hr_user, filing):
    create(funded, hr_user, filing)

    with pytest.raises(ValidationError) as refused:
        create(funded, hr_user, filing)
    assert "effective_date" in refused.value.message_dict


def test_updating_a_plan_checks_it_again(funded, hr_user, filing):
    plan = create(funded, hr_user, filing)

    with pytest.raises(ValidationError):
        services.position_plan_update(plan=plan, by=hr_user, **plan_counts(management=3, professional=(0, 1, 3, 4)))
    updated = services.position_plan_update(plan=plan, by=hr_user, note="更正",
                                            **plan_counts(management=1, professional=(0, 1, 3, 5)))

    assert (updated.version, updated.management, updated.note) == (1, 1, "更正")
    assert PositionPlan.objects.get(pk=plan.pk).professional == 9


def test_recheck_stores_findings_after_a_rule_set_changes(funded, hr_user, filing):
    plan = create(funded, hr_user, filing)
    rule = plan.rule_set.rules.get(code=rules.PROFESSIONAL_SHARE_MIN)
    rule.threshold = "0.95"
    rule.save()

    assert services.position_plan_recheck() == 1
    assert [item["rule"] for item in PositionPlan.objects.get(pk=plan.pk).findings] == [rules.PROFESSIONAL_SHARE_MIN]


# --- staff counts ---------------------------------------------------------------------------------------------
def test_a_staff_count_keeps_its_total(funded, hr_user):
    count = services.staff_count_record(institution=funded, by=hr_user, as_of=DAY,
                                        counts=staff_counts(management=2, professional=(0, 1, 2, 3), worker=1))

    assert (count.total, count.professional, count.entered_by) == (9, 6, hr_user)


def test_staff_bands_must_add_up(funded, hr_user):
    counts = staff_counts(management=2, professional=(0, 1, 2, 3), worker=1)
    counts["junior"] = 4

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.staff_count_record(institution=funded, by=hr_user, as_of=DAY, counts=counts)

    assert refused.value.message_dict["professional"] == [
        "Staff by band must add up to the professional-technical staff: the bands add up to 7, but "
        "professional-technical staff are 6."
    ]
    assert StaffCount.objects.count() == 0


def test_negative_staff_and_abolished_units_are_refused(daoli, funded, hr_user):
    abolished = InstitutionFactory(region=daoli, status="merged", ended_on=datetime.date(2024, 12, 31))

    with pytest.raises(ValidationError) as negative:
        services.staff_count_record(institution=funded, by=hr_user, as_of=DAY, counts=staff_counts(worker=-1))
    with pytest.raises(ValidationError) as gone:
        services.staff_count_record(institution=abolished, by=hr_user, as_of=DAY, counts=staff_counts(worker=1))

    assert "worker" in negative.value.message_dict
    assert "institution" in gone.value.message_dict
    assert StaffCount.objects.count() == 0


# --- notices --------------------------------------------------------------------------------------------------
