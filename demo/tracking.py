"""The demo city's reform follow-up (illustrative): a task of the 2021 reform for each district and county and for a
few city departments, with their milestones, and the checklists the executed reform plans give their units
(``tracking.services.checklists_sync``), some done, some done late, some pending, so that a few are overdue as of
today; the registered units' annual reports on 2025 (``tracking.services.annual_reports_open``), most submitted
before 31 March 2026, a few late, a few missing; then the overdue flags set.

Call after the reform and standards loaders (``demo.reform.load``): the checklists come from its executed plans.
Deterministic (the units in the order of their region's code and their name) and idempotent: the tasks and the
checklists' progress are written once; the reports' submissions are written when the reports are opened (a unit
that reports on 2025 only after a first load gets its report, unsubmitted); a second run makes no row and changes
none.
"""
from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction

TITLE_SUFFIX = "（示意）"
DISTRICT_TASK = "{name}2021年事业单位改革落实" + TITLE_SUFFIX
DEPARTMENT_TASK = "{name}所属事业单位改革落实" + TITLE_SUFFIX
DISTRICT_SPAN = (datetime.date(2021, 5, 1), datetime.date(2021, 12, 31))
DISTRICT_MILESTONES = (
    ("印发三定规定" + TITLE_SUFFIX, datetime.date(2021, 7, 31)),
    ("机构、职能、人员、编制四到位" + TITLE_SUFFIX, datetime.date(2021, 9, 30)),
    ("事业单位法人登记办结" + TITLE_SUFFIX, datetime.date(2021, 11, 30)),
)
DEPARTMENT_SPAN = (datetime.date(2021, 4, 1), datetime.date(2021, 10, 31))
DEPARTMENT_MILESTONES = (
    ("制定所属单位改革方案" + TITLE_SUFFIX, datetime.date(2021, 4, 30)),
    ("所属单位三定规定和章程印发" + TITLE_SUFFIX, datetime.date(2021, 8, 31)),
)
DEPARTMENTS = 3  # the first city departments (by name) that get a task
# Of each ten checklists in order: 6 done in time, 2 registered late, 1 with its registration pending, 1 untouched.
IN_TIME, LATE, PENDING = range(6), (6, 7), 8
# The annual reports on REPORT_YEAR, of each twenty in order: 17 submitted in March (the first on 1 March, one day
# later for each slot), 2 submitted late (on 20 April and on 15 May), 1 missing (overdue since 1 April).
REPORT_YEAR = 2025
REPORT_SLOTS = 20
REPORT_LATE = {17: datetime.date(2026, 4, 20), 18: datetime.date(2026, 5, 15)}
REPORT_MISSING = 19


def is_loaded() -> bool:
    from tracking.models import ReformTask

    return ReformTask.objects.filter(title__endswith=TITLE_SUFFIX).exists()


def load(*, city, by=None, stdout: TextIO | None = None) -> None:
    """Write the follow-up of the demo reform unless it is there (the checklists of plans executed since are swept
    in either way, and the overdue flags set as of today)."""
    from tracking import services

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    with transaction.atomic():
        made = services.checklists_sync()
        reports = _annual_reports()
        if is_loaded():
            flags = services.flag_overdue()
            say(f"改革跟踪演示数据已存在 / demo tracking already loaded: {made} new checklists, {reports} new annual "
                f"reports, flags {flags}")
            return
        tasks, milestones = _tasks(city)
        progressed = _progress()
        services.flag_overdue()
    from tracking.models import AnnualReport, Milestone, UnitChecklist

    say(f"改革跟踪 / reform tracking: {tasks} tasks, {milestones} milestones, {made} checklists "
        f"({progressed} with progress), {reports} annual reports on {REPORT_YEAR}, overdue "
        f"{Milestone.objects.filter(overdue=True).count()} milestones, "
        f"{UnitChecklist.objects.filter(overdue=True).count()} registrations and "
        f"{AnnualReport.objects.filter(overdue=True).count()} annual reports (示意 / illustrative)")


