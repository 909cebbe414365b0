"""The reconciliation (编岗人比对) on hand-worked units: every figure, every flag and the direction sentence.

Five units of 道里区, funded through the ledger, with a plan in effect from 2025-01-01 and staff as of 2025-12-31:

unit          approved  posts m/p/w (total)  staff m/p/w (total)  worked out by hand
vacant           20       4 / 14 / 2  (20)      3 / 10 / 2  (15)   5 vacant: 4 to professional posts, 1 to management
at quota         10       2 /  7 / 1  (10)      2 /  7 / 1  (10)   exactly at quota: one in per one out
over quota        8       2 /  5 / 1   (8)      2 /  6 / 2  (10)   2 over quota: frozen; 1 over position in p and w
over position    12       3 /  8 / 1  (12)      5 /  5 / 1  (11)   1 vacant: to professional posts; management +2
no plan           6       —                     1 /  3 / 0   (4)   2 vacant, held until a plan is filed
"""
import datetime

import pytest
from django.utils import translation

from institutions.models import Institution
from institutions.tests.factories import AgencyFactory, InstitutionFactory
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, plan_counts, staff_counts
from reconciliation import direction as d
from reconciliation.selectors import (
    filter_flag,
    reconciliation,
    reconciliation_of,
    reconciliation_options,
    reconciliation_rows,
)
from workflow.vacancy import quota_positions

pytestmark = pytest.mark.django_db

PLAN_DAY = datetime.date(2025, 1, 1)
STAFF_DAY = datetime.date(2025, 12, 31)


@pytest.fixture
def units(daoli, fund, filing):
    bureau = AgencyFactory(region=daoli, name="道里区文化局")

    def make(name, approved, posts, staff):
        unit = InstitutionFactory(region=daoli, name=name, supervisor=bureau, staff_in_quota=99)
        fund(unit, approved)
        if posts is not None:
            management, professional, worker = posts
            PositionPlanFactory(institution=unit, effective_date=PLAN_DAY, document=filing,
                                **plan_counts(management=management, professional=professional, worker=worker))
        management, professional, worker = staff
        StaffCountFactory(institution=unit, as_of=STAFF_DAY,
                          **staff_counts(management=management, professional=professional, worker=worker))
        return unit

    return {
        "vacant": make("道里区图书馆", 20, (4, (1, 2, 5, 6), 2), (3, (1, 2, 3, 4), 2)),
        "at_quota": make("道里区文化馆", 10, (2, (0, 1, 3, 3), 1), (2, (0, 1, 3, 3), 1)),
        "over_quota": make("道里区档案馆", 8, (2, (0, 1, 2, 2), 1), (2, (0, 1, 2, 3), 2)),
        "over_position": make("道里区少年宫", 12, (3, (0, 2, 3, 3), 1), (5, (0, 1, 2, 2), 1)),
        "no_plan": make("道里区博物馆", 6, None, (1, (0, 0, 1, 2), 0)),
        "bureau": bureau,
    }


def rows_by_name():
    with translation.override("en"):
        return {row.name: row for row in reconciliation_rows(reconciliation())}


def test_a_unit_with_vacant_quotas_gets_them_directed_to_professional_posts_first(units):
    row = rows_by_name()["道里区图书馆"]

    assert row.approved == 20
    assert row.posts == {
        "total": 20, "special": 0, "professional": 14, "management": 4, "worker": 2,
        "senior_full": 1, "senior_deputy": 2, "intermediate": 5, "junior": 6,
    }
    assert row.staff == {
        "professional": 10, "management": 3, "worker": 2,
        "senior_full": 1, "senior_deputy": 2, "intermediate": 3, "junior": 4,
    }
    assert row.staff_total == 15
    assert (row.vacant, row.over_quota) == (5, 0)
    assert row.short == {"professional": 4, "management": 1, "worker": 0}
    assert row.over_position == {"professional": 0, "management": 0, "worker": 0}
    assert (row.stale_age, row.stale_total) == (False, False)
    assert row.flags == ["vacant"]
    assert row.direction.code == d.ALLOCATE
    assert row.direction.allocation == (("professional", 4), ("management", 1))
    assert row.direction.unmatched == 0
    assert row.sentence == (
        "Vacant quotas (5) go to posts lacking staff: 4 professional-technical, 1 management."
    )


