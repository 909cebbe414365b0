"""Serializers of the change feed and the webhook subscriptions."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer
from integrations.models import WebhookSubscription
from outbox.models import ChangeKind

MAX_POSITION = 2**63 - 1


class ChangeQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, max_value=MAX_POSITION, default=0,
                                     help_text=_("The cursor: the last position already read (0: from the start)."))
    page_size = serializers.IntegerField(min_value=1, max_value=1000, default=100)
    kind = serializers.MultipleChoiceField(choices=ChangeKind.choices, required=False)
    institution = serializers.IntegerField(min_value=1, max_value=MAX_POSITION, required=False)


class ChangeUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    credit_code = serializers.CharField(allow_null=True, help_text=_("Null for a unit registered without one."))
    name = serializers.CharField()


class ChangeRegionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    """One event (``integrations.feed.event_json``: the same JSON a webhook carries)."""

    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    occurred_at = serializers.DateTimeField()
    institution = ChangeUnitSerializer(allow_null=True)
    region = ChangeRegionSerializer(allow_null=True)
    data = serializers.DictField(help_text=_("The figures after the change; their fields depend on the kind."))


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    cursor = serializers.IntegerField(help_text=_("Pass as ?after= to read on (the last position of this page)."))
    head = serializers.IntegerField(help_text=_("The feed's last position when this page was read."))
    next = serializers.CharField(allow_null=True)


class WebhookSubscriptionSerializer(ValidatedModelSerializer):
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=ChangeKind.choices), required=False,
                                  max_length=len(ChangeKind.values))

    class Meta:
        model = WebhookSubscription
        fields = ("id", "client", "name", "url", "kinds", "is_active", "secret", "position", "failures",
                  "next_attempt_at", "paused_at", "created_at")
        read_only_fields = ("client", "secret", "position", "failures", "next_attempt_at", "paused_at",
                            "created_at")

    def validate(self, attrs):
        if self.instance is None:  # a new subscription is the requesting client's: checked as such, then dropped
            attrs = super().validate({**attrs, "client": self.context["request"].user})
            attrs.pop("client")
            return attrs
        return super().validate(attrs)
