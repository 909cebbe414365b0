"""Fixtures and helpers of the workflow tests (hiring and turnover pool), on top of ``positions/tests/conftest.py``.

Import the fixtures a test module uses by name. The standard unit: 道里区图书馆 with 10 institutional quotas, 7 staff in
quota (2 management, 5 professional: 1 senior deputy, 2 intermediate, 2 junior) and a plan of 2 management and 8
professional posts: a usable vacancy of 3, all in professional-technical posts.
"""
from __future__ import annotations

import datetime

import pytest

from institutions.models import Institution
from institutions.tests.factories import DocumentFactory
from positions.models import StaffCount
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, plan_counts, staff_counts
from quotas import services as ledger
from quotas.choices import HolderKind, PoolSector
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.selectors import ledger_reconcile
from workflow.models import LoanCase, QuotaUseNotice, TurnoverLoan
from workflow.vacancy import quota_position

STAFF_DAY = datetime.date(2025, 12, 31)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def decision(db):
    """The city office's decision document."""
    return DocumentFactory(office_code="哈编办发", year=2026, serial=88, title="关于核准使用编制的批复",
                           date_issued=datetime.date(2026, 1, 5), date_effective=datetime.date(2026, 1, 5))


@pytest.fixture
def staffed(fund, filing):
    """``staffed(unit, approved, management=, professional=(sf, sd, i, j), worker=, posts=None)``: quotas through
    the ledger, a staff count as of 2025-12-31 and (``posts`` = (m, (bands), w)) a position plan."""
    def make(unit, approved, *, management=0, professional=(0, 0, 0, 0), worker=0, posts=None):
        if approved:
            fund(unit, approved)
        StaffCountFactory(institution=unit, as_of=STAFF_DAY,
                          **staff_counts(management=management, professional=professional, worker=worker))
        if posts is not None:
            posts_management, posts_professional, posts_worker = posts
            PositionPlanFactory(institution=unit, document=filing, **plan_counts(
                management=posts_management, professional=posts_professional, worker=posts_worker))
        return unit

    return make


@pytest.fixture
def library(unit, staffed):
    """道里区图书馆: 10 approved, 7 staff (2 m, 5 p), posts 2 m + 8 p: usable vacancy 3 (professional)."""
    return staffed(unit, 10, management=2, professional=(0, 1, 2, 2), posts=(2, (0, 1, 3, 4), 0))


@pytest.fixture
def talent_pool(city, clerk, document):
    """The city's talent turnover pool of institutional quotas, holding 5."""
    pool = ledger.account_for_turnover_pool(region=city, quota_type=ledger.quota_type_get(),
                                            sector=PoolSector.TALENT)
    ledger.quota_grant(target=pool, amount=5, document=document, effective_date=datetime.date(2024, 1, 2), by=clerk)
    return pool


@pytest.fixture
def case(db):
    found, _created = LoanCase.objects.get_or_create(code="urgent_talent", defaults={"name": "急需紧缺人才引进"})
    return found


def balance(account_or_unit) -> int:
    """Stored balance of an account, or of a unit's institutional account."""
    if isinstance(account_or_unit, Institution):
        account = QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution=account_or_unit).first()
        return account.balance if account else 0
    return QuotaAccount.objects.get(pk=account_or_unit.pk).balance


def staff_of(unit) -> int:
    return quota_position(unit).staff_total


def snapshot() -> tuple:
    """Everything a refused action must leave as it was."""
    return (
        tuple(QuotaAccount.objects.order_by("pk").values_list("pk", "balance")),
        QuotaTransfer.objects.count(),
        tuple(QuotaUseNotice.objects.order_by("pk").values_list("pk", "status", "taken_up", "number")),
        tuple(TurnoverLoan.objects.order_by("pk").values_list("pk", "status", "returned")),
        tuple(StaffCount.objects.order_by("pk").values_list("pk", "total")),
    )


def ledger_ok() -> bool:
    return ledger_reconcile().ok
