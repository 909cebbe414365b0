"""Filters of the standards API (``?region=``, ``?region_code=``, ``?institution=``, ``?year=`` …)."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_institutions, visible_regions
from standards.models import CapMethod, FigureKind, InstitutionCap, ServiceFigure


class InstitutionCapFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(queryset=visible_regions)
    region_code = django_filters.CharFilter(field_name="region__code", label=_("division code"))
    method = django_filters.ChoiceFilter(choices=CapMethod.choices)

    class Meta:
        model = InstitutionCap
        fields = ["region", "region_code", "method"]


class ServiceFigureFilterSet(django_filters.FilterSet):
    institution = django_filters.ModelChoiceFilter(queryset=visible_institutions)
    region = django_filters.ModelChoiceFilter(field_name="institution__region", queryset=visible_regions)
    region_code = django_filters.CharFilter(field_name="institution__region__code", label=_("division code"))
    figure = django_filters.ChoiceFilter(choices=FigureKind.choices)

    class Meta:
        model = ServiceFigure
        fields = ["institution", "region", "region_code", "year", "figure"]
