"""The standards' API, read-only (the reference data is written in the admin): each region's institution cap with
its figures, the findings (every rule broken now), the service figures the industry standards read, and one unit
against every standard.

A district office sees its own region's rows (``accounts.scoping``): another region's cap or figure answers 404, and
its findings are those of its own region.
"""
from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from accounts.api.views import ScopedQuerysetMixin, ScopedReadOnlyViewSet
from accounts.scoping import scope_queryset
from institutions.models import Institution, Region
from standards import selectors
from standards.api.filters import InstitutionCapFilterSet, ServiceFigureFilterSet
from standards.api.serializers import (
    MAX_ID,
    InstitutionCapSerializer,
    InstitutionStandingSerializer,
    ServiceFigureSerializer,
    StandardFindingQuerySerializer,
    StandardFindingSerializer,
)
from standards.models import InstitutionCap, ServiceFigure
from standards.texts import in_rule_order


def with_figures(caps):
    """The caps, each with ``figure``: its ``standards.selectors.CapFigure`` today (one read for them all)."""
    caps = list(caps)
    figures = selectors.region_caps(regions=Region.objects.filter(pk__in={cap.region_id for cap in caps}))
    for cap in caps:
        cap.figure = figures[cap.region_id]
    return caps


class InstitutionCapViewSet(ScopedReadOnlyViewSet):
    """Each region's cap on its public institutions: fixed by a document, or derived from the formula (with the
    derivation's inputs), against the public institutions the region has today."""

    queryset = InstitutionCap.objects.select_related("region", "document")
    serializer_class = InstitutionCapSerializer
    filterset_class = InstitutionCapFilterSet
    search_fields = ("region__name", "region__code")
    ordering_fields = ("region__code",)
    ordering = ("region__code",)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        caps = with_figures(page if page is not None else queryset)
        data = self.get_serializer(caps, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        cap = with_figures([self.get_object()])[0]
        return Response(self.get_serializer(cap).data)


REGION = OpenApiParameter("region", OpenApiTypes.STR, description="A region's id or division code.")
RULE = OpenApiParameter("rule", OpenApiTypes.STR, enum=list(selectors.RULES), description="One rule's findings.")


class StandardFindingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every rule broken now, in the regions the user sees: regions over their caps, units under the division
    average or over the division count, leadership posts over the table, units over or under their industry
    standard. Computed, not stored: the order is the rules', then the region's code."""

    serializer_class = StandardFindingSerializer
    filter_backends: list = []  # the query is checked by StandardFindingQuerySerializer

    def get_queryset(self):  # a computed list: nothing to query (the schema generator asks)
        return Region.objects.none()

    @extend_schema(parameters=[REGION, RULE], responses=StandardFindingSerializer(many=True))
    def list(self, request, *args, **kwargs):
        visible = scope_queryset(Region.objects.all(), request.user)
        query = StandardFindingQuerySerializer(data=request.query_params, regions=visible)
        query.is_valid(raise_exception=True)
        region = query.validated_data.get("region")
        rule = query.validated_data.get("rule")
        rows = selectors.findings(regions=visible.filter(pk=region.pk) if region else visible)
        if rule:
            rows = [row for row in rows if row.rule == rule]
        rows = in_rule_order(rows)
        page = self.paginate_queryset(rows)
        data = StandardFindingSerializer(page if page is not None else rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class ServiceFigureViewSet(ScopedReadOnlyViewSet):
    """What each unit serves in a year (students, beds, residents) and where the number comes from; written in
    the admin."""

    queryset = ServiceFigure.objects.select_related("institution__region")
    serializer_class = ServiceFigureSerializer
    filterset_class = ServiceFigureFilterSet
    search_fields = ("institution__name", "source")
    ordering_fields = ("id", "year", "institution__name", "figure")
    ordering = ("institution__region__code", "institution__name", "-year", "figure")


class InstitutionStandingViewSet(ScopedQuerysetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One unit against every standard, by the same checks as the findings: its own approved quotas; its internal
    divisions (count, average, the table's band for its size, the count before its last reform); its leadership
    posts and each division's against the table; its industry standard, each part with its figure, rule line and
    result; and the rules it breaks. The id is the institution's; another region's unit answers 404."""

    queryset = Institution.objects.select_related("region")
    serializer_class = InstitutionStandingSerializer
    filter_backends: list = []
    lookup_url_kwarg = "institution_id"
    lookup_value_regex = "[0-9]+"

    @extend_schema(parameters=[OpenApiParameter("institution_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                description="The institution's id.")])
    def retrieve(self, request, *args, **kwargs):
        if int(kwargs["institution_id"]) > MAX_ID:  # no such row (and no overflow in the database)
            raise Http404
        return Response(self.get_serializer(selectors.unit_standing(self.get_object())).data)
