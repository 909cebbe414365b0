"""The registry row lock that serialises every write deciding on a unit."""
from __future__ import annotations

from collections.abc import Iterable

from institutions.models import Institution


def lock_units(institution_ids: Iterable[int]) -> None:
    """Lock the units' registry rows, in primary-key order: the one lock that serialises every write deciding on a
    unit's quota position (notices, entries, exits, staff counts, loan returns, reclamation), so that each reads the
    position after the lock. Ledger accounts are locked after it, never before (no deadlock)."""
    ids = sorted(set(institution_ids))
    if ids:
        list(Institution.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