def _tasks(city) -> tuple[int, int]:
    from institutions.choices import InstitutionKind, InstitutionStatus
    from institutions.models import Institution, Region
    from reforms.models import ReformPlan
    from tracking import services
    from workflow import states as workflow

    codes = [region.code for region in city.regions]
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    plans: dict[int, ReformPlan] = {}
    for plan in ReformPlan.objects.filter(status=workflow.EXECUTED).order_by("effective_date", "pk"):
        plans.setdefault(plan.region_id, plan)
    tasks = milestones = 0
    districts = [regions[code] for code in sorted(regions) if regions[code].parent_id is not None]
    for index, region in enumerate(districts):
        task = services.reform_task_save(
            by=None, title=DISTRICT_TASK.format(name=region.name), district=region, plan=plans.get(region.pk),
            start_date=DISTRICT_SPAN[0], due_date=DISTRICT_SPAN[1])
        done = (3, 2, 1)[index % 3]  # every milestone done, the last one pending, only the first done
        for position, (title, due) in enumerate(DISTRICT_MILESTONES):
            services.milestone_save(by=None, task=task, title=title, due_date=due,
                                    done_on=due - datetime.timedelta(days=3) if position < done else None)
        tasks, milestones = tasks + 1, milestones + len(DISTRICT_MILESTONES)
    cities = [region for region in regions.values() if region.parent_id is None]
    agencies = Institution.objects.filter(region__in=cities, kind=InstitutionKind.AGENCY,
                                          status=InstitutionStatus.ACTIVE).order_by("name", "pk")[:DEPARTMENTS]
    for index, agency in enumerate(agencies):
        task = services.reform_task_save(
            by=None, title=DEPARTMENT_TASK.format(name=agency.name), department=agency,
            start_date=DEPARTMENT_SPAN[0], due_date=DEPARTMENT_SPAN[1])
        for position, (title, due) in enumerate(DEPARTMENT_MILESTONES):
            done_on = due - datetime.timedelta(days=5) if position < len(DEPARTMENT_MILESTONES) - index else None
            services.milestone_save(by=None, task=task, title=title, due_date=due, done_on=done_on)
        tasks, milestones = tasks + 1, milestones + len(DEPARTMENT_MILESTONES)
    return tasks, milestones


def _progress() -> int:
    """Mark the reform's checklists done in the pattern of ``IN_TIME``, ``LATE`` and ``PENDING``."""
    from simple_history.utils import bulk_update_with_history

    from tracking.models import UnitChecklist
    from tracking.models.checklists import HANDLE_FIELDS, IN_PLACE_FIELDS

    rows = list(UnitChecklist.objects.filter(plan__isnull=False).order_by("region__code", "institution__name",
                                                                          "institution_id"))
    changed = []
    for index, checklist in enumerate(rows):
        slot = index % 10
        basis, due = checklist.registration_basis, checklist.registration_due
        if slot > PENDING or basis is None:
            continue
        if checklist.handles_apply:
            for offset, name in enumerate((*HANDLE_FIELDS, *IN_PLACE_FIELDS)):
                setattr(checklist, name, basis + datetime.timedelta(days=20 + 10 * offset))
        if slot in IN_TIME:
            checklist.registration_done_on = due - datetime.timedelta(days=3)
        elif slot in LATE:
            checklist.registration_done_on = due + datetime.timedelta(days=10)
        changed.append(checklist)
    bulk_update_with_history(changed, UnitChecklist, [*HANDLE_FIELDS, *IN_PLACE_FIELDS, "registration_done_on"],
                             batch_size=500, default_change_reason="演示数据（示意）")
    return len(changed)


def _annual_reports() -> int:
    """Open the reports on ``REPORT_YEAR`` and, for those just opened, write their submissions in the pattern of
    ``REPORT_SLOTS`` (the reports in the order of their region's code and their unit's name); how many were opened."""
    from simple_history.utils import bulk_update_with_history

    from tracking import services
    from tracking.models import AnnualReport

    opened = services.annual_reports_open(REPORT_YEAR)
    if not opened:
        return 0
    rows = list(AnnualReport.objects.filter(pk__in=[row.pk for row in opened]).order_by(
        "region__code", "institution__name", "institution_id"))
    changed = []
    for index, report in enumerate(rows):
        slot = index % REPORT_SLOTS
        if slot == REPORT_MISSING:
            continue
        report.submitted_on = REPORT_LATE.get(slot) or datetime.date(REPORT_YEAR + 1, 3, 1 + slot)
        changed.append(report)
    bulk_update_with_history(changed, AnnualReport, ["submitted_on"], batch_size=500,
                             default_change_reason="演示数据（示意）")
    return len(opened)
