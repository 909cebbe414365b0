"""Numbering in sequence (哈编核〔2026〕12号): the next free serial of an office code and year, taken safely."""
from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils.translation import gettext as _

from institutions.document_numbers import format_document_number


def number_in_sequence(model: type[Model], *, office_code: str, year: int, year_field: str = "year",
                       write: Callable[[int, str], None], field: str = "number") -> tuple[int, str]:
    """Call ``write(serial, number)`` with the next free serial of ``office_code`` and ``year`` among ``model``'s
    rows; return them.

    Two clerks numbering at the same moment may pick the same serial: the model's unique constraint refuses the
    second write, which then takes the next serial (inside a savepoint, so the caller's transaction goes on).
    """
    for _attempt in range(10):
        last = model.objects.filter(office_code=office_code, **{year_field: year}).aggregate(last=Max("serial"))
        serial = (last["last"] or 0) + 1
        number = format_document_number(office_code, year, serial)
        try:
            with transaction.atomic():
                write(serial, number)
        except IntegrityError:
            continue
        return serial, number
    raise ValidationError({field: _("No free number: try again.")})
