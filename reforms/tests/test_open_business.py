"""An ending unit's open business is settled by the plan, never left dangling: a merged unit's turnover-pool loan
moves to the survivor with its staff; an abolished unit's loan is settled, its quotas back in the pool."""
import pytest

from institutions.choices import InstitutionStatus
from institutions.tests.factories import InstitutionFactory
from quotas.selectors import borrowed_quotas, ledger_reconcile
from reforms import services
from reforms.models import OperationKind, SurplusAction
from reforms.tests.conftest import PLAN_DAY
from workflow import states as workflow
from workflow.models import RequestEvent, TurnoverLoan
from workflow.tests.helpers import balance
from workflow.tests.test_loans import lend

pytestmark = pytest.mark.django_db


@pytest.fixture
def borrower(daoli, staffed, talent_pool, case, clerk, decision):
    """道里区医院: 6 approved, 6 staff, 2 more quotas on loan from the city's talent pool (5 → 3)."""
    unit = staffed(InstitutionFactory(region=daoli, name="道里区人民医院"), 6, management=2, professional=(0, 0, 2, 2))
    loan = lend(unit, talent_pool, case, clerk, decision)
    assert (balance(unit), balance(talent_pool), borrowed_quotas(unit.pk, loan.pool.quota_type_id)) == (8, 3, 2)
    return unit, loan


def carried_out(plan, clerk, document):
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=document)
    return services.reform_plan_execute(plan=plan, by=clerk)


def test_a_merged_units_loan_moves_to_the_survivor_with_its_staff(daoli, clerk, staffed, borrower, talent_pool,
                                                                 reform_document):
    unit, loan = borrower
    clinic = staffed(InstitutionFactory(region=daoli, name="道里区社区卫生中心"), 10, management=1,
                     professional=(0, 1, 2, 2))
    plan = services.reform_plan_create(by=clerk, region=daoli, title="医疗整合", effective_date=PLAN_DAY)
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.MERGE, new_name="道里区医疗集团",
                                   approved_total=16, sources=[unit, clinic])

    preview = services.reform_plan_preview(plan)
    assert preview["problems"] == []
    assert any(f"周转池借用#{loan.pk}" in note["message"] and "道里区医疗集团" in note["message"]
               for note in preview["notes"]), preview["notes"]
    carried_out(plan, clerk, reform_document)

    group = plan.operations.get().created_unit
    moved = TurnoverLoan.objects.get(pk=loan.pk)
    assert (moved.institution, moved.status, moved.returned) == (group, workflow.APPROVED, 0)
    # 16 approved + the 2 on loan; the pool still lends 2; the merged units hold nothing.
    assert (balance(group), borrowed_quotas(group.pk, loan.pool.quota_type_id), balance(talent_pool)) == (18, 2, 3)
    assert (borrowed_quotas(unit.pk, loan.pool.quota_type_id), balance(unit), balance(clinic)) == (0, 0, 0)
    assert RequestEvent.objects.filter(object_id=loan.pk, action=workflow.HAND_OVER).count() == 1
    assert ledger_reconcile().ok


def test_an_abolished_units_loan_is_settled_and_its_quotas_go_back_to_the_pool(daoli, clerk, borrower, talent_pool,
                                                                              reform_document):
    unit, loan = borrower
    plan = services.reform_plan_create(by=clerk, region=daoli, title="撤销", effective_date=PLAN_DAY)
    services.reform_operation_save(
        plan=plan, by=clerk, kind=OperationKind.ABOLISH, institution=unit, surplus=SurplusAction.CANCEL,
        placements=[{"category": "management", "count": 2},
                    {"category": "professional", "band": "intermediate", "count": 2},
                    {"category": "professional", "band": "junior", "count": 2}])
    carried_out(plan, clerk, reform_document)

    settled = TurnoverLoan.objects.get(pk=loan.pk)
    unit.refresh_from_db()
    assert (settled.status, settled.returned, unit.status) == (workflow.EXECUTED, 2, InstitutionStatus.ABOLISHED)
    assert (balance(talent_pool), balance(unit), borrowed_quotas(unit.pk, loan.pool.quota_type_id)) == (5, 0, 0)
    assert settled.returns.get().kind == "settlement"
    assert ledger_reconcile().ok
