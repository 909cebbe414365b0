"""The benchmarks' province generator (bench/province.py) at a tiny scale: its ledger is one the product accepts."""
import datetime
from collections import defaultdict

import pytest
from django.db.models import Sum

from bench import province
from institutions.models import Institution, Region
from positions.models import PositionPlan, StaffCount
from quotas.choices import HolderKind, TransferKind
from quotas.models import AccountClosing, LedgerPeriod, QuotaAccount, QuotaTransfer
from quotas.selectors import ledger_reconcile, totals_by_region
from workflow.models import QuotaUseNotice, TurnoverLoan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def built():
    """2 districts besides the city level, 20 units, 500 transfers, every whole month closed."""
    written = province.populate(regions=2, units=20, transfers=500, seed=7)
    closing = province.close_and_analyze()
    return written, closing


def test_the_ledger_reconciles_and_every_month_is_closed(built):
    written, closing = built
    assert ledger_reconcile().ok
    assert QuotaTransfer.objects.count() == written["counts"]["transfers"] == 500
    # 2016-01 .. the last whole month before today, 2026-11 at the latest: 131 months.
    assert closing["periods_closed"] == LedgerPeriod.objects.count() >= 131
    assert LedgerPeriod.objects.order_by("period_end").first().period_end == datetime.date(2016, 1, 31)


def test_no_account_but_the_province_is_ever_negative_in_time_order(built):
    kinds = dict(QuotaAccount.objects.values_list("pk", "holder_kind"))
    running: dict[int, int] = defaultdict(int)
    for source, target, amount in QuotaTransfer.objects.order_by("effective_date", "pk").values_list(
            "source_id", "target_id", "amount"):
        running[source] -= amount
        running[target] += amount
        assert kinds[source] == HolderKind.PROVINCE or running[source] >= 0
    stored = dict(QuotaAccount.objects.values_list("pk", "balance"))
    assert {pk: balance for pk, balance in running.items() if balance} == {
        pk: balance for pk, balance in stored.items() if balance}
    assert not AccountClosing.objects.filter(balance__lt=0).exclude(account__holder_kind=HolderKind.PROVINCE).exists()


def test_every_kind_of_move_and_row_is_written(built):
    written, _closing = built
    assert set(written["counts"]["by_kind"]) == {"grant", "allocate", "transfer", "reclaim", "loan"}
    assert Region.objects.count() == 3
    assert Institution.objects.count() == PositionPlan.objects.count() == StaffCount.objects.count() == 20
    # 20 units + (2 pools + 1 turnover pool) × 3 regions + 2 province accounts
    assert QuotaAccount.objects.count() == 20 + 9 + 2
    for loan in TurnoverLoan.objects.select_related("loan_transfer"):
        assert loan.loan_transfer.kind == TransferKind.LOAN
        assert loan.loan_transfer.target.institution_id == loan.institution_id
        assert loan.loan_transfer.amount == loan.count
    for unit in Institution.objects.all():  # staff within what the unit holds; notices within its vacancy
        held = QuotaAccount.objects.get(institution=unit).balance
        reserved = QuotaUseNotice.objects.filter(institution=unit).aggregate(total=Sum("count"))["total"] or 0
        assert unit.staff_in_quota + reserved <= held or held == 0 == unit.staff_in_quota


def test_region_totals_on_the_last_day_are_the_stored_balances(built):
    stored = defaultdict(int)
    for region_id, balance in QuotaAccount.objects.exclude(holder_kind=HolderKind.PROVINCE).values_list(
            "region_id", "balance"):
        stored[region_id] += balance
    totals = {row.region_id: row.total for row in totals_by_region(province.LAST_DAY)}
    assert totals == dict(stored)
    assert sum(totals.values()) > 0
