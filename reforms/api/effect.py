"""API of the reform's effect: the figures of the effect page as JSON (``GET /api/v1/reform-effect/``).

``by=region`` (the default) gives each region the user sees; ``by=level`` the levels, the turnover pools, the
citywide total and the levels' consistency, which sum every region: citywide figures, so a district office asking
for them gets 403 ``citywide_only`` (the rule of the ledger's totals by level).
"""
from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from accounts.scoping import scope_queryset, visible_region_ids
from core.dates import query_date
from institutions.models import Region
from quotas.choices import QuotaTypeCode
from quotas.models import QuotaType
from reforms.selectors import reform_effect

DEFAULT_BEFORE = datetime.date(2019, 12, 31)
BY = ("region", "level")


class ChangeSerializer(serializers.Serializer):
    before = serializers.IntegerField()
    after = serializers.IntegerField()
    change = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)


class _Figures(serializers.Serializer):
    institutions = ChangeSerializer()
    quotas = ChangeSerializer()
    controlled = ChangeSerializer()
    reduced_or_controlled = serializers.IntegerField(allow_null=True)
    reduced_or_controlled_percent = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)


class LevelEffectSerializer(_Figures):
    level = serializers.CharField()


class RegionEffectSerializer(_Figures):
    region_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    turnover_pool = ChangeSerializer()


class ConsistencySerializer(serializers.Serializer):
    percents = serializers.DictField(child=serializers.DecimalField(max_digits=9, decimal_places=1,
                                                                    allow_null=True))
    spread = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    tolerance = serializers.DecimalField(max_digits=9, decimal_places=1)
    is_consistent = serializers.BooleanField(allow_null=True)


class _Round(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    operations = serializers.DictField(child=serializers.IntegerField())
    operations_total = serializers.IntegerField()


class RegionRoundSerializer(_Round):
    regions = RegionEffectSerializer(many=True)


class LevelRoundSerializer(_Round):
    levels = LevelEffectSerializer(many=True)
    turnover_pools = ChangeSerializer()
    citywide_institutions = ChangeSerializer()
    citywide_quotas = ChangeSerializer()
    consistency = ConsistencySerializer()


class ComparisonSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    first_institutions = ChangeSerializer()
    first_quotas = ChangeSerializer()
    second_institutions = ChangeSerializer()
    second_quotas = ChangeSerializer()
    is_further_reduction = serializers.BooleanField()


def _quota_type(params) -> QuotaType | None:
    """The ``quota_type`` code (default: institutional quotas, the reform's figure; ``all``: every type)."""
    code = params.get("quota_type") or QuotaTypeCode.INSTITUTIONAL
    if code == "all":
        return None
    quota_type = QuotaType.objects.filter(code=code).first()
    if quota_type is None:
        raise serializers.ValidationError({"quota_type": [_("Unknown quota type.")]})
    return quota_type


class ReformEffectViewSet(viewsets.ViewSet):
    """The reform's effect between two dates, by region or by level, with the operations carried out."""

    @extend_schema(
        parameters=[
            OpenApiParameter("before", OpenApiTypes.DATE, description="The first date (default 2019-12-31)."),
            OpenApiParameter("after", OpenApiTypes.DATE, description="The second date (default today)."),
            OpenApiParameter("previous", OpenApiTypes.DATE,
                             description="An earlier date: the first round runs from it to ``before``."),
            OpenApiParameter("quota_type", OpenApiTypes.STR,
                             description="A quota type code (default institutional), or all."),
            OpenApiParameter("by", OpenApiTypes.STR, enum=list(BY),
                             description="region (default) or level (citywide roles only)."),
        ],
        responses={200: OpenApiTypes.OBJECT}, operation_id="reform_effect_list",
    )
    def list(self, request):
        params = request.query_params
        by = params.get("by", "region")
        if by not in BY:
            raise serializers.ValidationError({"by": [_("Use region or level.")]})
        citywide = visible_region_ids(request.user) is None
        if by == "level" and not citywide:
            raise exceptions.PermissionDenied(_("The level rows sum every region: citywide figures; ask for your "
                                                "region's rows (by=region)."), code="citywide_only")
        before = query_date(params, "before", default=DEFAULT_BEFORE)
        after = query_date(params, "after", default=timezone.localdate())
        previous = query_date(params, "previous")
        quota_type = _quota_type(params)
        regions = None if citywide else scope_queryset(Region.objects.all(), request.user)
        effect = reform_effect(before, after, quota_type=quota_type, regions=regions, previous=previous)
        round_serializer = LevelRoundSerializer if by == "level" else RegionRoundSerializer
        comparisons = effect.level_comparisons if by == "level" else effect.region_comparisons
        return Response({
            "before": before, "after": after, "previous": previous,
            "quota_type": quota_type.code if quota_type else "all", "by": by,
            **round_serializer(effect.round).data,
            "first_round": round_serializer(effect.first_round).data if effect.first_round else None,
            "comparisons": ComparisonSerializer(comparisons, many=True).data,
        })
