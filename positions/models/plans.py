"""Position plans (岗位设置方案): the HR bureau's counts of a unit's posts by category and grade, versioned by date."""
from __future__ import annotations

from functools import reduce
from operator import add

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT, FieldCheckConstraint, FieldUniqueConstraint
from core.dates import validate_date
from positions import rules
from positions.choices import MainPostType
from positions.models.common import count_field, unit_on_date_errors

MANAGEMENT_LEVEL_FIELDS = tuple(f"management_{level}" for level in rules.MANAGEMENT_LEVELS)
PROFESSIONAL_LEVEL_FIELDS = tuple(f"professional_{level}" for level in rules.PROFESSIONAL_LEVELS)
WORKER_LEVEL_FIELDS = tuple(f"worker_{level}" for level in rules.WORKER_LEVELS)
PLAN_COUNT_FIELDS = (
    "total", "management", "management_leadership", *MANAGEMENT_LEVEL_FIELDS, "professional",
    *PROFESSIONAL_LEVEL_FIELDS, "worker", *WORKER_LEVEL_FIELDS, "worker_ordinary", "special",
)
BAND_FIELDS = {band: tuple(f"professional_{level}" for level in levels) for band, levels in rules.BAND_LEVELS.items()}


def sum_of(*names: str):
    """``F(a) + F(b) + …``: an SQL sum of count columns."""
    return reduce(add, (F(name) for name in names))


def _management_level(level: int) -> models.PositiveIntegerField:
    return count_field(format_lazy(_("management, level {level}"), level=level))


def _professional_level(level: int) -> models.PositiveIntegerField:
    return count_field(format_lazy(_("professional-technical, level {level}"), level=level))


def _worker_level(level: int) -> models.PositiveIntegerField:
    return count_field(format_lazy(_("worker-skill technician, level {level}"), level=level))


