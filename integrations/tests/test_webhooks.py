"""Webhooks to a real HTTP receiver on 127.0.0.1: signed, in order, retried with growing delays, paused after
repeated refusals and resumed where they stopped, sent again by hand; a delivery lost midway goes again."""
import datetime
import hashlib
import hmac
import json
import time

import pytest
from django.utils import timezone

from accounts.roles import Role
from integrations import services
from integrations.models import WebhookDelivery, WebhookSubscription
from outbox.models import ChangeEvent
from outbox.services import changes_sequence
from quotas import services as ledger_services

DAY = datetime.date(2024, 1, 1)


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> bool:
    """The receiver's check, as docs/finance-integration.md gives it."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - timestamp) <= tolerance and hmac.compare_digest(expected, parts["v1"])


def moves(ledger, count: int) -> None:
    for n in range(count):
        source, target = ("archive_account", "library_account") if n % 2 == 0 else ("library_account",
                                                                                      "archive_account")
        ledger_services.quota_transfer(source=ledger[source], target=ledger[target], amount=1,
                                       document=ledger["document"], effective_date=DAY, by=ledger["clerk"])


@pytest.fixture
def subscription(ledger, receiver, finance_client):
    return services.subscription_create(client=finance_client, name="财政一体化系统", url=receiver.url)


def deliver(subscription) -> int:
    changes_sequence()
    return services.webhook_deliver(subscription.pk)


def test_every_event_after_the_subscription_is_delivered_signed_and_in_order(ledger, receiver, subscription):
    receiver.start()
    moves(ledger, 3)
    assert deliver(subscription) == 6  # two units a move
    expected = list(ChangeEvent.objects.filter(position__gt=0).order_by("position").values_list("id", flat=True))
    assert [event["id"] for event in receiver.events()] == expected[-6:]
    for headers, body in receiver.requests:
        assert verify(subscription.secret, headers["X-Quota-Signature"], body)
        assert headers["X-Quota-Event-Id"] == str(json.loads(body)["id"])
    assert not verify("another secret", receiver.requests[0][0]["X-Quota-Signature"], receiver.requests[0][1])
    subscription.refresh_from_db()
    assert subscription.position == ChangeEvent.objects.order_by("position").last().position
    assert WebhookDelivery.objects.filter(subscription=subscription, succeeded=True).count() == 6
    assert deliver(subscription) == 0  # nothing twice


def test_a_refusal_is_retried_with_growing_delays_and_holds_back_the_rest(ledger, receiver, subscription, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS = 10, 25
    receiver.answers = [500, 500, 500]
    receiver.start()
    moves(ledger, 1)
    delays = []
    for _ in range(3):
        assert deliver(subscription) == 0
        last = WebhookDelivery.objects.filter(subscription=subscription).order_by("id").last()
        delays.append((last.retry_at - last.attempted_at).total_seconds())
        assert last.status_code == 500 and not last.succeeded
        assert deliver(subscription) == 0  # before the retry time: nothing is sent
        WebhookSubscription.objects.filter(pk=subscription.pk).update(next_attempt_at=timezone.now())
    assert [round(delay) for delay in delays] == [10, 20, 25]  # doubling, capped
    assert deliver(subscription) == 2
    ids = [event["id"] for event in receiver.events()]
    assert ids[:3] == [ids[0]] * 3 and len(set(ids)) == 2  # the first event three times refused, then both
    assert list(WebhookDelivery.objects.filter(event_id=ids[0]).order_by("id").values_list("attempt", flat=True)) \
        == [1, 2, 3, 4]


def test_after_repeated_failure_the_subscription_pauses_and_resumes_where_it_stopped(ledger, receiver,
                                                                                    subscription, settings):
    settings.WEBHOOK_MAX_FAILURES = 3
    moves(ledger, 2)  # the receiver is down
    for _ in range(3):
        deliver(subscription)
        WebhookSubscription.objects.filter(pk=subscription.pk, paused_at__isnull=True).update(
            next_attempt_at=timezone.now())
    subscription.refresh_from_db()
    assert subscription.paused_at is not None and subscription.failures == 3
    attempts = WebhookDelivery.objects.filter(subscription=subscription)
    assert attempts.count() == 3 and not attempts.filter(succeeded=True).exists()
    assert attempts.filter(status_code__isnull=True).count() == 3  # connection refused: no status, an error
    receiver.start()
    assert deliver(subscription) == 0  # paused: nothing goes out
    services.subscription_resume(subscription=subscription)
    assert deliver(subscription) == 4
    assert len({event["id"] for event in receiver.events()}) == 4


def test_kinds_not_asked_for_are_passed_over(ledger, receiver, finance_client):
    receiver.start()
    subscription = services.subscription_create(client=finance_client, name="只收下达", url=receiver.url,
                                                kinds=["unit.changed"])
    moves(ledger, 2)
    assert deliver(subscription) == 0
    subscription.refresh_from_db()
    assert subscription.position == ChangeEvent.objects.order_by("position").last().position
    assert receiver.requests == []


def test_a_delivery_that_dies_before_it_is_recorded_goes_again_with_the_same_id(ledger, receiver, subscription,
                                                                               monkeypatch):
    receiver.start()
    moves(ledger, 1)
    changes_sequence()

    def die(self, *args, **kwargs):
        raise SystemExit("the worker is killed")

    with monkeypatch.context() as patch:
        patch.setattr(WebhookDelivery, "save", die)
        with pytest.raises(SystemExit):
            services.webhook_deliver(subscription.pk)
    subscription.refresh_from_db()
    assert subscription.position < ChangeEvent.objects.order_by("position").last().position  # nothing recorded
    assert deliver(subscription) == 2
    ids = [event["id"] for event in receiver.events()]
    assert ids[0] == ids[1] and len(set(ids)) == 2  # once too many; the receiver drops it by its id


def test_redelivery_sends_the_same_event_again(ledger, receiver, subscription):
    receiver.start()
    moves(ledger, 1)
    deliver(subscription)
    first = WebhookDelivery.objects.filter(subscription=subscription).order_by("id").first()
    again = services.webhook_redeliver(delivery=first)
    assert again.redelivery and again.succeeded and again.event_id == first.event_id
    assert receiver.events()[-1]["id"] == first.event_id


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)", "not a url"])
def test_a_url_that_is_not_http_is_a_field_error_and_nothing_is_written(ledger, api_client, as_role, url):
    as_role(Role.FINANCE_SYSTEM)
    answer = api_client.post("/api/v1/webhook-subscriptions/", {"name": "x", "url": url}, format="json")
    assert answer.status_code == 400 and "url" in answer.json()["errors"]
    assert not WebhookSubscription.objects.exists()


def test_a_client_keeps_its_own_subscriptions(ledger, api_client, as_role, make_user, receiver):
    other = services.subscription_create(client=make_user(Role.FINANCE_SYSTEM), name="别人的", url=receiver.url)
    as_role(Role.FINANCE_SYSTEM)
    created = api_client.post("/api/v1/webhook-subscriptions/", {
        "name": "财政", "url": receiver.url, "kinds": ["transfer.posted", "staff.entered"]}, format="json")
    assert created.status_code == 201, created.content
    assert len(created.json()["secret"]) == 64
    listed = api_client.get("/api/v1/webhook-subscriptions/").json()["results"]
    assert [row["id"] for row in listed] == [created.json()["id"]]
    assert api_client.get(f"/api/v1/webhook-subscriptions/{other.pk}/").status_code == 404
    bad = api_client.patch(f"/api/v1/webhook-subscriptions/{created.json()['id']}/", {"kinds": ["nope"]},
                           format="json")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["kinds.0"]


def test_read_only_roles_cannot_subscribe(ledger, api_client, as_role, receiver):
    as_role(Role.AUDITOR)
    answer = api_client.post("/api/v1/webhook-subscriptions/", {"name": "x", "url": receiver.url}, format="json")
    assert answer.status_code == 403
    assert not WebhookSubscription.objects.exists()


def test_a_subscription_created_inactive_as_a_form_stays_so_with_each_kind_once(ledger, api_client, as_role):
    """What the fuzzer sent as multipart (is_active false, a kind twice): a 201, not a 500."""
    as_role(Role.FINANCE_SYSTEM)
    answer = api_client.post("/api/v1/webhook-subscriptions/", {
        "name": "财政", "url": "https://cw.io", "is_active": "false",
        "kinds": ["loan.decided", "staff.left", "loan.decided"]}, format="multipart")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["is_active"], answer.json()["kinds"]) == (False, ["loan.decided", "staff.left"])
