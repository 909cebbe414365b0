"""Two clerks at the same moment on PostgreSQL: notices that together exceed one unit's vacancy, loans that together
exceed the pool. One succeeds, the other is refused with its reason."""
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from institutions.tests.factories import CityFactory, DistrictFactory, DocumentFactory, InstitutionFactory
from positions.models import StaffCount
from positions.tests.factories import PositionPlanFactory, StaffCountFactory, plan_counts, staff_counts
from quotas import services as ledger
from quotas.choices import PoolSector
from quotas.selectors import ledger_reconcile
from workflow import hiring, loans
from workflow.models import LoanCase, QuotaUseNotice, StaffMovement, TurnoverLoan
from workflow.vacancy import quota_position

DAY = datetime.date(2026, 3, 2)


def race(targets, work) -> list[str]:
    """Run ``work(target)`` in one thread per target, released together; "ok" or the refusal's fields."""
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []
    lock = threading.Lock()

    def clerk(target):
        try:
            barrier.wait()
            work(target)
            result = "ok"
        except ValidationError as exc:
            result = ",".join(sorted(exc.message_dict))
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=clerk, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.fixture
def setting(transactional_db):
    district = DistrictFactory(parent=CityFactory())
    document = DocumentFactory(year=2026, date_issued=DAY, date_effective=DAY)
    return district, document


def funded(district, document, approved, staff):
    unit = InstitutionFactory(region=district)
    quota_type = ledger.quota_type_get()
    pool = ledger.account_for_region(region=district, quota_type=quota_type)
    ledger.quota_grant(target=pool, amount=approved, document=document, effective_date=DAY, by=None)
    ledger.quota_allocate(source=pool, target=ledger.account_for_institution(institution=unit, quota_type=quota_type),
                          amount=approved, document=document, effective_date=DAY, by=None)
    StaffCountFactory(institution=unit, as_of=DAY, **staff_counts(management=staff))
    PositionPlanFactory(institution=unit, document=document, **plan_counts(management=approved))
    return unit


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_approving_notices_beyond_one_vacancy(setting):
    district, document = setting
    unit = funded(district, document, approved=10, staff=7)  # usable vacancy 3
    notices = [
        hiring.quota_use_notice_submit(notice=hiring.quota_use_notice_create(
            institution=unit, quota_type=ledger.quota_type_get(), category="management", count=2, by=None), by=None)
        for _each in range(2)
    ]

    outcomes = race(notices, lambda notice: hiring.quota_use_notice_approve(
        notice=notice, by=None, document=document, on=DAY))

    assert outcomes == ["count", "ok"]
    states = sorted(QuotaUseNotice.objects.values_list("status", flat=True))
    assert states == ["approved", "submitted"]
    assert QuotaUseNotice.objects.filter(number__isnull=False).count() == 1
    vacancy = quota_position(unit, quota_type=ledger.quota_type_get())
    assert (vacancy.reserved, vacancy.usable) == (2, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_lending_the_last_pool_quotas(setting):
    district, document = setting
    pool = ledger.account_for_turnover_pool(region=district.parent, quota_type=ledger.quota_type_get(),
                                            sector=PoolSector.TALENT)
    ledger.quota_grant(target=pool, amount=3, document=document, effective_date=DAY, by=None)
    case, _created = LoanCase.objects.get_or_create(code="urgent_talent", defaults={"name": "急需紧缺人才引进"})
    requests = []
    for _each in range(2):
        unit = funded(district, document, approved=4, staff=4)
        loan = loans.turnover_loan_create(institution=unit, pool=pool, count=2, talent_category="high_level",
                                          case=case, term_months=24, by=None,
                                          return_plan=[{"date": "2027-01-01", "count": 2}])
        requests.append(loans.turnover_loan_submit(loan=loan, by=None, on=DAY))

    outcomes = race(requests, lambda loan: loans.turnover_loan_approve(loan=loan, by=None, document=document,
                                                                       on=DAY))

    assert outcomes == ["count", "ok"]
    assert sorted(TurnoverLoan.objects.values_list("status", flat=True)) == ["approved", "submitted"]
    pool.refresh_from_db()
    assert pool.balance == 1
    assert ledger_reconcile().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_movements_of_one_unit_lose_no_update(setting):
    # 40 approved, 20 staff in quota; 10 notices of 1 issued, then 10 entries and 10 exits released together.
    district, document = setting
    unit = funded(district, document, approved=40, staff=20)
    notices = []
    for _each in range(10):
        notice = hiring.quota_use_notice_submit(notice=hiring.quota_use_notice_create(
            institution=unit, quota_type=ledger.quota_type_get(), category="management", count=1, by=None), by=None)
        notices.append(hiring.quota_use_notice_approve(notice=notice, by=None, document=document, on=DAY))
    work = [("entry", notice) for notice in notices] + [("exit", None)] * 10

    def move(item):
        kind, notice = item
        if kind == "entry":
            hiring.staff_entry_record(notice=notice, by=None, on=DAY)
        else:
            hiring.staff_exit_record(institution=unit, category="management", reason="retirement", by=None, on=DAY)

    outcomes = race(work, move)

    assert outcomes == ["ok"] * 20
    entries = StaffMovement.objects.filter(institution=unit, kind="entry").count()
    exits = StaffMovement.objects.filter(institution=unit, kind="exit").count()
    assert (entries, exits) == (10, 10)
    position = quota_position(unit)
    assert position.staff_total == 20 + entries - exits == 20
    assert position.staff["management"] == 20
    assert (position.reserved, position.usable) == (0, 20)
    assert StaffCount.objects.get(institution=unit, as_of=DAY).total == 20
