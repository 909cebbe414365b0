"""The finance API: each unit's finance view (read-only, scoped) and the payroll checks (统发校验).

A district office sees its own region's units (another region's unit answers 404); every role sees every payroll
check, a district office with its own region's units only (docs/finance-integration.md).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.views import ScopedReadOnlyViewSet
from accounts.scoping import scope_queryset
from core.dates import parse_date
from finance import selectors, services, texts, workbooks
from finance.api.filters import FinanceUnitFilterSet, PayrollCheckFilterSet
from finance.api.serializers import (
    FinanceUnitSerializer,
    PayrollCheckDetailSerializer,
    PayrollCheckInputSerializer,
    PayrollCheckSerializer,
    PayrollImportSerializer,
)
from finance.models import PayrollSource, PayrollUnit
from institutions.models import Institution

MAX_ID = 2**63 - 1
DATE = OpenApiParameter("date", OpenApiTypes.DATE, description="YYYY-MM-DD, not after today (default: now).")


class FinanceUnitViewSet(ScopedReadOnlyViewSet):
    """Each unit as the finance bureau sees it: the registry's identity, funding form, status and category, and for
    each quota type its own, borrowed and held quotas, reservations, usable vacancy and over-quota figure, with the
    staff in quota by category (``?date=`` a past day; without it, now). A page costs the same few queries whatever
    its size; a district office sees its own region's units."""

    queryset = Institution.objects.select_related("region")
    serializer_class = FinanceUnitSerializer
    filterset_class = FinanceUnitFilterSet
    search_fields = ("name", "credit_code")
    ordering_fields = ("id", "name", "credit_code", "region__code")
    ordering = ("region__code", "name", "pk")
    lookup_value_regex = "[0-9]+"

    def _day(self):
        """(``on`` for the quota position, the day shown): without ``date``, now (today). A bad date is a field
        error with its code (``invalid_date``, ``date_out_of_bounds``: not after today)."""
        try:
            on = parse_date(self.request.query_params.get("date"), ahead_days=0)
        except ValidationError as error:  # core.dates.query_date would keep the words but not the code
            raise ValidationError({"date": [ValidationError(error.messages[0], code=error.code)]}) from None
        return on, on or timezone.localdate()

    @extend_schema(parameters=[DATE])
    def list(self, request, *args, **kwargs):
        on, day = self._day()
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = selectors.finance_unit_rows(page if page is not None else queryset, on=on, day=day)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(parameters=[DATE])
    def retrieve(self, request, *args, **kwargs):
        on, day = self._day()
        if int(kwargs["pk"]) > MAX_ID:
            raise Http404
        rows = selectors.finance_unit_rows([self.get_object()], on=on, day=day)
        return Response(self.get_serializer(rows[0]).data)


class PayrollCheckViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The payroll checks: the finance system (or the city office) posts a month's payroll headcount in quota per
    unit and post category, as JSON or an .xlsx file; the answer per unit (paid against staff in quota and quotas
    held, with two flags) is stored and read back unchanged. A re-submission for a month is its next version."""

    serializer_class = PayrollCheckSerializer
    filterset_class = PayrollCheckFilterSet
    search_fields: tuple = ()
    ordering_fields = ("month", "version", "created_at")
    ordering = ("-month", "-version")
    lookup_value_regex = "[0-9]+"

    def _units(self):
        """The units of checks the user sees: a district office its own region's."""
        return scope_queryset(PayrollUnit.objects.all(), self.request.user)

    def get_queryset(self):
        return scope_queryset(selectors.payroll_checks(self._units()), self.request.user)

    def get_serializer_class(self):
        return PayrollCheckDetailSerializer if self.action in ("retrieve", "create", "import_xlsx") else \
            PayrollCheckSerializer

    def _answer(self, check, status_code=status.HTTP_200_OK) -> Response:
        check.answer = selectors.payroll_answer(check, self._units())
        return Response(PayrollCheckDetailSerializer(check, context=self.get_serializer_context()).data,
                        status=status_code)

    def retrieve(self, request, *args, **kwargs):
        if int(kwargs["pk"]) > MAX_ID:
            raise Http404
        return self._answer(self.get_object())

    @extend_schema(request=PayrollCheckInputSerializer, responses={201: PayrollCheckDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = request.data if isinstance(request.data, dict) else {}
        check = services.payroll_check_submit(month=data.get("month"), lines=data.get("lines"), by=request.user,
                                              source=PayrollSource.API)
        return self._answer(self.get_queryset().get(pk=check.pk), status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": PayrollImportSerializer},
                   responses={201: PayrollCheckDetailSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_xlsx(self, request):
        """The same check from an .xlsx file (columns credit_code, category, paid; ``month`` a form field): every
        bad row reported by its spreadsheet row (``row 5 · paid``), nothing written."""
        upload = request.FILES.get("file")
        if upload is None:
            return _refused(_("The input is not valid."), "invalid", {"file": [_("Attach an .xlsx file.")]},
                            {"file": ["required"]})
        try:
            lines = workbooks.read_payroll(upload.read())
        except workbooks.WorkbookProblem as problem:
            return _refused(_("The input is not valid."), "invalid", {"file": [problem.message]},
                            {"file": [problem.code]})
        try:
            check = services.payroll_check_submit(month=request.data.get("month"), lines=lines, by=request.user,
                                                  source=PayrollSource.XLSX)
        except services.PayrollRefused as refused:
            named = refused.with_names(line_name=workbooks.row_name, line_key=workbooks.row_key)
            errors = {key: [str(message) for error in value for message in error.messages]
                      for key, value in named.error_dict.items()}
            codes = {key: [error.code for error in value] for key, value in named.error_dict.items()}
            rows = [{"row": problem.index + workbooks.FIRST_DATA_ROW, "column": problem.field, "code": problem.code,
                     "message": texts.line_message(problem, line_name=workbooks.row_name)}
                    for problem in refused.problems]
            return _refused(_("The file has rows with errors; nothing was imported."), "import_refused", errors,
                            codes, rows=rows)
        return self._answer(self.get_queryset().get(pk=check.pk), status.HTTP_201_CREATED)


def _refused(message: str, code: str, errors: dict, codes: dict, rows: list | None = None) -> Response:
    body = {"message": message, "code": code, "errors": errors, "codes": codes}
    if rows is not None:
        body["rows"] = rows
    return Response(body, status=status.HTTP_400_BAD_REQUEST)
