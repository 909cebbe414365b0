"""Reform plans (改革方案) and their operations: how units are established, merged, devolved, abolished, marketised,
renamed and re-plaqued, through the ledger and the registry, in one transaction.

A plan moves through the shared request states (``workflow.states``): a district office proposes inside its region,
the city office decides with the plan's approval document, and executing it carries out every operation in order.
What each kind of operation does is in ``reforms.services`` and docs/domain.md, "Reform operations".
"""
from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constraints import TEXT_LIMIT, FieldCheckConstraint
from core.dates import validate_date
from institutions.choices import Category, FundingForm, MustExistReason
from positions.choices import PostCategory
from workflow import states as workflow
from workflow.models.requests import WorkflowRequest

MAX_QUOTAS = 1_000_000  # as a ledger move (core bounds): no unit is approved more
# The fields of a placement and of a split's part that a form or a client gives (the API and the admin).
PLACEMENT_FIELDS = ("from_institution", "to_institution", "category", "band", "count")
SPLIT_PART_FIELDS = ("name", "approved_total", "management", "professional", "senior_full", "senior_deputy",
                     "intermediate", "junior", "worker")


class OperationKind(models.TextChoices):
    ESTABLISH = "establish", _("Establish (新设)")
    MERGE = "merge", _("Merge (整合)")
    SPLIT = "split", _("Split (分设)")
    DEVOLVE = "devolve", _("Devolve (下放)")
    ABOLISH = "abolish", _("Abolish (撤销)")
    MARKETISE = "marketise", _("Marketise (转企改制)")
    RENAME = "rename", _("Rename (更名)")
    ADD_PLAQUE = "add_plaque", _("Add a plaque (加挂牌子)")
    REMOVE_PLAQUE = "remove_plaque", _("Remove a plaque (撤销牌子)")
    CHANGE_SUPERVISOR = "change_supervisor", _("Change the supervising agency (划转隶属)")
    CHANGE_CATEGORY = "change_category", _("Change the category (分类调整)")
    CHANGE_FUNDING = "change_funding", _("Change the funding form (经费形式调整)")
    ADJUST_QUOTAS = "adjust_quotas", _("Adjust approved quotas (核增 / 核减)")
    CORRECT = "correct", _("Correct the registry (更正)")


# The kinds that end their units (merge: the sources).
ENDING_KINDS = (OperationKind.MERGE, OperationKind.ABOLISH, OperationKind.MARKETISE)


class SurplusAction(models.TextChoices):
    RECLAIM = "reclaim", _("Reclaim to the region pool (收回)")
    CANCEL = "cancel", _("Cancel (核销)")


class MarketPath(models.TextChoices):
    IMMEDIATE = "immediate", _("Quotas cancelled at once")
    GRADUAL = "gradual", _("Gradual (稳步推进): quotas under controlled use, cancelled as staff leave")


