"""Filters of the registry API (``?region=``, ``?region_code=``, ``?category=`` ...)."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_institutions, visible_regions
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region


class RegionFilterSet(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(queryset=visible_regions)

    class Meta:
        model = Region
        fields = {"code": ["exact"], "kind": ["exact"]}


class InstitutionFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(queryset=visible_regions)
    region_code = django_filters.CharFilter(field_name="region__code", label=_("division code"))
    supervisor = django_filters.ModelChoiceFilter(queryset=visible_institutions)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Institution
        fields = {
            "credit_code": ["exact"],
            "kind": ["exact"],
            "category": ["exact"],
            "funding_form": ["exact"],
            "rank": ["exact"],
            "reserved_class": ["exact"],
            "must_exist_reason": ["exact"],
            "status": ["exact"],
            "legal_person_state": ["exact"],
        }


class InternalDivisionFilterSet(django_filters.FilterSet):
    institution = django_filters.ModelChoiceFilter(queryset=visible_institutions)
    region = django_filters.ModelChoiceFilter(field_name="institution__region", queryset=visible_regions)
    region_code = django_filters.CharFilter(field_name="institution__region__code", label=_("division code"))

    class Meta:
        model = InternalDivision
        fields = {"rank": ["exact"]}


class PlaqueFilterSet(django_filters.FilterSet):
    institution = django_filters.ModelChoiceFilter(queryset=visible_institutions)
    region = django_filters.ModelChoiceFilter(field_name="institution__region", queryset=visible_regions)
    region_code = django_filters.CharFilter(field_name="institution__region__code", label=_("division code"))

    class Meta:
        model = Plaque
        fields = {"document": ["exact"]}


class ApprovalDocumentFilterSet(django_filters.FilterSet):
    date_issued = django_filters.DateFromToRangeFilter()

    class Meta:
        model = ApprovalDocument
        fields = {"number": ["exact"], "office_code": ["exact"], "year": ["exact"], "kind": ["exact"]}
