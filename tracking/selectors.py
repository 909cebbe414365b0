"""Reads of the follow-up: the overdue items an inbox shows (milestones, registrations, annual reports), and the
progress per department and per district.

The inbox reads the stored flags (``tracking.services.flag_overdue``, daily), narrowed to items still pending and
past their date on the day asked, so a flag a later run would clear is not shown.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from institutions.models import Region
from tracking.models import AnnualReport, Milestone, UnitChecklist
from tracking.models.checklists import DONE_FIELDS, HANDLE_FIELDS, IN_PLACE_FIELDS

MILESTONE, REGISTRATION, ANNUAL_REPORT = "milestone", "registration", "annual_report"


@dataclass(frozen=True)
class OverdueItem:
    """One overdue item: a task's milestone, a unit's registration or a unit's annual report."""

    kind: str  # MILESTONE, REGISTRATION or ANNUAL_REPORT
    pk: int
    title: str  # the milestone's title, the registration's kind, or the report's year
    subject: str  # the task, or the unit
    region: Region
    due: datetime.date
    days: int


def _milestones_overdue(day: datetime.date) -> QuerySet:
    return Milestone.objects.filter(overdue=True, due_date__lt=day).filter(
        Q(done_on__isnull=True) | Q(done_on__gt=day))


def _checklists_overdue(day: datetime.date) -> QuerySet:
    return UnitChecklist.objects.filter(overdue=True, registration_due__lt=day).filter(
        Q(registration_done_on__isnull=True) | Q(registration_done_on__gt=day))


def _reports_overdue(day: datetime.date) -> QuerySet:
    return AnnualReport.objects.filter(overdue=True, due_date__lt=day).filter(
        Q(submitted_on__isnull=True) | Q(submitted_on__gt=day))


def overdue_items(institutions: QuerySet, today: datetime.date) -> list[OverdueItem]:
    """The items overdue on ``today`` among ``institutions`` (a queryset the caller has scoped): the units'
    registrations and annual reports, and the milestones of the tasks of their departments and of their regions;
    most overdue first."""
    regions = institutions.values("region_id")
    items = [OverdueItem(MILESTONE, row.pk, row.title, row.task.title, row.task.region, row.due_date,
                         (today - row.due_date).days)
             for row in _milestones_overdue(today).filter(
                 Q(task__department__in=institutions) | Q(task__district__in=regions)).select_related("task__region")]
    items += [OverdueItem(REGISTRATION, row.pk, row.get_registration_kind_display(), row.institution.name,
                          row.region, row.registration_due, (today - row.registration_due).days)
              for row in _checklists_overdue(today).filter(institution__in=institutions).select_related(
                  "institution", "region")]
    items += [OverdueItem(ANNUAL_REPORT, row.pk, _("Annual report on %(year)d") % {"year": row.year},
                          row.institution.name, row.region, row.due_date, (today - row.due_date).days)
              for row in _reports_overdue(today).filter(institution__in=institutions).select_related(
                  "institution", "region")]
    return sorted(items, key=lambda item: (-item.days, item.kind, item.pk))


# --- progress -----------------------------------------------------------------------------------------------------
@dataclass
class Progress:
    """A department's or a district's follow-up on a day."""

    key: int
    code: str  # the district's division code, or the department's region code
    name: str
    tasks: int = 0
    milestones_done: int = 0
    milestones: int = 0
    checklists_complete: int = 0
    checklists: int = 0
    reports_submitted: int = 0
    reports: int = 0
    overdue: int = 0
    overdue_items: list[str] = field(default_factory=list)

    @property
    def is_late(self) -> bool:
        return self.overdue > 0


def _complete(checklist: dict) -> bool:
    names = [*HANDLE_FIELDS, *IN_PLACE_FIELDS] if checklist["handles_apply"] else []
    if checklist["registration_kind"]:
        names.append("registration_done_on")
    return all(checklist[name] is not None for name in names)


