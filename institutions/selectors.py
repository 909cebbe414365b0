"""Registry figures on a date: which institutions existed, and in which region (the one count every report reads)."""
from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from institutions.choices import InstitutionKind
from institutions.models import Institution, InstitutionEvent, LifeEventKind


def existing_on(on: datetime.date) -> Q:
    """Established by ``on`` (or of unknown date) and not ended by then (a unit ends at the start of its end date)."""
    return (Q(established_on__isnull=True) | Q(established_on__lte=on)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def with_region_on(queryset: QuerySet, on: datetime.date) -> QuerySet:
    """Annotate ``region_on``: where each unit sat on ``on`` (its region before the first devolution after that
    date, else its region now)."""
    moved_later = InstitutionEvent.objects.filter(
        institution=OuterRef("pk"), kind=LifeEventKind.DEVOLVED, date__gt=on,
    ).order_by("date", "pk").values("from_region_id")[:1]
    return queryset.annotate(region_on=Coalesce(Subquery(moved_later), F("region_id"), output_field=IntegerField()))


def institutions_on(on: datetime.date, *, kind: str = InstitutionKind.PUBLIC_INSTITUTION) -> QuerySet:
    """The institutions of ``kind`` that existed on ``on``, each with ``region_on``."""
    return with_region_on(Institution.objects.filter(existing_on(on), kind=kind), on)


def institution_counts_by_region(on: datetime.date, *, kind: str = InstitutionKind.PUBLIC_INSTITUTION,
                                 ) -> dict[int, int]:
    """region id → how many institutions of ``kind`` it had on ``on``."""
    return dict(Counter(institutions_on(on, kind=kind).values_list("region_on", flat=True)))
