"""Inbox pages (待办) of the city/district workflow: what the city office must decide or watch, and a district
office's own requests with their states. Server-rendered, scoped, a fixed number of queries."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from accounts.roles import Role, has_role, user_roles
from accounts.scoping import scope_queryset
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


def _lists(visible, states) -> dict:
    return {
        "plans": list(requests_in_state(HiringPlan, visible, states).prefetch_related("lines").order_by(
            "-submitted_at", "-pk")[:LIMIT]),
        "notices": list(requests_in_state(QuotaUseNotice, visible, states).select_related("quota_type").order_by(
            "-submitted_at", "-pk")[:LIMIT]),
        "loans": list(requests_in_state(TurnoverLoan, visible, states).select_related("pool__region", "case")
                      .order_by("-submitted_at", "-pk")[:LIMIT]),
    }


def _pending_offers(visible):
    return list(
        LoanReturnOffer.objects.filter(state=OfferState.PENDING, loan__institution__in=visible)
        .select_related("loan__institution", "movement").order_by("created_at", "pk")[:LIMIT]
    )


def _sections(user, visible, today) -> list[dict]:
    """What the apps above the workflow add to the inboxes: ``settings.INBOX_SECTIONS`` names callables
    ``(user, visible, today)`` returning ``{"template": ..., **context}`` or None (nothing for this user). The
    workflow imports none of them, so they may read the workflow."""
    found = (import_string(path)(user, visible, today) for path in getattr(settings, "INBOX_SECTIONS", ()))
    return [section for section in found if section]


@login_required
@require_GET
def inbox(request):
    """The city office's inbox, or a district office's (by the user's role)."""
    user = request.user
    visible = scope_queryset(Institution.objects.all(), user)
    policy = WorkflowPolicy.current()
    today = timezone.localdate()
    if has_role(user, Role.CITY_OFFICE):
        context = {
            "waiting": _lists(visible, [workflow.SUBMITTED]),
            "loans_due": list(loans_due_within(visible, today, policy.due_soon_days)[:LIMIT]),
            "notices_expiring": list(notices_expiring_within(visible, today, policy.expiring_soon_days)[:LIMIT]),
            "offers": _pending_offers(visible),
            "policy": policy,
            "today": today,
            "sections": _sections(user, visible, today),
        }
        return render(request, "workflow/inbox_city.html", context)
    if Role.DISTRICT_OFFICE in user_roles(user):
        labels = dict(RequestState.choices)
        counts = {
            kind: {labels[state]: number for state, number in state_counts(model, visible).items()}
            for kind, model in (("plans", HiringPlan), ("notices", QuotaUseNotice), ("loans", TurnoverLoan))
        }
        context = {
            "mine": _lists(visible, workflow.STATES),
            "counts": counts,
            "offers": _pending_offers(visible),
            "holdings": quota_holdings(visible, borrowers_only=True),
            "region": getattr(getattr(user, "profile", None), "region", None),
            "today": today,
            "sections": _sections(user, visible, today),
        }
        return render(request, "workflow/inbox_district.html", context)
    raise PermissionDenied
