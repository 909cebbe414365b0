"""Reform API: plans (drafted by a district office in its region or by the city office, decided and executed by the
city office) and their operations, and the preview of what a plan would do.

Thin: every write is a service of ``reforms.services``. Rows of another region answer 404 (region scoping); the
services refuse a plan in another region or a district office's decision (403), a move the state machine does not
allow or a change of a plan no longer a draft (409), and a plan with problems (400, naming each).
"""
from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.views import ScopedModelViewSet
from reforms import services
from reforms.api.serializers import (
    ApproveSerializer,
    PreviewSerializer,
    ReasonSerializer,
    ReformOperationSerializer,
    ReformPlanSerializer,
    RejectSerializer,
)
from reforms.models import OperationKind, ReformOperation, ReformPlan
from workflow.models import RequestEvent
from workflow.models.requests import RequestState

EVENTS = Prefetch("events", queryset=RequestEvent.objects.select_related("by", "document").order_by("at", "pk"))
OPERATION_RELATIONS = ("plan", "institution", "quota_type", "new_region", "new_supervisor")
OPERATION_PREFETCH = ("sources", "placements__to_institution", "parts")


class ReformPlanFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RequestState.choices)
    region_code = django_filters.CharFilter(field_name="region__code")
    effective_from = django_filters.DateFilter(field_name="effective_date", lookup_expr="gte")
    effective_to = django_filters.DateFilter(field_name="effective_date", lookup_expr="lte")

    class Meta:
        model = ReformPlan
        fields = ["status", "region_code", "effective_from", "effective_to"]


class ReformOperationFilterSet(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id")
    kind = django_filters.ChoiceFilter(choices=OperationKind.choices)

    class Meta:
        model = ReformOperation
        fields = ["plan", "kind"]


def _changes(serializer, *, without: tuple[str, ...]) -> dict:
    return {name: value for name, value in serializer.validated_data.items() if name not in without}


class ReformPlanViewSet(ScopedModelViewSet):
    """Reform plans (改革方案): drafts, their decision (POST ``…/{id}/<action>/``) and their preview."""

    queryset = ReformPlan.objects.select_related("region", "created_by", "decided_by", "document").prefetch_related(
        EVENTS, Prefetch("operations", queryset=ReformOperation.objects.select_related(*OPERATION_RELATIONS)
                         .prefetch_related(*OPERATION_PREFETCH)))
    serializer_class = ReformPlanSerializer
    filterset_class = ReformPlanFilterSet
    ordering = ("-effective_date", "-id")
    ordering_fields = ("id", "effective_date", "created_at", "status")
    search_fields = ("title",)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.reform_plan_create(
            by=self.request.user, region=data["region"], title=data["title"], effective_date=data["effective_date"],
            description=data.get("description", ""))

    def perform_update(self, serializer):
        serializer.instance = services.reform_plan_update(plan=serializer.instance, by=self.request.user,
                                                          **_changes(serializer, without=("region",)))

    def answer(self, plan: ReformPlan) -> Response:
        """The plan as it is now (state, decision, history)."""
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)

    def inputs(self, serializer_class) -> dict:
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the draft to the city office; refused (400) while the preview names a problem."""
        plan = self.get_object()
        return self.answer(services.reform_plan_submit(plan=plan, by=request.user))

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a draft or submitted plan (the district office of its region or the city office)."""
        plan = self.get_object()
        values = self.inputs(ReasonSerializer)
        return self.answer(services.reform_plan_withdraw(plan=plan, by=request.user, reason=values["reason"]))

    @extend_schema(request=ApproveSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve with the plan's approval document (city office); the plan is checked again first."""
        plan = self.get_object()
        values = self.inputs(ApproveSerializer)
        return self.answer(services.reform_plan_approve(plan=plan, by=request.user, document=values["document"],
                                                        note=values["note"]))

    @extend_schema(request=RejectSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject with a reason (city office)."""
        plan = self.get_object()
        values = self.inputs(RejectSerializer)
        return self.answer(services.reform_plan_reject(plan=plan, by=request.user, reason=values["reason"],
                                                       document=values.get("document")))

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        """Carry out every operation in one transaction under the approval document (city office); once only."""
        plan = self.get_object()
        values = self.inputs(ReasonSerializer)
        return self.answer(services.reform_plan_execute(plan=plan, by=request.user, reason=values["reason"]))

    @extend_schema(request=None, responses=ReformPlanSerializer)
    @action(detail=True, methods=["post"], url_path="to-standard")
    def to_standard(self, request, pk=None):
        """核定: add to the draft an adjustment to its industry standard for each unit of the plan's region outside
        it (the surplus cancelled; the reason says how the standard was worked out)."""
        plan = self.get_object()
        services.reform_operations_to_standard(plan=plan, by=request.user)
        return self.answer(plan)

    @extend_schema(responses=PreviewSerializer)
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        """What the plan would do on its date, nothing written: units and regions before and after, problems."""
        plan = self.get_object()
        return Response(PreviewSerializer(services.reform_plan_preview(plan)).data)


class ReformOperationViewSet(ScopedModelViewSet):
    """The operations of reform plans: added, changed and removed while their plan is a draft."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    queryset = ReformOperation.objects.select_related("plan__region", *OPERATION_RELATIONS[1:]).prefetch_related(
        *OPERATION_PREFETCH)
    serializer_class = ReformOperationSerializer
    filterset_class = ReformOperationFilterSet
    ordering = ("plan", "position", "id")
    ordering_fields = ("id", "position")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        plan, sources, placements = data.pop("plan"), data.pop("sources", None), data.pop("placements", None)
        parts = data.pop("parts", None)
        serializer.instance = services.reform_operation_save(plan=plan, by=self.request.user, sources=sources,
                                                             placements=placements, parts=parts, **data)

    def perform_update(self, serializer):
        operation = serializer.instance
        data = _changes(serializer, without=("plan",))
        sources, placements = data.pop("sources", None), data.pop("placements", None)
        parts = data.pop("parts", None)
        serializer.instance = services.reform_operation_save(
            plan=operation.plan, by=self.request.user, operation=operation, sources=sources, placements=placements,
            parts=parts, **data)

    def perform_destroy(self, instance):
        services.reform_operation_remove(operation=instance, by=self.request.user)
