"""Property: no sequence of ledger services loses or doubles a quota, and a refused move changes nothing."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from institutions.models import ApprovalDocument, Institution, Region
from quotas import services
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.selectors import ledger_reconcile

DAY = datetime.date(2024, 1, 1)
amounts = st.one_of(st.integers(min_value=-3, max_value=60), st.sampled_from([0, 1, 2, 1000]))


class LedgerMachine(RuleBasedStateMachine):
    """Random grants, allocations, reclaims, transfers, controls, loans, cancels and reversals."""

    @initialize()
    def setup(self):
        self.savepoint = transaction.savepoint()
        city = Region.objects.create(code="230100", name="市本级", kind="city")
        self.regions = [
            city,
            Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=city),
            Region.objects.create(code="230123", name="依兰县", kind="county", parent=city),
        ]
        self.document = ApprovalDocument.objects.create(
            issuer="编委", office_code="哈编发", year=2024, serial=1, title="t", date_issued=DAY, date_effective=DAY
        )
        self.quota_type = services.quota_type_get()
        self.institution_accounts = []
        for index, region in enumerate(self.regions * 2):
            institution = Institution.objects.create(name=f"单位{index}", region=region)
            self.institution_accounts.append(
                services.account_for_institution(institution=institution, quota_type=self.quota_type)
            )
        self.pools = [services.account_for_region(region=r, quota_type=self.quota_type) for r in self.regions]
        self.turnover = services.account_for_turnover_pool(region=self.regions[0], quota_type=self.quota_type)
        self.refused = 0

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def _attempt(self, call, **kwargs):
        before = (dict(QuotaAccount.objects.values_list("pk", "balance")), QuotaTransfer.objects.count())
        try:
            call(document=self.document, effective_date=DAY, by=None, **kwargs)
        except ValidationError:
            self.refused += 1
            after = (dict(QuotaAccount.objects.values_list("pk", "balance")), QuotaTransfer.objects.count())
            assert after == before, "a refused move changed the ledger"

    @rule(pool=st.integers(0, 2), amount=amounts, to_turnover=st.booleans())
    def grant(self, pool, amount, to_turnover):
        self._attempt(services.quota_grant, target=self.turnover if to_turnover else self.pools[pool], amount=amount)

    @rule(unit=st.integers(0, 5), amount=amounts)
    def allocate(self, unit, amount):
        target = self.institution_accounts[unit]
        pool = self.pools[unit % 3]
        self._attempt(services.quota_allocate, source=pool, target=target, amount=amount)

    @rule(unit=st.integers(0, 5), amount=amounts)
    def reclaim(self, unit, amount):
        self._attempt(services.quota_reclaim, source=self.institution_accounts[unit], target=self.pools[unit % 3],
                      amount=amount)

    @rule(a=st.integers(0, 5), b=st.integers(0, 5), amount=amounts)
    def transfer(self, a, b, amount):
        self._attempt(services.quota_transfer, source=self.institution_accounts[a],
                      target=self.institution_accounts[b], amount=amount)

    @rule(region=st.integers(0, 2), amount=amounts, release=st.booleans())
    def control(self, region, amount, release):
        call = services.quota_release if release else services.quota_control
        self._attempt(call, region=self.regions[region], quota_type=self.quota_type, amount=amount)

    @rule(unit=st.integers(0, 5), amount=amounts, back=st.booleans())
    def loan(self, unit, amount, back):
        account = self.institution_accounts[unit]
        if back:
            self._attempt(services.quota_return, source=account, target=self.turnover, amount=amount)
        else:
            self._attempt(services.quota_loan, source=self.turnover, target=account, amount=amount)

    @rule(pool=st.integers(0, 2), amount=amounts)
    def cancel(self, pool, amount):
        self._attempt(services.quota_cancel, source=self.pools[pool], amount=amount)

    @rule(pick=st.integers(0, 10_000))
    def reverse(self, pick):
        transfers = list(QuotaTransfer.objects.order_by("pk").values_list("pk", flat=True))
        if not transfers:
            return
        transfer = QuotaTransfer.objects.get(pk=transfers[pick % len(transfers)])
        self._attempt(lambda **kw: services.quota_transfer_reverse(transfer=transfer, **kw))

    @invariant()
    def conserved_and_consistent(self):
        check = ledger_reconcile()
        assert check.total_balance == 0
        assert check.mismatched == []
        assert check.negative == []
        assert not QuotaAccount.objects.filter(balance__lt=0).exclude(holder_kind=HolderKind.PROVINCE).exists()


@pytest.mark.django_db
def test_ledger_state_machine():
    machine = LedgerMachine.TestCase
    machine.settings = settings(
        max_examples=40, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    machine().runTest()
