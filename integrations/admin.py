"""Webhook subscriptions (the city office sets them up, resumes a paused one) and the delivery log (read only; a
delivery can be sent again)."""
from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.roles import Role, has_role
from integrations import services
from integrations.models import WebhookDelivery, WebhookSubscription
from outbox.models import ChangeKind


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https",
                         help_text=_("An http or https address that accepts POST."))
    kinds = forms.MultipleChoiceField(label=_("event kinds"), choices=ChangeKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple, help_text=_("Empty: every kind."))

    class Meta:
        model = WebhookSubscription
        fields = ("client", "name", "url", "kinds", "is_active")


class CityOfficeOnly:
    """The subscriptions hold their signing secrets: the city office's (and a superuser's) pages only."""

    def has_view_permission(self, request, obj=None) -> bool:
        return has_role(request.user, Role.CITY_OFFICE) and super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return has_role(request.user, Role.CITY_OFFICE) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return has_role(request.user, Role.CITY_OFFICE) and super().has_change_permission(request, obj)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(CityOfficeOnly, admin.ModelAdmin):
    list_display = ("name", "client", "url", "is_active", "position", "failures", "paused_at", "next_attempt_at")
    list_filter = ("is_active",)
    list_select_related = ("client",)
    form = WebhookSubscriptionForm
    readonly_fields = ("secret", "position", "failures", "next_attempt_at", "paused_at", "created_at")
    actions = ("resume",)

    def get_fields(self, request, obj=None):
        editable = ("client", "name", "url", "kinds", "is_active")
        return editable if obj is None else (*editable, *self.readonly_fields)  # the secret exists once saved

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.subscription_create(client=obj.client, name=obj.name, url=obj.url, kinds=obj.kinds)
        obj.pk, obj.position, obj.secret = created.pk, created.position, created.secret
        obj._state.adding = False

    @admin.action(description=_("Resume the selected subscriptions"))
    def resume(self, request, queryset) -> None:
        subscriptions = list(queryset.filter(paused_at__isnull=False))
        for subscription in subscriptions:
            services.subscription_resume(subscription=subscription)
        self.message_user(request, ngettext("%(count)d subscription resumed.", "%(count)d subscriptions resumed.",
                                            len(subscriptions)) % {"count": len(subscriptions)}, messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(CityOfficeOnly, admin.ModelAdmin):
    list_display = ("attempted_at", "subscription", "event", "attempt", "status_code", "succeeded", "latency_ms",
                    "redelivery", "retry_at")
    list_filter = ("succeeded", "redelivery", "subscription")
    list_select_related = ("subscription__client", "event")
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    actions = ("redeliver",)
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_redeliver_permission(self, request) -> bool:
        return has_role(request.user, Role.CITY_OFFICE)

    @admin.action(description=_("Deliver the selected events again"), permissions=["redeliver"])
    def redeliver(self, request, queryset) -> None:
        sent = [services.webhook_redeliver(delivery=delivery) for delivery in queryset.select_related("subscription")]
        ok = sum(delivery.succeeded for delivery in sent)
        self.message_user(request, _("%(ok)d of %(total)d delivered again.") % {"ok": ok, "total": len(sent)},
                          messages.SUCCESS if ok == len(sent) else messages.WARNING)