def test_a_unit_exactly_at_quota_replaces_one_for_one(units):
    row = rows_by_name()["道里区文化馆"]

    assert (row.approved, row.posts["total"], row.staff_total) == (10, 10, 10)
    assert (row.vacant, row.over_quota) == (0, 0)
    assert row.short == {"professional": 0, "management": 0, "worker": 0}
    assert row.flags == ["at_quota"]
    assert row.direction.code == d.ONE_FOR_ONE
    assert row.sentence == (
        "Exactly at quota (10 approved, 10 staff in quota): each leaver may be replaced one for one (出一进一)."
    )


def test_an_over_quota_unit_is_frozen_and_its_over_position_categories_named(units):
    row = rows_by_name()["道里区档案馆"]

    assert (row.approved, row.posts["total"], row.staff_total) == (8, 8, 10)
    assert (row.vacant, row.over_quota) == (0, 2)
    assert row.over_position == {"professional": 1, "management": 0, "worker": 1}
    assert row.short == {"professional": 0, "management": 0, "worker": 0}
    assert row.flags == ["over_quota", "over_position_professional", "over_position_worker"]
    assert row.direction.code == d.FROZEN
    assert row.sentence == (
        "Frozen (只出不进): staff in quota (10) exceed the approved quotas (8) by 2, so no new entrants until the "
        "unit is back within quota; staff in professional-technical posts exceed those posts by 1, so no "
        "appointments to them until back within posts; staff in worker-skill posts exceed those posts by 1, so no "
        "appointments to them until back within posts."
    )


def test_a_unit_over_position_in_one_category_takes_no_one_there(units):
    row = rows_by_name()["道里区少年宫"]

    assert (row.approved, row.posts["total"], row.staff_total) == (12, 12, 11)
    assert (row.vacant, row.over_quota) == (1, 0)
    assert row.over_position == {"professional": 0, "management": 2, "worker": 0}
    assert row.short == {"professional": 3, "management": 0, "worker": 0}
    assert row.flags == ["vacant", "over_position_management"]
    assert row.direction.allocation == (("professional", 1),)
    assert row.sentence == (
        "Vacant quotas (1) go to posts lacking staff: 1 professional-technical; staff in management posts exceed "
        "those posts by 2, so no appointments to them until back within posts."
    )


def test_a_unit_without_a_plan_has_its_vacancies_held(units):
    row = rows_by_name()["道里区博物馆"]

    assert (row.approved, row.staff_total) == (6, 4)
    assert row.posts is None and row.plan_id is None
    assert (row.vacant, row.over_quota) == (2, 0)
    assert row.over_position == {"professional": 0, "management": 0, "worker": 0}
    assert row.flags == ["vacant", "no_plan"]
    assert row.direction.code == d.HOLD_NO_PLAN
    assert row.sentence == "Vacant quotas (2) are held until the HR bureau files a position plan for the unit."


def test_the_sentence_is_chinese_by_default(units):
    with translation.override("zh-hans"):
        row = reconciliation_of(units["at_quota"])
    assert row.sentence != "" and row.approved == 10


@pytest.mark.parametrize(
    ("flag", "names"),
    [
        ("vacant", {"道里区图书馆", "道里区少年宫", "道里区博物馆"}),
        ("at_quota", {"道里区文化馆"}),
        ("over_quota", {"道里区档案馆"}),
        ("over_position", {"道里区档案馆", "道里区少年宫"}),
        ("over_position_management", {"道里区少年宫"}),
        ("over_position_worker", {"道里区档案馆"}),
        ("no_plan", {"道里区博物馆"}),
        ("stale_plan", set()),
        ("no_staff_count", set()),
    ],
)
def test_flags_filter_in_sql(units, flag, names):
    assert {unit.name for unit in filter_flag(reconciliation(), flag)} == names


def test_the_latest_plan_and_staff_count_on_the_date_are_used(units, filing):
    unit = units["at_quota"]
    PositionPlanFactory(institution=unit, effective_date=datetime.date(2026, 3, 1), document=filing,
                        **plan_counts(management=1, professional=(0, 1, 4, 4), worker=0))
    StaffCountFactory(institution=unit, as_of=datetime.date(2026, 4, 1),
                      **staff_counts(management=1, professional=(0, 1, 3, 3), worker=0))

    before = reconciliation_of(unit, on=datetime.date(2026, 2, 1))
    after = reconciliation_of(unit, on=datetime.date(2026, 5, 1))

    assert (before.posts["management"], before.staff_total, before.vacant) == (2, 10, 0)
    assert (after.posts["management"], after.staff_total, after.vacant) == (1, 8, 2)
    assert after.direction.allocation == (("professional", 2),)


