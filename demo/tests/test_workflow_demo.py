"""The demo city's workflow: plans, notices and loans in each of their states, one loan overdue, through the
services; deterministic, idempotent and fast."""
from io import StringIO

import pytest

from demo import workflow as workflow_demo
from workflow.models import HiringPlan, TurnoverLoan

pytestmark = pytest.mark.django_db


def states(model) -> set[str]:
    return set(model.objects.values_list("status", flat=True))




def test_without_the_position_demo_nothing_is_written():
    out = StringIO()

    workflow_demo.load(stdout=out)

    assert "skipped" in out.getvalue()
    assert not HiringPlan.objects.exists() and not TurnoverLoan.objects.exists()
