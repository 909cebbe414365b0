"""Reading the feed: events in their positions after a cursor."""
from __future__ import annotations

from django.db.models import QuerySet

from outbox.models import ChangeEvent, ChangeSequence


def changes_after(cursor: int, *, queryset: QuerySet | None = None) -> QuerySet:
    """The events placed after position ``cursor``, in feed order. ``queryset``: a narrower set (a region's, a
    kind's); the order and the positions are the feed's, so any page size reads the same events."""
    events = ChangeEvent.objects.all() if queryset is None else queryset
    return events.filter(position__gt=cursor).order_by("position")


def feed_head() -> int:
    """The last position given (0 before the first)."""
    return ChangeSequence.objects.filter(pk=1).values_list("last_position", flat=True).first() or 0
