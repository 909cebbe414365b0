"""Filters of the finance API: units by region, status, funding form, kind and category; checks by month."""
from __future__ import annotations

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from accounts.scoping import visible_regions
from finance import payroll
from finance.models import PayrollCheck
from institutions.choices import Category, FundingForm, InstitutionKind, InstitutionStatus
from institutions.models import Institution


class FinanceUnitFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(queryset=visible_regions, label=_("region"))
    region_code = django_filters.CharFilter(field_name="region__code", label=_("division code"))
    status = django_filters.ChoiceFilter(choices=InstitutionStatus.choices)
    funding_form = django_filters.ChoiceFilter(choices=FundingForm.choices)
    kind = django_filters.ChoiceFilter(choices=InstitutionKind.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    credit_code = django_filters.CharFilter(field_name="credit_code", label=_("unified social credit code"))

    class Meta:
        model = Institution
        fields = ["region", "region_code", "status", "funding_form", "kind", "category", "credit_code"]


class PayrollCheckFilterSet(django_filters.FilterSet):
    month = django_filters.CharFilter(method="filter_month", label=_("month (YYYY-MM)"))
    latest = django_filters.BooleanFilter(method="filter_latest", label=_("only each month's latest version"))

    class Meta:
        model = PayrollCheck
        fields = ["month", "latest"]

    def filter_month(self, queryset, name, value):
        match = payroll.MONTH_PATTERN.match(value or "")
        if match is None:
            raise ValidationError({"month": [_("Give the month as YYYY-MM.")]}, code=payroll.INVALID_MONTH)
        return queryset.filter(month__year=int(match["year"]), month__month=int(match["month"]))

    def filter_latest(self, queryset, name, value):
        if value is None:
            return queryset
        latest = queryset.filter(version=F("latest_version"))
        return latest if value else queryset.exclude(version=F("latest_version"))
