"""The hand-worked merger of the issue: A (20 quotas, 18 staff) and B (15 quotas, 15 staff) into a new C approved at
30, with 3 staff placed in D.

Worked by hand: C would hold 20 + 15 = 35 quotas and 18 + 15 = 33 staff; approved at 30 it would have 33 staff for
30 quotas, 3 over, so the plan is refused until 3 are placed. Placing 3 (management) in D: C keeps 30 staff, its 35
quotas less the 30 approved leave 5 set free, cancelled; D gets 3 staff and 3 quotas from 道里区's pool (which held
4 unallocated); A and B end as merged, C their successor; A and B hold nothing.
"""
import pytest
from django.core.exceptions import ValidationError

from institutions.choices import InstitutionStatus
from institutions.models import Institution, InstitutionEvent, LifeEventKind
from positions.models import StaffCount
from quotas import services as ledger
from quotas.choices import HolderKind, TransferKind
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.selectors import ledger_reconcile
from reforms import services
from reforms.tests.conftest import PLAN_DAY
from workflow.vacancy import quota_position

pytestmark = pytest.mark.django_db






def held(unit) -> int:
    return sum(QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution=unit)
               .values_list("balance", flat=True))


def test_the_preview_shows_c_over_quota_and_the_plan_is_refused_until_three_are_placed(plan, clerk):
    preview = services.reform_plan_preview(plan)

    survivor = next(row for row in preview["units"] if row["institution_id"] is None)
    assert survivor["after"]["name"] == "道里区丙中心"
    assert survivor["after"]["staff_total"] == 33
    assert survivor["after"]["quotas"]["institutional"]["held"] == 30
    assert [problem["message"] for problem in preview["problems"]] == [
        "“道里区丙中心”在编人员将为33人，核定编制30名：请分流安置3人或核增编制。"]
    before = QuotaTransfer.objects.count()
    with pytest.raises(ValidationError):
        services.reform_plan_submit(plan=plan, by=clerk)
    assert QuotaTransfer.objects.count() == before


def test_after_placing_three_in_d_the_merger_executes_as_worked_by_hand(plan, clerk, units, reform_document,
                                                                         daoli):
    a, b, d = units
    operation = plan.operations.get()
    services.reform_operation_save(plan=plan, by=clerk, operation=operation,
                                   placements=[{"to_institution": d, "category": "management", "count": 3}])
    assert services.reform_plan_preview(plan)["problems"] == []
    cancelled_before = QuotaTransfer.objects.filter(kind=TransferKind.CANCEL).count()

    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    services.reform_plan_execute(plan=plan, by=clerk)

    c = Institution.objects.get(name="道里区丙中心")
    assert held(c) == 30
    assert quota_position(c).staff_total == 30
    cancels = QuotaTransfer.objects.filter(kind=TransferKind.CANCEL).order_by("pk")[cancelled_before:]
    assert [transfer.amount for transfer in cancels] == [5]
    assert held(d) == 13 and quota_position(d).staff_total == 10
    for source in (a, b):
        source.refresh_from_db()
        assert (source.status, source.successor, source.ended_on) == (InstitutionStatus.MERGED, c, PLAN_DAY)
        assert held(source) == 0 and quota_position(source).staff_total == 0
        assert not QuotaAccount.objects.filter(institution=source, is_active=True).exists()
    assert StaffCount.objects.get(institution=c, as_of=PLAN_DAY).management == 8 + 5 - 3
    assert set(InstitutionEvent.objects.filter(institution=c).values_list("kind", "related__name")) >= {
        (LifeEventKind.ABSORBED, "道里区甲中心"), (LifeEventKind.ABSORBED, "道里区乙中心")}
    assert ledger.account_for_region(region=daoli, quota_type=ledger.quota_type_get()).balance == 1
    assert ledger_reconcile().ok
    with pytest.raises(ValidationError):  # an ended unit takes no more quotas
        ledger.quota_allocate(source=ledger.account_for_region(region=daoli, quota_type=ledger.quota_type_get()),
                              target=QuotaAccount.objects.get(institution=a), amount=1, document=reform_document,
                              effective_date=PLAN_DAY, by=clerk)


def test_executing_twice_changes_nothing(plan, clerk, units, reform_document):
    services.reform_operation_save(plan=plan, by=clerk, operation=plan.operations.get(),
                                   placements=[{"to_institution": units[2], "category": "management", "count": 3}])
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    services.reform_plan_execute(plan=plan, by=clerk)
    count = QuotaTransfer.objects.count()

    with pytest.raises(ValidationError):
        services.reform_plan_execute(plan=plan, by=clerk)

    assert QuotaTransfer.objects.count() == count
