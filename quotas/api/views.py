"""Ledger API: accounts with balances on a date and statements; transfers listed and posted through the services."""
from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.views import ScopedCreateReadViewSet, ScopedReadOnlyViewSet
from accounts.scoping import scope_queryset, visible_region_ids
from core.dates import query_date
from institutions.models import Region
from quotas import exports, services
from quotas.api.serializers import (
    QuotaAccountSerializer,
    QuotaMoveSerializer,
    QuotaTransferSerializer,
    QuotaTypeSerializer,
    ReversalSerializer,
)
from quotas.models import QuotaAccount, QuotaTransfer, QuotaType
from quotas.selectors import account_statement, totals_by_level, totals_by_quota_type, totals_by_region, with_balance_on


def parse_date(request, name: str, default: datetime.date | None = None) -> datetime.date:
    """A ``YYYY-MM-DD`` query parameter within the date bounds (``core.dates``), or a 400 naming it."""
    return query_date(request.query_params, name, default=default, required=default is None)


ON = OpenApiParameter("on", OpenApiTypes.DATE, description="Balances at the end of this date (YYYY-MM-DD).")


class QuotaTypeViewSet(ScopedReadOnlyViewSet):
    queryset = QuotaType.objects.all()
    serializer_class = QuotaTypeSerializer
    pagination_class = None
    filter_backends: list = []


class QuotaAccountFilter(filters.FilterSet):
    quota_type = filters.CharFilter(field_name="quota_type__code")
    region_code = filters.CharFilter(field_name="region__code")

    class Meta:
        model = QuotaAccount
        fields = ["holder_kind", "region", "institution", "quota_type", "region_code", "sector", "is_active"]


