"""Positions API: plans and staff counts (written through the services), the reconciliation, direction notices."""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from import_export.formats.base_formats import XLSX
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.views import ScopedModelViewSet, ScopedReadOnlyViewSet
from positions import imports, services
from positions.api.filters import (
    PositionPlanFilterSet,
    StaffCountFilterSet,
)
from positions.api.serializers import (
    ImportJobSerializer,
    ImportSerializer,
    PositionPlanSerializer,
    PositionRuleSetSerializer,
    StaffCountSerializer,
)
from positions.choices import MainPostType
from positions.models import ImportJob, PositionPlan, PositionRuleSet, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.models.staff import STAFF_COUNT_FIELDS


class ImportActionMixin:
    """``POST …/import/`` with an .xlsx file: every row imported, or none and each bad row reported (400). A file of
    more than ``IMPORT_SYNC_ROWS`` rows is imported by a worker: 202 with the job to follow at
    ``/api/v1/import-jobs/{id}/``."""

    import_kind = ""

    @extend_schema(request={"multipart/form-data": ImportSerializer},
                   responses={200: OpenApiTypes.OBJECT, 202: ImportJobSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_xlsx(self, request):
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        content = data.validated_data["file"].read()
        try:
            dataset = XLSX().create_dataset(content)
        except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not xlsx
            raise serializers.ValidationError({"file": [_("Not a readable .xlsx file.")]}) from exc
        if len(dataset) > settings.IMPORT_MAX_ROWS:
            raise serializers.ValidationError({"file": [
                _("The file has %(rows)d rows; import at most %(limit)d at a time (split the file).")
                % {"rows": len(dataset), "limit": settings.IMPORT_MAX_ROWS}]})
        if len(dataset) > settings.IMPORT_SYNC_ROWS and not data.validated_data["dry_run"]:
            job = imports.import_job_queue(kind=self.import_kind, content=content, rows=len(dataset),
                                           user=request.user)
            return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        result = imports.import_result(self.import_kind, dataset, user=request.user,
                                       dry_run=data.validated_data["dry_run"])
        refused = result.get("code") == "import_refused"
        return Response(result, status=status.HTTP_400_BAD_REQUEST if refused else status.HTTP_200_OK)


class ImportJobViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Import jobs of the requesting user: queued, running, imported, refused (with the rows) or failed."""

    serializer_class = ImportJobSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ImportJob.objects.none()
        return ImportJob.objects.filter(requested_by=self.request.user)


class PositionPlanViewSet(ImportActionMixin, ScopedModelViewSet):
    """Position plans: HR and the city office enter them; a plan breaking a binding rule is refused (400),
    others are saved with their findings listed."""

    queryset = PositionPlan.objects.select_related("institution__region", "document", "rule_set", "entered_by")
    serializer_class = PositionPlanSerializer
    filterset_class = PositionPlanFilterSet
    search_fields = ("institution__name", "institution__credit_code", "document__number")
    ordering_fields = ("id", "effective_date", "version", "total", "institution__name")
    ordering = ("institution__region__code", "institution__name", "-effective_date")
    import_kind = "plans"

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
    import_kind = "staff"

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






