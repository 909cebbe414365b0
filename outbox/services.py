"""Writing the change log and putting its events in the feed's order.

``changes_record`` is called by the service that makes a change, inside its transaction: the events commit or roll
back with it. ``changes_sequence`` gives committed events their feed position; it runs after each commit that
recorded events (``settings.CHANGE_HOOKS`` wake it) and every minute by the beat, and is safe to run at any time, by
any number of processes at once.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from outbox.models import ChangeEvent, ChangeSequence


@dataclass(frozen=True)
class Change:
    """One change to record: its kind (``outbox.models.ChangeKind``), the unit or region it is about, and the
    figures after it (JSON-serialisable)."""

    kind: str
    institution_id: int | None = None
    region_id: int | None = None
    data: dict = field(default_factory=dict)


def _wake_readers() -> None:
    for path in settings.CHANGE_HOOKS:
        import_string(path)()


def changes_record(changes: Iterable[Change]) -> list[ChangeEvent]:
    """Write the events in the caller's transaction (one INSERT); once it commits, the readers are woken (one
    wake-up per transaction)."""
    now = timezone.now()
    events = ChangeEvent.objects.bulk_create(
        ChangeEvent(kind=change.kind, institution_id=change.institution_id, region_id=change.region_id,
                    occurred_at=now, data=change.data) for change in changes)
    if events and not any(entry[1] is _wake_readers for entry in connection.run_on_commit):
        transaction.on_commit(_wake_readers)
    return events


def changes_sequence(*, limit: int = 1000) -> int:
    """Give the committed events without a position the next positions, in the order of their ids; return how many.

    The counter row is locked for the whole step, so positions are given by one process at a time, without gaps,
    and each step's positions commit together: a reader sees all of them or none. An event still uncommitted when a
    step runs is not seen, and gets a later position in a later step: positions follow the order in which events
    are found committed, never change, and no event is placed before one a reader may already have read.
    """
    done = 0
    while True:
        with transaction.atomic():
            ChangeSequence.objects.get_or_create(pk=1)
            counter = ChangeSequence.objects.select_for_update().get(pk=1)
            events = list(ChangeEvent.objects.filter(position__isnull=True).order_by("id").only("id")[:limit])
            if not events:
                return done
            for offset, event in enumerate(events, start=1):
                event.position = counter.last_position + offset
            ChangeEvent.objects.bulk_update(events, ["position"], batch_size=500)
            counter.last_position += len(events)
            counter.sequenced_at = timezone.now()
            counter.save(update_fields=["last_position", "sequenced_at"])
        done += len(events)
        if len(events) < limit:
            return done