class ReformPlan(WorkflowRequest):
    """A reform plan: its operations are carried out together, on the plan's date, under its approval document."""

    WORKFLOW_ACTIONS = (workflow.SUBMIT, workflow.WITHDRAW, workflow.APPROVE, workflow.REJECT, workflow.EXECUTE)
    region_path = "region"

    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, related_name="reform_plans", verbose_name=_("region"),
        help_text=_("Where the plan applies: a district office proposes for its own region; a plan of the city "
                    "level may also devolve units to districts and counties."),
    )
    effective_date = models.DateField(_("effective date"), validators=[validate_date])
    description = models.TextField(_("description"), max_length=TEXT_LIMIT, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reform plan")
        verbose_name_plural = _("reform plans")
        ordering = ("-effective_date", "-pk")

    def __str__(self) -> str:
        return self.title

    def proposal_region_id(self) -> int | None:
        return self.region_id


class ReformOperation(models.Model):
    """One change of a plan. Which fields an operation reads depends on its kind (``reforms.planner``: a method per
    kind, which names what a kind lacks as a problem of the preview)."""

    region_path = "plan__region"

    plan = models.ForeignKey(ReformPlan, on_delete=models.CASCADE, related_name="operations", verbose_name=_("plan"))
    position = models.PositiveSmallIntegerField(_("order"), default=1, validators=[MaxValueValidator(10_000)])
    kind = models.CharField(_("kind"), max_length=20, choices=OperationKind.choices)
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("institution"),
        help_text=_("The unit operated on; for a merge, the surviving unit (empty: the merger forms a new unit)."),
    )
    sources = models.ManyToManyField(
        "institutions.Institution", blank=True, related_name="+", verbose_name=_("merged units"),
        help_text=_("The units a merger ends (their quotas and staff go to the survivor)."),
    )
    quota_type = models.ForeignKey(
        "quotas.QuotaType", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("quota type"), help_text=_("Empty: institutional quotas."),
    )
    approved_total = models.PositiveIntegerField(
        _("approved quotas"), null=True, blank=True, validators=[MaxValueValidator(MAX_QUOTAS)],
        help_text=_("The unit's approved quotas after the operation (establish, merge, adjust)."),
    )
    surplus = models.CharField(
        _("quotas set free"), max_length=10, choices=SurplusAction.choices, default=SurplusAction.CANCEL,
        help_text=_("What happens to the quotas an ending or shrinking unit no longer needs."),
    )
    market_path = models.CharField(
        _("market path"), max_length=10, choices=MarketPath.choices, default=MarketPath.IMMEDIATE,
    )
    new_name = models.CharField(_("new name"), max_length=200, blank=True)
    new_region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("receiving region"), help_text=_("Devolve: the district or county that takes the unit."),
    )
    new_supervisor = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("new supervising agency"),
    )
    new_category = models.CharField(_("new category"), max_length=20, choices=Category.choices, blank=True)
    new_funding_form = models.CharField(_("new funding form"), max_length=20, choices=FundingForm.choices,
                                        blank=True)
    must_exist_reason = models.CharField(
        _("must-exist reason"), max_length=30, choices=MustExistReason.choices, blank=True,
        help_text=_("Establish: why the new unit must exist."),
    )
    keep_names_as_plaques = models.BooleanField(
        _("keep the merged units' names as plaques"), default=False,
    )
    plaque_name = models.CharField(_("plaque"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), max_length=TEXT_LIMIT, blank=True)
    created_unit = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("unit formed"),
    )
    result = models.JSONField(_("what was done"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("reform operation")
        verbose_name_plural = _("reform operations")
        ordering = ("plan", "position", "pk")
        constraints = [
            FieldCheckConstraint(
                condition=~Q(kind="devolve") | Q(new_region__isnull=False), name="devolve_names_region",
                error_field="new_region", violation_error_message=_("A devolution names the receiving region."),
            ),
        ]

    def __str__(self) -> str:
        subject = self.institution or self.new_name or ""
        return f"{self.position}. {self.get_kind_display()} {subject}".strip()


class StaffPlacement(models.Model):
    """Where staff of an ending unit go (分流安置): to a named receiving unit, which gets as many quotas from its
    region's pool, or off the quota (``to_institution`` empty: they leave)."""

    region_path = "operation__plan__region"

    operation = models.ForeignKey(
        ReformOperation, on_delete=models.CASCADE, related_name="placements", verbose_name=_("operation")
    )
    from_institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("from unit"),
        null=True, blank=True, help_text=_("Empty: the unit the operation ends or forms (a merger's survivor)."),
    )
    to_institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("receiving unit"), help_text=_("Empty: they leave the quota."),
    )
    category = models.CharField(_("post category"), max_length=20, choices=PostCategory.choices)
    band = models.CharField(_("band"), max_length=20, blank=True,
                            help_text=_("For professional-technical staff: senior_full, senior_deputy, intermediate "
                                        "or junior."))
    count = models.PositiveIntegerField(_("people"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUOTAS)])

    class Meta:
        verbose_name = _("staff placement")
        verbose_name_plural = _("staff placements")
        ordering = ("operation", "pk")
        constraints = [
            FieldCheckConstraint(condition=Q(count__gte=1), name="placement_count_positive", error_field="count",
                                 violation_error_message=_("A placement moves at least one person.")),
        ]

    def __str__(self) -> str:
        return f"{self.count} → {self.to_institution or _('leave the quota')}"


class SplitPart(models.Model):
    """A unit a split (分设) forms out of the operation's unit: its name, the quotas it takes and the staff who go
    with it, by category and professional band (the rest stays with the unit split)."""

    region_path = "operation__plan__region"

    operation = models.ForeignKey(ReformOperation, on_delete=models.CASCADE, related_name="parts",
                                  verbose_name=_("operation"))
    name = models.CharField(_("name"), max_length=200)
    approved_total = models.PositiveIntegerField(_("approved quotas"), validators=[MaxValueValidator(MAX_QUOTAS)])
    management = models.PositiveIntegerField(_("management staff"), default=0,
                                             validators=[MaxValueValidator(MAX_QUOTAS)])
    professional = models.PositiveIntegerField(_("professional-technical staff"), default=0,
                                               validators=[MaxValueValidator(MAX_QUOTAS)])
    senior_full = models.PositiveIntegerField(_("of which senior (full)"), default=0,
                                              validators=[MaxValueValidator(MAX_QUOTAS)])
    senior_deputy = models.PositiveIntegerField(_("of which senior (deputy)"), default=0,
                                                validators=[MaxValueValidator(MAX_QUOTAS)])
    intermediate = models.PositiveIntegerField(_("of which intermediate"), default=0,
                                               validators=[MaxValueValidator(MAX_QUOTAS)])
    junior = models.PositiveIntegerField(_("of which junior"), default=0, validators=[MaxValueValidator(MAX_QUOTAS)])
    worker = models.PositiveIntegerField(_("worker-skill staff"), default=0, validators=[MaxValueValidator(MAX_QUOTAS)])

    class Meta:
        verbose_name = _("unit split off")
        verbose_name_plural = _("units split off")
        ordering = ("operation", "pk")
        constraints = [
            FieldCheckConstraint(
                condition=Q(professional=models.F("senior_full") + models.F("senior_deputy")
                            + models.F("intermediate") + models.F("junior")),
                name="split_part_bands_sum", error_field="professional",
                violation_error_message=_("The bands add up to the professional-technical staff."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in (
            "management", "professional", "senior_full", "senior_deputy", "intermediate", "junior", "worker")}