class PositionPlan(models.Model):
    """One version of a unit's position plan, in effect from ``effective_date`` until the next version's.

    Grade counts add up to their category and the categories to the position total; special posts (特设岗位) sit
    outside the total and the ratios (docs/domain.md, "Positions"). ``findings`` lists the rules the plan breaks as
    saved (a plan breaking a binding rule is not saved). Written through ``positions.services`` only.
    """

    region_path = "institution__region"

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="position_plans",
        verbose_name=_("institution"),
    )
    # Numbered by the services (the unit's next version) when the plan is first saved; empty until then.
    version = models.PositiveIntegerField(_("version"), null=True, blank=True, editable=False)
    effective_date = models.DateField(_("effective date"), validators=[validate_date])
    document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, related_name="position_plans",
        verbose_name=_("filing document"), help_text=_("The document the plan was filed (备案) under."),
    )
    main_post_type = models.CharField(
        _("main post type"), max_length=30, choices=MainPostType.choices, default=MainPostType.PROFESSIONAL_SERVICE,
    )
    rule_set = models.ForeignKey(
        "positions.PositionRuleSet", on_delete=models.PROTECT, null=True, blank=True, related_name="plans",
        verbose_name=_("rule set"), help_text=_("Empty: the default rule set of the unit's level."),
    )

    total = count_field(_("position total"))
    management = count_field(_("management posts"))
    management_leadership = count_field(
        _("of which leadership posts"), help_text=_("Within the unit's leadership posts (领导职数)."),
    )
    management_3 = _management_level(3)
    management_4 = _management_level(4)
    management_5 = _management_level(5)
    management_6 = _management_level(6)
    management_7 = _management_level(7)
    management_8 = _management_level(8)
    management_9 = _management_level(9)
    management_10 = _management_level(10)
    professional = count_field(_("professional-technical posts"))
    professional_1 = _professional_level(1)
    professional_2 = _professional_level(2)
    professional_3 = _professional_level(3)
    professional_4 = _professional_level(4)
    professional_5 = _professional_level(5)
    professional_6 = _professional_level(6)
    professional_7 = _professional_level(7)
    professional_8 = _professional_level(8)
    professional_9 = _professional_level(9)
    professional_10 = _professional_level(10)
    professional_11 = _professional_level(11)
    professional_12 = _professional_level(12)
    professional_13 = _professional_level(13)
    worker = count_field(_("worker-skill posts"))
    worker_1 = _worker_level(1)
    worker_2 = _worker_level(2)
    worker_3 = _worker_level(3)
    worker_4 = _worker_level(4)
    worker_5 = _worker_level(5)
    worker_ordinary = count_field(_("ordinary workers"))
    special = count_field(_("special posts"), help_text=_("特设岗位: outside the position total and the ratios."))

    findings = models.JSONField(_("rule findings"), default=list, blank=True, editable=False)
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position plan")
        verbose_name_plural = _("position plans")
        ordering = ("institution", "-effective_date")
        indexes = [models.Index(fields=["institution", "-effective_date"], name="plan_unit_date")]
        constraints = [
            FieldUniqueConstraint(
                fields=["institution", "effective_date"], name="plan_one_per_unit_and_date",
                error_field="effective_date",
                violation_error_message=_("This unit already has a position plan taking effect on this date."),
            ),
            FieldUniqueConstraint(
                fields=["institution", "version"], name="plan_version_unique", error_field="version",
                violation_error_message=_("This unit already has a plan with this version."),
            ),
            FieldCheckConstraint(
                condition=Q(management=sum_of(*MANAGEMENT_LEVEL_FIELDS)), name="plan_management_levels_sum",
                error_field="management",
                violation_error_message=_("Grade counts must add up to their category (management)."),
            ),
            FieldCheckConstraint(
                condition=Q(professional=sum_of(*PROFESSIONAL_LEVEL_FIELDS)), name="plan_professional_levels_sum",
                error_field="professional",
                violation_error_message=_("Grade counts must add up to their category (professional-technical)."),
            ),
            FieldCheckConstraint(
                condition=Q(worker=sum_of(*WORKER_LEVEL_FIELDS, "worker_ordinary")), name="plan_worker_levels_sum",
                error_field="worker",
                violation_error_message=_("Grade counts must add up to their category (worker-skill)."),
            ),
            FieldCheckConstraint(
                condition=Q(total=sum_of("management", "professional", "worker")), name="plan_categories_sum",
                error_field="total", violation_error_message=_("Categories must add up to the position total."),
            ),
            FieldCheckConstraint(
                condition=Q(management_leadership__lte=F("management")), name="plan_leadership_within_management",
                error_field="management_leadership",
                violation_error_message=_("Leadership posts cannot exceed the management posts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · v{self.version} ({self.effective_date})"

    def band(self, band: str) -> int:
        return sum(getattr(self, name) or 0 for name in BAND_FIELDS[band])

    def figures(self, *, approved_quotas: int | None = None, leadership_posts: int | None = None) -> rules.PlanFigures:
        """The plan's counts as the pure rules module takes them."""
        def values(names):
            return tuple(getattr(self, name) or 0 for name in names)

        return rules.PlanFigures(
            total=self.total or 0, management=self.management or 0, professional=self.professional or 0,
            worker=self.worker or 0, management_levels=values(MANAGEMENT_LEVEL_FIELDS),
            professional_levels=values(PROFESSIONAL_LEVEL_FIELDS), worker_levels=values(WORKER_LEVEL_FIELDS),
            worker_ordinary=self.worker_ordinary or 0, management_leadership=self.management_leadership or 0,
            special=self.special or 0, main_post_type=self.main_post_type, approved_quotas=approved_quotas,
            leadership_posts=leadership_posts,
        )

    @property
    def warnings(self) -> list[rules.Finding]:
        return [rules.Finding.from_dict(item) for item in self.findings or []]

    def clean(self) -> None:
        from positions.texts import structure_message

        errors = unit_on_date_errors(
            self.institution if self.institution_id else None, self.effective_date, date_field="effective_date"
        )
        for problem in rules.structure_problems(self.figures()):
            if problem.code != "negative":  # the field's own validator says so already
                errors.setdefault(problem.field, []).append(structure_message(problem))
        if errors:
            raise ValidationError(errors)
