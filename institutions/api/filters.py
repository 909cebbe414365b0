"""Filters of the registry API (``?region=``, ``?region_code=``, ``?category=`` ...).

An institution is found by its name now or by a name it had before a renaming (``?name=``, ``?search=``).
"""
from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import SearchFilter

from accounts.scoping import visible_institutions, visible_regions
from institutions.models import ApprovalDocument, Institution, InstitutionEvent, InternalDivision, Plaque, Region
from institutions.models.lineage import LifeEventKind


def had_former_name(text: str) -> Exists:
    """True of a unit one of whose renamings left behind a name containing ``text``."""
    return Exists(InstitutionEvent.objects.filter(
        institution=OuterRef("pk"), kind=LifeEventKind.RENAMED, former_name__icontains=text))


class FormerNameSearchFilter(SearchFilter):
    """``?search=``: each term must be found in one of the view's search fields or in a former name of the unit.

    The former names are the unit's RENAMED events; an ``events__former_name`` search field would match any event
    and repeat a unit once per matching event.
    """

    def filter_queryset(self, request, queryset, view):
        search_fields = self.get_search_fields(view, request)
        terms = self.get_search_terms(request)
        if not search_fields or not terms:
            return queryset
        lookups = [self.construct_search(str(field), queryset) for field in search_fields]
        condition = Q()
        for term in terms:
            either = Q(had_former_name(term))
            for lookup in lookups:
                either |= Q(**{lookup: term})
            condition &= either
        found = queryset.filter(condition)
        if self.must_call_distinct(queryset, search_fields):  # as SearchFilter does for to-many search fields
            found = queryset.filter(Exists(found.filter(pk=OuterRef("pk"))))
        return found


class RegionFilterSet(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(queryset=visible_regions)

    class Meta:
        model = Region
        fields = {"code": ["exact"], "kind": ["exact"]}


class InstitutionFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(queryset=visible_regions)
    region_code = django_filters.CharFilter(field_name="region__code", label=_("division code"))
    supervisor = django_filters.ModelChoiceFilter(queryset=visible_institutions)
    name = django_filters.CharFilter(method="filter_name", label=_("name (also a former name)"))

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

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Units whose name, or a name they had before a renaming, contains ``value``."""
        return queryset.filter(Q(name__icontains=value) | Q(had_former_name(value)))


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
