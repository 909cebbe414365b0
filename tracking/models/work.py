"""Reform tasks (改革任务) of a department or a district and their milestones (节点)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT, FieldCheckConstraint
from core.dates import validate_date, validate_past_date
from institutions.choices import InstitutionKind, RegionKind


class ReformTask(models.Model):
    """A task of the reform that one department (an administrative agency) or one district or county carries out
    between its start and its due date; its region (the department's, or the district itself) scopes it."""

    region_path = "region"

    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="reform_tasks",
        verbose_name=_("department"), help_text=_("The administrative agency that carries the task out."),
    )
    district = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="reform_tasks",
        verbose_name=_("district or county"), help_text=_("The district or county that carries the task out."),
    )
    region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, related_name="+", editable=False,
        verbose_name=_("owner region"), help_text=_("The department's region, or the district itself."),
    )
    plan = models.ForeignKey(
        "reforms.ReformPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("reform plan"),
    )
    start_date = models.DateField(_("start date"), validators=[validate_date])
    due_date = models.DateField(_("due date"), validators=[validate_date])
    description = models.TextField(_("description"), max_length=TEXT_LIMIT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reform task")
        verbose_name_plural = _("reform tasks")
        ordering = ("due_date", "pk")
        constraints = [
            FieldCheckConstraint(
                condition=(Q(department__isnull=False) & Q(district__isnull=True))
                | (Q(department__isnull=True) & Q(district__isnull=False)),
                name="reform_task_department_or_district", error_field="department",
                violation_error_message=_("A task is carried out by one department or by one district, not both."),
            ),
            FieldCheckConstraint(
                condition=Q(due_date__gte=F("start_date")), name="reform_task_due_after_start", error_field="due_date",
                violation_error_message=_("A task is due on or after the day it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def carried_out_by(self):
        return self.department or self.district

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.department_id and self.district_id:
            errors["department"] = [ValidationError(
                _("A task is carried out by one department or by one district, not both."), code="both_targets")]
        elif not self.department_id and not self.district_id:
            errors["department"] = [ValidationError(
                _("Name the department or the district that carries the task out."), code="no_target")]
        elif self.department_id:
            if self.department.kind != InstitutionKind.AGENCY:
                errors["department"] = [ValidationError(
                    _("A department is an administrative agency, not “%(name)s”.") % {"name": self.department},
                    code="not_an_agency")]
            else:
                self.region_id = self.department.region_id
        elif self.district.kind == RegionKind.CITY:
            errors["district"] = [ValidationError(
                _("A district task names a district or county; the city level's tasks go to its departments."),
                code="not_a_district")]
        else:
            self.region_id = self.district_id
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors.setdefault("due_date", []).append(ValidationError(
                _("A task is due on or after the day it starts."), code="due_before_start"))
        elif self.pk and self.start_date and self.due_date:
            first = self.milestones.filter(Q(due_date__lt=self.start_date) | Q(due_date__gt=self.due_date)).order_by(
                "due_date").first()
            if first is not None:
                errors["start_date" if first.due_date < self.start_date else "due_date"] = [ValidationError(
                    _("The milestone “%(title)s” (due %(due)s) would lie outside the task's span.")
                    % {"title": first.title, "due": first.due_date.isoformat()}, code="milestone_outside_task")]
        if errors:
            raise ValidationError(errors)


class Milestone(models.Model):
    """A step of a task, due inside the task's span; done on a date, or overdue (flagged by ``flag_overdue``)."""

    region_path = "task__region"

    task = models.ForeignKey(ReformTask, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("task"))
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"), validators=[validate_date])
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=[validate_past_date])
    overdue = models.BooleanField(_("overdue"), default=False, editable=False,
                                  help_text=_("Set by the daily check: past its due date and not done."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ("task", "due_date", "pk")
        indexes = [models.Index(fields=["overdue", "due_date"], name="milestone_overdue_due")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        task = self.task if self.task_id else None
        if task is None or self.due_date is None:
            return
        if self.due_date < task.start_date:
            raise ValidationError({"due_date": ValidationError(
                _("The milestone is due on %(due)s, before its task starts (%(start)s).")
                % {"due": self.due_date.isoformat(), "start": task.start_date.isoformat()},
                code="before_task_start")})
        if self.due_date > task.due_date:
            raise ValidationError({"due_date": ValidationError(
                _("The milestone is due on %(due)s, after its task's due date (%(task_due)s).")
                % {"due": self.due_date.isoformat(), "task_due": task.due_date.isoformat()},
                code="after_task_due")})
