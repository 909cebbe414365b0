"""The checklist of each unit a reform affects (单位清单): the three handles written
(三定规定、权责清单、章程), the four
in place (机构、职能、人员、编制到位) and its legal-person registration (设立 / 变更 / 注销 登记)."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT, FieldCheckConstraint, FieldUniqueConstraint
from core.dates import validate_date, validate_past_date
from tracking import deadlines

HANDLE_FIELDS = ("sanding_on", "power_list_on", "charter_on")
IN_PLACE_FIELDS = ("organisation_in_place_on", "functions_in_place_on", "staff_in_place_on", "quotas_in_place_on")
DONE_FIELDS = (*HANDLE_FIELDS, *IN_PLACE_FIELDS, "registration_done_on")


def establish_days() -> int:
    """The days a new unit has to register (设立登记): the platform's setting, illustrative, configurable."""
    return int(getattr(settings, "TRACKING_ESTABLISH_DAYS", deadlines.ESTABLISH_DAYS))


class RegistrationKind(models.TextChoices):
    ESTABLISH = deadlines.ESTABLISH, _("Establishment registration (设立登记)")
    CHANGE = deadlines.CHANGE, _("Change registration (变更登记)")
    DEREGISTER = deadlines.DEREGISTER, _("Deregistration (注销登记)")


class UnitChecklist(models.Model):
    """One unit's follow-up of one reform plan or one task. A unit that closes has only its deregistration to do
    (``handles_apply`` off); the others write the three handles and put the four in place."""

    region_path = "region"

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="checklists",
                                    verbose_name=_("unit"))
    region = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, related_name="+", editable=False,
                               verbose_name=_("region"), help_text=_("The unit's region when the checklist was made."))
    plan = models.ForeignKey("reforms.ReformPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("reform plan"))
    task = models.ForeignKey("tracking.ReformTask", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="checklists", verbose_name=_("task"))
    handles_apply = models.BooleanField(
        _("three handles and four in place apply"), default=True,
        help_text=_("Off for a unit that closes: only its deregistration is followed."))
    sanding_on = models.DateField(_("三定 regulation written on"), null=True, blank=True,
                                  validators=[validate_past_date])
    power_list_on = models.DateField(_("power list written on"), null=True, blank=True,
                                     validators=[validate_past_date])
    charter_on = models.DateField(_("charter written on"), null=True, blank=True, validators=[validate_past_date])
    organisation_in_place_on = models.DateField(_("organisation in place on"), null=True, blank=True,
                                                validators=[validate_past_date])
    functions_in_place_on = models.DateField(_("functions in place on"), null=True, blank=True,
                                             validators=[validate_past_date])
    staff_in_place_on = models.DateField(_("staff in place on"), null=True, blank=True,
                                         validators=[validate_past_date])
    quotas_in_place_on = models.DateField(_("quotas in place on"), null=True, blank=True,
                                          validators=[validate_past_date])
    registration_kind = models.CharField(_("registration"), max_length=12, choices=RegistrationKind.choices,
                                         blank=True, help_text=_("Empty: no registration to make."))
    registration_basis = models.DateField(
        _("deadline runs from"), null=True, blank=True, validators=[validate_date],
        help_text=_("The end of the liquidation (deregistration) or the approval (change, establishment)."))
    registration_due = models.DateField(_("registration due"), null=True, blank=True, editable=False)
    registration_done_on = models.DateField(_("registered on"), null=True, blank=True,
                                            validators=[validate_past_date])
    overdue = models.BooleanField(_("overdue"), default=False, editable=False,
                                  help_text=_("Set by the daily check: the registration is past its due date."))
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit checklist")
        verbose_name_plural = _("unit checklists")
        ordering = ("region__code", "institution__name", "pk")
        indexes = [models.Index(fields=["overdue", "registration_due"], name="checklist_overdue_due")]
        constraints = [
            FieldUniqueConstraint(
                fields=["institution", "plan"], condition=Q(plan__isnull=False), name="checklist_unit_plan_unique",
                error_field="institution",
                violation_error_message=_("This unit has its checklist for this plan already.")),
            FieldUniqueConstraint(
                fields=["institution", "task"], condition=Q(task__isnull=False), name="checklist_unit_task_unique",
                error_field="institution",
                violation_error_message=_("This unit has its checklist for this task already.")),
            FieldCheckConstraint(
                condition=Q(plan__isnull=False) | Q(task__isnull=False), name="checklist_plan_or_task",
                error_field="task", violation_error_message=_("A checklist follows a reform plan or a task.")),
            FieldCheckConstraint(
                condition=Q(registration_kind="") | Q(registration_basis__isnull=False),
                name="checklist_registration_has_basis", error_field="registration_basis",
                violation_error_message=_("A registration names the date its deadline runs from.")),
        ]

    def __str__(self) -> str:
        return str(self.institution)

    def items(self) -> list[str]:
        """The names of the items this unit has to do."""
        names = [*HANDLE_FIELDS, *IN_PLACE_FIELDS] if self.handles_apply else []
        return [*names, "registration_done_on"] if self.registration_kind else names

    @property
    def done_count(self) -> int:
        return sum(getattr(self, name) is not None for name in self.items())

    @property
    def is_complete(self) -> bool:
        return self.done_count == len(self.items())

    def compute_due(self) -> None:
        """The registration's deadline, from its kind and the date it runs from (``tracking.deadlines``)."""
        self.registration_due = deadlines.registration_due(
            self.registration_kind, self.registration_basis, establish_days=establish_days()) if (
            self.registration_kind and self.registration_basis) else None

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.institution_id:
            self.region_id = self.region_id or self.institution.region_id
        if not self.plan_id and not self.task_id:
            errors["task"] = [ValidationError(_("A checklist follows a reform plan or a task."), code="no_source")]
        if self.registration_kind and not self.registration_basis:
            errors["registration_basis"] = [ValidationError(
                _("A registration names the date its deadline runs from."), code="no_basis")]
        if not self.registration_kind and self.registration_done_on:
            errors["registration_done_on"] = [ValidationError(
                _("There is no registration to mark done: choose its kind first."), code="no_registration")]
        if (self.registration_done_on and self.registration_basis
                and self.registration_done_on < self.registration_basis):
            errors["registration_done_on"] = [ValidationError(
                _("A registration is made on or after the date its deadline runs from (%(basis)s).")
                % {"basis": self.registration_basis.isoformat()}, code="done_before_basis")]
        if not self.handles_apply:
            given = [name for name in (*HANDLE_FIELDS, *IN_PLACE_FIELDS) if getattr(self, name) is not None]
            for name in given:
                errors[name] = [ValidationError(
                    _("This unit closes: only its deregistration is followed."), code="unit_closes")]
        if errors:
            raise ValidationError(errors)
        self.compute_due()
