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


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_loses_nothing(ledger, finance_client, celery_worker_process, monkeypatch):
    """A worker of its own (on a queue of its own) is killed while the receiver holds its first request; a second
    worker, woken as the beat would (``publish_changes``), sends that event again and the rest."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    from config.celery import app
    from conftest import ROOT

    queue = f"kill-test-{os.getpid()}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings",
           "DATABASE_URL": _database_url()}

    def worker(name: str) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 -- our own worker command
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-c", "1", "-Q", queue,
             "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_until(lambda: any(node.startswith(f"{name}@") for answer in app.control.ping(timeout=0.5)
                               for node in answer), seconds=60)
        return process

    held, release = threading.Event(), threading.Event()
    receiver = Receiver()
    original_answers = receiver.answers

    class Holding(list):
        def __bool__(self) -> bool:
            return True

        def pop(self, index=-1):
            if not held.is_set():  # the first request: hold it until the worker is dead
                held.set()
                release.wait(30)
            return super().pop(index) if len(self) else 200

    receiver.answers = Holding(original_answers)
    receiver.start()
    first = worker(f"first-{os.getpid()}")
    second = None
    from integrations import services as integration_services

    deliver = app.tasks[integration_services.DELIVER_TASK]
    monkeypatch.setattr(integration_services, "_enqueue_now",
                        lambda subscription_id: deliver.apply_async((subscription_id,), queue=queue))
    try:
        subscription = services.subscription_create(client=finance_client, name="财政", url=receiver.url)
        for n in range(5):
            source, target = ("archive_account", "library_account") if n % 2 == 0 else ("library_account",
                                                                                          "archive_account")
            ledger_services.quota_transfer(source=ledger[source], target=ledger[target], amount=1,
                                           document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
        integration_services.publish_changes()  # as the change hook would: the first worker takes the delivery
        assert held.wait(60), "the first worker did not deliver"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        release.set()
        second = worker(f"second-{os.getpid()}")
        integration_services.publish_changes()  # the beat's safety net, a minute later in production
        wait_until(lambda: len({event["id"] for event in receiver.events()}) >= 10)
    finally:
        release.set()
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        receiver.stop()
    ids = [event["id"] for event in receiver.events()]
    expected = list(ChangeEvent.objects.filter(position__gt=subscription.position).order_by("position")
                    .values_list("id", flat=True))
    assert list(dict.fromkeys(ids)) == expected  # nothing lost, in order, once the duplicate is dropped
    assert ids.count(ids[0]) == 2  # the event in flight when the worker died went again


def _database_url() -> str:
    from django.db import connection

    settings_dict = connection.settings_dict
    return (f"postgres://{settings_dict.get('USER') or ''}@{settings_dict.get('HOST') or '127.0.0.1'}:"
            f"{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}")