def test_approved_quotas_on_a_past_date_come_from_the_ledger(units, fund):
    unit = units["at_quota"]
    fund(unit, 5, on=datetime.date(2026, 6, 1))  # 15 from 1 June 2026

    assert reconciliation_of(unit, on=datetime.date(2026, 5, 31)).approved == 10
    assert reconciliation_of(unit, on=datetime.date(2026, 6, 1)).approved == 15
    assert reconciliation_of(unit).approved == 15  # today: the stored balance


def test_a_plan_is_stale_when_old_or_when_its_total_no_longer_matches_the_quotas(units, fund):
    unit = units["at_quota"]
    options = reconciliation_options(stale_after_months=12)

    with translation.override("en"):
        old = reconciliation_of(unit, on=datetime.date(2026, 2, 1), options=options)
        fund(unit, 2, on=datetime.date(2026, 3, 1))
        moved = reconciliation_of(unit, on=datetime.date(2026, 3, 1))

    assert (old.stale_age, old.stale_total, old.flags) == (True, False, ["at_quota", "stale_plan"])
    assert old.sentence.endswith(
        "; the position plan of Jan. 1, 2025 is more than 12 months old and should be revised."
    )
    assert (moved.stale_age, moved.stale_total, moved.vacant) == (False, True, 2)
    assert "the position total (10) differs from the approved quotas (12)" in moved.sentence


def test_a_unit_without_staff_count_falls_back_to_the_registry_figure(daoli, fund):
    unit = InstitutionFactory(region=daoli, staff_in_quota=3)
    fund(unit, 5)
    PositionPlanFactory(institution=unit, **plan_counts(management=1, professional=(0, 1, 2, 0), worker=1))

    with translation.override("en"):
        row = reconciliation_of(unit)

    assert (row.staff_total, row.staff, row.vacant) == (3, None, 2)
    assert row.flags == ["vacant", "no_staff_count"]
    assert row.direction.code == d.HOLD_NO_STAFF_COUNT
    assert row.sentence == (
        "Vacant quotas (2) are held until the unit's staff in quota are reported by category."
    )


def test_ended_units_and_agencies_are_not_reconciled(units, daoli):
    InstitutionFactory(region=daoli, status="abolished", ended_on=datetime.date(2024, 12, 31))

    names = {unit.name for unit in reconciliation()}

    assert units["bureau"].name not in names
    assert len(names) == 5


def test_the_vacancy_reclamation_reads_the_latest_staff_count(units):
    unit = units["vacant"]
    other = InstitutionFactory(region=unit.region, staff_in_quota=7)

    def staff(*units):
        positions = quota_positions(Institution.objects.filter(pk__in=[u.pk for u in units]))
        return {pk: position.staff_total for pk, position in positions.items()}

    assert staff(unit, other) == {unit.pk: 15, other.pk: 7}
    StaffCountFactory(institution=unit, as_of=datetime.date(2026, 6, 30),
                      **staff_counts(management=3, professional=(1, 2, 3, 5), worker=2))
    assert staff(unit) == {unit.pk: 16}
    assert Institution.objects.get(pk=unit.pk).staff_in_quota == 99  # the registry's figure is left alone


def test_quotas_reserved_by_open_notices_are_not_vacant(units, django_assert_num_queries):
    from quotas.services import quota_type_get
    from workflow.models import QuotaUseNotice

    unit = units["vacant"]  # 20 approved, 15 staff: 5 vacant
    notice = QuotaUseNotice.objects.create(institution=unit, quota_type=quota_type_get(), category="professional",
                                           count=2, status="approved", number="哈编核〔2026〕1号")
    QuotaUseNotice.objects.create(institution=unit, quota_type=quota_type_get(), category="professional", count=9,
                                  status="submitted")  # not issued: reserves nothing

    with django_assert_num_queries(1):
        rows = reconciliation_rows(reconciliation(institutions=Institution.objects.filter(pk=unit.pk)))
    assert (rows[0].approved, rows[0].staff_total, rows[0].vacant) == (20, 15, 3)
    assert {u.name for u in filter_flag(reconciliation(), "vacant")} >= {"道里区图书馆"}

    QuotaUseNotice.objects.filter(pk=notice.pk).update(taken_up=1)
    assert reconciliation_of(unit).vacant == 4
    QuotaUseNotice.objects.filter(pk=notice.pk).update(status="expired")
    assert reconciliation_of(unit).vacant == 5
    QuotaUseNotice.objects.create(institution=unit, quota_type=quota_type_get(), category="professional", count=7,
                                  status="approved", number="哈编核〔2026〕2号")
    row = reconciliation_of(unit)
    assert (row.vacant, row.over_quota) == (0, 0)  # reserved beyond the vacancy: none vacant, nobody over quota
