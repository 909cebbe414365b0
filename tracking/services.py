"""Writes of the follow-up: tasks, milestones and checklists saved (each checked as the model checks it, in one
transaction), the checklists derived from executed reform plans, the registered units' annual reports opened each
year and submitted, and the daily overdue flags.

The reform (``reforms``) sits below this app and knows nothing of it: what each executed operation means for its
units' registrations is read here from the plan's operations and the registry (docs/domain.md, "Reform tracking").
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from institutions.choices import InstitutionKind, InstitutionStatus, LegalPersonState
from institutions.models import Institution, InstitutionEvent, LifeEventKind
from reforms.models import OperationKind, ReformPlan
from tracking import deadlines
from tracking.models import AnnualReport, Milestone, ReformTask, RegistrationKind, UnitChecklist
from tracking.models.checklists import DONE_FIELDS
from workflow import states as workflow
from workflow.transitions import require_proposer

TASK_FIELDS = ("title", "department", "district", "plan", "start_date", "due_date", "description")
MILESTONE_FIELDS = ("task", "title", "due_date", "done_on")
CHECKLIST_FIELDS = ("institution", "plan", "task", "handles_apply", "registration_kind", "registration_basis",
                    "note", *DONE_FIELDS)
# Fields fixed once the row exists: what it follows.
CHECKLIST_FIXED = ("institution", "plan", "task")
ANNUAL_REPORT_FIELDS = ("submitted_on", "note")


def _set(row, values: dict[str, Any], allowed: Iterable[str]) -> None:
    for name, value in values.items():
        if name not in allowed:
            raise ValidationError({name: _("Unknown field.")}, code="unknown_field")
        setattr(row, name, value)


def _today() -> datetime.date:
    return timezone.localdate()


# --- tasks and milestones -----------------------------------------------------------------------------------------
@transaction.atomic
def reform_task_save(*, by, task: ReformTask | None = None, **values: Any) -> ReformTask:
    """Create a task, or change one; its milestones must still lie inside its span."""
    if task is not None:
        task = ReformTask.objects.select_for_update().get(pk=task.pk)
        require_proposer(by, region_id=task.region_id)
    else:
        task = ReformTask()
    _set(task, values, TASK_FIELDS)
    task.full_clean()
    require_proposer(by, region_id=task.region_id)
    task._history_user = by if getattr(by, "pk", None) else None
    task.save()
    return task


@transaction.atomic
def milestone_save(*, by, milestone: Milestone | None = None, **values: Any) -> Milestone:
    """Create a milestone, or change one (mark it done): it is due inside its task's span."""
    if milestone is not None:
        milestone = Milestone.objects.select_for_update().select_related("task").get(pk=milestone.pk)
        if "task" in values and values["task"].pk != milestone.task_id:
            raise ValidationError({"task": ValidationError(
                _("A milestone stays with its task; add a new one to the other."), code="task_fixed")})
    else:
        milestone = Milestone()
    _set(milestone, values, MILESTONE_FIELDS)
    if milestone.task_id:
        require_proposer(by, region_id=milestone.task.region_id)
    milestone.full_clean()
    milestone.overdue = deadlines.is_overdue(milestone.due_date, milestone.done_on, _today())
    milestone._history_user = by if getattr(by, "pk", None) else None
    milestone.save()
    return milestone


# --- checklists ---------------------------------------------------------------------------------------------------
@transaction.atomic
def checklist_save(*, by, checklist: UnitChecklist | None = None, **values: Any) -> UnitChecklist:
    """Create a unit's checklist for a task (or a plan), or record what it has done."""
    if checklist is not None:
        checklist = UnitChecklist.objects.select_for_update().get(pk=checklist.pk)
        for name in CHECKLIST_FIXED:
            if name in values and getattr(values[name], "pk", values[name]) != getattr(checklist, f"{name}_id"):
                raise ValidationError({name: ValidationError(
                    _("A checklist keeps its unit, plan and task; make a new one."), code="checklist_fixed")})
    else:
        checklist = UnitChecklist()
    _set(checklist, values, CHECKLIST_FIELDS)
    checklist.full_clean()
    require_proposer(by, region_id=checklist.region_id)
    checklist.overdue = deadlines.is_overdue(checklist.registration_due, checklist.registration_done_on, _today())
    checklist._history_user = by if getattr(by, "pk", None) else None
    checklist.save()
    return checklist


