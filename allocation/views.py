"""Pages of zero-based allocation: scenarios, a scenario with its stress test (its results part refreshing itself
while the figures are being recomputed), the comparison (printable, and as a workbook)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from accounts import permission_table
from accounts.pages import role_required
from accounts.roles import user_roles
from accounts.scoping import scope_queryset
from allocation import services as allocation
from allocation.forms import ScenarioWeightsForm
from allocation.models import AllocationScenario, ScenarioStatus
from allocation.texts import stress_variant_label
from core.dates import page_date
from core.forms import put_errors
from core.xlsx import append_row, workbook_response


@role_required
def scenario_list(request):
    scenarios = scope_queryset(AllocationScenario.objects.select_related("scope_region", "quota_type"), request.user)
    return render(request, "allocation/scenario_list.html", {"scenarios": scenarios.order_by("-pk")})


# A scenario in these states has a computation queued or running: its page asks for the results part every 2 s.
PENDING = (ScenarioStatus.DRAFT, ScenarioStatus.STALE, ScenarioStatus.COMPUTING)


def _own_scenario(request, pk: int) -> AllocationScenario:
    """The scenario ``pk`` if the user's regions see it (another region's is a 404)."""
    return get_object_or_404(scope_queryset(
        AllocationScenario.objects.select_related("scope_region", "quota_type"), request.user), pk=pk)


def _results_context(scenario: AllocationScenario) -> dict:
    """The results part of a scenario's page: its status, inputs, each area's stored figures and their totals;
    ``pending`` while a computation is queued or running (the part then polls for itself)."""
    results = list(scenario.results.select_related("region").order_by("region__code"))
    return {
        "scenario": scenario, "results": results, "pending": scenario.status in PENDING,
        "totals": {"result": sum(r.result for r in results), "current": sum(r.current for r in results),
                   "controlled": sum(r.controlled for r in results)},
    }


def may_change(user, scenario: AllocationScenario) -> bool:
    """Whether ``user`` may change the scenario's inputs here: the roles the permission table lets update a
    scenario (the city office), on a scenario not yet approved."""
    return not scenario.is_frozen and (
        user.is_superuser or permission_table.allows(user_roles(user), "allocation-scenario", "update"))


def _detail_page(request, scenario: AllocationScenario, *, weights: ScenarioWeightsForm | None = None,
                 status: int = 200):
    stress, stress_error = None, None
    if "points" in request.GET:
        try:
            points = Decimal(request.GET["points"])
            if not points.is_finite() or not 0 < points <= 50:
                raise InvalidOperation
            stress = allocation.scenario_stress_test(scenario=scenario, points=points)
            for area in stress["areas"]:  # the API keeps the variants' codes; the page names them
                area["min_variant"] = stress_variant_label(area["min_variant"])
                area["max_variant"] = stress_variant_label(area["max_variant"])
        except (InvalidOperation, ValueError) as error:
            stress_error = _("The stress test could not run: %(reason)s") % {
                "reason": error if isinstance(error, ValueError) and str(error) else
                _("give a number of percentage points between 0 and 50")}
    if weights is None and may_change(request.user, scenario):
        weights = ScenarioWeightsForm(scenario=scenario)
    return render(request, "allocation/scenario_detail.html", {
        **_results_context(scenario), "stress": stress, "stress_error": stress_error, "weights": weights,
    }, status=status)


@role_required
def scenario_detail(request, pk: int):
    """Each area's figures with its explanation, the weights (for who may change them), and (on request) the
    stress test."""
    return _detail_page(request, _own_scenario(request, pk))


@role_required
@require_POST
def scenario_weights(request, pk: int):
    """Change a scenario's weights (``allocation.services.scenario_update``, which checks they add up to 100 and
    marks the scenario stale): back to its page, which shows the new figures once they are recomputed."""
    scenario = _own_scenario(request, pk)
    if not may_change(request.user, scenario):
        raise PermissionDenied
    form = ScenarioWeightsForm(request.POST, scenario=scenario)
    if form.is_valid():
        try:
            allocation.scenario_update(scenario=scenario, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The weights are saved; the figures are being recomputed."))
            return redirect("allocation:scenario", pk=scenario.pk)
    return _detail_page(request, scenario, weights=form, status=400)


@role_required
@require_GET
@never_cache
def scenario_status(request, pk: int):
    """The results part of a scenario's page, which the page fetches every 2 s while the figures are being
    (re)computed; once computed (or failed) the part comes without its polling, so the page stops asking."""
    return render(request, "allocation/scenario_results.html", _results_context(_own_scenario(request, pk)))


@dataclass
class Comparison:
    """The scenarios compared, per area a cell per scenario, and the totals: the holding's and, per scenario, its
    results' and changes' sums (the page's footer and the workbook's totals row)."""

    scenarios: list[AllocationScenario]
    areas: list[dict]
    on: datetime.date
    date_error: str | None
    error: str | None
    totals: dict = field(default_factory=dict)


def _comparison(request) -> Comparison:
    """The comparison the GET parameters ask for (``ids`` of the user's scenarios, ``on`` the holdings' date)."""
    ids = [int(part) for part in request.GET.getlist("ids") if part.isdigit()]
    scenarios = list(scope_queryset(AllocationScenario.objects.filter(pk__in=ids), request.user)
                     .select_related("quota_type").order_by("pk"))
    on, date_error = page_date(request, "on", timezone.localdate())
    areas, error = [], None
    if len(scenarios) < 2:
        error = _("Choose two or more scenarios to compare.")
    else:
        try:
            areas = allocation.scenarios_compare(scenarios, on=on)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    for area in areas:  # one cell per scenario, in the columns' order
        area["cells"] = [area["results"].get(str(scenario.pk)) for scenario in scenarios]
    totals = {
        "current": sum(area["current"] for area in areas),
        "cells": [{"result": sum(cell["result"] for cell in cells if cell),
                   "difference": sum(cell["difference"] for cell in cells if cell)}
                  for cells in zip(*(area["cells"] for area in areas), strict=True)] if areas else [],
    }
    return Comparison(scenarios=scenarios, areas=areas, on=on, date_error=date_error, error=error, totals=totals)


@role_required
def scenario_compare(request):
    """Scenarios side by side per area, beside the same holding read from the ledger, with the totals."""
    comparison = _comparison(request)
    return render(request, "allocation/scenario_compare.html", {
        "scenarios": comparison.scenarios, "areas": comparison.areas, "on": comparison.on,
        "date_error": comparison.date_error, "error": comparison.error, "totals": comparison.totals,
        "query": request.GET.urlencode(),
        "print_title": _("Compare scenarios"),
        "print_quota_type": str(comparison.scenarios[0].quota_type) if comparison.scenarios else "",
        "print_filters": [(_("Scenario"), scenario.name) for scenario in comparison.scenarios],
        "print_as_of": comparison.on,
    })


def _pairs(cells: list[dict | None]) -> list:
    """Each scenario's result and change, side by side (blank where a scenario has no figure for the area)."""
    return [value for cell in cells for value in ((cell["result"], cell["difference"]) if cell else ("", ""))]


