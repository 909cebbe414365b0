"""Each role's home page: its figures, what waits for it, its charts (every figure read from its app's selectors
through ``portal.figures``).

The city office sees the city's figures and what waits for its decision; a district office the same for its own
region and its own requests by state; the HR bureau what it must update (position plans, staff counts) with the
import pages; the read-only roles (organisation department, auditor, finance system) the figures and no action.
Each figure links to the page that explains it; each chart has its table beside it, with the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.roles import Role, has_role, user_roles
from accounts.scoping import scope_queryset, visible_region_ids
from allocation.models import AllocationScenario
from institutions.models import Institution, Region
from portal import figures as f
from reconciliation.choices import ReconciliationFlag
from reforms.models import ReformPlan
from reforms.views import DEFAULT_BEFORE
from workflow.models import WorkflowPolicy
from workflow.models.requests import RequestState

CITY, DISTRICT, HR, READ_ONLY = "city", "district", "hr", "read_only"
REQUEST_KINDS = {"plans": gettext_lazy("Hiring plans"), "notices": gettext_lazy("Quota-use notices"),
                 "loans": gettext_lazy("Turnover loans"), "reforms": gettext_lazy("Reform plans")}


@dataclass(frozen=True)
class Figure:
    """One number of a home page, with the page that explains it (its element id is ``figure-<key>``)."""

    key: str
    label: str
    value: int
    url: str


def home_kind(user) -> str:
    """Which home a user gets: the city office's (superusers too), a district office's, the HR bureau's, or the
    read-only roles'."""
    if has_role(user, Role.CITY_OFFICE):
        return CITY
    roles = user_roles(user)
    if Role.DISTRICT_OFFICE in roles:
        return DISTRICT
    if Role.HR_BUREAU in roles:
        return HR
    return READ_ONLY


def _reconciliation_url(flag: str | None = None) -> str:
    url = reverse("reconciliation:reconciliation")
    return f"{url}?flag={flag}" if flag else url


def quota_figure_list(quotas: f.QuotaFigures, controlled: int) -> list[Figure]:
    reconciliation = _reconciliation_url()
    return [
        Figure("units", _("Public institutions"), quotas.units, reconciliation),
        Figure("approved", _("Approved quotas"), quotas.approved, reconciliation),
        Figure("staff", _("Staff in quota"), quotas.staff, reconciliation),
        Figure("vacant", _("Vacant quotas"), quotas.vacant, _reconciliation_url(ReconciliationFlag.VACANT)),
        Figure("over-quota", _("Staff over quota"), quotas.over_quota,
               _reconciliation_url(ReconciliationFlag.OVER_QUOTA)),
        Figure("controlled", _("Quotas under controlled use"), controlled, reverse("reforms:effect")),
        Figure("borrowed", _("Borrowed from the turnover pool"), quotas.borrowed, reconciliation),
    ]


def waiting_figure_list(waiting: dict[str, int]) -> list[Figure]:
    inbox = reverse("workflow:inbox")
    plans = reverse("reforms:plan_list") + "?status=submitted"
    return [
        Figure("waiting-plans", _("Hiring plans submitted"), waiting["plans"], inbox),
        Figure("waiting-notices", _("Quota-use notices submitted"), waiting["notices"], inbox),
        Figure("waiting-loans", _("Turnover loans submitted"), waiting["loans"], inbox),
        Figure("waiting-reforms", _("Reform plans submitted"), waiting["reforms"], plans),
    ]


def due_figure_list(due: dict[str, int], policy: WorkflowPolicy) -> list[Figure]:
    inbox = reverse("workflow:inbox")
    return [
        Figure("loans-due", _("Loans due within %(days)d days") % {"days": policy.due_soon_days},
               due["loans_due"], inbox),
        Figure("loans-overdue", _("Loans overdue"), due["loans_overdue"], inbox),
        Figure("notices-expiring", _("Notices expiring within %(days)d days") % {"days": policy.expiring_soon_days},
               due["notices_expiring"], inbox),
    ]


def findings_figure_list(rules: list[tuple[str, str, int]]) -> list[Figure]:
    page = reverse("standards:standards")
    return [Figure(f"rule-{code}", label, count, f"{page}#rule-{code}") for code, label, count in rules]


def hr_figure_list(quotas: f.QuotaFigures) -> list[Figure]:
    return [
        Figure("no-plan", _("Units without a position plan"), quotas.no_plan_units,
               _reconciliation_url(ReconciliationFlag.NO_PLAN)),
        Figure("stale-plan", _("Units whose position plan is stale"), quotas.stale_plan_units,
               _reconciliation_url(ReconciliationFlag.STALE_PLAN)),
        Figure("no-staff-count", _("Units without a staff count"), quotas.no_staff_count_units,
               _reconciliation_url(ReconciliationFlag.NO_STAFF_COUNT)),
        Figure("staff-count-due", _("Units whose staff count is older than %(months)d months")
               % {"months": f.STAFF_COUNT_DUE_MONTHS}, quotas.staff_count_due_units,
               reverse("admin:positions_staffcount_changelist")),
    ]