# What each executed operation asks of a unit's registration; a unit named twice in a plan keeps the strongest
# (a unit renamed and then merged away is deregistered).
STRENGTH = {deadlines.CHANGE: 1, deadlines.ESTABLISH: 2, deadlines.DEREGISTER: 3}
CHANGE_KINDS = (OperationKind.DEVOLVE, OperationKind.RENAME, OperationKind.CHANGE_SUPERVISOR,
                OperationKind.CHANGE_FUNDING)
ENDS = (OperationKind.ABOLISH, OperationKind.MARKETISE)


def reform_registrations(plan: ReformPlan) -> dict[int, tuple[str, datetime.date]]:
    """Unit id → (registration kind, the date its deadline runs from) for every unit the executed plan affects.

    An abolished, marketised or merged-away unit: 注销, from its liquidation's end (the registry holds no date of
    its own for it: the unit's end date is taken); a new unit (established, formed by a merger or split off): 设立,
    from the plan's date; a surviving unit of a merger, a unit split, renamed, devolved or given another supervising
    agency or funding form: 变更, from the plan's date (the approved change takes effect then). A unit on the
    gradual market path is deregistered once it has ended (the sweep finds it then)."""
    found: dict[int, tuple[str, datetime.date]] = {}
    day = plan.effective_date

    def put(unit_id: int | None, kind: str, basis: datetime.date | None) -> None:
        if unit_id is None or basis is None:
            return
        current = found.get(unit_id)
        if current is None or STRENGTH[kind] > STRENGTH[current[0]]:
            found[unit_id] = (kind, basis)

    operations = list(plan.operations.select_related("institution").prefetch_related("sources"))
    for op in operations:
        if op.kind == OperationKind.ESTABLISH:
            put(op.created_unit_id, deadlines.ESTABLISH, day)
        elif op.kind == OperationKind.MERGE:
            for source in op.sources.all():
                if source.status != InstitutionStatus.ACTIVE:
                    put(source.pk, deadlines.DEREGISTER, source.ended_on)
            if op.institution_id:
                put(op.institution_id, deadlines.CHANGE, day)
            else:
                put(op.created_unit_id, deadlines.ESTABLISH, day)
        elif op.kind == OperationKind.SPLIT and op.institution_id:
            put(op.institution_id, deadlines.CHANGE, day)
            parts = InstitutionEvent.objects.filter(kind=LifeEventKind.SPLIT_INTO, institution_id=op.institution_id,
                                                    date=day, document_id=plan.document_id)
            for part_id in parts.values_list("related_id", flat=True):
                put(part_id, deadlines.ESTABLISH, day)
        elif op.kind in ENDS and op.institution_id:
            if op.institution.status != InstitutionStatus.ACTIVE:
                put(op.institution_id, deadlines.DEREGISTER, op.institution.ended_on)
        elif op.kind in CHANGE_KINDS:
            put(op.institution_id, deadlines.CHANGE, day)
    return found


def _checklists_of(plan: ReformPlan, existing: set[int]) -> list[UnitChecklist]:
    registrations = reform_registrations(plan)
    units = Institution.objects.filter(pk__in=[pk for pk in registrations if pk not in existing],
                                       kind=InstitutionKind.PUBLIC_INSTITUTION)
    today, made = _today(), []
    for unit in units.order_by("pk"):
        kind, basis = registrations[unit.pk]
        applies = unit.legal_person_state != LegalPersonState.NOT_APPLICABLE
        checklist = UnitChecklist(
            institution=unit, region_id=unit.region_id, plan=plan, handles_apply=kind != deadlines.DEREGISTER,
            registration_kind=RegistrationKind(kind) if applies else "",
            registration_basis=basis if applies else None)
        checklist.compute_due()
        checklist.overdue = deadlines.is_overdue(checklist.registration_due, None, today)
        made.append(checklist)
    return made


def checklists_from_reform(plan: ReformPlan, *, by=None) -> list[UnitChecklist]:
    """Give each unit the executed plan affects its checklist (those it has already are left as they are);
    returns the checklists made. A plan not executed is refused."""
    with transaction.atomic():
        locked = ReformPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != workflow.EXECUTED:
            raise ValidationError({"plan": ValidationError(
                _("Only an executed plan gives its units their checklists."), code="plan_not_executed")})
        existing = set(UnitChecklist.objects.filter(plan=locked).values_list("institution_id", flat=True))
        made = _checklists_of(locked, existing)
        if made:
            bulk_create_with_history(made, UnitChecklist, default_user=by if getattr(by, "pk", None) else None,
                                     default_change_reason=str(locked)[:100])
        return made


def checklists_sync(*, by=None) -> int:
    """The sweep: every executed plan's units get their missing checklists (idempotent: a second run makes none).
    Returns how many were made."""
    made = 0
    for plan in ReformPlan.objects.filter(status=workflow.EXECUTED).order_by("effective_date", "pk"):
        made += len(checklists_from_reform(plan, by=by))
    return made


