"""The powers API: power-list items and law-enforcement items (list, retrieve, create, update; no delete), their
counts, and the law-enforcement list's xlsx import.

Thin: every write is a service of ``powers.services``. Region-scoped: a district office reads and writes its own
region's items (another region's row answers 404 on read and 403 ``another_region`` on write).
"""
from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.views import ScopedModelViewSet, ScopedQuerysetMixin
from powers import imports, selectors, services
from powers.api.filters import EnforcementPowerFilterSet, PowerItemFilterSet
from powers.api.serializers import (
    EnforcementCountsSerializer,
    EnforcementImportedSerializer,
    EnforcementImportSerializer,
    EnforcementPowerSerializer,
    PowerItemCountsSerializer,
    PowerItemSerializer,
)
from powers.models import EnforcementPower, PowerItem

MAX_ID = 2**63 - 1
WRITES = frozenset({"update", "partial_update"})


class _Rows(ScopedModelViewSet):
    """A row another region owns answers 404 on a read and 403 ``another_region`` on a write: a write looks the row
    up among every region's, and the permission's object check refuses it (``TablePermission``)."""

    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if self.action in WRITES:
            return super(ScopedQuerysetMixin, self).get_queryset()  # unscoped: the object check refuses (403)
        return super().get_queryset()

    def get_object(self):
        if int(self.kwargs[self.lookup_field]) > MAX_ID:
            raise Http404
        return super().get_object()


class PowerItemViewSet(_Rows):
    """Power-list items (权责清单): a district office reads and writes its own region's."""

    queryset = PowerItem.objects.select_related("holder", "region", "receiver", "document")
    serializer_class = PowerItemSerializer
    filterset_class = PowerItemFilterSet
    search_fields = ("name", "code", "holder__name")
    ordering_fields = ("id", "code", "name", "power_type", "disposition", "region__code", "holder__name")
    ordering = ("region__code", "holder__name", "code", "id")

    def perform_create(self, serializer):
        serializer.instance = services.power_item_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.power_item_update(item=serializer.instance, by=self.request.user,
                                                         **serializer.validated_data)

    @extend_schema(responses=PowerItemCountsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request):
        """Counts of the items the filters select: per type, disposition, level, holder kind, region, holder."""
        counts = selectors.power_item_counts(self.filter_queryset(self.get_queryset()))
        return Response(PowerItemCountsSerializer(counts).data)


class EnforcementPowerViewSet(_Rows):
    """Law-enforcement items (执法事项) of the districts' lists, and their import."""

    queryset = EnforcementPower.objects.select_related("district", "department", "executing_body")
    serializer_class = EnforcementPowerSerializer
    filterset_class = EnforcementPowerFilterSet
    search_fields = ("name", "code", "department__name", "executing_body__name")
    ordering_fields = ("id", "code", "name", "power_type", "district__code", "department__name")
    ordering = ("district__code", "code", "id")

    def perform_create(self, serializer):
        serializer.instance = services.enforcement_power_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.enforcement_power_update(power=serializer.instance, by=self.request.user,
                                                                **serializer.validated_data)

    @extend_schema(responses=EnforcementCountsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request):
        """Counts of the items the filters select: per type, per district (× type) and per department."""
        counts = selectors.enforcement_counts(self.filter_queryset(self.get_queryset()))
        return Response(EnforcementCountsSerializer(counts).data)

    @extend_schema(request={"multipart/form-data": EnforcementImportSerializer},
                   responses={201: EnforcementImportedSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_xlsx(self, request):
        """A law-enforcement list from an .xlsx file: every row written, or none and each bad row named by its
        spreadsheet row and field (``rows``; ``errors`` keyed ``row 5 · department``)."""
        upload = request.FILES.get("file")
        if upload is None:
            return _refused(_("The input is not valid."), "invalid", {"file": [_("Attach an .xlsx file.")]},
                            {"file": ["required"]})
        try:
            rows = imports.read_rows(upload.read())
        except imports.WorkbookProblem as problem:
            return _refused(_("The input is not valid."), "invalid", {"file": [problem.message]},
                            {"file": [problem.code]})
        try:
            done = services.enforcement_powers_import(rows=rows, by=request.user)
        except imports.ImportRefused as refused:
            errors = {key: [str(message) for error in value for message in error.messages]
                      for key, value in refused.error_dict.items()}
            codes = services.validation_codes(refused)
            body = [{"row": p.row, "field": p.field, "column": p.column, "code": p.code, "message": p.message}
                    for p in refused.problems]
            return _refused(_("The file has rows with errors; nothing was imported."), "import_refused", errors,
                            codes, rows=body)
        counts = selectors.enforcement_counts(self.get_queryset().filter(district_id__in=done.district_ids))
        return Response(EnforcementImportedSerializer({"created": done.created, "counts": counts}).data,
                        status=status.HTTP_201_CREATED)


def _refused(message: str, code: str, errors: dict, codes: dict, rows: list | None = None) -> Response:
    body = {"message": message, "code": code, "errors": errors, "codes": codes}
    if rows is not None:
        body["rows"] = rows
    return Response(body, status=status.HTTP_400_BAD_REQUEST)