def requests_table(counts: dict[str, dict[str, int]]) -> dict:
    """A district office's own requests: one row per kind, one column per state."""
    states = [state for state, _label in RequestState.choices]
    return {"head": [label for _state, label in RequestState.choices],
            "rows": [(REQUEST_KINDS[kind], [counts[kind].get(state, 0) for state in states]) for kind in REQUEST_KINDS]}


# --- charts ---------------------------------------------------------------------------------------------------
def chart(key: str, title: str, kind: str, head: list[str], rows: list[tuple], plotted: tuple[int, ...]) -> dict:
    """A chart and its table: ``rows`` of (label, figures …) under ``head``; ``plotted`` names the columns the
    chart draws (``kind``: "bar", "line" or "range": a min–max bar with its base as a mark)."""
    head = [str(label) for label in head]
    return {
        "key": key, "title": title, "head": head, "rows": rows,
        "data": {"kind": kind, "categories": [str(row[0]) for row in rows],
                 "series": [{"name": head[index], "data": [row[index] for row in rows]} for index in plotted]},
    }


def reform_charts(regions, citywide: bool, today, quota_type) -> list[dict]:
    effect = f.reform_chart(None if citywide else regions, DEFAULT_BEFORE, today, quota_type)
    head = [_("Region"), _("Quotas on %(day)s") % {"day": effect["before"]},
            _("Quotas on %(day)s") % {"day": effect["after"]}, _("Change")]
    charts = [chart("reform-regions", _("Quotas before and after the reform, by region"), "bar", head,
                    effect["regions"], (1, 2))]
    if effect["levels"]:
        charts.append(chart("reform-levels", _("Quotas before and after the reform, by level"), "bar",
                            [_("Level"), *head[1:]], effect["levels"], (1, 2)))
    return charts


def scenario_charts(user) -> list[dict]:
    """The latest scenario's charts, for the roles that see the city's scenarios (district offices do not)."""
    scenario = f.latest_scenario(scope_queryset(AllocationScenario.objects.all(), user))
    if scenario is None:
        return []
    figures = f.scenario_chart(scenario)
    title = _("Current holdings against the scenario “%(name)s” (%(status)s), by region") % figures
    stress_title = _("Stress test of “%(name)s”: each region's range when the weights move by %(points)s points "
                     "or the method changes") % figures
    return [
        chart("scenario", title, "bar", [_("Region"), _("Current holding"), _("Scenario result"), _("Difference")],
              figures["results"], (1, 2)),
        chart("stress", stress_title, "range", [_("Region"), _("Lowest result"), _("Scenario result"),
                                                _("Highest result")], figures["ranges"], (1, 2, 3)),
    ]


def distribution_chart(quotas: f.QuotaFigures) -> dict:
    return chart("vacancy", _("Units by vacant quotas and by staff over quota"), "bar",
                 [_("Quotas"), _("Units with so many vacant quotas"), _("Units with so many staff over quota")],
                 f.vacancy_chart(quotas)["bands"], (1, 2))


def loans_chart(visible, today) -> dict:
    return chart("loans", _("Turnover-pool loans per month"), "line",
                 [_("Month"), _("Loans lent"), _("Quotas lent")], f.loans_chart(visible, today)["months"], (1, 2))


# --- the page -------------------------------------------------------------------------------------------------
def _context(user, kind: str) -> dict:
    today = timezone.localdate()
    citywide = visible_region_ids(user) is None
    visible = scope_queryset(Institution.objects.all(), user)
    regions = scope_queryset(Region.objects.all(), user)
    plans = scope_queryset(ReformPlan.objects.all(), user)
    quota_type = f.institutional_type()
    quotas = f.quota_figures(visible, today)
    context = {
        "kind": kind, "today": today, "citywide": citywide,
        "region": getattr(getattr(user, "profile", None), "region", None) if not citywide else None,
        "quota_figures": quota_figure_list(quotas, f.controlled_quotas(regions, today, quota_type)),
        "waiting": [], "due": [], "hr": [], "requests": None,
        "charts": [*reform_charts(regions, citywide, today, quota_type), *scenario_charts(user),
                   distribution_chart(quotas), loans_chart(visible, today)],
    }
    if kind in (CITY, DISTRICT):
        policy = WorkflowPolicy.current()
        context["due"] = due_figure_list(
            f.due_counts(visible, today, policy.due_soon_days, policy.expiring_soon_days), policy)
    if kind == CITY:
        context["waiting"] = waiting_figure_list(f.waiting_counts(visible, plans))
    if kind == DISTRICT:
        context["requests"] = requests_table(f.own_requests_by_state(visible, plans))
    if kind in (CITY, HR):
        context["hr"] = hr_figure_list(quotas)
    return context


@role_required
@require_GET
def home(request):
    """The home page of the user's role (``home_kind``). The rules broken now come in a second request
    (``home_findings``), once the page is shown: checking every unit against the standards is the costliest figure."""
    kind = home_kind(request.user)
    return render(request, "portal/home.html", _context(request.user, kind))


@role_required
@require_GET
def home_findings(request):
    """The home page's "rules broken now": the standards' findings counted per rule, in the user's regions."""
    regions = scope_queryset(Region.objects.all(), request.user)
    figures = findings_figure_list(f.findings_by_rule(regions, timezone.localdate()))
    return render(request, "portal/home_findings.html", {"findings": figures})
