"""What the workflow requests share: their state, the decision, the event log, and the office's policy."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.constraints import TEXT_LIMIT
from workflow import states as workflow


class RequestState(models.TextChoices):
    DRAFT = workflow.DRAFT, _("Draft")
    SUBMITTED = workflow.SUBMITTED, _("Submitted")
    APPROVED = workflow.APPROVED, _("Approved")
    REJECTED = workflow.REJECTED, _("Rejected")
    EXECUTED = workflow.EXECUTED, _("Executed")
    WITHDRAWN = workflow.WITHDRAWN, _("Withdrawn")
    EXPIRED = workflow.EXPIRED, _("Expired")


class RequestAction(models.TextChoices):
    CREATE = "create", _("Create")
    SUBMIT = workflow.SUBMIT, _("Submit")
    WITHDRAW = workflow.WITHDRAW, _("Withdraw")
    APPROVE = workflow.APPROVE, _("Approve")
    REJECT = workflow.REJECT, _("Reject")
    EXECUTE = workflow.EXECUTE, _("Execute")
    EXPIRE = workflow.EXPIRE, _("Expire")
    HAND_OVER = workflow.HAND_OVER, _("Moved to a merger's surviving unit")


class RequestEvent(models.Model):
    """One step of one request: who did what, when, from which state to which, why, on which document.

    One log for every workflow (a generic link to the request), so that "everything that happened in a region this
    month" is one query; ``region`` is copied from the request's unit for scoping.
    """

    region_path = "region"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("request kind"))
    object_id = models.PositiveBigIntegerField(_("request id"))
    request = GenericForeignKey("content_type", "object_id")
    region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    action = models.CharField(_("action"), max_length=20, choices=RequestAction.choices)
    from_state = models.CharField(_("from state"), max_length=20, choices=RequestState.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, choices=RequestState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"), help_text=_("Empty: done by the system (a periodic task)."),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), max_length=TEXT_LIMIT, blank=True)
    document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("document"),
    )

    class Meta:
        db_table = "positions_requestevent"  # kept when the model moved here
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ("at", "pk")
        indexes = [models.Index(fields=["content_type", "object_id"], name="request_event_request")]

    def __str__(self) -> str:
        return _("%(action)s: %(before)s → %(after)s") % {
            "action": self.get_action_display(), "before": self.get_from_state_display() or "—",
            "after": self.get_to_state_display()}


class WorkflowRequest(models.Model):
    """Abstract: a request the district or city office files and the city office decides.

    The state moves only through ``workflow.transitions.request_transition`` (the table in ``workflow.states``),
    which writes a ``RequestEvent`` for each step. ``WORKFLOW_ACTIONS`` names the actions a kind takes part in.
    """

    WORKFLOW_ACTIONS: tuple[str, ...] = workflow.ACTIONS
    region_path = "institution__region"

    status = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.DRAFT, editable=False,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("decided by"),
    )
    decision_note = models.TextField(
        _("office's review"), blank=True, editable=False,
        help_text=_("The city office's review with its decision; the reason of a rejection."),
        max_length=TEXT_LIMIT,
    )
    document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("approval document"),
    )
    events = GenericRelation(RequestEvent)

    class Meta:
        abstract = True

    def proposal_region_id(self) -> int | None:
        """The region the request is proposed in: a district office proposes only inside its own."""
        return self.institution.region_id if self.institution_id else None

    @property
    def actions(self) -> tuple[str, ...]:
        return workflow.available_actions(self.status, allowed=self.WORKFLOW_ACTIONS)


class WorkflowPolicy(models.Model):
    """The office's configurable rules for notices and turnover-pool loans (one row, edited in the admin).

    Defaults follow docs/domain.md, "Turnover pool" (张家界 2022): a term of at most 3 years, no borrowing by a unit
    with usable vacancies, and no more borrowed than the leavers expected within the term.
    """

    region_path = None

    notice_office_code = models.CharField(
        _("notice office code"), max_length=20, default="哈编核",
        help_text=_("机关代字 of quota-use notices, numbered like 哈编核〔2026〕12号."),
    )
    notice_validity_days = models.PositiveIntegerField(
        _("notice validity (days)"), default=180, validators=[MinValueValidator(1)],
        help_text=_("How long an issued quota-use notice reserves its quotas."),
    )
    notice_checks_posts = models.BooleanField(
        _("notices check posts by category"), default=True,
        help_text=_("When the unit has a position plan and a staff count, a notice may not exceed the posts of its "
                    "category that lack staff."),
    )
    loan_max_term_months = models.PositiveIntegerField(
        _("longest loan term (months)"), default=36, validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    loan_refused_with_vacancy = models.BooleanField(
        _("a unit with usable vacancies may not borrow"), default=True,
    )
    loan_within_expected_leavers = models.BooleanField(
        _("borrow no more than the leavers expected within the term"), default=True,
    )
    due_soon_days = models.PositiveIntegerField(
        _("loans due soon (days)"), default=90, help_text=_("The inbox lists loans due within this many days."),
    )
    expiring_soon_days = models.PositiveIntegerField(
        _("notices expiring soon (days)"), default=30,
        help_text=_("The inbox lists notices whose validity ends within this many days."),
    )

    class Meta:
        db_table = "positions_workflowpolicy"  # kept when the model moved here
        verbose_name = _("workflow policy")
        verbose_name_plural = _("workflow policy")

    def __str__(self) -> str:
        return str(_("Workflow policy"))

    @classmethod
    def current(cls) -> WorkflowPolicy:
        """The policy row (the defaults, unsaved, when none was stored)."""
        return cls.objects.order_by("pk").first() or cls()
