"""Zero-based allocation API: indicators, scenarios and their actions (compute, compare, stress-test, approve,
apply, copy) and results."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.views import ScopedModelViewSet
from accounts.scoping import scope_queryset
from allocation import services as allocation
from allocation.exports import scenario_results_xlsx
from allocation.models import AllocationScenario, RegionIndicator, ScenarioArea, ScenarioResult
from core.api.serializers import ValidatedModelSerializer
from core.dates import parse_date
from institutions.models import ApprovalDocument, Region
from quotas.api.serializers import QuotaTransferSerializer
from quotas.models import QuotaType


class RegionIndicatorSerializer(ValidatedModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    indicator_display = serializers.CharField(source="get_indicator_display", read_only=True)

    class Meta:
        model = RegionIndicator
        fields = ["id", "region", "region_code", "year", "indicator", "indicator_display", "value", "source_note"]


class RegionIndicatorViewSet(ScopedModelViewSet):
    queryset = RegionIndicator.objects.select_related("region")
    serializer_class = RegionIndicatorSerializer
    filterset_fields = ["region", "year", "indicator", "region__code"]
    ordering_fields = ["region__code", "year", "indicator"]
    ordering = ["region__code", "year", "indicator"]

    def perform_create(self, serializer):
        serializer.instance = allocation.region_indicator_save(
            indicator=RegionIndicator(**serializer.validated_data), by=self.request.user)

    def perform_update(self, serializer):
        indicator = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(indicator, name, value)
        allocation.region_indicator_save(indicator=indicator, by=self.request.user)


class ScenarioResultSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = ScenarioResult
        fields = ["region", "region_code", "region_name", "fixed_reserve", "reserve_overridden", "shares", "score",
                  "ideal", "allocated", "result", "bound", "controlled", "usable", "current", "difference",
                  "explanation"]


class ScenarioResultsSerializer(serializers.Serializer):
    """The answer of ``results``: the scenario's state and each area's figures (not paginated)."""

    status = serializers.CharField()
    stale = serializers.BooleanField()
    results = ScenarioResultSerializer(many=True)


class ScenarioAreaSerializer(serializers.ModelSerializer):
    """An area's settings; written through ``allocation.scenario_area_save``, whose ``full_clean`` validates them
    (the scenario comes from the URL, so model validation cannot run here)."""

    class Meta:
        model = ScenarioArea
        fields = ["id", "region", "floor", "cap", "reserve_override", "reserve_reason", "controlled_share",
                  "controlled_count"]
        read_only_fields = ["id"]
        validators: list = []  # one area per scenario and region: the service updates the existing one


class AllocationScenarioSerializer(ValidatedModelSerializer):
    quota_type = serializers.SlugRelatedField(slug_field="code", queryset=QuotaType.objects.all())
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    areas = ScenarioAreaSerializer(many=True, read_only=True)

    class Meta:
        model = AllocationScenario
        fields = ["id", "name", "scope_region", "quota_type", "province_total", "indicator_year", "fiscal_years",
                  "weight_population", "weight_area", "weight_gdp", "weight_fiscal", "method",
                  "county_controlled_share", "reserves_from", "status", "status_display", "input_hash", "last_error",
                  "computed_at",
                  "approved_by", "approved_at", "applied_document", "applied_at", "copied_from", "created_at",
                  "areas"]
        read_only_fields = ["status", "input_hash", "last_error", "computed_at", "approved_by", "approved_at",
                            "applied_document", "applied_at", "copied_from", "created_at"]


class ApplySerializer(serializers.Serializer):
    document = serializers.PrimaryKeyRelatedField(queryset=ApprovalDocument.objects.all(), error_messages={
        "required": gettext_lazy("Every move of quotas needs its approval document.")})
    effective_date = serializers.DateField()


class AllocationScenarioViewSet(ScopedModelViewSet):
    """Scenarios: create and edit (a change marks it stale and recomputes in the background), then act on it."""

    queryset = AllocationScenario.objects.select_related("scope_region", "quota_type").prefetch_related("areas")
    serializer_class = AllocationScenarioSerializer
    filterset_fields = ["status", "scope_region", "method"]
    search_fields = ["name"]
    ordering_fields = ["created_at", "name", "id"]
    ordering = ["-id"]

    def perform_create(self, serializer):
        serializer.instance = allocation.scenario_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = allocation.scenario_update(scenario=serializer.instance, by=self.request.user,
                                                         **serializer.validated_data)

    @extend_schema(request=None, responses={202: AllocationScenarioSerializer})
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        """Enqueue a recomputation (idempotent: unchanged inputs leave the results as they are)."""
        scenario = self.get_object()
        with transaction.atomic():
            marked = allocation.scenarios_mark_stale(AllocationScenario.objects.filter(pk=scenario.pk))
            if not marked and not scenario.is_frozen:
                allocation.enqueue([scenario.pk])
        scenario.refresh_from_db()
        return Response(self.get_serializer(scenario).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[OpenApiParameter("export", OpenApiTypes.STR, enum=["xlsx"])],
                   responses={200: ScenarioResultsSerializer})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Each area's figures with their explanation; ``?export=xlsx`` downloads them."""
        scenario = self.get_object()
        rows = scenario.results.select_related("region").order_by("region__code")
        if request.query_params.get("export") == "xlsx":
            return scenario_results_xlsx(scenario, rows)
        return Response({"status": scenario.status, "stale": scenario.status != "computed" and not scenario.is_frozen,
                         "results": ScenarioResultSerializer(rows, many=True).data})

    @extend_schema(request=ScenarioAreaSerializer, responses={200: ScenarioAreaSerializer})
    @action(detail=True, methods=["post"])
    def areas(self, request, pk=None):
        """Set one area's floor, cap, fixed-reserve override (with its reason) or controlled-use rule."""
        scenario = self.get_object()
        data = ScenarioAreaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        region = fields.pop("region")
        get_object_or_404(scope_queryset(Region.objects.all(), request.user), pk=region.pk)
        area = allocation.scenario_area_save(scenario=scenario, region=region, by=request.user, **fields)
        return Response(ScenarioAreaSerializer(area).data)

    @extend_schema(parameters=[OpenApiParameter("ids", OpenApiTypes.STR, required=True,
                                                description="Two or more scenario ids, comma-separated"),
                               OpenApiParameter("on", OpenApiTypes.DATE,
                                                description="Date of the current holdings (default today)")],
                   responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"])
    def compare(self, request):
        """Two or more scenarios side by side, per area, beside each area's holdings on ``on`` from the ledger."""
        raw = request.query_params.get("ids", "")
        try:
            ids = [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            ids = []
        if len(set(ids)) < 2:
            raise serializers.ValidationError({"ids": [_("Give two or more scenario ids, e.g. ids=3,5.")]})
        scenarios = list(self.get_queryset().filter(pk__in=ids))
        if len(scenarios) != len(set(ids)):
            raise serializers.ValidationError({"ids": [_("Some of these scenarios do not exist.")]})
        try:
            on = parse_date(request.query_params.get("on")) or timezone.localdate()
        except DjangoValidationError as error:
            raise serializers.ValidationError({"on": error.messages}) from error
        return Response({"holdings_on": on.isoformat(),
                         "scenarios": [{"id": s.pk, "name": s.name, "status": s.status} for s in scenarios],
                         "areas": allocation.scenarios_compare(scenarios, on=on)})

    @extend_schema(parameters=[OpenApiParameter("points", OpenApiTypes.NUMBER, description="default 5")],
                   responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="stress-test")
    def stress_test(self, request, pk=None):
        """Each area's minimum and maximum result with every weight moved ± points and every method."""
        scenario = self.get_object()
        try:
            points = Decimal(request.query_params.get("points", "5"))
        except InvalidOperation:
            points = Decimal(-1)
        if not points.is_finite() or not 0 < points <= 50:
            raise serializers.ValidationError({"points": [_("Give a number of percentage points between 0 and 50.")]})
        try:
            report = allocation.scenario_stress_test(scenario=scenario, points=points)
        except ValueError as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error
        return Response(report)

    @extend_schema(request=None, responses={200: AllocationScenarioSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        scenario = allocation.scenario_approve(scenario=self.get_object(), by=request.user)
        return Response(self.get_serializer(scenario).data)

    @extend_schema(request=ApplySerializer, responses={200: QuotaTransferSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Post the ledger transfers that bring each area to its result (applying twice posts nothing)."""
        scenario = self.get_object()
        data = ApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transfers = allocation.scenario_apply(scenario=scenario, by=request.user, **data.validated_data)
        return Response({"transfers": QuotaTransferSerializer(transfers, many=True).data})

    @extend_schema(request=None, responses={201: AllocationScenarioSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """A new draft with the same inputs (the way to change a frozen scenario)."""
        copy = allocation.scenario_copy(scenario=self.get_object(), by=request.user)
        return Response(self.get_serializer(copy).data, status=status.HTTP_201_CREATED)
