"""Closing balances: each closed month keeps every account's balance at its end, and every reader of a balance on a
date (an account, a unit, a region's totals, a statement's opening) starts from the nearest one. They must agree
with the transfers after any sequence of postings, reversals and back-dated transfers."""
import datetime
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from core.dates import month_end
from institutions.models import ApprovalDocument, Institution, Region
from quotas import services
from quotas.models import AccountClosing, LedgerPeriod, QuotaAccount, QuotaTransfer
from quotas.selectors import (
    account_balance_on,
    account_statement,
    closed_period_on,
    ledger_reconcile,
    totals_by_region,
    unit_held_on,
    with_balance_on,
)
from quotas.services import ledger_periods_close

pytestmark = pytest.mark.django_db
START = datetime.date(2024, 1, 1)
days = st.dates(START, datetime.date(2025, 12, 31))


def from_the_log(on: datetime.date) -> dict[int, int]:
    """Every account's balance at the end of ``on``, summed from the transfers here (the test's own arithmetic)."""
    balances: dict[int, int] = defaultdict(int)
    for source, target, amount, day in QuotaTransfer.objects.values_list("source", "target", "amount",
                                                                        "effective_date"):
        if day <= on:
            balances[source] -= amount
            balances[target] += amount
    return balances


def small_city():
    city = Region.objects.create(code="230100", name="市本级", kind="city")
    district = Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=city)
    document = ApprovalDocument.objects.create(issuer="编委", office_code="哈编发", year=2024, serial=1, title="t",
                                               date_issued=START, date_effective=START)
    quota_type = services.quota_type_get()
    units = [Institution.objects.create(name=f"单位{index}", region=region)
             for index, region in enumerate([city, city, district, district])]
    accounts = [services.account_for_institution(institution=unit, quota_type=quota_type) for unit in units]
    pools = [services.account_for_region(region=region, quota_type=quota_type) for region in (city, district)]
    return document, units, accounts, pools


def test_a_back_dated_transfer_moves_every_later_closing_and_a_current_one_none():
    document, _units, accounts, pools = small_city()
    services.quota_grant(target=pools[0], amount=100, document=document, effective_date=START, by=None)
    services.quota_allocate(source=pools[0], target=accounts[0], amount=30, document=document,
                            effective_date=datetime.date(2024, 2, 10), by=None)

    assert ledger_periods_close(through=datetime.date(2024, 3, 31)) == [
        datetime.date(2024, 1, 31), datetime.date(2024, 2, 29), datetime.date(2024, 3, 31)]
    assert ledger_periods_close(through=datetime.date(2024, 3, 31)) == []  # closed once

    def closings(account):
        return dict(AccountClosing.objects.filter(account=account).values_list("period_end", "balance"))

    assert closings(accounts[0]) == {datetime.date(2024, 2, 29): 30, datetime.date(2024, 3, 31): 30}
    services.quota_allocate(source=pools[0], target=accounts[0], amount=5, document=document,
                            effective_date=datetime.date(2024, 1, 15), by=None)  # into January, closed
    assert closings(accounts[0]) == {datetime.date(2024, 1, 31): 5, datetime.date(2024, 2, 29): 35,
                                     datetime.date(2024, 3, 31): 35}
    assert closings(pools[0])[datetime.date(2024, 1, 31)] == 95
    services.quota_allocate(source=pools[0], target=accounts[0], amount=7, document=document,
                            effective_date=datetime.date(2024, 4, 2), by=None)  # April is open
    assert closings(accounts[0])[datetime.date(2024, 3, 31)] == 35
    assert account_balance_on(accounts[0], datetime.date(2024, 4, 2)) == 42
    assert account_balance_on(accounts[0], datetime.date(2024, 3, 31)) == 35
    assert ledger_reconcile().ok


def test_the_ledger_check_finds_a_closing_the_log_does_not_give():
    document, _units, accounts, pools = small_city()
    services.quota_grant(target=pools[0], amount=10, document=document, effective_date=START, by=None)
    ledger_periods_close(through=datetime.date(2024, 2, 29))
    AccountClosing.objects.filter(account=pools[0], period_end=datetime.date(2024, 2, 29)).update(balance=11)

    check = ledger_reconcile()

    assert not check.ok
    assert check.closings_mismatched == [(pools[0].pk, datetime.date(2024, 2, 29), 11, 10)]


def test_months_close_only_when_whole_and_from_the_first_transfer():
    document, _units, _accounts, pools = small_city()
    assert ledger_periods_close() == []  # nothing posted, nothing to close
    services.quota_grant(target=pools[1], amount=4, document=document, effective_date=datetime.date(2024, 5, 31),
                         by=None)
    closed = ledger_periods_close()
    today = datetime.date.today()

    assert closed[0] == datetime.date(2024, 5, 31)
    assert closed[-1] == today.replace(day=1) - datetime.timedelta(days=1)  # the current month stays open
    assert len(closed) == len({month_end(day) for day in closed})
    assert closed_period_on(datetime.date(2024, 5, 30)) is None
    assert closed_period_on(datetime.date(2024, 6, 3)) == datetime.date(2024, 5, 31)


