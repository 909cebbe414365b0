"""The demo city's quotas enter through the ledger: every active demo unit has a balance; loading twice adds nothing."""
import datetime

import pytest
from django.core.management import call_command

from institutions.demo import DEFAULT_SEED, generate
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.selectors import ledger_reconcile, totals_by_level

pytestmark = pytest.mark.django_db


def test_demo_ledger_is_complete_balanced_and_idempotent():
    call_command("load_demo", verbosity=0)
    transfers = QuotaTransfer.objects.count()

    city = generate(DEFAULT_SEED)
    planned = {code: amount for code, amount in city.planned_quotas().items() if amount > 0}
    balances = dict(
        QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION)
        .values_list("institution__credit_code", "balance")
    )
    assert set(planned) <= set(balances)
    # Allocated as planned; only city-level reclamation took vacant quotas back.
    changed = [code for code, amount in planned.items() if balances[code] != amount]
    assert all(balances[code] < planned[code] for code in changed)
    assert 0 < len(changed) < 250
    assert ledger_reconcile().ok
    assert QuotaAccount.objects.filter(holder_kind=HolderKind.REGION_CONTROLLED, balance__gt=0).count() == 9
    levels = totals_by_level(datetime.date(2022, 1, 1))
    assert levels["county"] > levels["district"] > 0

    call_command("load_demo", verbosity=0)
    assert QuotaTransfer.objects.count() == transfers
