"""A law-enforcement item (执法事项) of a district's list ("one list governs enforcement"): the power, the
competent department and the body that executes it (docs/domain.md, "Power lists")."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT, FieldUniqueConstraint
from institutions.choices import InstitutionKind
from powers.choices import PowerType
from powers.models.items import CODE_LENGTH


class EnforcementPower(models.Model):
    region_path = "district"

    name = models.CharField(_("item name"), max_length=200)
    power_type = models.CharField(_("power type"), max_length=30, choices=PowerType.choices)
    district = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, related_name="enforcement_powers",
                                 verbose_name=_("district"))
    department = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="enforcement_powers",
        verbose_name=_("competent department"), help_text=_("The district's agency competent for the item."))
    executing_body = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="executed_enforcement_powers",
        verbose_name=_("executing body"), help_text=_("The body that carries out the enforcement (执法主体)."))
    legal_basis = models.TextField(_("legal basis"), max_length=TEXT_LIMIT, blank=True)
    article = models.TextField(_("article"), max_length=TEXT_LIMIT, blank=True)
    code = models.CharField(_("item code"), max_length=CODE_LENGTH, help_text=_("Unique within the district."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("law-enforcement item")
        verbose_name_plural = _("law-enforcement items")
        ordering = ("district__code", "code", "pk")
        indexes = [models.Index(fields=["district", "power_type"]), models.Index(fields=["department"])]
        constraints = [
            FieldUniqueConstraint(
                fields=["district", "code"], name="enforcement_power_code_unique_per_district", error_field="code",
                violation_error_code="duplicate_code",
                violation_error_message=_("The district's list already has an item with this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if isinstance(self.code, str):
            self.code = self.code.strip()
        errors: dict[str, list] = {}
        district = self.district if self.district_id else None
        if district is not None and district.parent_id is None:
            errors["district"] = [ValidationError(
                _("The law-enforcement list is a district's or county's, not the city level's."),
                code="not_a_district")]
        if self.department_id and self.department.kind != InstitutionKind.AGENCY:
            errors.setdefault("department", []).append(ValidationError(
                _("The competent department must be an administrative agency, not “%(name)s”.")
                % {"name": self.department}, code="not_an_agency"))
        for name in ("department", "executing_body"):
            unit = getattr(self, name) if getattr(self, f"{name}_id") else None
            if unit is not None and district is not None and unit.region_id != district.pk:
                errors.setdefault(name, []).append(ValidationError(
                    _("“%(name)s” is not a unit of %(district)s.") % {"name": unit, "district": district},
                    code="other_region"))
        if errors:
            raise ValidationError(errors)
