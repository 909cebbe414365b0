"""Pages of zero-based allocation: scenarios, a scenario with its stress test, the comparison."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.pages import role_required
from accounts.scoping import scope_queryset
from allocation import services as allocation
from allocation.models import AllocationScenario
from core.dates import page_date


@role_required
def scenario_list(request):
    scenarios = scope_queryset(AllocationScenario.objects.select_related("scope_region", "quota_type"), request.user)
    return render(request, "allocation/scenario_list.html", {"scenarios": scenarios.order_by("-pk")})


@role_required
def scenario_detail(request, pk: int):
    """Each area's figures with its explanation, and (on request) the stress test."""
    scenario = get_object_or_404(scope_queryset(AllocationScenario.objects.all(), request.user), pk=pk)
    stress, stress_error = None, None
    if "points" in request.GET:
        try:
            points = Decimal(request.GET["points"])
            if not points.is_finite() or not 0 < points <= 50:
                raise InvalidOperation
            stress = allocation.scenario_stress_test(scenario=scenario, points=points)
        except (InvalidOperation, ValueError) as error:
            stress_error = _("The stress test could not run: %(reason)s") % {
                "reason": error if isinstance(error, ValueError) and str(error) else
                _("give a number of percentage points between 0 and 50")}
    results = scenario.results.select_related("region").order_by("region__code")
    return render(request, "allocation/scenario_detail.html", {
        "scenario": scenario, "results": results, "stress": stress, "stress_error": stress_error,
        "totals": {"result": sum(r.result for r in results), "current": sum(r.current for r in results),
                   "controlled": sum(r.controlled for r in results)},
    })


@role_required
def scenario_compare(request):
    ids = [int(part) for part in request.GET.getlist("ids") if part.isdigit()]
    scenarios = list(scope_queryset(AllocationScenario.objects.filter(pk__in=ids), request.user).order_by("pk"))
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
    return render(request, "allocation/scenario_compare.html", {
        "scenarios": scenarios, "areas": areas, "on": on, "date_error": date_error, "error": error,
    })
