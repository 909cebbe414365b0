"""The demo plans and staff counts without a ledger: deterministic, from the registry's staff figures."""
from io import StringIO

import pytest

from demo import positions as demo
from positions.models import PositionPlan, StaffCount
from quotas.models import QuotaAccount

pytestmark = pytest.mark.django_db




def test_demo_is_deterministic_and_falls_back_to_registry_figures_without_a_ledger():
    from demo import institutions as registry_demo

    registry_demo.load(seed=registry_demo.DEFAULT_SEED)  # the registry only: no quota accounts
    assert not QuotaAccount.objects.exists()

    out = StringIO()
    demo.load(stdout=out)
    first = list(PositionPlan.objects.order_by("institution__credit_code").values_list("institution__credit_code",
                                                                                      "total", "professional"))
    PositionPlan.history.all().delete()
    StaffCount.history.all().delete()
    PositionPlan.objects.all().delete()
    StaffCount.objects.all().delete()
    demo.load()
    again = list(PositionPlan.objects.order_by("institution__credit_code").values_list("institution__credit_code",
                                                                                      "total", "professional"))

    assert "registry staff figures" in out.getvalue()
    assert first == again and len(first) > 2500