# --- annual reports -----------------------------------------------------------------------------------------------
def annual_report_units(year: int) -> QuerySet:
    """The units that report on ``year``: public institutions holding their legal-person registration
    (``LegalPersonState.REGISTERED``) that were active at some time in the year (established by its last day, or
    with no date recorded, and not ended before its first), less those whose deregistration (注销) is recorded done."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    deregistered = UnitChecklist.objects.filter(registration_kind=RegistrationKind.DEREGISTER,
                                                registration_done_on__isnull=False).values("institution_id")
    return Institution.objects.filter(
        kind=InstitutionKind.PUBLIC_INSTITUTION, legal_person_state=LegalPersonState.REGISTERED).filter(
        Q(established_on__isnull=True) | Q(established_on__lte=last)).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)).exclude(pk__in=deregistered)


def annual_reports_open(year: int, *, institutions: QuerySet | None = None, by=None) -> list[AnnualReport]:
    """Open the reports on ``year`` (a year that is over) of every unit that reports on it (``institutions``
    narrows the units, e.g. to one region); a unit that has its report on the year keeps it. Idempotent (a second
    run opens none); returns the reports opened."""
    today = _today()
    if not isinstance(year, int) or isinstance(year, bool) or not deadlines.EARLIEST_YEAR <= year < today.year:
        raise ValidationError({"year": ValidationError(
            _("Reports are opened on a year that is over: from %(first)d to %(last)d.")
            % {"first": deadlines.EARLIEST_YEAR, "last": today.year - 1}, code="year_not_over")})
    due = deadlines.annual_report_due(year)
    overdue = deadlines.is_overdue(due, None, today)
    with transaction.atomic():
        units = annual_report_units(year)
        if institutions is not None:
            units = units.filter(pk__in=institutions.values("pk"))
        units = units.exclude(annual_reports__year=year)
        made = [AnnualReport(institution_id=pk, region_id=region_id, year=year, due_date=due, overdue=overdue)
                for pk, region_id in units.order_by("pk").values_list("pk", "region_id")]
        if made:
            bulk_create_with_history(made, AnnualReport, batch_size=500,
                                     default_user=by if getattr(by, "pk", None) else None,
                                     default_change_reason=_("Annual report on %(year)d opened") % {"year": year})
        return made


def annual_reports_sync(*, on: datetime.date | None = None, by=None) -> int:
    """From 1 January on, the reports on the year just ended are opened (idempotent); how many were opened."""
    day = on or _today()
    return len(annual_reports_open(day.year - 1, by=by))


@transaction.atomic
def annual_report_save(*, by, report: AnnualReport, **values: Any) -> AnnualReport:
    """Record a report's submission (``submitted_on``: on or after 1 January of the next year, not after today;
    empty: not submitted, to correct a mistaken entry) and its note."""
    report = AnnualReport.objects.select_for_update().select_related("institution").get(pk=report.pk)
    require_proposer(by, region_id=report.region_id)
    _set(report, values, ANNUAL_REPORT_FIELDS)
    report.full_clean()
    report.overdue = deadlines.is_overdue(report.due_date, report.submitted_on, _today())
    report._history_user = by if getattr(by, "pk", None) else None
    report.save()
    return report


# --- overdue ------------------------------------------------------------------------------------------------------
def _pending_on(done: str, day: datetime.date) -> Q:
    return Q(**{f"{done}__isnull": True}) | Q(**{f"{done}__gt": day})


@transaction.atomic
def flag_overdue(*, on: datetime.date | None = None) -> dict[str, int]:
    """Mark the milestones, the checklists' registrations and the annual reports overdue on ``on`` (today by default)
    and clear the flag of those no longer overdue (done, or their date moved): the rule of
    ``tracking.deadlines.is_overdue`` in SQL. Running it twice changes nothing. Returns how many were flagged and
    cleared."""
    day = on or _today()
    counts = {}
    for model, due, done in ((Milestone, "due_date", "done_on"),
                             (UnitChecklist, "registration_due", "registration_done_on"),
                             (AnnualReport, "due_date", "submitted_on")):
        late = Q(**{f"{due}__lt": day}) & _pending_on(done, day)
        name = model._meta.model_name
        counts[f"{name}_flagged"] = model.objects.filter(late, overdue=False).update(overdue=True)
        counts[f"{name}_cleared"] = model.objects.filter(overdue=True).exclude(late).update(overdue=False)
    return counts
