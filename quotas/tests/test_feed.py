"""The transfer log read past a watermark: in id order, holding back before a young gap, passing an old one;
postings wake the readers named in settings once per transaction, after commit, and call nothing else."""
import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from quotas import services
from quotas.models import QuotaTransfer
from quotas.selectors import ledger_feed

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 1, 2)


def post(ledger, amount=1):
    return services.quota_transfer(source=ledger["archive_account"], target=ledger["library_account"], amount=amount,
                                   document=ledger["document"], effective_date=DAY, by=ledger["clerk"])


def skip_an_id() -> None:
    """Draw a transfer id without a row (the ledger's rows are never deleted, not even by a test)."""
    table = QuotaTransfer._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = %s", [table])


def test_the_feed_gives_every_transfer_after_the_watermark_in_order(ledger):
    first, second = post(ledger), post(ledger)
    start = first.pk - 1

    rows, watermark = ledger_feed(start)

    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert watermark == second.pk
    assert rows[0]["source__institution_id"] == ledger["archive"].pk
    assert rows[0]["target__holder_kind"] == "institution"
    assert ledger_feed(watermark) == ([], watermark)


def test_a_young_gap_holds_the_reader_back_and_an_old_gap_is_passed(ledger, monkeypatch):
    before = post(ledger)
    skip_an_id()  # a posting still in flight looks like this: its id drawn, its row not yet visible
    after = post(ledger)
    monkeypatch.setattr("quotas.selectors.gap_may_be_in_flight", lambda created: True)
    now = timezone.now()

    rows, watermark = ledger_feed(before.pk - 1, settle=datetime.timedelta(seconds=60), now=now)
    assert [row["id"] for row in rows] == [before.pk] and watermark == before.pk

    rows, watermark = ledger_feed(before.pk - 1, settle=datetime.timedelta(seconds=60),
                                  now=now + datetime.timedelta(seconds=61))
    assert [row["id"] for row in rows] == [before.pk, after.pk] and watermark == after.pk


def test_a_gap_that_no_open_transaction_can_fill_is_passed_at_once(ledger):
    before = post(ledger)
    skip_an_id()  # a posting that rolled back
    after = post(ledger)

    rows, watermark = ledger_feed(before.pk - 1, settle=datetime.timedelta(seconds=60))

    assert [row["id"] for row in rows] == [before.pk, after.pk] and watermark == after.pk


@pytest.mark.django_db(transaction=True)
def test_postings_wake_each_hook_once_per_transaction_after_commit(ledger, settings):
    settings.LEDGER_POSTING_HOOKS = ["quotas.tests.test_feed.remember"]
    REMEMBERED.clear()

    with transaction.atomic():
        post(ledger)
        post(ledger)
        assert REMEMBERED == []  # nothing runs before the commit
    assert REMEMBERED == ["woken"]

    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        post(ledger)
        raise RuntimeError("rolled back")
    assert REMEMBERED == ["woken"]


REMEMBERED: list[str] = []


def remember() -> None:
    REMEMBERED.append("woken")
