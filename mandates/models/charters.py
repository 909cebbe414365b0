"""Charters (章程): each unit's versions, their required items checked against the registry."""
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from institutions.choices import Category, FundingForm
from mandates.models.common import UnitVersion
from mandates.models.regulations import LONG_TEXT

# The required items that must read as the unit's registry row does: charter field → registry field.
REGISTRY_MATCH = {"name": "name", "unit_type": "category", "funding_source": "funding_form", "sponsor": "supervisor",
                  "address": "address", "opening_funds": "opening_funds"}
# Particulars the registry may not hold yet (a unit registered before it kept them): checked where it does.
CHECKED_WHERE_HELD = {"address", "opening_funds"}


class Charter(UnitVersion):
    """One version of a unit's charter (事业单位章程)."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="charters", verbose_name=_("institution"))
    # 1. the registered particulars
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address (住所)"), max_length=300)
    unit_type = models.CharField(_("type"), max_length=20, choices=Category.choices)
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingForm.choices)
    opening_funds = models.DecimalField(_("opening funds (10,000 yuan)"), max_digits=12, decimal_places=2,
                                        validators=[MinValueValidator(0)])
    sponsor = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("sponsor (举办单位)"))
    # 2. purpose and business scope
    purpose = models.TextField(_("purpose"), max_length=LONG_TEXT)
    business_scope = models.TextField(_("business scope"), max_length=LONG_TEXT)
    # 3. organisation
    party_role = models.TextField(_("role of the party organisation"), max_length=LONG_TEXT)
    decision_making = models.TextField(_("decision-making"), max_length=LONG_TEXT)
    democratic_management = models.TextField(_("democratic management and supervision"), max_length=LONG_TEXT)
    # 4.–7.
    asset_management = models.TextField(_("asset management"), max_length=LONG_TEXT)
    information_disclosure = models.TextField(_("information disclosure"), max_length=LONG_TEXT)
    amendment_procedure = models.TextField(_("amendment procedure"), max_length=LONG_TEXT)
    termination = models.TextField(_("termination and remaining assets"), max_length=LONG_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        ordering = ("institution", "-version")
        constraints = [
            models.UniqueConstraint(fields=["institution", "version"], name="charter_version_unique"),
        ]
        indexes = [models.Index(fields=["institution", "status", "effective_date"], name="charter_in_force")]

    def __str__(self) -> str:
        return f"{self.institution} 章程 v{self.version}"

    def clean(self) -> None:
        if self.institution_id is None:
            return
        unit = self.institution
        errors = {}
        for field, registry_field in REGISTRY_MATCH.items():
            mine, theirs = getattr(self, f"{field}_id" if field == "sponsor" else field), getattr(
                unit, f"{registry_field}_id" if registry_field == "supervisor" else registry_field)
            if registry_field in CHECKED_WHERE_HELD and theirs in (None, ""):
                continue
            if (mine or None) != (theirs or None):
                errors[field] = ValidationError(_(
                    "%(field)s differs from the registry: the charter says “%(mine)s”, the registry “%(theirs)s”.")
                    % {"field": self._meta.get_field(field).verbose_name, "mine": self._shown(field, self),
                       "theirs": self._shown(registry_field, unit)}, code="differs_from_registry")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _shown(field: str, row) -> str:
        if field in ("sponsor", "supervisor"):
            return str(getattr(row, field) or gettext("none"))
        display = getattr(row, f"get_{field}_display", None)
        return str(display() if display else getattr(row, field))
