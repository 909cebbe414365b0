"""The demo city's plans and staff counts: sized from the ledger, with every kind of unit, idempotent."""
from io import StringIO

import pytest
from django.core.management import call_command

from demo.positions import STAFF_DAY
from institutions.models import Institution
from positions.models import PositionPlan, StaffCount
from quotas.choices import HolderKind
from quotas.models import QuotaAccount
from reconciliation.selectors import filter_flag, reconciliation

pytestmark = pytest.mark.django_db


def test_demo_plans_and_staff_counts_follow_the_ledger_and_show_every_case():
    plans = PositionPlan.objects.count()
    counts = StaffCount.objects.filter(as_of=STAFF_DAY).count()  # the reform's plans moved staff in 2021 too
    every_count = StaffCount.objects.count()
    active = Institution.objects.filter(kind="public_institution", status="active").count()

    assert 0.9 * active < plans < active and 0.9 * active < counts < active
    # Plan totals are the approved quotas, but for the few left stale on purpose.
    balances = dict(QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION,
                                                quota_type__code="institutional").values_list("institution", "balance"))
    matching = sum(plan.total == balances[plan.institution_id] for plan in PositionPlan.objects.all())
    assert matching > 0.9 * plans
    assert not any(finding["binding"] for plan in PositionPlan.objects.all() for finding in plan.findings)
    units = reconciliation()
    for flag, share in (("vacant", 0.5), ("at_quota", 0.05), ("over_quota", 0.05), ("over_position", 0.05),
                        ("no_plan", 0.02), ("stale_plan", 0.02), ("no_staff_count", 0.01)):
        assert filter_flag(units, flag).count() > share * active, flag

    call_command("load_demo", verbosity=0, stdout=StringIO())
    assert (PositionPlan.objects.count(), StaffCount.objects.count()) == (plans, every_count)
