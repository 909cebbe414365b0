"""Webhooks through a real broker and worker: the receiver down while 50 changes happen, then up; a receiver that
refuses, then accepts."""
import datetime
import time

import pytest

from integrations import services
from integrations.models import WebhookDelivery
from integrations.tests.conftest import Receiver
from outbox.models import ChangeEvent
from quotas import services as ledger_services

DAY = datetime.date(2024, 1, 1)


def wait_until(check, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not deliver in time; see var/test-worker-*.log")


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_receiver_down_during_50_changes_gets_every_event_once_in_order(ledger, finance_client, settings,
                                                                         celery_worker_process):
    receiver = Receiver()  # its port is kept; nothing listens yet
    subscription = services.subscription_create(client=finance_client, name="财政", url=receiver.url)
    settings.CHANGE_HOOKS = ["integrations.tasks.changes_recorded"]  # as in production
    start = ChangeEvent.objects.count()
    for n in range(50):
        source, target = ("archive_account", "library_account") if n % 2 == 0 else ("library_account",
                                                                                      "archive_account")
        ledger_services.quota_transfer(source=ledger[source], target=ledger[target], amount=1,
                                       document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
    expected = ChangeEvent.objects.count() - start
    assert expected == 100  # a move touches two units
    wait_until(lambda: WebhookDelivery.objects.filter(subscription=subscription, succeeded=False).exists())
    receiver.start()
    try:
        wait_until(lambda: len({event["id"] for event in receiver.events()}) >= expected)
    finally:
        receiver.stop()
    received = receiver.events()
    unique = list({event["id"]: event for event in received}.values())  # the receiver drops duplicates by id
    assert len(unique) == expected
    placed = list(ChangeEvent.objects.filter(position__gt=subscription.position).order_by("position").values_list(
        "id", "institution_id"))
    assert [event["id"] for event in unique] == [event_id for event_id, _unit in placed]
    for unit in (ledger["archive"].pk, ledger["library"].pk):  # in order per unit
        theirs = [event["position"] for event in unique if event["institution"]["id"] == unit]
        assert theirs == sorted(theirs) and len(theirs) == 50



@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_refusing_receiver_is_retried_with_growing_delays(ledger, finance_client, settings, celery_worker_process):
    receiver = Receiver()
    receiver.answers = [500, 500, 500]
    receiver.start()
    try:
        subscription = services.subscription_create(client=finance_client, name="财政", url=receiver.url)
        settings.CHANGE_HOOKS = ["integrations.tasks.changes_recorded"]
        ledger_services.quota_transfer(source=ledger["archive_account"], target=ledger["library_account"],
                                       amount=1, document=ledger["document"], effective_date=DAY,
                                       by=ledger["clerk"])
        wait_until(lambda: WebhookDelivery.objects.filter(subscription=subscription, succeeded=True).count() == 2)
    finally:
        receiver.stop()
    first = WebhookDelivery.objects.filter(subscription=subscription).order_by("id")[:4]
    assert [(row.attempt, row.status_code) for row in first] == [(1, 500), (2, 500), (3, 500), (4, 200)]
    gaps = [(later.attempted_at - earlier.attempted_at).total_seconds() for earlier, later in zip(
        first, list(first)[1:], strict=False)]
    assert gaps[0] >= 0.2 and gaps[1] >= 0.4 and gaps[2] >= 0.8  # each wait at least the doubled delay
    assert gaps[1] > gaps[0] * 1.2
