"""Twenty clerks at once on the last quotas of one account: exactly as many succeed as the balance allows."""
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from institutions.models import ApprovalDocument, Institution, Region
from quotas import services
from quotas.models import QuotaAccount
from quotas.selectors import ledger_reconcile

DAY = datetime.date(2024, 1, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_threads_race_for_the_last_five_quotas():
    city = Region.objects.create(code="230100", name="市本级", kind="city")
    document = ApprovalDocument.objects.create(
        issuer="编委", office_code="哈编发", year=2024, serial=1, title="t", date_issued=DAY, date_effective=DAY
    )
    quota_type = services.quota_type_get()
    pool = services.account_for_region(region=city, quota_type=quota_type)
    services.quota_grant(target=pool, amount=5, document=document, effective_date=DAY, by=None)
    targets = [
        services.account_for_institution(
            institution=Institution.objects.create(name=f"单位{n}", region=city), quota_type=quota_type
        )
        for n in range(20)
    ]
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def clerk(target):
        try:
            barrier.wait()
            services.quota_allocate(source=pool, target=target, amount=1, document=document, effective_date=DAY,
                                    by=None)
            result = "ok"
        except ValidationError as exc:
            result = exc.message_dict.get("amount", ["?"])[0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=clerk, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("ok") == 5
    refusals = [o for o in outcomes if o != "ok"]
    assert len(refusals) == 15
    assert all("0" in message for message in refusals), refusals  # "the balance … is 0, less than 1"
    assert QuotaAccount.objects.get(pk=pool.pk).balance == 0
    assert sum(QuotaAccount.objects.filter(pk__in=[t.pk for t in targets]).values_list("balance", flat=True)) == 5
    assert ledger_reconcile().ok
