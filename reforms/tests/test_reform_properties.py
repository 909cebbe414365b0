"""Property: any sequence of reform plans keeps the ledger whole, leaves no quota or staff with an ended unit, and the
institution count on each date is what the executed operations imply; a refused plan writes nothing."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from institutions.choices import InstitutionStatus
from institutions.models import ApprovalDocument, Institution, Region
from institutions.selectors import institution_counts_by_region
from positions.models import StaffCount
from quotas import services as ledger
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.selectors import ledger_reconcile
from reforms import services
from reforms.models import OperationKind, ReformPlan, SurplusAction

START = datetime.date(2025, 1, 1)
FUNDED = datetime.date(2024, 1, 2)
picks = st.integers(min_value=0, max_value=50)
EXECUTED: list[int] = []  # plans executed per run: the property is only worth something if many execute


def written() -> tuple:
    return (QuotaTransfer.objects.count(), StaffCount.objects.count(), Institution.objects.count(),
            dict(Institution.objects.values_list("pk", "status")))


class ReformMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.savepoint = transaction.savepoint()
        city = Region.objects.create(code="230100", name="市本级", kind="city")
        self.regions = [city, Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=city),
                        Region.objects.create(code="230123", name="依兰县", kind="county", parent=city)]
        self.document = ApprovalDocument.objects.create(
            issuer="市委编办", office_code="哈编发", year=2024, serial=1, title="批复", date_issued=FUNDED,
            date_effective=FUNDED, region=city)
        quota_type = ledger.quota_type_get()
        for region in self.regions:
            pool = ledger.account_for_region(region=region, quota_type=quota_type)
            ledger.quota_grant(target=pool, amount=200, document=self.document, effective_date=FUNDED, by=None)
        for index in range(6):
            region = self.regions[index % 3]
            unit = Institution.objects.create(name=f"单位{index}", region=region,
                                              established_on=datetime.date(2020, 1, 1))
            ledger.quota_allocate(source=ledger.account_for_region(region=region, quota_type=quota_type),
                                  target=ledger.account_for_institution(institution=unit, quota_type=quota_type),
                                  amount=10 + index, document=self.document, effective_date=FUNDED, by=None)
            professional = 3 + index % 3
            StaffCount.objects.create(institution=unit, as_of=datetime.date(2024, 12, 31), management=2,
                                      professional=professional, intermediate=professional, worker=1,
                                      total=3 + professional)
        self.day = START
        self.expected: dict[datetime.date, dict[int, int]] = {}
        self.names = 0
        self.executed = 0

    def teardown(self):
        EXECUTED.append(getattr(self, "executed", 0))
        transaction.savepoint_rollback(self.savepoint)

    def active(self):
        return list(Institution.objects.filter(status=InstitutionStatus.ACTIVE).order_by("pk"))

    def attempt(self, region, *operations):
        """A plan of ``operations`` on the next day: executed, or refused with nothing written."""
        self.day += datetime.timedelta(days=1)
        plan = services.reform_plan_create(by=None, region=region, title="方案", effective_date=self.day)
        for values in operations:
            services.reform_operation_save(plan=plan, by=None, **values)
        before = written()
        try:
            services.reform_plan_submit(plan=plan, by=None)
            services.reform_plan_approve(plan=plan, by=None, document=self.document)
            services.reform_plan_execute(plan=plan, by=None)
        except ValidationError:
            assert written() == before, "a refused plan wrote something"
            assert ReformPlan.objects.get(pk=plan.pk).status in ("draft", "submitted", "approved")
            return
        self.executed += 1
        counts: dict[int, int] = {}
        for unit in self.active():
            counts[unit.region_id] = counts.get(unit.region_id, 0) + 1
        self.expected[self.day] = counts

    def staff_placements(self, unit):
        latest = StaffCount.objects.filter(institution=unit).order_by("-as_of").first()
        if latest is None:
            return []
        placements = [{"category": "management", "count": latest.management},
                      {"category": "worker", "count": latest.worker}]
        for band in ("senior_full", "senior_deputy", "intermediate", "junior"):
            placements.append({"category": "professional", "band": band, "count": getattr(latest, band)})
        return [placement for placement in placements if placement["count"]]

    @rule(i=picks, j=picks)
    def merge(self, i, j):
        units = self.active()
        if len(units) < 2:
            return
        source, survivor = units[i % len(units)], units[j % len(units)]
        total = sum(QuotaAccount.objects.filter(institution__in=[source, survivor], is_active=True)
                    .values_list("balance", flat=True))
        self.attempt(self.regions[0], {"kind": OperationKind.MERGE, "institution": survivor, "sources": [source],
                                       "approved_total": total})

    @rule(i=picks, reclaim=st.booleans())
    def abolish(self, i, reclaim):
        units = self.active()
        if units:
            unit = units[i % len(units)]
            self.attempt(self.regions[0], {"kind": OperationKind.ABOLISH, "institution": unit,
                                           "surplus": SurplusAction.RECLAIM if reclaim else SurplusAction.CANCEL,
                                           "placements": self.staff_placements(unit)})

    @rule(i=picks, k=st.integers(0, 2))
    def devolve(self, i, k):
        units = self.active()
        if units:
            self.attempt(self.regions[0], {"kind": OperationKind.DEVOLVE, "institution": units[i % len(units)],
                                           "new_region": self.regions[k]})

    @rule(k=st.integers(0, 2), amount=st.integers(0, 300))
    def establish(self, k, amount):
        self.names += 1
        self.attempt(self.regions[0], {"kind": OperationKind.ESTABLISH, "new_name": f"新单位{self.names}",
                                       "new_region": self.regions[k], "must_exist_reason": "by_law",
                                       "approved_total": amount})

    @rule(i=picks, total=st.integers(0, 80))
    def adjust(self, i, total):
        units = self.active()
        if units:
            self.attempt(self.regions[0], {"kind": OperationKind.ADJUST_QUOTAS, "institution": units[i % len(units)],
                                           "approved_total": total})

    @invariant()
    def ledger_whole_and_ended_units_empty(self):
        if not hasattr(self, "regions"):
            return
        check = ledger_reconcile()
        assert (check.total_balance, check.mismatched, check.negative) == (0, [], [])
        for unit in Institution.objects.exclude(status=InstitutionStatus.ACTIVE):
            assert not QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution=unit,
                                                   balance__gt=0).exists()
            latest = StaffCount.objects.filter(institution=unit).order_by("-as_of").first()
            assert latest is None or latest.total == 0
            assert unit.staff_in_quota == 0

    @invariant()
    def counts_on_each_date_are_what_the_operations_imply(self):
        for day, counts in getattr(self, "expected", {}).items():
            assert institution_counts_by_region(day) == counts


@pytest.mark.django_db
def test_reform_state_machine():
    machine = ReformMachine.TestCase
    machine.settings = settings(
        max_examples=12, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    machine().runTest()
    assert sum(EXECUTED) >= 20, EXECUTED
