"""Hiring against a vacancy (用编进人): annual hiring plans, quota-use notices, and staff entering or leaving quota.

docs/domain.md, "Hiring against a vacancy": the supervising agency files the unit's annual plan (用编计划), the office
reviews it; each hire batch needs a quota-use notice (核准使用编制通知单) that reserves quotas of a usable vacancy for
its validity; entry (入编) takes the notice up, exit (出编) frees a quota. Written through ``workflow.hiring`` only.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.constraints import TEXT_LIMIT, FieldCheckConstraint, FieldUniqueConstraint
from core.dates import validate_past_date, validate_year
from outbox.models import ChangeKind
from positions.choices import PostCategory, ProfessionalBand
from workflow import states as workflow
from workflow.models.requests import WorkflowRequest


class HiringPlan(WorkflowRequest):
    """A unit's hiring plan for one year: planned entrants by quota type and post category (its lines).

    ``expected_leavers`` is the unit's forecast of staff leaving quota during the year (retirements and others): a
    unit exactly at quota may plan only that many entrants (出一进一), a unit with vacancies that many more than its
    usable vacancy; an over-quota unit may not plan at all.
    """

    WORKFLOW_ACTIONS = (workflow.SUBMIT, workflow.WITHDRAW, workflow.APPROVE, workflow.REJECT, workflow.EXECUTE)

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="hiring_plans",
        verbose_name=_("institution"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), validate_year])
    expected_leavers = models.PositiveIntegerField(
        _("expected leavers"), default=0,
        help_text=_("Staff expected to leave quota during the year (retirement, transfer out, …): what a unit at "
                    "quota may replace one for one (出一进一)."),
    )
    supervisor_opinion = models.TextField(_("supervising agency's opinion"), max_length=TEXT_LIMIT, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)

    class Meta:
        db_table = "positions_hiringplan"  # kept when the model moved here
        verbose_name = _("hiring plan")
        verbose_name_plural = _("hiring plans")
        ordering = ("-year", "institution")
        constraints = [
            FieldUniqueConstraint(
                fields=["institution", "year"],
                condition=Q(status__in=[workflow.DRAFT, workflow.SUBMITTED, workflow.APPROVED, workflow.EXECUTED]),
                name="hiring_plan_one_per_unit_and_year", error_field="year",
                violation_error_message=_("This unit already has a hiring plan for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.year}"

    @property
    def planned_total(self) -> int:
        return sum(line.count for line in self.lines.all())


class HiringPlanLine(models.Model):
    region_path = "plan__institution__region"

    plan = models.ForeignKey(HiringPlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan"))
    quota_type = models.ForeignKey(
        "quotas.QuotaType", on_delete=models.PROTECT, related_name="+", verbose_name=_("quota type")
    )
    category = models.CharField(_("post category"), max_length=20, choices=PostCategory.choices)
    count = models.PositiveIntegerField(_("planned entrants"), validators=[MinValueValidator(1)])

    class Meta:
        db_table = "positions_hiringplanline"  # kept when the model moved here
        verbose_name = _("hiring plan line")
        verbose_name_plural = _("hiring plan lines")
        ordering = ("plan", "quota_type__sort_order", "category")
        constraints = [
            FieldUniqueConstraint(
                fields=["plan", "quota_type", "category"], name="hiring_line_unique", error_field="category",
                violation_error_message=_("The plan has a line for this quota type and category already."),
            ),
            FieldCheckConstraint(
                condition=Q(count__gte=1), name="hiring_line_count_positive", error_field="count",
                violation_error_message=_("A line plans at least one entrant."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quota_type} · {self.get_category_display()} · {self.count}"


class QuotaUseNotice(WorkflowRequest):
    """A request to use quotas for one hire batch; approved, it is the numbered notice (核准使用编制通知单).

    Approval checks the unit's usable vacancy of the quota type (approved − staff in quota − reserved by other open
    notices) and the posts of the category, numbers the notice and sets its validity; from then on it reserves
    ``count − taken_up`` quotas until it is taken up by entries, closed (executed) or expires. ``closed_on`` keeps
    the day the reservation ended, so that the reservations open on any past date can be read
    (``workflow.vacancy``).
    """

    WORKFLOW_ACTIONS = workflow.ACTIONS
    DECIDED_CHANGE = ChangeKind.NOTICE_DECIDED  # a decision goes to the change log (workflow.transitions)

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="quota_use_notices",
        verbose_name=_("institution"),
    )
    hiring_plan = models.ForeignKey(
        HiringPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="notices",
        verbose_name=_("hiring plan"),
    )
    quota_type = models.ForeignKey(
        "quotas.QuotaType", on_delete=models.PROTECT, related_name="+", verbose_name=_("quota type")
    )
    category = models.CharField(_("post category"), max_length=20, choices=PostCategory.choices)
    count = models.PositiveIntegerField(_("quotas requested"), validators=[MinValueValidator(1)])
    taken_up = models.PositiveIntegerField(_("taken up"), default=0, editable=False)
    supervisor_opinion = models.TextField(_("supervising agency's opinion"), max_length=TEXT_LIMIT, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)
    office_code = models.CharField(_("office code"), max_length=20, blank=True, editable=False)
    serial_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    serial = models.PositiveIntegerField(_("serial"), null=True, blank=True, editable=False)
    number = models.CharField(_("notice number"), max_length=60, null=True, blank=True, unique=True, editable=False)
    issued_on = models.DateField(_("issued on"), null=True, blank=True, editable=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, editable=False,
        help_text=_("The first day the notice no longer reserves quotas (taken up in full, closed or expired)."),
    )

    class Meta:
        db_table = "positions_quotausenotice"  # kept when the model moved here
        verbose_name = _("quota-use notice")
        verbose_name_plural = _("quota-use notices")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["institution", "quota_type", "status"], name="notice_unit_type_state")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(count__gte=1), name="quota_notice_count_positive", error_field="count",
                violation_error_message=_("A notice covers at least one quota."),
            ),
            FieldCheckConstraint(
                condition=Q(taken_up__lte=F("count")), name="quota_notice_taken_within_count", error_field="count",
                violation_error_message=_("A notice cannot be taken up beyond its count."),
            ),
            FieldUniqueConstraint(
                fields=["office_code", "serial_year", "serial"], condition=Q(serial__isnull=False),
                name="quota_notice_number_unique", error_field="serial",
                violation_error_message=_("A notice with this number already exists."),
            ),
        ]

    def __str__(self) -> str:
        number = self.number or _("(not issued)")
        return f"{number} {self.institution}"

    @property
    def remaining(self) -> int:
        """Quotas the notice still reserves (0 unless it is issued and open)."""
        if self.status != workflow.APPROVED:
            return 0
        return (self.count or 0) - (self.taken_up or 0)

    def decided_figures(self) -> dict:
        """What the change log says of a decision on the notice."""
        return {"number": self.number, "quota_type": self.quota_type_id, "category": self.category,
                "count": self.count, "reserved": self.remaining,
                "issued_on": self.issued_on.isoformat() if self.issued_on else None,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None}


class MovementKind(models.TextChoices):
    ENTRY = "entry", _("Entry onto the quota (入编)")
    EXIT = "exit", _("Exit from the quota (出编)")


class MovementReason(models.TextChoices):
    RECRUITMENT = "recruitment", _("Open recruitment")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    PLACEMENT = "placement", _("Placement")
    RETIREMENT = "retirement", _("Retirement")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    RESIGNATION = "resignation", _("Resignation")
    DISMISSAL = "dismissal", _("Dismissal")
    DEATH = "death", _("Death")


ENTRY_REASONS = (MovementReason.RECRUITMENT, MovementReason.TRANSFER_IN, MovementReason.PLACEMENT)
EXIT_REASONS = (MovementReason.RETIREMENT, MovementReason.TRANSFER_OUT, MovementReason.RESIGNATION,
                MovementReason.DISMISSAL, MovementReason.DEATH)


class StaffMovement(models.Model):
    """Staff entering (入编) or leaving (出编) a unit's quota on a date: the monthly change list reads these.

    Each movement also writes the unit's staff count as of its date (``workflow.hiring``), so that the ledger's
    staff in quota and the reconciliation follow. Never edited: a mistake is corrected by the opposite movement.
    """

    region_path = "institution__region"

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="staff_movements",
        verbose_name=_("institution"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=MovementReason.choices)
    category = models.CharField(_("post category"), max_length=20, choices=PostCategory.choices)
    band = models.CharField(
        _("professional band"), max_length=20, choices=ProfessionalBand.choices, blank=True,
        help_text=_("For professional-technical staff: the band the person is counted in."),
    )
    count = models.PositiveIntegerField(_("people"), default=1, validators=[MinValueValidator(1)])
    date = models.DateField(_("date"), validators=[validate_past_date])
    notice = models.ForeignKey(
        QuotaUseNotice, on_delete=models.PROTECT, null=True, blank=True, related_name="entries",
        verbose_name=_("quota-use notice"),
    )
    person_name = models.CharField(_("name"), max_length=100, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)
    staff_count = models.ForeignKey(
        "positions.StaffCount", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("staff count written"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "positions_staffmovement"  # kept when the model moved here
        verbose_name = _("staff movement")
        verbose_name_plural = _("staff movements")
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=["date", "institution"], name="movement_date_unit")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(count__gte=1), name="movement_count_positive", error_field="count",
                violation_error_message=_("A movement concerns at least one person."),
            ),
            FieldCheckConstraint(
                condition=Q(kind=MovementKind.EXIT) | Q(notice__isnull=False), name="entry_has_notice",
                error_field="notice",
                violation_error_message=_("An entry onto the quota needs its quota-use notice."),
            ),
            FieldCheckConstraint(
                condition=(Q(kind=MovementKind.ENTRY, reason__in=ENTRY_REASONS)
                           | Q(kind=MovementKind.EXIT, reason__in=EXIT_REASONS)),
                name="movement_reason_fits_kind", error_field="reason",
                violation_error_message=_("This reason does not fit the kind of movement."),
            ),
            FieldCheckConstraint(
                condition=Q(category=PostCategory.PROFESSIONAL, band__gt="") | (
                    ~Q(category=PostCategory.PROFESSIONAL) & Q(band="")),
                name="movement_band_iff_professional", error_field="band",
                violation_error_message=_("Professional-technical staff are counted in a band; other staff are not."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.institution} · {self.date} · {self.count}"

    def clean(self) -> None:
        if self.notice_id and self.institution_id and self.notice.institution_id != self.institution_id:
            raise ValidationError({"notice": _("The notice was issued to another unit.")})
