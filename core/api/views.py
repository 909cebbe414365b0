"""Base API views: every queryset goes through region scoping; JSON 404 for unknown paths."""
from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.scoping import scope_queryset


class ScopedQuerysetMixin:
    """Narrow ``get_queryset()`` to what the requesting user may see (a foreign row answers 404)."""

    def get_queryset(self):
        return scope_queryset(super().get_queryset(), self.request.user)


class ScopedModelViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """List, retrieve, create and update; no delete unless a subclass allows it."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ScopedReadOnlyViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedCreateReadViewSet(
    ScopedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """List, retrieve and create only (for append-only records)."""


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def api_not_found(request, *args, **kwargs):
    return Response({"message": _("No such API path."), "errors": {}}, status=404)
