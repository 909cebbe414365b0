"""Positions API: plans and staff counts (written through the services), the reconciliation, direction notices."""
from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from import_export.formats.base_formats import XLSX
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.views import ScopedCreateReadViewSet, ScopedModelViewSet, ScopedQuerysetMixin, ScopedReadOnlyViewSet
from core.dates import query_date
from core.roles import Role
from core.scoping import scope_queryset
from institutions.models import Institution
from institutions.resources import row_problems
from positions import notices, services
from positions.api.filters import (
    PositionNoticeFilterSet,
    PositionPlanFilterSet,
    ReconciliationFilterSet,
    StaffCountFilterSet,
)
from positions.api.serializers import (
    ImportSerializer,
    NoticeIssueSerializer,
    PositionNoticeSerializer,
    PositionPlanSerializer,
    PositionRuleSetSerializer,
    ReconciliationRowSerializer,
    StaffCountSerializer,
)
from positions.choices import MainPostType
from positions.models import PositionDirectionNotice, PositionPlan, PositionRuleSet, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.models.staff import STAFF_COUNT_FIELDS
from positions.resources import PositionPlanResource, StaffCountResource
from positions.selectors import reconciliation, reconciliation_rows, reconciliation_values

HR_WRITERS = (Role.HR_BUREAU, Role.CITY_OFFICE)


def parse_on(request) -> datetime.date | None:
    """``?on=YYYY-MM-DD``: the date of the figures (absent: today, with stored balances)."""
    return query_date(request.query_params, "on")


