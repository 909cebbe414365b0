"""Regions: the city itself and its districts and counties, by 6-digit division code."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import FieldCheckConstraint
from institutions.choices import DISTRICT_KINDS, RegionKind
from institutions.validators import validate_division_code


class Region(models.Model):
    code = models.CharField(
        _("division code"), max_length=6, unique=True, validators=[validate_division_code],
        error_messages={"unique": _("A region with this division code already exists.")},
    )
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ("code",)
        constraints = [
            FieldCheckConstraint(
                condition=Q(code__regex=r"^[1-9][0-9]{5}$"), name="region_code_six_digits", error_field="code",
                violation_error_message=_("A division code has exactly 6 digits and does not start with 0."),
            ),
            FieldCheckConstraint(
                condition=(Q(kind="city") & Q(parent__isnull=True)) | (~Q(kind="city") & Q(parent__isnull=False)),
                name="region_parent_iff_not_city", error_field="parent",
                violation_error_message=_("The city level has no parent; every district or county has one."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        """"city", "district" or "county": the levels reduction ratios are reported by."""
        if self.kind == RegionKind.CITY:
            return "city"
        return "district" if self.kind in DISTRICT_KINDS else "county"

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A region cannot be its own parent.")})
        if self.parent_id and self.parent.kind != RegionKind.CITY:
            raise ValidationError({"parent": _("A district or county belongs to the city level.")})
