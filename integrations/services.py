"""Webhook subscriptions and their deliveries (docs/finance-integration.md, "Webhooks").

Each subscription receives the change log's events (``outbox``) in feed order, one POST per event, signed:
header ``X-Quota-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body, keyed by the secret>``, with the
event's id in ``X-Quota-Event-Id`` for the receiver to drop duplicates (delivery is at least once). A 2xx answer
moves the subscription's position past the event; anything else is logged and retried after growing delays
(``WEBHOOK_RETRY_BASE_SECONDS`` × 2^(n−1), at most ``WEBHOOK_RETRY_MAX_SECONDS``), holding back the events after
it; after ``WEBHOOK_MAX_FAILURES`` refusals in a row the subscription pauses until resumed.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.feed import events_json
from integrations.models import WebhookDelivery, WebhookSubscription
from outbox.models import ChangeEvent
from outbox.selectors import changes_after, feed_head
from outbox.services import changes_sequence

SIGNATURE_HEADER = "X-Quota-Signature"
EVENT_ID_HEADER = "X-Quota-Event-Id"
USER_AGENT = "quota-platform-webhooks/1"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def retry_delay(failures: int) -> float:
    """Seconds to wait after the ``failures``-th refusal in a row: doubling from the base, capped."""
    return min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (failures - 1), settings.WEBHOOK_RETRY_MAX_SECONDS)


# --- subscriptions ------------------------------------------------------------------------------------------
@transaction.atomic
def subscription_create(*, client, name: str, url: str, kinds: list[str] | None = None,
                        is_active: bool = True) -> WebhookSubscription:
    """A new subscription; it receives the events placed in the feed from now on (the feed holds the earlier)."""
    changes_sequence()
    subscription = WebhookSubscription(client=client, name=name, url=url, kinds=list(dict.fromkeys(kinds or [])),
                                       is_active=is_active, position=feed_head())
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_update(*, subscription: WebhookSubscription, **changes) -> WebhookSubscription:
    for name in ("name", "url", "kinds", "is_active"):
        if name in changes:
            setattr(subscription, name, list(dict.fromkeys(changes[name])) if name == "kinds" else changes[name])
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_resume(*, subscription: WebhookSubscription) -> WebhookSubscription:
    """Resume a paused subscription: it carries on from the event it stopped at."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(paused_at=None, failures=0, next_attempt_at=None)
    subscription.refresh_from_db()
    _enqueue(subscription.pk)
    return subscription


DELIVER_TASK = "integrations.deliver_webhooks"


def _enqueue(subscription_id: int, countdown: float | None = None) -> None:
    """Deliver once the current transaction commits. The task is named, not imported: the tasks module calls
    this one (it is loaded with the app, ``IntegrationsConfig.ready``)."""
    task = current_app.tasks[DELIVER_TASK]
    transaction.on_commit(lambda: task.apply_async((subscription_id,), countdown=countdown))


# --- delivering ----------------------------------------------------------------------------------------------
def _post(subscription: WebhookSubscription, event_id: int, body: bytes) -> tuple[int | None, str, int]:
    """POST one body: (HTTP status or None, error, milliseconds). The URL is http(s) (the model's validator)."""
    timestamp = int(time.time())
    request = urllib.request.Request(subscription.url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json", "User-Agent": USER_AGENT, EVENT_ID_HEADER: str(event_id),
        SIGNATURE_HEADER: sign(subscription.secret, timestamp, body)})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            status, error = response.status, ""
    except urllib.error.HTTPError as exc:
        status, error = exc.code, str(exc.reason)[:500]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        status, error = None, str(getattr(exc, "reason", exc))[:500]
    return status, error, int((time.monotonic() - started) * 1000)


def _body(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def webhook_deliver(subscription_id: int, *, limit: int = 100) -> int:
    """Send the subscription's next events, in feed order, until one is refused or ``limit`` are sent; return how
    many were delivered. One process at a time per subscription (its row is locked; another finds it locked and
    leaves it). A process that dies midway leaves the position where the last acknowledged event put it: the event
    in flight goes again, with the same id."""
    now = timezone.now()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update(skip_locked=True).filter(
            pk=subscription_id, is_active=True, paused_at__isnull=True).first()
        if subscription is None or (subscription.next_attempt_at and subscription.next_attempt_at > now):
            return 0
        events = list(changes_after(subscription.position).select_related("institution", "region")[:limit])
        delivered = 0
        for event, body in zip(events, events_json(events), strict=True):
            if not subscription.wants(event.kind):
                subscription.position = event.position
                continue
            status, error, latency = _post(subscription, event.pk, _body(body))
            attempt = subscription.failures + 1
            ok = status is not None and 200 <= status < 300
            delivery = WebhookDelivery(subscription=subscription, event=event, attempt=attempt,
                                       attempted_at=timezone.now(), status_code=status, error=error,
                                       latency_ms=latency, succeeded=ok)
            if ok:
                subscription.position, subscription.failures, subscription.next_attempt_at = event.position, 0, None
                delivery.save()
                delivered += 1
                continue
            subscription.failures = attempt
            if attempt >= settings.WEBHOOK_MAX_FAILURES:
                subscription.paused_at = timezone.now()
            else:
                delay = retry_delay(attempt)
                subscription.next_attempt_at = delivery.retry_at = timezone.now() + datetime.timedelta(seconds=delay)
                _enqueue(subscription.pk, countdown=delay)
            delivery.save()
            break
        subscription.save(update_fields=["position", "failures", "next_attempt_at", "paused_at"])
    if len(events) == limit and subscription.failures == 0:
        _enqueue_now(subscription.pk)
    return delivered


def _enqueue_now(subscription_id: int) -> None:
    current_app.tasks[DELIVER_TASK].delay(subscription_id)


def webhook_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivered (or refused) event once more, as it was; the subscription's position does not move."""
    event = ChangeEvent.objects.select_related("institution", "region").get(pk=delivery.event_id)
    subscription = delivery.subscription
    status, error, latency = _post(subscription, event.pk, _body(events_json([event])[0]))
    return WebhookDelivery.objects.create(
        subscription=subscription, event=event, attempt=delivery.attempt + 1, redelivery=True,
        attempted_at=timezone.now(), status_code=status, error=error, latency_ms=latency,
        succeeded=status is not None and 200 <= status < 300)


def publish_changes() -> int:
    """Place the committed events in the feed and start each subscription with something to send; return how many
    events were placed. Run after each commit that recorded changes and every minute by the beat."""
    placed = changes_sequence()
    head = feed_head()
    now = timezone.now()
    waiting = WebhookSubscription.objects.filter(is_active=True, paused_at__isnull=True, position__lt=head).exclude(
        next_attempt_at__gt=now).values_list("pk", flat=True)
    for subscription_id in waiting:
        _enqueue_now(subscription_id)
    return placed
