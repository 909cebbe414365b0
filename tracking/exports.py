"""The follow-up page as an xlsx workbook: a sheet per department, a sheet per district, a sheet of what is
overdue."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import append_row, workbook_response
from tracking import selectors


@dataclass(frozen=True)
class Tracking:
    """What the page shows on ``day``."""

    day: datetime.date
    departments: list[selectors.Progress]
    districts: list[selectors.Progress]
    overdue: list[selectors.OverdueItem]


def _progress_sheet(sheet, rows: list[selectors.Progress], first: str) -> None:
    append_row(sheet, [_("Division code"), first, _("Tasks"), _("Milestones done"), _("Milestones"),
                       _("Checklists complete"), _("Checklists"), _("Annual reports submitted"),
                       _("Annual reports due"), _("Overdue")], bold=True)
    for row in rows:
        append_row(sheet, [row.code, row.name, row.tasks, row.milestones_done, row.milestones,
                           row.checklists_complete, row.checklists, row.reports_submitted, row.reports,
                           row.overdue])


def tracking_xlsx(tracking: Tracking) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Departments")
    _progress_sheet(sheet, tracking.departments, _("Department"))
    _progress_sheet(workbook.create_sheet(_("Districts")), tracking.districts, _("District or county"))
    sheet = workbook.create_sheet(_("Overdue"))
    append_row(sheet, [_("Item"), _("Task or unit"), _("Division code"), _("Region"), _("Due"),
                       _("Days overdue")], bold=True)
    for item in tracking.overdue:
        append_row(sheet, [item.title, item.subject, item.region.code, item.region.name, item.due.isoformat(),
                           item.days])
    if not tracking.overdue:
        append_row(sheet, [_("Nothing is overdue.")])
    return workbook_response(workbook, f"tracking-{tracking.day.isoformat()}.xlsx")
