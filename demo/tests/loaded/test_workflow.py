"""The demo city's workflow: plans, notices and loans in each of their states, one loan overdue, through the
services; loading it again changes nothing."""
from io import StringIO

import pytest

from demo import workflow as workflow_demo
from quotas.models import QuotaTransfer
from quotas.selectors import ledger_reconcile
from workflow.models import HiringPlan, LoanReturnOffer, QuotaUseNotice, RequestEvent, StaffMovement, TurnoverLoan


def states(model) -> set[str]:
    return set(model.objects.values_list("status", flat=True))


pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_state_and_loads_once():
    assert states(HiringPlan) == {"draft", "submitted", "approved", "rejected", "executed", "withdrawn"}
    assert states(QuotaUseNotice) == {"draft", "submitted", "approved", "rejected", "executed", "withdrawn",
                                      "expired"}
    assert states(TurnoverLoan) == {"draft", "submitted", "approved", "rejected", "executed", "withdrawn"}
    overdue = TurnoverLoan.objects.filter(is_overdue=True)
    assert overdue.count() == 1 and overdue.get().status == "approved"
    assert TurnoverLoan.objects.filter(status="approved", returned=1).count() == 1  # partly returned
    assert LoanReturnOffer.objects.filter(state="pending").count() == 1
    assert LoanReturnOffer.objects.filter(state="accepted").count() == 1
    assert QuotaUseNotice.objects.filter(status="approved", taken_up=1, count=2).count() == 1
    assert StaffMovement.objects.filter(kind="entry").count() == 2
    assert ledger_reconcile().ok
    counts = (HiringPlan.objects.count(), QuotaUseNotice.objects.count(), TurnoverLoan.objects.count(),
              QuotaTransfer.objects.count(), RequestEvent.objects.count(), StaffMovement.objects.count())

    out = StringIO()
    workflow_demo.load(stdout=out)

    assert "already loaded" in out.getvalue()
    assert counts == (HiringPlan.objects.count(), QuotaUseNotice.objects.count(), TurnoverLoan.objects.count(),
                      QuotaTransfer.objects.count(), RequestEvent.objects.count(), StaffMovement.objects.count())
