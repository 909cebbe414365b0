"""The change feed (``/api/v1/changes/``) and the webhook subscriptions of the integration clients.

The feed reads the change log in its positions after a cursor: the same events whatever the page size and whenever
they are read. A district office reads its own region's events. A subscription belongs to its client: a client
sees and changes its own; the city office all of them.
"""
from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.views import ScopedModelViewSet
from accounts.roles import Role, has_role
from accounts.scoping import scope_queryset
from integrations import services
from integrations.api.serializers import (
    ChangePageSerializer,
    ChangeQuerySerializer,
    WebhookSubscriptionSerializer,
)
from integrations.feed import events_json
from integrations.models import WebhookSubscription
from outbox.models import ChangeEvent
from outbox.selectors import changes_after, feed_head


class PageSchema(AutoSchema):
    """The feed's list answers one page object (results, cursor, head), not an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class ChangeViewSet(viewsets.ViewSet):
    """Every change that matters to the finance system, in order: read from ``after`` (the last position you
    handled), ``page_size`` at a time, until ``cursor`` equals ``head``."""

    schema = PageSchema()

    @extend_schema(parameters=[ChangeQuerySerializer], responses=ChangePageSerializer)
    def list(self, request):
        query = ChangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, size = query.validated_data["after"], query.validated_data["page_size"]
        head = feed_head()  # read first: the page never goes past it, so cursor ≤ head holds
        events = scope_queryset(ChangeEvent.objects.all(), request.user).filter(position__lte=head)
        if query.validated_data.get("kind"):
            events = events.filter(kind__in=query.validated_data["kind"])
        if query.validated_data.get("institution"):
            events = events.filter(institution_id=query.validated_data["institution"])
        page = list(changes_after(after, queryset=events).select_related("institution", "region")[:size])
        # A full page ends at its last event; a short one has read everything up to the head, which the scope
        # or the filters may have passed over, so the cursor moves to the head.
        more = len(page) == size
        cursor = page[-1].position if more else max(after, head)
        url = request.build_absolute_uri(request.path) + f"?after={cursor}&page_size={size}" if more else None
        return Response({"results": events_json(page), "cursor": cursor, "head": head, "next": url})


class WebhookSubscriptionViewSet(ScopedModelViewSet):
    """An integration client's webhooks: where to send which events. The signing secret is shown to its client.
    Not deleted: set ``is_active`` false. ``resume``: a paused subscription carries on where it stopped."""

    queryset = WebhookSubscription.objects.select_related("client")
    serializer_class = WebhookSubscriptionSerializer
    ordering = ("id",)

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if has_role(self.request.user, Role.CITY_OFFICE) else queryset.filter(
            client=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.subscription_create(client=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.subscription_update(subscription=serializer.instance,
                                                           **serializer.validated_data)

    @extend_schema(request=None, responses=WebhookSubscriptionSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        subscription = services.subscription_resume(subscription=self.get_object())
        return Response(self.get_serializer(subscription).data)
