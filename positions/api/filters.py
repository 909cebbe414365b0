"""Filters of the positions API (``?region=``, ``?supervisor=``, ``?category=``, ``?flag=`` …)."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.scoping import scope_queryset
from institutions.choices import Category, InstitutionKind
from institutions.models import Institution, Region
from positions.choices import NoticeKind, ReconciliationFlag
from positions.models import PositionDirectionNotice, PositionPlan, StaffCount
from positions.selectors import filter_flag


def visible_regions(request):
    if request is None:
        return Region.objects.none()
    return scope_queryset(Region.objects.all(), request.user)


def visible_institutions(request):
    if request is None:
        return Institution.objects.none()
    return scope_queryset(Institution.objects.all(), request.user)


def visible_agencies(request):
    return visible_institutions(request).filter(kind=InstitutionKind.AGENCY)


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


class ReconciliationFilterSet(django_filters.FilterSet):
    """Filters of ``/reconciliation/``; ``flag`` works on the figures the database has computed."""

    region = django_filters.ModelChoiceFilter(queryset=visible_regions)
    region_code = django_filters.CharFilter(field_name="region__code", label=_("division code"))
    supervisor = django_filters.ModelChoiceFilter(queryset=visible_agencies)
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("institution category"))
    flag = django_filters.ChoiceFilter(choices=ReconciliationFlag.choices, method="filter_flag", label=_("flag"))
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Institution
        fields = ["region", "region_code", "supervisor", "category", "flag", "name"]

    def filter_flag(self, queryset, name, value):
        return filter_flag(queryset, value)


class PositionNoticeFilterSet(django_filters.FilterSet):
    institution = django_filters.ModelChoiceFilter(queryset=visible_institutions)
    supervisor = django_filters.ModelChoiceFilter(queryset=visible_agencies)
    region = django_filters.ModelChoiceFilter(field_name="institution__region", queryset=visible_regions)
    kind = django_filters.ChoiceFilter(choices=NoticeKind.choices)
    issued_after = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_before = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = PositionDirectionNotice
        fields = ["kind", "institution", "supervisor", "batch", "document", "number"]
