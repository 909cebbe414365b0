"""Workflow API: hiring plans, quota-use notices and turnover-pool loans with their actions (submit, withdraw,
approve, reject, execute, return), staff movements (入编 / 出编), 人走编收 offers, own and borrowed quotas, and the
monthly change list for the finance bureau.

Thin: every write is a service of ``workflow.hiring`` / ``workflow.loans``. Rows of another region answer 404
(region scoping); a unit of another region in the input is "not a valid choice" (400); the services refuse a
district office's decisions (403) and a move the state machine does not allow (409).
"""
from __future__ import annotations

import datetime
import re

import django_filters
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.views import ScopedCreateReadViewSet, ScopedModelViewSet, ScopedReadOnlyViewSet
from accounts.scoping import scope_queryset
from core.dates import check_date
from core.xlsx import append_row, workbook_response
from institutions.models import Institution
from workflow import hiring, loans
from workflow import states as workflow
from workflow.actions import request_act
from workflow.api.serializers import (
    DecisionSerializer,
    HiringPlanSerializer,
    HoldingSerializer,
    LoanReturnOfferSerializer,
    MonthlyChangeSerializer,
    QuotaUseNoticeSerializer,
    ReturnSerializer,
    StaffMovementSerializer,
    TurnoverLoanSerializer,
)
from workflow.models import HiringPlan, LoanReturnOffer, QuotaUseNotice, RequestEvent, StaffMovement, TurnoverLoan
from workflow.models.hiring import MovementKind
from workflow.models.requests import RequestState
from workflow.selectors import month_movements, monthly_staff_changes, quota_holdings

EVENTS = Prefetch("events", queryset=RequestEvent.objects.select_related("by", "document").order_by("at", "pk"))


class RequestFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RequestState.choices)
    institution = django_filters.NumberFilter(field_name="institution_id")
    region_code = django_filters.CharFilter(field_name="institution__region__code")


class HiringPlanFilterSet(RequestFilterSet):
    year = django_filters.NumberFilter()

    class Meta:
        model = HiringPlan
        fields = ["status", "institution", "region_code", "year"]


class QuotaUseNoticeFilterSet(RequestFilterSet):
    number = django_filters.CharFilter()
    valid_until_before = django_filters.DateFilter(field_name="valid_until", lookup_expr="lte")

    class Meta:
        model = QuotaUseNotice
        fields = ["status", "institution", "region_code", "number", "hiring_plan"]


class TurnoverLoanFilterSet(RequestFilterSet):
    overdue = django_filters.BooleanFilter(field_name="is_overdue")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = TurnoverLoan
        fields = ["status", "institution", "region_code", "pool", "overdue"]


