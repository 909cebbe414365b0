"""The follow-up page (/tracking/): progress per department and per district with what is overdue, its workbook,
and the overdue section of the workflow's inboxes (``settings.INBOX_SECTIONS``)."""
from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.scoping import scope_queryset
from core.dates import page_date
from institutions.models import Institution
from tracking import exports, selectors
from tracking.models import AnnualReport, ReformTask, UnitChecklist

INBOX_LIMIT = 200


def read_tracking(request) -> tuple[exports.Tracking, str | None]:
    day, error = page_date(request, "on", timezone.localdate())
    user = request.user
    departments, districts = selectors.reform_progress(
        tasks=scope_queryset(ReformTask.objects.all(), user),
        checklists=scope_queryset(UnitChecklist.objects.all(), user), day=day,
        reports=scope_queryset(AnnualReport.objects.all(), user))
    overdue = selectors.overdue_items(scope_queryset(Institution.objects.all(), user), day)
    return exports.Tracking(day=day, departments=departments, districts=districts, overdue=overdue), error


@role_required
@require_GET
def tracking_page(request):
    """Each department's and each district's tasks, milestones, checklists and annual reports, the late ones
    flagged, and the
    overdue items (``?on=YYYY-MM-DD``, default today)."""
    tracking, error = read_tracking(request)
    return render(request, "tracking/tracking.html", {
        "tracking": tracking, "day": tracking.day, "errors": [error] if error else [],
        "query_string": request.GET.urlencode()})


@role_required
@require_GET
def tracking_xlsx(request):
    tracking, _error = read_tracking(request)
    return exports.tracking_xlsx(tracking)


def inbox_section(user, visible, today) -> dict | None:
    """The inboxes' section of overdue milestones, registrations and annual reports among the units the user sees
    (None when nothing is overdue). Reads the daily flags: one query each."""
    items = selectors.overdue_items(visible, today)
    if not items:
        return None
    return {"template": "tracking/_inbox_overdue.html", "items": items[:INBOX_LIMIT], "total": len(items)}
