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
from reforms.models import OperationKind
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


def test_the_preview_shows_each_operation_on_the_figures_the_ones_before_it_leave(plan, clerk, units):
    """Operation 1, the merger with 3 placed in D: A 20 → 0 quotas (18 → 0 staff), B 15 → 0 (15 → 0), C new at 30
    (30 staff), D 10 → 13 (7 → 10); 道里区 one institution fewer (two end, one is formed) and 5 quotas fewer (the 5
    cancelled; D's 3 come from the district's own pool). Operation 2 raises D to 14: it starts from operation 1's
    13, takes the pool's last quota, and changes no region's total."""
    a, b, d = units
    services.reform_operation_save(plan=plan, by=clerk, operation=plan.operations.get(),
                                   placements=[{"to_institution": d, "category": "management", "count": 3}])
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.ADJUST_QUOTAS, institution=d,
                                   approved_total=14)

    merger, adjustment = services.reform_plan_preview(plan)["operations"]

    def figures(unit):
        before = unit["before"]
        return (unit["after"]["name"], before and before["quotas"].get("institutional", {}).get("held", 0),
                unit["after"]["quotas"].get("institutional", {}).get("held", 0),
                before and before["staff_total"], unit["after"]["staff_total"])

    assert sorted(figures(unit) for unit in merger["units"]) == sorted([
        ("道里区甲中心", 20, 0, 18, 0), ("道里区乙中心", 15, 0, 15, 0), ("道里区丙中心", None, 30, None, 30),
        ("道里区丁中心", 10, 13, 7, 10)])
    assert [(region["name"], region["institutions_change"], region["quotas_change"])
            for region in merger["regions"]] == [("道里区", -1, -5)]
    assert [figures(unit) for unit in adjustment["units"]] == [("道里区丁中心", 13, 14, 10, 10)]
    assert (adjustment["regions"], adjustment["problems"]) == ([], [])
