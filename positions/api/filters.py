"""Filters of the positions API (``?region=``, ``?supervisor=``, ``?category=``, ``?flag=`` …)."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_agencies, visible_institutions, visible_regions
from positions.models import PositionPlan, StaffCount


class UnitFilterSet(django_filters.FilterSet):
    """Filters on the unit a plan, staff count or notice belongs to."""

    institution = django_filters.ModelChoiceFilter(queryset=visible_institutions)
    region = django_filters.ModelChoiceFilter(field_name="institution__region", queryset=visible_regions)
    region_code = django_filters.CharFilter(field_name="institution__region__code", label=_("division code"))
    supervisor = django_filters.ModelChoiceFilter(field_name="institution__supervisor", queryset=visible_agencies)


class PositionPlanFilterSet(UnitFilterSet):
    effective_after = django_filters.DateFilter(field_name="effective_date", lookup_expr="gte")
    effective_before = django_filters.DateFilter(field_name="effective_date", lookup_expr="lte")
    has_findings = django_filters.BooleanFilter(method="filter_has_findings", label=_("has rule findings"))

    class Meta:
        model = PositionPlan
        fields = ["main_post_type", "rule_set", "document"]

    def filter_has_findings(self, queryset, name, value):
        return queryset.exclude(findings=[]) if value else queryset.filter(findings=[])


class StaffCountFilterSet(UnitFilterSet):
    as_of_after = django_filters.DateFilter(field_name="as_of", lookup_expr="gte")
    as_of_before = django_filters.DateFilter(field_name="as_of", lookup_expr="lte")

    class Meta:
        model = StaffCount
        fields = ["as_of"]




