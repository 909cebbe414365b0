"""The one definition of a unit's quota position (workflow.vacancy): cases worked by hand, and a
property over random notices, loans, movements and reclamations (the figures now against those read from the
history)."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from institutions.models import ApprovalDocument, Institution, Region
from institutions.tests.factories import InstitutionFactory
from positions.models import StaffCount
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, plan_counts, staff_counts
from quotas import services as ledger
from quotas.choices import PoolSector
from reconciliation.selectors import reconciliation_of
from workflow import hiring, loans, reclamation
from workflow.models import LoanCase, QuotaUseNotice, TurnoverLoan, WorkflowPolicy
from workflow.vacancy import quota_position, quota_positions

pytestmark = pytest.mark.django_db

ISSUE_DAY = datetime.date(2026, 3, 2)


def issue(unit, clerk, decision, count, category, on=ISSUE_DAY):
    notice = hiring.quota_use_notice_create(institution=unit, quota_type=ledger.quota_type_get(), category=category,
                                            count=count, by=clerk)
    notice = hiring.quota_use_notice_submit(notice=notice, by=clerk)
    return hiring.quota_use_notice_approve(notice=notice, by=clerk, document=decision, on=on)


@pytest.fixture
def school(daoli, staffed):
    """147 approved, 140 staff (18 management, 115 professional, 7 worker); posts 20 + 121 + 6 = 147."""
    return staffed(InstitutionFactory(region=daoli, name="哈尔滨市第八中学校"), 147, management=18,
                   professional=(2, 19, 47, 47), worker=7, posts=(20, (2, 20, 49, 50), 6))


def test_the_direction_and_the_notice_service_agree_per_category(school, clerk, decision):
    # (c) A notice holds 1 professional post: usable 6, professional posts open 121 − 115 − 1 = 5, so the direction
    # says 5 professional + 1 management, and the notice service accepts exactly that.
    issue(school, clerk, decision, 1, "professional")
    position = quota_position(school)
    assert (position.usable, position.reserved_by_category["professional"]) == (6, 1)
    assert position.usable_by_category == {"professional": 5, "management": 2, "worker": 0}
    row = reconciliation_of(school)
    assert (row.vacant, row.direction.allocation) == (6, (("professional", 5), ("management", 1)))
    with translation.override("zh-hans"):
        assert "另有 1 名编制（专业技术岗位1名）" in reconciliation_of(school).sentence

    with pytest.raises(ValidationError) as six:
        issue(school, clerk, decision, 6, "professional")
    assert "category" in six.value.message_dict
    issue(school, clerk, decision, 5, "professional")
    with pytest.raises(ValidationError) as two:
        issue(school, clerk, decision, 2, "management")
    assert "count" in two.value.message_dict
    issue(school, clerk, decision, 1, "management")
    for category in ("professional", "management", "worker"):
        with pytest.raises(ValidationError):
            issue(school, clerk, decision, 1, category)
    assert quota_position(school).usable == 0
    assert reconciliation_of(school).direction.code == "one_for_one"


def test_the_reconciliation_of_a_past_date_uses_the_reservations_open_then(library, clerk, decision):
    # A notice for 2 issued 2026-03-02, one person entered on 2026-03-10, the notice closed on 2026-03-20.
    notice = issue(library, clerk, decision, 2, "professional")
    hiring.staff_entry_record(notice=notice, by=clerk, on=datetime.date(2026, 3, 10), band="junior")
    hiring.quota_use_notice_execute(notice=notice, by=clerk, on=datetime.date(2026, 3, 20))

    def reserved_on(day):
        return reconciliation_of(library, on=day).reserved_total

    assert [reserved_on(datetime.date(2026, 3, day)) for day in (1, 2, 9, 10, 19, 20)] == [0, 2, 2, 1, 1, 0]
    assert reconciliation_of(library).reserved_total == 0
    on_the_ninth = reconciliation_of(library, on=datetime.date(2026, 3, 9))
    assert (on_the_ninth.approved, on_the_ninth.staff_total, on_the_ninth.vacant) == (10, 7, 1)
    assert QuotaUseNotice.objects.get(pk=notice.pk).closed_on == datetime.date(2026, 3, 20)


def test_an_expired_notice_reserved_through_its_last_valid_day(library, clerk, decision):
    notice = issue(library, clerk, decision, 2, "professional")
    hiring.quota_use_notices_expire(today=notice.valid_until + datetime.timedelta(days=30))

    notice.refresh_from_db()
    assert (notice.status, notice.closed_on) == ("expired", notice.valid_until + datetime.timedelta(days=1))
    assert quota_position(library, on=notice.valid_until).reserved == 2
    assert quota_position(library, on=notice.closed_on).reserved == 0


def test_dates_out_of_bounds_are_refused_with_the_rule(library, clerk, decision):
    notice = issue(library, clerk, decision, 1, "professional")
    with translation.override("en"), pytest.raises(ValidationError) as future:
        hiring.staff_exit_record(institution=library, category="management", reason="retirement", by=clerk,
                                 on=datetime.date(9999, 12, 31))
    with pytest.raises(ValidationError) as ancient:
        hiring.staff_entry_record(notice=notice, by=clerk, on=datetime.date(1, 1, 1), band="junior")
    with pytest.raises(ValidationError) as issued:
        issue(library, clerk, decision, 1, "professional", on=datetime.date(1900, 1, 1))

    assert future.value.message_dict["date"][0].startswith("This records something that has happened")
    assert "date" in ancient.value.message_dict and "date" in issued.value.message_dict
    assert StaffCount.objects.filter(institution=library).count() == 1


class PositionMachine(RuleBasedStateMachine):
    """Random notices, entries, exits, loans, returns, closures and reclamations on three units of one district.

    After every step the figures now (stored balances) equal those read from the history on the last day, and a
    past day's figures equal what they were that day; after a reclamation no unit that could use its notices'
    quotas has lost them and no borrowed quota has gone."""

    @initialize()
    def setup(self):
        self.savepoint = transaction.savepoint()
        self.day = datetime.date(2025, 6, 2)
        city = Region.objects.create(code="239900", name="测试市", kind="city")
        district = Region.objects.create(code="239902", name="测试区", kind="main_urban", parent=city)
        self.document = ApprovalDocument.objects.create(
            issuer="编委", office_code="测编发", year=2025, serial=1, title="t", date_issued=self.day,
            date_effective=self.day)
        WorkflowPolicy.objects.create(loan_refused_with_vacancy=False, loan_within_expected_leavers=False)
        quota_type = ledger.quota_type_get()
        self.pool = ledger.account_for_turnover_pool(region=city, quota_type=quota_type, sector=PoolSector.TALENT)
        ledger.quota_grant(target=self.pool, amount=6, document=self.document, effective_date=self.day, by=None)
        self.case, _created = LoanCase.objects.get_or_create(code="urgent_talent", defaults={"name": "急需"})
        region_pool = ledger.account_for_region(region=district, quota_type=quota_type)
        ledger.quota_grant(target=region_pool, amount=100, document=self.document, effective_date=self.day, by=None)
        self.units = []
        for index, (approved, staff, with_plan) in enumerate([(12, 8, True), (9, 9, False), (15, 10, True)]):
            unit = Institution.objects.create(name=f"单位{index}", region=district)
            ledger.quota_allocate(source=region_pool, target=ledger.account_for_institution(
                institution=unit, quota_type=quota_type), amount=approved, document=self.document,
                effective_date=self.day, by=None)
            StaffCountFactory(institution=unit, as_of=self.day, **staff_counts(
                management=staff // 2, professional=(0, 0, staff - staff // 2, 0)))
            if with_plan:
                PositionPlanFactory(institution=unit, document=self.document, effective_date=self.day,
                                    **plan_counts(management=approved // 3, professional=(0, 0, approved
                                                                                           - approved // 3, 0)))
            self.units.append(unit)
        self.history = [self.day]
        self.seen = {}

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def _tick(self):
        self.day += datetime.timedelta(days=1)
        self.history.append(self.day)

    def _try(self, call):
        try:
            with transaction.atomic():
                call()
        except ValidationError:
            pass

    @rule(unit=st.integers(0, 2), count=st.integers(1, 3), category=st.sampled_from(["professional", "management"]))
    def notice(self, unit, count, category):
        self._tick()

        def go():
            notice = hiring.quota_use_notice_create(institution=self.units[unit], quota_type=ledger.quota_type_get(),
                                                    category=category, count=count, by=None)
            notice = hiring.quota_use_notice_submit(notice=notice, by=None)
            hiring.quota_use_notice_approve(notice=notice, by=None, document=self.document, on=self.day)

        self._try(go)

    @rule(pick=st.integers(0, 50))
    def entry(self, pick):
        self._tick()
        open_notices = list(QuotaUseNotice.objects.filter(status="approved").order_by("pk"))
        if open_notices:
            notice = open_notices[pick % len(open_notices)]
            self._try(lambda: hiring.staff_entry_record(notice=notice, by=None, on=self.day, band="intermediate"))

    @rule(pick=st.integers(0, 50))
    def close(self, pick):
        self._tick()
        open_notices = list(QuotaUseNotice.objects.filter(status="approved").order_by("pk"))
        if open_notices:
            notice = open_notices[pick % len(open_notices)]
            self._try(lambda: hiring.quota_use_notice_execute(notice=notice, by=None, on=self.day))

    @rule(unit=st.integers(0, 2), category=st.sampled_from(["professional", "management"]))
    def exit(self, unit, category):
        self._tick()
        self._try(lambda: hiring.staff_exit_record(institution=self.units[unit], category=category,
                                                   reason="retirement", by=None, on=self.day,
                                                   band="intermediate"))

    @rule(unit=st.integers(0, 2), count=st.integers(1, 3))
    def lend(self, unit, count):
        self._tick()

        def go():
            loan = loans.turnover_loan_create(institution=self.units[unit], pool=self.pool, count=count,
                                              talent_category="high_level", case=self.case, term_months=24, by=None,
                                              return_plan=[{"date": "2027-06-30", "count": count}])
            loan = loans.turnover_loan_submit(loan=loan, by=None, on=self.day)
            loans.turnover_loan_approve(loan=loan, by=None, document=self.document, on=self.day)

        self._try(go)

    @rule(pick=st.integers(0, 50), count=st.integers(1, 3))
    def give_back(self, pick, count):
        self._tick()
        outstanding = list(TurnoverLoan.objects.filter(status="approved").order_by("pk"))
        if outstanding:
            loan = outstanding[pick % len(outstanding)]
            self._try(lambda: loans.turnover_loan_return(loan=loan, count=count, by=None, document=self.document,
                                                         on=self.day))

    @rule()
    def reclaim(self):
        self._tick()
        units = Institution.objects.filter(pk__in=[unit.pk for unit in self.units])
        before = quota_positions(units)
        reclamation.vacancy_reclaim_apply(institutions=units, document=self.document, effective_date=self.day,
                                          by=None)
        after = quota_positions(units)
        for pk, was in before.items():
            now = after[pk]
            assert now.held == was.held - was.reclaimable
            assert (now.borrowed, now.reserved, now.staff_total) == (was.borrowed, was.reserved, was.staff_total)
            assert now.usable >= min(was.usable, 0)  # never below zero unless it was already
            assert now.reclaimable == 0

    @invariant()
    def stored_and_dated_figures_agree(self):
        """Now (stored balances, notices' taken-up counts) equals the ledger and the movements read on the last day;
        and a day's figures read later equal what they were that day (history does not move)."""
        units = Institution.objects.filter(pk__in=[unit.pk for unit in self.units])
        now = quota_positions(units)
        assert quota_positions(units, on=self.day) == now, self.day
        self.seen[self.day] = now
        past = self.history[len(self.history) // 2]
        assert quota_positions(units, on=past) == self.seen[past], past

    @invariant()
    def services_never_overpromise(self):
        for position in quota_positions(Institution.objects.filter(pk__in=[unit.pk for unit in self.units])).values():
            assert position.usable >= 0
            assert position.borrowed >= 0


@pytest.mark.django_db
def test_quota_position_state_machine():
    machine = PositionMachine.TestCase
    machine.settings = settings(
        max_examples=10, stateful_step_count=15, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    machine().runTest()
