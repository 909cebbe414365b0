"""Inbox pages (待办) of the city/district workflow: what the city office must decide or watch, and a district
office's own requests with their states. Server-rendered, scoped, a fixed number of queries."""
from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from accounts.roles import Role, has_role, user_roles
from accounts.scoping import scope_queryset
from core.xlsx import append_row, workbook_response
from institutions.models import Institution
from workflow import states as workflow
from workflow.models import HiringPlan, LoanReturnOffer, QuotaUseNotice, TurnoverLoan, WorkflowPolicy
from workflow.models.loans import OfferState
from workflow.models.requests import RequestState
from workflow.selectors import (
    loans_due_within,
    notices_expiring_within,
    quota_holdings,
    requests_in_state,
    state_counts,
)

LIMIT = 200  # rows per list; the API lists everything


def _lists(visible, states, limit: int | None) -> dict:
    return {
        "plans": list(requests_in_state(HiringPlan, visible, states).prefetch_related("lines").order_by(
            "-submitted_at", "-pk")[:limit]),
        "notices": list(requests_in_state(QuotaUseNotice, visible, states).select_related("quota_type").order_by(
            "-submitted_at", "-pk")[:limit]),
        "loans": list(requests_in_state(TurnoverLoan, visible, states).select_related("pool__region", "case")
                      .order_by("-submitted_at", "-pk")[:limit]),
    }


def _pending_offers(visible, limit: int | None):
    return list(
        LoanReturnOffer.objects.filter(state=OfferState.PENDING, loan__institution__in=visible)
        .select_related("loan__institution", "movement").order_by("created_at", "pk")[:limit]
    )


def _sections(user, visible, today) -> list[dict]:
    """What the apps above the workflow add to the inboxes: ``settings.INBOX_SECTIONS`` names callables
    ``(user, visible, today)`` returning ``{"template": ..., **context}`` or None (nothing for this user). The
    workflow imports none of them, so they may read the workflow."""
    found = (import_string(path)(user, visible, today) for path in getattr(settings, "INBOX_SECTIONS", ()))
    return [section for section in found if section]


def city_inbox(user, visible, today, limit: int | None) -> dict:
    """The city office's lists: requests waiting for a decision, loans due, notices expiring, 人走编收 offers;
    each at most ``limit`` rows (None: all)."""
    policy = WorkflowPolicy.current()
    return {
        "waiting": _lists(visible, [workflow.SUBMITTED], limit),
        "loans_due": list(loans_due_within(visible, today, policy.due_soon_days)[:limit]),
        "notices_expiring": list(notices_expiring_within(visible, today, policy.expiring_soon_days)[:limit]),
        "offers": _pending_offers(visible, limit),
        "policy": policy,
        "today": today,
    }


def district_inbox(user, visible, today, limit: int | None) -> dict:
    """A district office's lists: its region's requests in every state, with counts, its borrowed quotas and the
    人走编收 offers."""
    labels = dict(RequestState.choices)
    return {
        "mine": _lists(visible, workflow.STATES, limit),
        "counts": {
            kind: {labels[state]: number for state, number in state_counts(model, visible).items()}
            for kind, model in (("plans", HiringPlan), ("notices", QuotaUseNotice), ("loans", TurnoverLoan))
        },
        "offers": _pending_offers(visible, limit),
        "holdings": quota_holdings(visible, borrowers_only=True),
        "region": getattr(getattr(user, "profile", None), "region", None),
        "today": today,
    }


def _inbox_of(user) -> tuple[str, Callable]:
    """Which inbox the user has (by role): its kind and the function that reads it; no inbox, 403."""
    if has_role(user, Role.CITY_OFFICE):
        return "city", city_inbox
    if Role.DISTRICT_OFFICE in user_roles(user):
        return "district", district_inbox
    raise PermissionDenied


@login_required
@require_GET
def inbox(request):
    """The city office's inbox, or a district office's (by the user's role); each list at most ``LIMIT`` rows
    (the workbook holds them all)."""
    user = request.user
    kind, read = _inbox_of(user)
    visible = scope_queryset(Institution.objects.all(), user)
    today = timezone.localdate()
    context = read(user, visible, today, LIMIT)
    context.update({"sections": _sections(user, visible, today), "limit": LIMIT})
    return render(request, f"workflow/inbox_{kind}.html", context)


@login_required
@require_GET
def inbox_xlsx(request):
    """Every row of the user's inbox lists (no limit), a sheet per list with its totals: 待办-<date>.xlsx."""
    user = request.user
    kind, read = _inbox_of(user)
    today = timezone.localdate()
    context = read(user, scope_queryset(Institution.objects.all(), user), today, None)
    return _workbook(kind, context, today)


