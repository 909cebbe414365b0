"""What only a reform operation changes on an existing institution, and the refusal the API, the admin and the
import give when asked to change it otherwise."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from institutions.models import Institution

# An institution's existence: what it is called, where it sits, who supervises it, what it is, whether and since when
# it exists. Entered once when the unit first comes into the registry; after that each change is a reform operation
# (reforms.services), which writes it with the life event that dates and documents it. The API, the admin and the
# import refuse to change them on an existing row, each in its own way, from this one list.
EXISTENCE_FIELDS = (
    "name", "region", "supervisor", "category", "funding_form", "status", "established_on", "established_document",
    "ended_on", "ended_document", "successor",
)
REFORM_ONLY = "reform_only"


def _stored_value(institution: Institution, name: str) -> Any:
    """The value of ``name`` as stored on ``institution`` (a related row by its id)."""
    return getattr(institution, Institution._meta.get_field(name).attname)


def _given_value(name: str, value: Any) -> Any:
    """``value`` given for ``name`` in the stored form (a related row by its id)."""
    if Institution._meta.get_field(name).is_relation:
        return getattr(value, "pk", value)
    return value


def reform_only_errors(stored: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, ValidationError]:
    """The existence fields ``given`` would change, each with the error that says a reform operation changes it.

    ``stored`` maps each existence field to the existing row's value (``existence_of``); a field given with the
    value it has already is no change, so a client may send the whole row back.
    """
    return {
        name: ValidationError(
            gettext("This changes only through a reform operation (merger, renaming, devolution, abolition …), "
                    "which records when and by which document."),
            code=REFORM_ONLY,
        )
        for name in EXISTENCE_FIELDS
        if name in given and _given_value(name, given[name]) != stored[name]
    }


def existence_of(institution: Institution) -> dict[str, Any]:
    """The existence fields of ``institution`` as it is now, to compare a change with (``reform_only_errors``)."""
    return {name: _stored_value(institution, name) for name in EXISTENCE_FIELDS}
