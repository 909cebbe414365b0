"""Staff counts (实有人员): a unit's staff in quota on a date, by post category and professional-technical band."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT, FieldCheckConstraint, FieldUniqueConstraint
from core.dates import validate_past_date
from positions import rules
from positions.models.common import count_field, unit_on_date_errors
from positions.models.plans import sum_of

STAFF_CATEGORY_FIELDS = ("management", "professional", "worker")
STAFF_BAND_FIELDS = tuple(rules.BANDS)  # senior_full, senior_deputy, intermediate, junior
STAFF_COUNT_FIELDS = ("management", "professional", *STAFF_BAND_FIELDS, "worker")


class StaffCount(models.Model):
    """Staff in quota of one unit as of one date. The latest count is what the ledger's vacancy reclamation reads
    (``quotas.selectors.staff_in_quota``) and what the reconciliation compares with quotas and posts.

    ``total`` is kept equal to the three categories (the database holds it); professional-technical staff are also
    counted by band (正高, 副高, 中级, 初级), and the bands add up to them.
    """

    region_path = "institution__region"

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="staff_counts",
        verbose_name=_("institution"),
    )
    as_of = models.DateField(_("as of"), validators=[validate_past_date])
    management = count_field(_("management staff"))
    professional = count_field(_("professional-technical staff"))
    senior_full = count_field(_("of which senior (full)"), help_text=_("正高级, levels 1–4."))
    senior_deputy = count_field(_("of which senior (deputy)"), help_text=_("副高级, levels 5–7."))
    intermediate = count_field(_("of which intermediate"), help_text=_("中级, levels 8–10."))
    junior = count_field(_("of which junior"), help_text=_("初级, levels 11–13."))
    worker = count_field(_("worker-skill staff"))
    total = count_field(_("staff in quota"), editable=False)
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff count")
        verbose_name_plural = _("staff counts")
        ordering = ("institution", "-as_of")
        indexes = [models.Index(fields=["institution", "-as_of"], name="staff_unit_date")]
        constraints = [
            FieldUniqueConstraint(
                fields=["institution", "as_of"], name="staff_one_per_unit_and_date", error_field="as_of",
                violation_error_message=_("This unit already has a staff count as of this date."),
            ),
            FieldCheckConstraint(
                condition=Q(professional=sum_of(*STAFF_BAND_FIELDS)), name="staff_bands_sum",
                error_field="professional",
                violation_error_message=_("Staff by band must add up to the professional-technical staff."),
            ),
            FieldCheckConstraint(
                condition=Q(total=sum_of(*STAFF_CATEGORY_FIELDS)), name="staff_total_sum", error_field="total",
                violation_error_message=_("Staff in quota must equal the three categories together."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.as_of}"

    def clean(self) -> None:
        from positions.texts import structure_message

        categories = [getattr(self, name) for name in STAFF_CATEGORY_FIELDS]
        if all(isinstance(value, int) for value in categories):
            self.total = sum(categories)
        errors = unit_on_date_errors(
            self.institution if self.institution_id else None, self.as_of, date_field="as_of"
        )
        bands = [getattr(self, name) for name in STAFF_BAND_FIELDS]
        if all(isinstance(value, int) and value >= 0 for value in [*bands, self.professional]):
            if sum(bands) != self.professional:
                problem = rules.StructureProblem(
                    "professional", "bands_sum", {"declared": self.professional, "sum": sum(bands)}
                )
                errors.setdefault("professional", []).append(structure_message(problem))
        if errors:
            raise ValidationError(errors)
