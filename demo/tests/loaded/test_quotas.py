"""The demo city's quotas enter through the ledger: a pre-reform state, then the reform, balanced and idempotent."""
import datetime

import pytest
from django.core.management import call_command

from demo.institutions import DEFAULT_SEED, generate
from demo.reform import plan_reform
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaTransfer, QuotaType
from quotas.selectors import borrowed_quotas_of_units, ledger_reconcile, totals_by_level

pytestmark = pytest.mark.django_db


def test_demo_ledger_shows_the_reform_and_loads_once():
    transfers = QuotaTransfer.objects.count()

    city = generate(DEFAULT_SEED)
    planned = {unit.credit_code: unit for unit in city.institutions if unit.planned_quota > 0}
    assert set(planned) <= set(QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION)
                               .values_list("institution__credit_code", flat=True))
    accounts = QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, is_active=True,
                                           quota_type__code="institutional")
    borrowed = borrowed_quotas_of_units(accounts.values_list("institution_id", flat=True))
    # Own quotas: the later demo lends some units turnover-pool quotas (which units depends on the database's order).
    balances = {code: balance - borrowed.get((unit_id, type_id), 0) for code, unit_id, type_id, balance in
                accounts.values_list("institution__credit_code", "institution_id", "quota_type_id", "balance")}
    # Reserved units the reform's plans left alone were re-verified to their standard (the planned size); none
    # holds more after the reform.
    touched = {code for plan in plan_reform(city) for operation in plan.operations for code in operation.units}
    reserved = [code for code, unit in planned.items() if unit.reserved_class != "none" and unit.quota_type ==
                "institutional" and code not in touched]
    assert len(reserved) > 1000 and all(balances[code] <= planned[code].planned_quota for code in reserved)
    assert ledger_reconcile().ok
    assert QuotaAccount.objects.filter(holder_kind=HolderKind.REGION_CONTROLLED, balance__gt=0).count() == 9

    institutional = QuotaType.objects.get(code="institutional")
    before = totals_by_level(datetime.date(2020, 12, 31), quota_type=institutional)
    after = totals_by_level(datetime.date(2022, 1, 1), quota_type=institutional)
    for level in ("city", "district", "county"):
        reduction = (before[level] - after[level]) / before[level]
        assert 0.05 < reduction < 0.4, (level, reduction)

    call_command("load_demo", verbosity=0)
    assert QuotaTransfer.objects.count() == transfers