def reform_progress(*, tasks: QuerySet, checklists: QuerySet, day: datetime.date, reports: QuerySet | None = None
                    ) -> tuple[list[Progress], list[Progress]]:
    """(per department, per district) on ``day``, from the scoped querysets of tasks, checklists and annual
    reports.

    A department counts its tasks and their milestones, the checklists of the units it supervises or of its tasks
    and the annual reports of the units it supervises; a district its tasks, their milestones and the checklists
    and annual reports of the units in it. A milestone counts as done when it was done by ``day``; the reports
    counted are those on the years over by ``day``, submitted when submitted by ``day``; the overdue count is the
    milestones, registrations and annual reports overdue on ``day``."""
    departments: dict[int, Progress] = {}
    districts: dict[int, Progress] = {}

    city_ids = set(Region.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    task_rows = tasks.values("pk", "department_id", "department__name", "department__region__code",
                             "district_id", "district__name", "district__code")
    owners: dict[int, Progress] = {}
    for task in task_rows:
        if task["department_id"]:
            progress = departments.setdefault(task["department_id"], Progress(
                task["department_id"], task["department__region__code"], task["department__name"]))
        else:
            progress = districts.setdefault(task["district_id"], Progress(
                task["district_id"], task["district__code"], task["district__name"]))
        progress.tasks += 1
        owners[task["pk"]] = progress
    milestones = Milestone.objects.filter(task__in=tasks).values("task_id").annotate(
        total=Count("pk"), done=Count("pk", filter=Q(done_on__lte=day)),
        late=Count("pk", filter=Q(due_date__lt=day) & (Q(done_on__isnull=True) | Q(done_on__gt=day))))
    for row in milestones:
        progress = owners[row["task_id"]]
        progress.milestones += row["total"]
        progress.milestones_done += row["done"]
        progress.overdue += row["late"]
    rows = checklists.values(
        "pk", "handles_apply", "registration_kind", "registration_due", "region_id", "region__code", "region__name",
        "institution__supervisor_id", "institution__supervisor__name",
        "institution__supervisor__region__code", "task__department_id", *DONE_FIELDS)
    for checklist in rows:
        done = {name: (value if value is not None and value <= day else None)
                for name, value in ((name, checklist[name]) for name in DONE_FIELDS)}
        view = {**checklist, **done}
        complete = _complete(view)
        late = bool(checklist["registration_kind"] and checklist["registration_due"]
                    and checklist["registration_due"] < day and done["registration_done_on"] is None)
        targets = []
        department_id = checklist["task__department_id"] or checklist["institution__supervisor_id"]
        if department_id:
            if department_id not in departments and checklist["institution__supervisor_id"] == department_id:
                departments[department_id] = Progress(department_id, checklist["institution__supervisor__region__code"],
                                                      checklist["institution__supervisor__name"])
            if department_id in departments:
                targets.append(departments[department_id])
        region_id = checklist["region_id"]
        if region_id not in city_ids:
            targets.append(districts.setdefault(region_id, Progress(region_id, checklist["region__code"],
                                                                    checklist["region__name"])))
        for progress in targets:
            progress.checklists += 1
            progress.checklists_complete += complete
            progress.overdue += late
    if reports is not None:
        _count_reports(reports, day, departments, districts, city_ids)
    order = lambda rows: sorted(rows, key=lambda row: (row.code, row.name))  # noqa: E731
    return order(departments.values()), order(districts.values())


def _count_reports(reports: QuerySet, day: datetime.date, departments: dict[int, Progress],
                   districts: dict[int, Progress], city_ids: set[int]) -> None:
    """Add the annual reports on the years over by ``day`` to their unit's supervising department and district."""
    rows = reports.filter(year__lt=day.year).values(
        "region_id", "region__code", "region__name", "institution__supervisor_id", "institution__supervisor__name",
        "institution__supervisor__region__code").annotate(
        total=Count("pk"), submitted=Count("pk", filter=Q(submitted_on__lte=day)),
        late=Count("pk", filter=Q(due_date__lt=day) & (Q(submitted_on__isnull=True) | Q(submitted_on__gt=day))))
    for row in rows.order_by():
        targets = []
        supervisor = row["institution__supervisor_id"]
        if supervisor:
            targets.append(departments.setdefault(supervisor, Progress(
                supervisor, row["institution__supervisor__region__code"], row["institution__supervisor__name"])))
        if row["region_id"] not in city_ids:
            targets.append(districts.setdefault(row["region_id"], Progress(
                row["region_id"], row["region__code"], row["region__name"])))
        for progress in targets:
            progress.reports += row["total"]
            progress.reports_submitted += row["submitted"]
            progress.overdue += row["late"]
