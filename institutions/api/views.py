"""Registry API: list, retrieve, create and update (no delete); every queryset is region-scoped.

An institution's timeline (``/institutions/{id}/timeline/``) reads its life events and lineage.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.api.views import ScopedModelViewSet
from accounts.scoping import home_region
from institutions.api.filters import (
    ApprovalDocumentFilterSet,
    FormerNameSearchFilter,
    InstitutionFilterSet,
    InternalDivisionFilterSet,
    PlaqueFilterSet,
    RegionFilterSet,
)
from institutions.api.serializers import (
    ApprovalDocumentSerializer,
    InstitutionSerializer,
    InstitutionTimelineSerializer,
    InternalDivisionSerializer,
    PlaqueSerializer,
    RegionSerializer,
    with_former_names,
)
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region


class RegionViewSet(ScopedModelViewSet):
    """Regions; only the city office writes them."""

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    search_fields = ("code", "name")
    ordering_fields = ("code", "name", "kind")
    ordering = ("code",)


class InstitutionViewSet(ScopedModelViewSet):
    """Institutions; an existing one's existence fields change only through a reform operation (the serializer
    refuses them), and ``?search=`` also finds a unit by a former name."""

    queryset = with_former_names(Institution.objects.select_related("region", "supervisor", "successor"))
    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilterSet
    filter_backends = [FormerNameSearchFilter if backend is SearchFilter else backend
                       for backend in api_settings.DEFAULT_FILTER_BACKENDS]
    search_fields = ("name", "short_name", "credit_code", "region__code", "region__name")
    ordering_fields = ("id", "name", "credit_code", "region__code", "category", "rank", "status", "established_on")
    ordering = ("region__code", "name", "id")

    @extend_schema(responses=InstitutionTimelineSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        """The unit's life events in date order, and the units it came from and went on in."""
        institution = self.get_object()
        return Response(InstitutionTimelineSerializer(institution, context=self.get_serializer_context()).data)


class InternalDivisionViewSet(ScopedModelViewSet):
    queryset = InternalDivision.objects.select_related("institution__region")
    serializer_class = InternalDivisionSerializer
    filterset_class = InternalDivisionFilterSet
    search_fields = ("name", "institution__name", "institution__credit_code")
    ordering_fields = ("id", "name", "institution__name", "quota_count")
    ordering = ("institution__region__code", "institution__name", "name", "id")


class PlaqueViewSet(ScopedModelViewSet):
    queryset = Plaque.objects.select_related("institution__region", "document")
    serializer_class = PlaqueSerializer
    filterset_class = PlaqueFilterSet
    search_fields = ("name", "institution__name", "institution__credit_code")
    ordering_fields = ("id", "name", "institution__name", "started_on")
    ordering = ("institution__name", "name", "id")


class ApprovalDocumentViewSet(ScopedModelViewSet):
    queryset = ApprovalDocument.objects.select_related("region")
    serializer_class = ApprovalDocumentSerializer
    filterset_class = ApprovalDocumentFilterSet
    search_fields = ("number", "title", "issuer")
    ordering_fields = ("id", "number", "date_issued", "date_effective", "year", "serial")
    ordering = ("-date_issued", "-id")

    def perform_create(self, serializer):
        # A document belongs to its issuing region: by default the office's own (the city level for citywide roles).
        serializer.save(region=serializer.validated_data.get("region") or home_region(self.request.user))