class WorkflowViewSet(ScopedModelViewSet):
    """Create and change drafts, read, and move a request by its actions (POST ``…/{id}/<action>/``)."""

    ordering = ("-created_at", "-id")
    ordering_fields = ("id", "created_at", "status")
    search_fields = ("institution__name", "institution__credit_code")

    def transition(self, request, action_name: str):
        instance = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.act(instance, action_name, data.validated_data)
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data)

    def act(self, instance, action_name: str, values: dict) -> None:
        request_act(instance, action_name, by=self.request.user, document=values.get("document"),
                    reason=values["reason"], day=values.get("date"))

    @extend_schema(request=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the draft to the city office (district or city office)."""
        return self.transition(request, workflow.SUBMIT)

    @extend_schema(request=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a draft or submitted request (district or city office)."""
        return self.transition(request, workflow.WITHDRAW)

    @extend_schema(request=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve with the approval document (city office); the request is carried out in the same transaction."""
        return self.transition(request, workflow.APPROVE)

    @extend_schema(request=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject with a reason (city office)."""
        return self.transition(request, workflow.REJECT)

    @extend_schema(request=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        """Execute (city office): close a plan, close a notice releasing the rest, settle a loan."""
        return self.transition(request, workflow.EXECUTE)


class HiringPlanViewSet(WorkflowViewSet):
    """Annual hiring plans (用编计划) of units, with their lines by quota type and post category."""

    queryset = HiringPlan.objects.select_related(
        "institution__region", "created_by", "decided_by", "document"
    ).prefetch_related(EVENTS, "lines__quota_type")
    serializer_class = HiringPlanSerializer
    filterset_class = HiringPlanFilterSet

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = hiring.hiring_plan_create(
            institution=data["institution"], year=data["year"], lines=data["lines"], by=self.request.user,
            expected_leavers=data.get("expected_leavers", 0), supervisor_opinion=data.get("supervisor_opinion", ""),
            note=data.get("note", ""),
        )

    def perform_update(self, serializer):
        changes = {key: value for key, value in serializer.validated_data.items() if key != "institution"}
        serializer.instance = hiring.hiring_plan_update(plan=serializer.instance, by=self.request.user, **changes)



class QuotaUseNoticeViewSet(WorkflowViewSet):
    """Quota-use requests per hire batch; approved, the numbered notice (核准使用编制通知单) reserving quotas."""

    queryset = QuotaUseNotice.objects.select_related(
        "institution__region", "quota_type", "created_by", "decided_by", "document"
    ).prefetch_related(EVENTS)
    serializer_class = QuotaUseNoticeSerializer
    filterset_class = QuotaUseNoticeFilterSet
    search_fields = ("institution__name", "institution__credit_code", "number")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = hiring.quota_use_notice_create(
            institution=data["institution"], quota_type=data["quota_type"], category=data["category"],
            count=data["count"], hiring_plan=data.get("hiring_plan"), by=self.request.user,
            supervisor_opinion=data.get("supervisor_opinion", ""), note=data.get("note", ""),
        )

    def perform_update(self, serializer):
        changes = {key: value for key, value in serializer.validated_data.items() if key != "institution"}
        serializer.instance = hiring.quota_use_notice_update(notice=serializer.instance, by=self.request.user,
                                                             **changes)



class TurnoverLoanViewSet(WorkflowViewSet):
    """Turnover-pool loans (周转池借用): request, approval through the ledger, returns, overdue flag."""

    queryset = TurnoverLoan.objects.select_related(
        "institution__region", "pool__region", "pool__quota_type", "case", "created_by", "decided_by", "document"
    ).prefetch_related(EVENTS, "returns")
    serializer_class = TurnoverLoanSerializer
    filterset_class = TurnoverLoanFilterSet
    ordering_fields = ("id", "created_at", "status", "due_date")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = loans.turnover_loan_create(
            institution=data["institution"], pool=data["pool"], count=data["count"],
            talent_category=data["talent_category"], case=data["case"], term_months=data["term_months"],
            return_plan=data["return_plan"], justification=data.get("justification", ""), by=self.request.user,
        )

    def perform_update(self, serializer):
        changes = {key: value for key, value in serializer.validated_data.items() if key != "institution"}
        serializer.instance = loans.turnover_loan_update(loan=serializer.instance, by=self.request.user, **changes)


    @extend_schema(request=ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_quotas(self, request, pk=None):
        """Return borrowed quotas to the pool, early or in part (city office), through the ledger."""
        loan = self.get_object()
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("document") is None:
            raise serializers.ValidationError({"document": [_("Every move of quotas needs its approval document.")]})
        loans.turnover_loan_return(loan=loan, count=values["count"], by=request.user, document=values["document"],
                                   on=values.get("date"))
        return Response(self.get_serializer(self.get_queryset().get(pk=loan.pk)).data)

    @extend_schema(
        responses=HoldingSerializer(many=True),
        parameters=[OpenApiParameter("all", OpenApiTypes.BOOL,
                                     description="Every unit seen, not only those owing a pool.")],
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def holdings(self, request):
        """Each unit's quotas with its own and borrowed apart (own = balance − borrowed not yet returned)."""
        visible = scope_queryset(Institution.objects.all(), request.user)
        everyone = request.query_params.get("all") in ("1", "true", "yes")
        rows = quota_holdings(visible, borrowers_only=not everyone)
        return Response(HoldingSerializer(
            [{**row.__dict__, "own": row.own} for row in rows], many=True).data)


class StaffMovementFilterSet(django_filters.FilterSet):
    institution = django_filters.NumberFilter(field_name="institution_id")
    kind = django_filters.ChoiceFilter(choices=MovementKind.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = StaffMovement
        fields = ["institution", "kind", "notice", "reason"]


class StaffMovementViewSet(ScopedCreateReadViewSet):
    """Entries onto (入编: against a quota-use notice) and exits from (出编) the quota; each writes the unit's staff
    count as of its date. Never edited: record the opposite movement."""

    queryset = StaffMovement.objects.select_related("institution__region", "notice", "created_by")
    serializer_class = StaffMovementSerializer
    filterset_class = StaffMovementFilterSet
    ordering = ("-date", "-id")
    ordering_fields = ("id", "date")
    search_fields = ("institution__name", "person_name", "notice__number")

    def perform_create(self, serializer):
        data = serializer.validated_data
        common = {"by": self.request.user, "on": data.get("date"), "count": data.get("count", 1),
                  "band": data.get("band", ""), "reason": data["reason"], "person_name": data.get("person_name", ""),
                  "note": data.get("note", "")}
        if data["kind"] == MovementKind.ENTRY:
            serializer.instance = hiring.staff_entry_record(notice=data["notice"], **common)
        else:
            serializer.instance = hiring.staff_exit_record(institution=data["institution"],
                                                           category=data["category"], **common)


class LoanReturnOfferViewSet(ScopedReadOnlyViewSet):
    """人走编收: a borrowing unit's exit offers the return of pool quotas; the city office accepts or declines."""

    queryset = LoanReturnOffer.objects.select_related("loan__institution__region", "movement", "decided_by")
    serializer_class = LoanReturnOfferSerializer
    filterset_fields = ("state", "loan")
    ordering = ("-created_at", "-id")
    ordering_fields = ("id", "created_at")

    @extend_schema(request=DecisionSerializer, responses=LoanReturnOfferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept: post the return of the offered quotas to the pool (needs the document)."""
        offer = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("document") is None:
            raise serializers.ValidationError({"document": [_("Every move of quotas needs its approval document.")]})
        offer = loans.loan_return_offer_accept(offer=offer, by=request.user, document=data.validated_data["document"],
                                               on=data.validated_data.get("date"))
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data)

    @extend_schema(request=DecisionSerializer, responses=LoanReturnOfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline with a reason: the unit keeps the quota against its loan."""
        offer = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer = loans.loan_return_offer_decline(offer=offer, by=request.user, reason=data.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data)


MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")


class StaffChangeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The monthly change list for the finance bureau: entries and exits per unit in a month (``?month=YYYY-MM``;
    ``&export=xlsx`` for a workbook with the units and each movement)."""

    serializer_class = MonthlyChangeSerializer
    pagination_class = None
    filter_backends: list = []
    queryset = StaffMovement.objects.none()

    @extend_schema(parameters=[
        OpenApiParameter("month", OpenApiTypes.STR, required=True, description="YYYY-MM"),
        OpenApiParameter("export", OpenApiTypes.STR, enum=["xlsx"], description="xlsx: download a workbook"),
    ])
    def list(self, request, *args, **kwargs):
        match = MONTH.match(request.query_params.get("month", ""))
        if not match:
            raise serializers.ValidationError({"month": [_("Give the month as YYYY-MM.")]})
        year, month = int(match["year"]), int(match["month"])
        check_date(datetime.date(year, month, 1), field="month")  # the calendar's bounds, as for every date
        visible = scope_queryset(Institution.objects.all(), request.user)
        rows = monthly_staff_changes(year, month, visible)
        if request.query_params.get("export") == "xlsx":
            return staff_changes_xlsx(year, month, rows, month_movements(year, month, visible))
        return Response(MonthlyChangeSerializer([{**row.__dict__, "net": row.net} for row in rows], many=True).data)


def staff_changes_xlsx(year: int, month: int, rows, movements) -> HttpResponse:
    from openpyxl import Workbook

    from institutions.choices import FundingForm
    from workflow.models.hiring import EXIT_REASONS, MovementReason

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Changes by unit")
    append_row(sheet, [_("Month"), f"{year}-{month:02d}"])
    append_row(sheet, [_("Division code"), _("Region"), _("Unit"), _("Credit code"), _("Funding form"), _("Entries"),
                       _("Exits"), *[str(MovementReason(reason).label) for reason in EXIT_REASONS], _("Net change")],
               bold=True)
    for row in rows:
        append_row(sheet, [row.region_code, row.region_name, row.institution_name, row.credit_code,
                           str(FundingForm(row.funding_form).label), row.entries, row.exits,
                           *[row.exits_by_reason[str(reason)] for reason in EXIT_REASONS], row.net])
    detail = workbook.create_sheet(_("Movements"))
    append_row(detail, [_("Date"), _("Unit"), _("Kind"), _("Reason"), _("Post category"), _("People"), _("Name"),
                        _("Notice number")], bold=True)
    for movement in movements:
        append_row(detail, [movement.date, movement.institution.name, str(movement.get_kind_display()),
                            str(movement.get_reason_display()), str(movement.get_category_display()), movement.count,
                            movement.person_name, movement.notice.number if movement.notice else ""])
    return workbook_response(workbook, f"staff-changes-{year}-{month:02d}.xlsx")
