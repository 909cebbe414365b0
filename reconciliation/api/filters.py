"""Filters of the reconciliation API (``?region=``, ``?supervisor=``, ``?category=``, ``?flag=`` …)."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_agencies, visible_institutions, visible_regions
from institutions.choices import Category
from institutions.models import Institution
from reconciliation.choices import NoticeKind, ReconciliationFlag
from reconciliation.models import PositionDirectionNotice
from reconciliation.selectors import filter_flag


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
