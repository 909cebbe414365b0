"""The legal-person annual report (事业单位法人年度报告): every registered public institution reports on each year
it was active, by 31 March of the next year (``tracking.deadlines.annual_report_due``)."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT, FieldUniqueConstraint
from core.dates import EARLIEST, validate_past_date
from tracking import deadlines


class AnnualReport(models.Model):
    """One unit's annual report on one year: opened by the yearly sweep (``services.annual_reports_open``), submitted
    on a date of the next year at the earliest; ``overdue`` is set by the daily check."""

    region_path = "region"

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="annual_reports", verbose_name=_("unit"))
    region = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, related_name="+", editable=False,
                               verbose_name=_("region"), help_text=_("The unit's region when the report was opened."))
    year = models.PositiveSmallIntegerField(_("year reported on"), validators=[MinValueValidator(EARLIEST.year)])
    due_date = models.DateField(_("report due by"), editable=False)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, validators=[validate_past_date])
    overdue = models.BooleanField(_("overdue"), default=False, editable=False,
                                  help_text=_("Set by the daily check: past its due date and not submitted."))
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ("-year", "region__code", "institution__name", "pk")
        indexes = [models.Index(fields=["overdue", "due_date"], name="annual_report_overdue_due")]
        constraints = [
            FieldUniqueConstraint(
                fields=["institution", "year"], name="annual_report_unit_year_unique", error_field="year",
                violation_error_message=_("This unit's report on this year is open already.")),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.year}"

    @property
    def first_day(self) -> datetime.date | None:
        """The first day a report on its year may be submitted: 1 January of the next year."""
        return datetime.date(self.year + 1, 1, 1) if self.year else None

    def clean(self) -> None:
        if self.institution_id:
            self.region_id = self.region_id or self.institution.region_id
        if self.year:
            self.due_date = deadlines.annual_report_due(self.year)
        if self.submitted_on and self.year and self.submitted_on < self.first_day:
            raise ValidationError({"submitted_on": ValidationError(
                _("The report on %(year)d is submitted once the year is over: on %(first)s at the earliest.")
                % {"year": self.year, "first": self.first_day.isoformat()}, code="before_year_end")})
