"""The payroll check (统发校验) as stored: one check per submission of a month's payroll, each unit's answer with the
figures it was computed from, and the headcount paid per post category.

The figures are stored when the check is made, so the answer given to the finance system does not change when the
ledger or a staff count changes later. A re-submission for the same month is a new version (``version`` + 1): the
earlier answers stay as they were given (docs/finance-integration.md, "The payroll check").
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constraints import FieldCheckConstraint, FieldUniqueConstraint
from positions.choices import PostCategory


class PayrollSource(models.TextChoices):
    API = "api", _("API (JSON)")
    XLSX = "xlsx", _("xlsx upload")


class PayrollCheck(models.Model):
    """One submission of a month's payroll headcount, checked against the units' quotas and staff in quota."""

    region_path = None  # a city-wide check: every role sees it; its units are scoped (``PayrollUnit.region_path``)

    month = models.DateField(_("month"), help_text=_("The first day of the month paid."))
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("1 for the month's first submission; each re-submission adds one."))
    as_of = models.DateField(
        _("figures as of"),
        help_text=_("The day whose quotas and staff counts the check was answered with: the month's last day, or "
                    "the day of the check within the current month."))
    source = models.CharField(_("source"), max_length=10, choices=PayrollSource.choices, default=PayrollSource.API)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by"))
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("payroll check")
        verbose_name_plural = _("payroll checks")
        ordering = ("-month", "-version")
        constraints = [
            FieldUniqueConstraint(
                fields=["month", "version"], name="payroll_check_month_version_unique", error_field="version",
                violation_error_message=_("This month already has a payroll check of this version."),
            ),
            FieldCheckConstraint(
                condition=Q(version__gte=1), name="payroll_check_version_positive", error_field="version",
                violation_error_message=_("A version is counted from 1."),
            ),
        ]

    def __str__(self) -> str:
        return _("Payroll check %(month)s (version %(version)d)") % {
            "month": self.month.strftime("%Y-%m"), "version": self.version}

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("A month is stored as its first day.")}, code="invalid_month")


class PayrollUnit(models.Model):
    """One unit's answer in a check: the figures on the check's day and the two flags."""

    region_path = "institution__region"

    payroll_check = models.ForeignKey(PayrollCheck, on_delete=models.CASCADE, related_name="units",
                                      verbose_name=_("payroll check"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("institution"))
    quotas_own = models.IntegerField(_("own approved quotas"), help_text=_("核定编制, all quota types."))
    quotas_borrowed = models.IntegerField(_("borrowed quotas"), help_text=_("On loan from a turnover pool."))
    quotas_held = models.IntegerField(_("quotas held"), help_text=_("Own and borrowed."))
    staff_total = models.PositiveIntegerField(_("staff in quota"))
    staff_professional = models.PositiveIntegerField(_("professional-technical staff"), null=True, blank=True)
    staff_management = models.PositiveIntegerField(_("management staff"), null=True, blank=True)
    staff_worker = models.PositiveIntegerField(_("worker-skill staff"), null=True, blank=True)
    staff_count_as_of = models.DateField(
        _("staff count as of"), null=True, blank=True,
        help_text=_("Empty: the unit had no staff count by the day; the registry's figure was used, with no figure "
                    "by category."))
    paid_total = models.PositiveIntegerField(_("paid in quota"))
    is_over_quota = models.BooleanField(_("paid more than its quotas"))
    is_over_staff = models.BooleanField(_("paid more than its staff in quota"))

    class Meta:
        verbose_name = _("unit of a payroll check")
        verbose_name_plural = _("units of a payroll check")
        ordering = ("payroll_check", "-is_over_quota", "-is_over_staff", "institution__region__code",
                    "institution__name", "pk")
        constraints = [
            FieldUniqueConstraint(
                fields=["payroll_check", "institution"], name="payroll_unit_unique", error_field="institution",
                violation_error_message=_("The check has this unit already."),
            ),
            FieldCheckConstraint(
                condition=Q(quotas_held=models.F("quotas_own") + models.F("quotas_borrowed")),
                name="payroll_unit_held_is_own_and_borrowed", error_field="quotas_held",
                violation_error_message=_("Quotas held are the own and the borrowed quotas."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payroll_check} · {self.institution}"

    @property
    def is_flagged(self) -> bool:
        return self.is_over_quota or self.is_over_staff

    @property
    def over_quota_by(self) -> int:
        """People paid in quota beyond the quotas held."""
        return max(self.paid_total - self.quotas_held, 0)

    @property
    def over_staff_by(self) -> int:
        """People paid in quota beyond the staff in quota."""
        return max(self.paid_total - self.staff_total, 0)

    def staff_of(self, category: str) -> int | None:
        """The staff in quota of ``category`` on the check's day (None without a staff count)."""
        return getattr(self, f"staff_{category}")


class PayrollLine(models.Model):
    """The headcount the finance system paid in quota for one unit and post category, as posted."""

    region_path = "unit__institution__region"

    unit = models.ForeignKey(PayrollUnit, on_delete=models.CASCADE, related_name="lines", verbose_name=_("unit"))
    category = models.CharField(_("post category"), max_length=20, choices=PostCategory.choices)
    paid = models.PositiveIntegerField(_("paid in quota"))

    class Meta:
        verbose_name = _("payroll line")
        verbose_name_plural = _("payroll lines")
        ordering = ("unit", "category")
        constraints = [
            FieldUniqueConstraint(
                fields=["unit", "category"], name="payroll_line_unique", error_field="category",
                violation_error_message=_("The unit has a line for this category already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.paid}"
