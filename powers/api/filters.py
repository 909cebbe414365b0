"""Filters of the powers API: ``?holder=``, ``?region=``, ``?type=``, ``?disposition=``, ``?q=`` … (a bad value
answers 400)."""
from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_agencies, visible_institutions, visible_regions
from institutions.choices import InstitutionKind
from powers.choices import Disposition, PowerType
from powers.models import EnforcementPower, PowerItem

LEVELS = (("city", _("City level")), ("district", _("District or county")))


class PowerItemFilterSet(django_filters.FilterSet):
    holder = django_filters.ModelChoiceFilter(queryset=visible_institutions)
    region = django_filters.ModelChoiceFilter(queryset=visible_regions)
    region_code = django_filters.CharFilter(field_name="region__code", label=_("division code"))
    type = django_filters.ChoiceFilter(field_name="power_type", choices=PowerType.choices, label=_("power type"))
    disposition = django_filters.ChoiceFilter(choices=Disposition.choices)
    level = django_filters.ChoiceFilter(choices=LEVELS, method="filter_level", label=_("level"))
    holder_kind = django_filters.ChoiceFilter(field_name="holder__kind", choices=InstitutionKind.choices,
                                              label=_("kind of implementing body"))
    q = django_filters.CharFilter(method="filter_q", label=_("name, code or legal basis contains"))

    class Meta:
        model = PowerItem
        fields = ["holder", "region", "region_code", "type", "disposition", "level", "holder_kind", "q"]

    def filter_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(region__parent__isnull=(value == "city"))

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)
                               | Q(legal_basis__icontains=value) | Q(holder__name__icontains=value))


class EnforcementPowerFilterSet(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(queryset=visible_regions)
    district_code = django_filters.CharFilter(field_name="district__code", label=_("division code"))
    department = django_filters.ModelChoiceFilter(queryset=visible_agencies)
    executing_body = django_filters.ModelChoiceFilter(queryset=visible_institutions)
    type = django_filters.ChoiceFilter(field_name="power_type", choices=PowerType.choices, label=_("power type"))
    q = django_filters.CharFilter(method="filter_q", label=_("name, code or legal basis contains"))

    class Meta:
        model = EnforcementPower
        fields = ["district", "district_code", "department", "executing_body", "type", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)
                               | Q(legal_basis__icontains=value))
