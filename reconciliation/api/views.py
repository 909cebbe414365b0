"""Reconciliation API: approved quotas, posts and staff side by side, and the quota-use direction notices."""
from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.views import ScopedCreateReadViewSet, ScopedQuerysetMixin
from accounts.scoping import scope_queryset
from core.dates import query_date
from institutions.models import Institution
from reconciliation import notices, services
from reconciliation.api.filters import PositionNoticeFilterSet, ReconciliationFilterSet
from reconciliation.api.serializers import NoticeIssueSerializer, PositionNoticeSerializer, ReconciliationRowSerializer
from reconciliation.models import PositionDirectionNotice
from reconciliation.selectors import reconciliation, reconciliation_rows, reconciliation_values


def parse_on(request) -> datetime.date | None:
    """``?on=YYYY-MM-DD``: the date of the figures (absent: today, with stored balances)."""
    return query_date(request.query_params, "on")


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
        if not str(kwargs["pk"]).isdecimal():  # e.g. /reconciliation/abc/: no such institution, not a 500
            raise Http404
        queryset = reconciliation_values(self.get_queryset().filter(pk=int(kwargs["pk"])))
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
        html = render_to_string("reconciliation/notice.html", {"notice": notice, "doc": notices.notice_context(notice)},
                                request=request)
        return HttpResponse(html, content_type="text/html; charset=utf-8")
