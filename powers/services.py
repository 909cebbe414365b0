"""The writers of the powers app: power-list items one at a time, law-enforcement items one at a time or a whole
workbook's rows at once (every row, or none and each bad row named with its field).

Every write runs in one transaction and validates through the model (``full_clean``), so the API, the admin and
the import refuse the same input with the same messages and codes. A district office writes its own region's items
only (``PermissionDenied`` otherwise; the API's permission table refuses it first).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.scoping import can_see_region
from core.errors import ConflictError
from institutions.models import Region
from powers import imports
from powers.models import EnforcementPower, PowerItem

ITEM_FIELDS = frozenset({"name", "power_type", "code", "holder", "legal_basis", "article", "responsibility_steps",
                         "accountability", "remarks", "disposition", "receiver", "cleanup_reason", "document"})
ENFORCEMENT_FIELDS = frozenset({"name", "power_type", "district", "department", "executing_body", "legal_basis",
                                "article", "code"})
CHANGE_REASON = "powers"


def _fields(values: Mapping, allowed: frozenset[str]) -> dict:
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return dict(values)


def _refuse_other_region(by, region_id: int | None) -> None:
    if by is not None and region_id is not None and not can_see_region(by, region_id):
        raise PermissionDenied(_("This row belongs to another region; your office may only read it."))


def _save(row, by) -> None:
    if by is not None and getattr(by, "is_authenticated", False):
        row._history_user = by
    row.save()


# --- power-list items ---------------------------------------------------------------------------------------------
@transaction.atomic
def power_item_create(*, by=None, **fields) -> PowerItem:
    """A new item of its holder's list: validated whole (a devolved item's receiver a unit of a region below the
    holder's, a cleaned-up item's reason, a code unique in the holder's list), or ``ValidationError`` and nothing
    written."""
    item = PowerItem(**_fields(fields, ITEM_FIELDS))
    item.apply_defaults()
    _refuse_other_region(by, item.region_id)
    item.full_clean()
    _save(item, by)
    return item


@transaction.atomic
def power_item_update(*, item: PowerItem, by=None, **changes) -> PowerItem:
    """Change an item (a district office its own region's, and only to a holder of its region)."""
    changes = _fields(changes, ITEM_FIELDS)
    item = PowerItem.objects.select_for_update().get(pk=item.pk)
    _refuse_other_region(by, item.region_id)
    for name, value in changes.items():
        setattr(item, name, value)
    item.apply_defaults()
    _refuse_other_region(by, item.region_id)
    item.full_clean()
    _save(item, by)
    return item


# --- law-enforcement items ----------------------------------------------------------------------------------------
@transaction.atomic
def enforcement_power_create(*, by=None, **fields) -> EnforcementPower:
    power = EnforcementPower(**_fields(fields, ENFORCEMENT_FIELDS))
    _refuse_other_region(by, power.district_id)
    power.full_clean()
    _save(power, by)
    return power


@transaction.atomic
def enforcement_power_update(*, power: EnforcementPower, by=None, **changes) -> EnforcementPower:
    changes = _fields(changes, ENFORCEMENT_FIELDS)
    power = EnforcementPower.objects.select_for_update().get(pk=power.pk)
    _refuse_other_region(by, power.district_id)
    for name, value in changes.items():
        setattr(power, name, value)
    _refuse_other_region(by, power.district_id)
    power.full_clean()
    _save(power, by)
    return power


@dataclass(frozen=True)
class ImportDone:
    created: int
    district_ids: tuple[int, ...]


@transaction.atomic
def enforcement_powers_import(*, rows: Iterable[Mapping[str, object]], by=None) -> ImportDone:
    """Import a law-enforcement list's rows (``powers.imports.COLUMNS`` as keys, one mapping a spreadsheet row from
    row 2): every row checked first (``imports.check_rows``: unknown district or unit, unknown type, duplicate code
    in the file or the database, and the model's own rules), and ``imports.ImportRefused`` naming each bad row and
    field when any is bad, nothing written. Otherwise every row is written in one go, with its history."""
    from simple_history.utils import bulk_create_with_history

    regions = Region.objects.all()
    if by is not None:
        from accounts.scoping import scope_queryset

        regions = scope_queryset(regions, by)
    powers, problems = imports.check_rows(list(rows), regions=regions)
    if problems:
        raise imports.ImportRefused(problems)
    try:
        with transaction.atomic():
            bulk_create_with_history(powers, EnforcementPower, batch_size=1000,
                                     default_user=by if getattr(by, "is_authenticated", False) else None,
                                     default_change_reason=CHANGE_REASON)
    except IntegrityError as error:  # another import took a code between the check and the write
        raise ConflictError(_("Another change took one of these codes meanwhile; nothing was imported. Try again."),
                            code="duplicate_code") from error
    return ImportDone(created=len(powers), district_ids=tuple(sorted({power.district_id for power in powers})))


def validation_codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [item.code or "invalid" for item in items] for field, items in error.error_dict.items()}