def test_a_first_close_may_start_later_and_earlier_dates_read_the_log():
    document, _units, accounts, pools = small_city()
    services.quota_grant(target=pools[0], amount=9, document=document, effective_date=START, by=None)
    services.quota_allocate(source=pools[0], target=accounts[1], amount=4, document=document,
                            effective_date=datetime.date(2024, 3, 5), by=None)

    assert ledger_periods_close(since=datetime.date(2024, 6, 10), through=datetime.date(2024, 7, 31)) == [
        datetime.date(2024, 6, 30), datetime.date(2024, 7, 31)]
    assert account_balance_on(accounts[1], datetime.date(2024, 3, 4)) == 0
    assert account_balance_on(accounts[1], datetime.date(2024, 7, 1)) == 4
    assert ledger_reconcile().ok


class ClosingMachine(RuleBasedStateMachine):
    """Postings, reversals and back-dated transfers on random dates, months closed at random points: every reader of
    a balance on a date equals the sum of the transfers up to that date."""

    @initialize()
    def setup(self):
        self.savepoint = transaction.savepoint()
        self.document, self.units, self.accounts, self.pools = small_city()
        self.quota_type = self.accounts[0].quota_type
        self.closed_any = False

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def _try(self, call, **kwargs):
        try:
            call(document=self.document, by=None, **kwargs)
        except ValidationError:
            pass

    @rule(pool=st.integers(0, 1), amount=st.integers(1, 40), day=days)
    def grant(self, pool, amount, day):
        self._try(services.quota_grant, target=self.pools[pool], amount=amount, effective_date=day)

    @rule(unit=st.integers(0, 3), amount=st.integers(1, 30), day=days)
    def allocate(self, unit, amount, day):
        self._try(services.quota_allocate, source=self.pools[unit // 2], target=self.accounts[unit], amount=amount,
                  effective_date=day)

    @rule(a=st.integers(0, 3), b=st.integers(0, 3), amount=st.integers(1, 20), day=days)
    def transfer(self, a, b, amount, day):
        self._try(services.quota_transfer, source=self.accounts[a], target=self.accounts[b], amount=amount,
                  effective_date=day)

    @rule(unit=st.integers(0, 3), amount=st.integers(1, 20), day=days)
    def reclaim(self, unit, amount, day):
        self._try(services.quota_reclaim, source=self.accounts[unit], target=self.pools[unit // 2], amount=amount,
                  effective_date=day)

    @rule(pick=st.integers(0, 10_000), day=days)
    def reverse(self, pick, day):
        open_transfers = list(QuotaTransfer.objects.filter(kind__in=["grant", "allocate", "transfer", "reclaim"],
                                                           reversed_by__isnull=True).order_by("pk"))
        if open_transfers:
            transfer = open_transfers[pick % len(open_transfers)]
            self._try(services.quota_transfer_reverse, transfer=transfer, effective_date=max(day, START))

    @rule(through=days)
    def close(self, through):
        ledger_periods_close(through=through)
        self.closed_any = self.closed_any or LedgerPeriod.objects.exists()

    @rule(on=days)
    def every_reader_agrees_with_the_log(self, on):
        expected = from_the_log(on)
        accounts = list(QuotaAccount.objects.order_by("pk"))
        for account in accounts:
            assert account_balance_on(account, on) == expected[account.pk]
        annotated = dict(with_balance_on(QuotaAccount.objects.all(), on).values_list("pk", "balance_on"))
        assert annotated == {account.pk: expected[account.pk] for account in accounts}
        for unit, account in zip(self.units, self.accounts, strict=True):
            assert unit_held_on(unit.pk, self.quota_type.pk, on) == expected[account.pk]
        by_region = defaultdict(int)
        for account in accounts:
            if account.region_id:
                by_region[account.region_id] += expected[account.pk]
        assert {row.region_id: row.total for row in totals_by_region(on)} == dict(by_region)
        statement = account_statement(self.accounts[0], on, datetime.date(2025, 12, 31))
        assert statement.opening == from_the_log(on - datetime.timedelta(days=1))[self.accounts[0].pk]

    @invariant()
    def the_closings_are_the_log(self):
        assert ledger_reconcile().ok


@pytest.mark.django_db
def test_closing_balances_agree_with_the_transfers():
    machine = ClosingMachine.TestCase
    machine.settings = settings(max_examples=20, stateful_step_count=20, deadline=None,
                                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    machine().runTest()