# --- the workbook ---------------------------------------------------------------------------------------------------
SHEET_TITLE_LIMIT = 31  # characters a sheet's name may have


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], totals: dict[int, int]) -> None:
    """A sheet of one list: its header, its rows and a totals row (``totals``: column index → sum; the first cell
    says how many rows)."""
    sheet = workbook.create_sheet(title[:SHEET_TITLE_LIMIT])
    append_row(sheet, header, bold=True)
    for row in rows:
        append_row(sheet, row)
    last = [_("Total (%(rows)s rows)") % {"rows": len(rows)}, *([""] * (len(header) - 1))]
    for column, value in totals.items():
        last[column] = value
    append_row(sheet, last, bold=True)


def _date(value: datetime.date | datetime.datetime | None) -> str:
    """A day as the page prints it (a moment: its local day)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat() if value else ""


def _request_sheets(workbook: Workbook, lists: dict) -> None:
    plans, notices, loans = lists["plans"], lists["notices"], lists["loans"]
    _sheet(workbook, _("Hiring plans"),
           [_("Unit"), _("Region"), _("Year"), _("Planned entrants"), _("Expected leavers"), _("State"),
            _("Submitted")],
           [[plan.institution.name, plan.institution.region.name, plan.year, plan.planned_total,
             plan.expected_leavers, plan.get_status_display(), _date(plan.submitted_at)] for plan in plans],
           {3: sum(plan.planned_total for plan in plans), 4: sum(plan.expected_leavers for plan in plans)})
    _sheet(workbook, _("Quota-use notices"),
           [_("Unit"), _("Region"), _("Quota type"), _("Post category"), _("Quotas"), str(_("taken up")),
            _("Notice number"), _("State"), _("Valid until")],
           [[notice.institution.name, notice.institution.region.name, str(notice.quota_type),
             notice.get_category_display(), notice.count, notice.taken_up, notice.number or "",
             notice.get_status_display(), _date(notice.valid_until)] for notice in notices],
           {4: sum(notice.count for notice in notices), 5: sum(notice.taken_up for notice in notices)})
    _sheet(workbook, _("Turnover-pool loans"),
           [_("Unit"), _("Region"), _("Turnover pool"), _("Quotas"), str(_("returned")), _("Case"), _("Term (months)"),
            _("State"), _("Due on")],
           [[loan.institution.name, loan.institution.region.name, loan.pool.holder_name, loan.count, loan.returned,
             str(loan.case), loan.term_months, loan.get_status_display(), _date(loan.due_date)] for loan in loans],
           {3: sum(loan.count for loan in loans), 4: sum(loan.returned for loan in loans)})


def _offers_sheet(workbook: Workbook, offers: list) -> None:
    _sheet(workbook, _("Returns offered as people leave (人走编收)"),
           [_("Unit"), _("Exit"), str(_("date")), _("Quotas offered")],
           [[offer.loan.institution.name, offer.movement.get_reason_display(), _date(offer.movement.date),
             offer.count] for offer in offers],
           {3: sum(offer.count for offer in offers)})


def _city_sheets(workbook: Workbook, context: dict) -> None:
    policy = context["policy"]
    _request_sheets(workbook, context["waiting"])
    loans, notices = context["loans_due"], context["notices_expiring"]
    _sheet(workbook, _("Loans due within %(days)s days") % {"days": policy.due_soon_days},
           [_("Unit"), _("Region"), _("Turnover pool"), _("Still owed"), _("Due on")],
           [[loan.institution.name, loan.institution.region.name, loan.pool.holder_name, loan.outstanding,
             _date(loan.due_date)] for loan in loans],
           {3: sum(loan.outstanding for loan in loans)})
    _sheet(workbook, _("Notices expiring within %(days)s days") % {"days": policy.expiring_soon_days},
           [_("Notice number"), _("Unit"), _("Region"), _("Not yet taken up"), _("Valid until")],
           [[notice.number, notice.institution.name, notice.institution.region.name, notice.remaining,
             _date(notice.valid_until)] for notice in notices],
           {3: sum(notice.remaining for notice in notices)})
    _offers_sheet(workbook, context["offers"])


def _district_sheets(workbook: Workbook, context: dict) -> None:
    _request_sheets(workbook, context["mine"])
    holdings = context["holdings"]
    _sheet(workbook, _("Own and borrowed quotas"), [_("Unit"), _("Quotas held"), _("Own"), _("Borrowed")],
           [[row.institution_name, row.balance, row.own, row.borrowed] for row in holdings],
           {1: sum(row.balance for row in holdings), 2: sum(row.own for row in holdings),
            3: sum(row.borrowed for row in holdings)})
    _offers_sheet(workbook, context["offers"])


def _workbook(kind: str, context: dict, today: datetime.date) -> HttpResponse:
    """The inbox's lists in full, a sheet each, named 市编办待办-<date>.xlsx (or 区县编办待办-…)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    (_city_sheets if kind == "city" else _district_sheets)(workbook, context)
    title = _("Inbox of the city office") if kind == "city" else _("Inbox of the district office")
    name = f"{title}-{today.isoformat()}.xlsx"
    return workbook_response(workbook, name)
