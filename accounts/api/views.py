"""Base API views: every queryset goes through region scoping; JSON 404 for unknown paths."""
from __future__ import annotations

from rest_framework import mixins, viewsets

from accounts.scoping import scope_queryset


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


