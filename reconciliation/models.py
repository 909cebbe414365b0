"""Quota-use direction notices (用编方向通知): numbered, dated, citing a document, with the figures frozen at issue.

Not to be confused with the quota-use approval notice for a hire (核准使用编制通知单, docs/domain.md, "Hiring against a
vacancy"): a direction notice tells a unit how it may use its quotas (which posts vacancies go to, frozen, one for one);
it approves no hire. A department notice (batch) lists every unit a supervising department runs; each of those units
gets its own unit notice pointing to the batch. Notices are never edited: a changed situation gets a new notice.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constraints import FieldCheckConstraint, FieldUniqueConstraint
from core.dates import validate_date
from reconciliation.choices import NoticeKind


class PositionDirectionNotice(models.Model):
    # A unit notice belongs to its unit's region, a department notice to its department's.
    region_path = ("institution__region", "supervisor__region")

    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.UNIT)
    office_code = models.CharField(_("office code"), max_length=20, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    serial = models.PositiveIntegerField(_("serial"), editable=False)
    number = models.CharField(_("notice number"), max_length=60, unique=True, editable=False)
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True,
        related_name="position_notices", verbose_name=_("institution"),
    )
    supervisor = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True,
        related_name="department_position_notices", verbose_name=_("supervising department"),
    )
    batch = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="unit_notices",
        verbose_name=_("department notice"),
    )
    issued_on = models.DateField(_("issued on"), validators=[validate_date])
    reconciled_on = models.DateField(_("figures as of"), validators=[validate_date])
    document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, related_name="position_notices",
        verbose_name=_("basis document"),
    )
    figures = models.JSONField(_("figures"), default=dict, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False,
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "positions_positiondirectionnotice"  # kept when the model moved here
        verbose_name = _("quota-use direction notice")
        verbose_name_plural = _("quota-use direction notices")
        ordering = ("-issued_on", "-year", "-serial")
        constraints = [
            FieldUniqueConstraint(
                fields=["office_code", "year", "serial"], name="notice_number_unique", error_field="serial",
                violation_error_message=_("A notice with this number already exists."),
            ),
            FieldCheckConstraint(
                condition=(
                    Q(kind=NoticeKind.UNIT, institution__isnull=False)
                    | Q(kind=NoticeKind.DEPARTMENT, supervisor__isnull=False, institution__isnull=True,
                        batch__isnull=True)
                ),
                name="notice_holder_fits_kind", error_field="kind",
                violation_error_message=_("A unit notice names its unit; a department notice names its department."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.addressee}"

    @property
    def addressee(self):
        return self.institution if self.kind == NoticeKind.UNIT else self.supervisor
