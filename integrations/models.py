"""Webhook subscriptions of the integration clients and the log of every delivery attempt."""
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from outbox.models import ChangeKind


def new_secret() -> str:
    return secrets.token_hex(32)


class WebhookSubscription(models.Model):
    """Where an integration client wants the change log's events sent (``url``), signed with ``secret``, and which
    kinds (empty: all). ``position`` is the last feed position handled: delivered, or passed as a kind not asked
    for. Events go out one at a time in feed order; a refused one is retried with growing delays and holds back the
    ones after it, so each unit's events arrive in order. After ``WEBHOOK_MAX_FAILURES`` refusals in a row the
    subscription pauses; resumed, it carries on from ``position``."""

    region_path = None  # the client's own; not a region's

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="webhook_subscriptions", verbose_name=_("integration client"))
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])],
                          help_text=_("An http or https address that accepts POST."))
    secret = models.CharField(_("signing secret"), max_length=64, default=new_secret, editable=False)
    kinds = models.JSONField(_("event kinds"), default=list, blank=True, help_text=_("Empty: every kind."))
    is_active = models.BooleanField(_("active"), default=True)
    position = models.BigIntegerField(_("handled up to feed position"), default=0, editable=False)
    failures = models.PositiveIntegerField(_("refusals in a row"), default=0, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True, editable=False)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ("client__username", "name")

    def __str__(self) -> str:
        return f"{self.client} · {self.name}"

    def clean(self) -> None:
        if not isinstance(self.kinds, list) or any(kind not in ChangeKind.values for kind in self.kinds):
            raise ValidationError({"kinds": _("Choose event kinds from: %(kinds)s.")
                                   % {"kinds": ", ".join(ChangeKind.values)}})

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one subscription: what came back and how long it took."""

    region_path = None

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.PROTECT, related_name="deliveries",
                                     verbose_name=_("subscription"))
    event = models.ForeignKey("outbox.ChangeEvent", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("event"))
    attempt = models.PositiveIntegerField(_("attempt"))
    redelivery = models.BooleanField(_("redelivered by hand"), default=False)
    attempted_at = models.DateTimeField(_("attempted at"))
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    succeeded = models.BooleanField(_("delivered"), default=False)
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ("-attempted_at", "-id")
        indexes = [models.Index(fields=["subscription", "event"], name="delivery_subscription_event")]

    def __str__(self) -> str:
        return f"{self.subscription} #{self.event_id} ({self.attempt})"