class QuotaAccountViewSet(ScopedReadOnlyViewSet):
    """Accounts and their balances; ``?on=YYYY-MM-DD`` adds each account's balance at the end of that date."""

    queryset = QuotaAccount.objects.select_related("region", "institution", "quota_type")
    serializer_class = QuotaAccountSerializer
    filterset_class = QuotaAccountFilter
    search_fields = ["institution__name", "institution__credit_code", "region__name", "region__code"]
    ordering_fields = ["balance", "region__code", "institution__name", "id"]
    ordering = ["id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if "on" in self.request.query_params:
            queryset = with_balance_on(queryset, parse_date(self.request, "on"))
        return queryset

    @extend_schema(parameters=[ON])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("export", OpenApiTypes.STR, enum=["xlsx"], description="xlsx: download a workbook"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def statement(self, request, pk=None):
        """Opening balance, each transfer between ``start`` and ``end`` with the running balance, closing balance."""
        account = self.get_object()
        start = parse_date(request, "start")
        end = parse_date(request, "end", default=timezone.localdate())
        if end < start:
            raise serializers.ValidationError({"end": [_("The end date is before the start date.")]})
        statement = account_statement(account, start, end)
        if request.query_params.get("export") == "xlsx":
            return exports.statement_xlsx(statement)
        return Response({
            "account": QuotaAccountSerializer(account).data,
            "start": start, "end": end, "opening": statement.opening, "closing": statement.closing,
            "lines": [line.__dict__ for line in statement.lines],
        })

    @extend_schema(
        parameters=[
            ON,
            OpenApiParameter("region", OpenApiTypes.INT, required=True),
            OpenApiParameter("export", OpenApiTypes.STR, enum=["xlsx"], description="xlsx: download a workbook"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], url_path="region-ledger")
    def region_ledger(self, request):
        """Every account of a region with its balance at the end of ``on`` (default today)."""
        region_id = request.query_params.get("region")
        if not region_id or not region_id.isdigit():
            raise serializers.ValidationError({"region": [_("Give the region's id.")]})
        region = get_object_or_404(scope_queryset(Region.objects.all(), request.user), pk=int(region_id))
        on = parse_date(request, "on", default=timezone.localdate())
        accounts = with_balance_on(
            self.get_queryset().filter(region=region).order_by("holder_kind", "institution__name", "quota_type"), on
        )
        if request.query_params.get("export") == "xlsx":
            return exports.region_ledger_xlsx(region, on, accounts)
        rows = [{**QuotaAccountSerializer(a).data, "balance_on": a.balance_on} for a in accounts]
        return Response({"region": region.code, "on": on, "accounts": rows,
                         "total": sum(row["balance_on"] for row in rows)})

    @extend_schema(
        parameters=[ON, OpenApiParameter("by", OpenApiTypes.STR, enum=["region", "level", "type"]),
                    OpenApiParameter("quota_type", OpenApiTypes.STR)],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"])
    def totals(self, request):
        """Quotas held on a date, by region (split by holder kind), by level, or by quota type."""
        on = parse_date(request, "on", default=timezone.localdate())
        by = request.query_params.get("by", "region")
        quota_type = None
        if code := request.query_params.get("quota_type"):
            quota_type = QuotaType.objects.filter(code=code).first()
            if quota_type is None:
                raise serializers.ValidationError({"quota_type": [_("Unknown quota type.")]})
        if by in ("level", "type") and visible_region_ids(request.user) is not None:
            # Totals by level or type sum every region: citywide figures, for citywide roles only.
            raise exceptions.PermissionDenied(_("Totals by level or quota type are citywide figures; ask for your "
                                                "region's totals (by=region)."), code="citywide_only")
        if by == "level":
            return Response({"on": on, "levels": totals_by_level(on, quota_type=quota_type)})
        if by == "type":
            return Response({"on": on, "types": totals_by_quota_type(on)})
        if by != "region":
            raise serializers.ValidationError({"by": [_("Use region, level or type.")]})
        regions = scope_queryset(Region.objects.all(), request.user)
        rows = totals_by_region(on, quota_type=quota_type, regions=regions)
        return Response({"on": on, "regions": [{**row.__dict__, "total": row.total} for row in rows]})


class QuotaTransferFilter(filters.FilterSet):
    account = filters.NumberFilter(method="filter_account")
    effective_after = filters.DateFilter(field_name="effective_date", lookup_expr="gte")
    effective_before = filters.DateFilter(field_name="effective_date", lookup_expr="lte")
    document_number = filters.CharFilter(field_name="document__number")

    class Meta:
        model = QuotaTransfer
        fields = ["kind", "source", "target", "document"]

    def filter_account(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(source=value) | Q(target=value))


class QuotaTransferViewSet(ScopedCreateReadViewSet):
    """Transfers: list, retrieve, and POST to make one through the ledger services. Never PUT, PATCH or DELETE."""

    queryset = QuotaTransfer.objects.select_related(
        "document", "created_by", "source__region", "source__institution", "target__region", "target__institution",
    )
    serializer_class = QuotaTransferSerializer
    filterset_class = QuotaTransferFilter
    search_fields = ["document__number", "note"]
    ordering_fields = ["effective_date", "id", "amount"]
    ordering = ["-id"]

    @extend_schema(request=QuotaMoveSerializer, responses={201: QuotaTransferSerializer})
    def create(self, request, *args, **kwargs):
        accounts = scope_queryset(QuotaAccount.objects.all(), request.user)
        move = QuotaMoveSerializer(data=request.data, accounts=accounts)
        move.is_valid(raise_exception=True)
        transfer = services.quota_move(by=request.user, **move.validated_data)
        return Response(QuotaTransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReversalSerializer, responses={201: QuotaTransferSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Undo this transfer with a mirror transfer (each transfer is reversed at most once)."""
        transfer = self.get_object()
        data = ReversalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.quota_transfer_reverse(transfer=transfer, by=request.user, **data.validated_data)
        return Response(QuotaTransferSerializer(reversal).data, status=status.HTTP_201_CREATED)
