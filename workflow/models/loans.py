"""Turnover-pool loans (周转池借用): the request, each return, and the 人走编收 offers.

docs/domain.md, "Turnover pool": a full or over-quota unit borrows pool quotas in one of the allowed cases, for at
most the longest term, with a return plan of expected leavers; the quotas come back early, in part, or one for one as
people leave (人走编收). The ledger moves the quotas (``quotas.services.quota_loan`` / ``quota_return``); these rows say
why. Written through ``workflow.loans`` only.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.constraints import TEXT_LIMIT, FieldCheckConstraint
from outbox.models import ChangeKind
from workflow import states as workflow
from workflow.models.requests import WorkflowRequest


class TalentCategory(models.TextChoices):
    HIGH_LEVEL = "high_level", _("High-level talent")
    SCARCE_PROFESSIONAL = "scarce_professional", _("Scarce professional-technical talent")
    GRADUATE = "graduate", _("Selected graduates")
    SKILLED = "skilled", _("Highly skilled talent")
    OTHER = "other", _("Other")


class LoanCase(models.Model):
    """A case in which a full or over-quota unit may borrow (张家界 2022: six cases; editable in the admin)."""

    region_path = None

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_LIMIT, blank=True)
    is_active = models.BooleanField(_("allowed"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "positions_loancase"  # kept when the model moved here
        verbose_name = _("loan case")
        verbose_name_plural = _("loan cases")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        return self.name


class TurnoverLoan(WorkflowRequest):
    """A unit's request to borrow pool quotas; approved, it is the outstanding loan until returned in full.

    ``return_plan`` lists the unit's expected leavers by date (``[{"date": "2027-07-31", "count": 1}, …]``): the
    loan may not exceed those expected within the term. Approval lends through the ledger and sets the due date;
    returns raise ``returned``; the loan is executed when everything is back.
    """

    WORKFLOW_ACTIONS = (workflow.SUBMIT, workflow.WITHDRAW, workflow.APPROVE, workflow.REJECT, workflow.EXECUTE)
    DECIDED_CHANGE = ChangeKind.LOAN_DECIDED  # a decision goes to the change log (workflow.transitions)

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="turnover_loans",
        verbose_name=_("borrowing unit"),
    )
    pool = models.ForeignKey(
        "quotas.QuotaAccount", on_delete=models.PROTECT, related_name="turnover_loans",
        verbose_name=_("turnover pool"),
    )
    count = models.PositiveIntegerField(_("quotas borrowed"), validators=[MinValueValidator(1)])
    talent_category = models.CharField(_("talent category"), max_length=30, choices=TalentCategory.choices)
    case = models.ForeignKey(LoanCase, on_delete=models.PROTECT, related_name="loans", verbose_name=_("case"))
    term_months = models.PositiveIntegerField(_("term (months)"), validators=[MinValueValidator(1)])
    return_plan = models.JSONField(
        _("return plan"), default=list, blank=True,
        help_text=_("Expected leavers by date: a list of {\"date\": \"YYYY-MM-DD\", \"count\": n}."),
    )
    justification = models.TextField(_("justification"), max_length=TEXT_LIMIT, blank=True)
    start_date = models.DateField(_("lent on"), null=True, blank=True, editable=False)
    due_date = models.DateField(_("due on"), null=True, blank=True, editable=False)
    returned = models.PositiveIntegerField(_("returned"), default=0, editable=False)
    loan_transfer = models.OneToOneField(
        "quotas.QuotaTransfer", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("loan transfer"),
    )
    is_overdue = models.BooleanField(_("overdue"), default=False, editable=False)
    overdue_flagged_on = models.DateField(_("flagged overdue on"), null=True, blank=True, editable=False)

    class Meta:
        db_table = "positions_turnoverloan"  # kept when the model moved here
        verbose_name = _("turnover-pool loan")
        verbose_name_plural = _("turnover-pool loans")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["status", "due_date"], name="loan_state_due")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(count__gte=1), name="loan_count_positive", error_field="count",
                violation_error_message=_("A loan is of at least one quota."),
            ),
            FieldCheckConstraint(
                condition=Q(returned__lte=F("count")), name="loan_returned_within_count", error_field="count",
                violation_error_message=_("More cannot come back than was lent."),
            ),
            FieldCheckConstraint(
                condition=Q(term_months__gte=1), name="loan_term_positive", error_field="term_months",
                violation_error_message=_("The term is at least one month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} ← {self.count} ({self.get_status_display()})"

    @property
    def outstanding(self) -> int:
        """Quotas lent and not yet back (0 before approval)."""
        if self.status not in (workflow.APPROVED, workflow.EXECUTED):
            return 0
        return (self.count or 0) - (self.returned or 0)

    def decided_figures(self) -> dict:
        """What the change log says of a decision on the loan."""
        return {"pool": self.pool_id, "count": self.count, "outstanding": self.outstanding,
                "start_date": self.start_date.isoformat() if self.start_date else None,
                "due_date": self.due_date.isoformat() if self.due_date else None}

    @property
    def return_state(self) -> str:
        """"outstanding", "partly_returned" or "returned" (empty before the loan is made)."""
        if self.status not in (workflow.APPROVED, workflow.EXECUTED):
            return ""
        if self.returned >= self.count:
            return "returned"
        return "partly_returned" if self.returned else "outstanding"


class LoanReturn(models.Model):
    """One return of pool quotas: early, partial, at the end, or one for one as a person leaves (人走编收)."""

    region_path = "loan__institution__region"

    class Kind(models.TextChoices):
        EARLY = "early", _("Early or partial return")
        ONE_FOR_ONE = "one_for_one", _("One for one as a person leaves (人走编收)")
        SETTLEMENT = "settlement", _("Settlement of the rest")

    loan = models.ForeignKey(TurnoverLoan, on_delete=models.PROTECT, related_name="returns", verbose_name=_("loan"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField(_("quotas returned"), validators=[MinValueValidator(1)])
    date = models.DateField(_("date"))
    transfer = models.OneToOneField(
        "quotas.QuotaTransfer", on_delete=models.PROTECT, related_name="+", verbose_name=_("return transfer")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "positions_loanreturn"  # kept when the model moved here
        verbose_name = _("loan return")
        verbose_name_plural = _("loan returns")
        ordering = ("date", "pk")

    def __str__(self) -> str:
        return f"{self.loan} → {self.count} ({self.date})"


class OfferState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")


class LoanReturnOffer(models.Model):
    """人走编收: a borrowing unit recorded an exit, so the office is offered the return of pool quotas.

    Pending offers are listed in the city office's inbox; accepting posts the return, declining keeps the quota with
    the unit (the person's post is refilled against the loan). An offer lapses when the loan is settled otherwise.
    """

    region_path = "loan__institution__region"

    loan = models.ForeignKey(TurnoverLoan, on_delete=models.PROTECT, related_name="offers", verbose_name=_("loan"))
    movement = models.ForeignKey(
        "workflow.StaffMovement", on_delete=models.PROTECT, related_name="return_offers",
        verbose_name=_("exit"),
    )
    count = models.PositiveIntegerField(_("quotas offered"), validators=[MinValueValidator(1)])
    state = models.CharField(_("state"), max_length=20, choices=OfferState.choices, default=OfferState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=TEXT_LIMIT, blank=True)
    loan_return = models.OneToOneField(
        LoanReturn, on_delete=models.PROTECT, null=True, blank=True, related_name="offer",
        verbose_name=_("return"),
    )
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)

    class Meta:
        db_table = "positions_loanreturnoffer"  # kept when the model moved here
        verbose_name = _("return offer (人走编收)")
        verbose_name_plural = _("return offers (人走编收)")
        ordering = ("-created_at", "-pk")
        constraints = [
            FieldCheckConstraint(
                condition=Q(count__gte=1), name="offer_count_positive", error_field="count",
                violation_error_message=_("An offer is of at least one quota."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} · {self.count} ({self.get_state_display()})"
