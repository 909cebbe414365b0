"""What plans and staff counts share: count fields and the check that the unit exists on the date."""
from __future__ import annotations

import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from institutions.choices import InstitutionKind, InstitutionStatus

NEGATIVE_COUNT = _("Counts of posts and staff are whole numbers: a count cannot be negative.")


def count_field(verbose_name, **kwargs) -> models.PositiveIntegerField:
    """A count of posts or staff: a whole number, 0 or more (the database holds it too)."""
    return models.PositiveIntegerField(
        verbose_name, default=0, validators=[MinValueValidator(0, message=NEGATIVE_COUNT)], **kwargs
    )


def unit_on_date_errors(institution, on: datetime.date | None, *, date_field: str) -> dict[str, list[str]]:
    """Why ``institution`` cannot have positions or staff counted on ``on`` (empty when it can).

    Positions are set for public institutions only (参公 units and agencies are outside 岗位设置, docs/domain.md,
    "Actors"), not for a unit that has ended by the date (abolished, merged, ...), nor before the unit was established.
    """
    errors: dict[str, list[str]] = {}
    if institution is None:
        return errors
    if institution.kind != InstitutionKind.PUBLIC_INSTITUTION:
        errors["institution"] = [
            gettext("Positions are set for public institutions only; “%(name)s” is an administrative agency.")
            % {"name": institution.name}
        ]
        return errors
    if institution.status != InstitutionStatus.ACTIVE and (
        on is None or institution.ended_on is None or on >= institution.ended_on
    ):
        errors["institution"] = [
            gettext(
                "Rule “a unit must exist on the date”: “%(name)s” is %(status)s (since %(ended)s), so no positions "
                "or staff can be entered for it from then on."
            ) % {
                "name": institution.name, "status": institution.get_status_display(),
                "ended": date_format(institution.ended_on) if institution.ended_on else "—",
            }
        ]
    if on is not None and institution.established_on and on < institution.established_on:
        errors[date_field] = [
            gettext(
                "Rule “a unit must exist on the date”: “%(name)s” was established on %(established)s; the date "
                "cannot be earlier."
            ) % {"name": institution.name, "established": date_format(institution.established_on)}
        ]
    return errors