def _comparison_workbook(comparison: Comparison) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Compare scenarios")
    append_row(sheet, [_("Compare scenarios")], bold=True)
    append_row(sheet, [_("Quota type"), str(comparison.scenarios[0].quota_type)])
    append_row(sheet, [_("Holdings as of"), comparison.on.isoformat()])
    holding = _("Holding on %(day)s") % {"day": comparison.on.isoformat()}
    append_row(sheet, [_("Division code"), _("Region"), holding,
                       *(f"{scenario.name} {label}" for scenario in comparison.scenarios
                         for label in (_("result"), _("change")))], bold=True)
    for area in comparison.areas:
        append_row(sheet, [area["code"], area["name"], area["current"], *_pairs(area["cells"])])
    append_row(sheet, [_("Total"), "", comparison.totals["current"], *_pairs(comparison.totals["cells"])], bold=True)
    return workbook


@role_required
def scenario_compare_xlsx(request):
    """The comparison as a workbook (方案比较-<date>.xlsx): a row per area, a column pair per scenario, the totals
    row; a comparison that cannot be made shows the page with the reason (400)."""
    comparison = _comparison(request)
    if comparison.error:
        return render(request, "allocation/scenario_compare.html", {
            "scenarios": comparison.scenarios, "error": comparison.error, "on": comparison.on}, status=400)
    workbook = _comparison_workbook(comparison)
    name = f"{_('Compare scenarios')}-{comparison.on.isoformat()}.xlsx"
    return workbook_response(workbook, name)