class ImportActionMixin:
    """``POST …/import/`` with an .xlsx file: every row imported, or none and each bad row reported (400)."""

    resource_class = None

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_xlsx(self, request):
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            dataset = XLSX().create_dataset(data.validated_data["file"].read())
        except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not xlsx
            raise serializers.ValidationError({"file": [_("Not a readable .xlsx file.")]}) from exc
        resource = self.resource_class(user=request.user)
        result = resource.import_data(dataset, dry_run=data.validated_data["dry_run"], user=request.user)
        problems = row_problems(result)
        if problems:
            return Response(
                {
                    "message": _("The file has rows with errors; nothing was imported."),
                    "errors": {
                        f"row {problem.row}" + (f" · {problem.column}" if problem.column else ""): [problem.message]
                        for problem in problems
                    },
                    "rows": [problem.__dict__ for problem in problems],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        totals = result.totals
        return Response({"new": totals["new"], "update": totals["update"], "skip": totals["skip"],
                         "dry_run": data.validated_data["dry_run"]})


class PositionPlanViewSet(ImportActionMixin, ScopedModelViewSet):
    """Position plans: HR and the city office enter them; a plan breaking a binding rule is refused (400),
    others are saved with their findings listed."""

    queryset = PositionPlan.objects.select_related("institution__region", "document", "rule_set", "entered_by")
    serializer_class = PositionPlanSerializer
    filterset_class = PositionPlanFilterSet
    search_fields = ("institution__name", "institution__credit_code", "document__number")
    ordering_fields = ("id", "effective_date", "version", "total", "institution__name")
    ordering = ("institution__region__code", "institution__name", "-effective_date")
    write_roles = HR_WRITERS
    resource_class = PositionPlanResource

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.position_plan_create(
            institution=data["institution"], by=self.request.user, effective_date=data["effective_date"],
            document=data["document"], main_post_type=data.get("main_post_type", MainPostType.PROFESSIONAL_SERVICE),
            rule_set=data.get("rule_set"), note=data.get("note", ""),
            counts={name: data.get(name, 0) for name in PLAN_COUNT_FIELDS},
        )

    def perform_update(self, serializer):
        changes = {key: value for key, value in serializer.validated_data.items() if key != "institution"}
        serializer.instance = services.position_plan_update(plan=serializer.instance, by=self.request.user,
                                                            **changes)


class StaffCountViewSet(ImportActionMixin, ScopedModelViewSet):
    """Staff in quota by category and band, per unit and date; the latest feeds the ledger's reclamation."""

    queryset = StaffCount.objects.select_related("institution__region", "entered_by")
    serializer_class = StaffCountSerializer
    filterset_class = StaffCountFilterSet
    search_fields = ("institution__name", "institution__credit_code")
    ordering_fields = ("id", "as_of", "total", "institution__name")
    ordering = ("institution__region__code", "institution__name", "-as_of")
    write_roles = HR_WRITERS
    resource_class = StaffCountResource

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.staff_count_record(
            institution=data["institution"], by=self.request.user, as_of=data["as_of"], note=data.get("note", ""),
            counts={name: data.get(name, 0) for name in STAFF_COUNT_FIELDS},
        )

    def perform_update(self, serializer):
        changes = {key: value for key, value in serializer.validated_data.items() if key != "institution"}
        serializer.instance = services.staff_count_update(staff_count=serializer.instance, by=self.request.user,
                                                          **changes)


class PositionRuleSetViewSet(ScopedReadOnlyViewSet):
    """The rule sets plans are checked against (edited in the admin)."""

    queryset = PositionRuleSet.objects.prefetch_related("rules")
    serializer_class = PositionRuleSetSerializer
    pagination_class = None
    filter_backends: list = []


ON = OpenApiParameter("on", OpenApiTypes.DATE, description="Figures at the end of this date (default: today).")


class ReconciliationViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            viewsets.GenericViewSet):
    """Approved quotas, posts and staff side by side per public institution, with each unit's direction.

    One SQL query per page whatever its size (plus the count). ``?flag=`` filters on the computed figures.
    The id is the institution's.
    """

    queryset = Institution.objects.all()
    serializer_class = ReconciliationRowSerializer
    filterset_class = ReconciliationFilterSet
    search_fields = ("name", "credit_code")
    ordering_fields = ("name", "region__code", "approved", "staff_total", "vacant", "over_quota")
    ordering = ("region__code", "name")

    def get_queryset(self):
        return reconciliation(on=parse_on(self.request), institutions=super().get_queryset())

    @extend_schema(parameters=[ON])
    def list(self, request, *args, **kwargs):
        queryset = reconciliation_values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        rows = reconciliation_rows(page if page is not None else queryset)
        data = ReconciliationRowSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(parameters=[ON])
    def retrieve(self, request, *args, **kwargs):
        queryset = reconciliation_values(self.get_queryset().filter(pk=kwargs["pk"]))
        rows = reconciliation_rows(queryset)
        if not rows:
            raise Http404
        return Response(ReconciliationRowSerializer(rows[0]).data)


class PositionNoticeViewSet(ScopedCreateReadViewSet):
    """Quota-use direction notices (用编方向通知): the city office issues them; everyone with a role reads them.

    POST ``{"institution": id, "document": id}`` issues one unit's notice; ``{"supervisor": id, …}`` issues the
    department's batch notice and a notice for each of its units (answering with the department notice).
    """

    queryset = PositionDirectionNotice.objects.select_related(
        "institution__region", "supervisor__region", "document", "batch", "issued_by"
    )
    serializer_class = PositionNoticeSerializer
    filterset_class = PositionNoticeFilterSet
    search_fields = ("number", "institution__name", "supervisor__name")
    ordering_fields = ("id", "issued_on", "number")
    ordering = ("-issued_on", "-id")
    write_roles = (Role.CITY_OFFICE,)

    @extend_schema(request=NoticeIssueSerializer, responses={201: PositionNoticeSerializer})
    def create(self, request, *args, **kwargs):
        visible = scope_queryset(Institution.objects.all(), request.user)
        data = NoticeIssueSerializer(data=request.data, institutions=visible)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        common = {"by": request.user, "document": values["document"], "issued_on": values.get("issued_on"),
                  "on": values.get("on")}
        if values.get("institution"):
            notice = services.position_notice_issue(institution=values["institution"], **common)
        else:
            notice = services.position_notices_issue_for_department(
                supervisor=values["supervisor"], institutions=visible, **common
            )
        return Response(PositionNoticeSerializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, notices.DOCX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        """The notice as a Word document."""
        return notices.docx_response(self.get_object())

    @extend_schema(responses={(200, "text/html"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def html(self, request, pk=None):
        """The notice as a printable HTML page."""
        notice = self.get_object()
        html = render_to_string("positions/notice.html", {"notice": notice, "doc": notices.notice_context(notice)},
                                request=request)
        return HttpResponse(html, content_type="text/html; charset=utf-8")
