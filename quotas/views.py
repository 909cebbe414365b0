"""Pages of the ledger and the allocation: reduction report between two dates, scenarios, comparison, stress test."""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import parse_date
from core.roles import user_roles
from core.scoping import scope_queryset
from institutions.models import Region
from quotas import allocation
from quotas.models import AllocationScenario, QuotaType
from quotas.selectors import totals_by_region


def _date(request, name: str, default: datetime.date) -> tuple[datetime.date, str | None]:
    try:
        return parse_date(request.GET.get(name)) or default, None
    except ValidationError as error:
        return default, _("%(reason)s %(default)s is shown.") % {
            "reason": " ".join(error.messages), "default": default.isoformat()}


def _change(before: int, after: int) -> dict:
    percent = None if not before else (Decimal(after - before) * 100 / before).quantize(Decimal("0.1"))
    return {"before": before, "after": after, "change": after - before, "percent": percent}


def _require_role(request) -> None:
    if not request.user.is_superuser and not user_roles(request.user):
        raise Http404


@login_required
def reduction_report(request):
    """Quotas held by each region and level on two dates, and the change (the article's reduction ratios).

    Each level counts what its regions hold in their institutions, pools and controlled-use holds; the turnover
    pools are a row of their own (they lend to every level); the citywide total adds them all. Counties also show
    "reduced or put under controlled use": the reduction plus the growth of their controlled-use holds, the figure
    the reform reports for them.
    """
    _require_role(request)
    before, error_before = _date(request, "before", datetime.date(2019, 12, 31))
    after, error_after = _date(request, "after", timezone.localdate())
    code = request.GET.get("quota_type", "institutional")
    quota_type = QuotaType.objects.filter(code=code).first() or QuotaType.objects.order_by("sort_order").first()
    regions = scope_queryset(Region.objects.all(), request.user)
    rows_before = {row.region_id: row for row in totals_by_region(before, quota_type=quota_type, regions=regions)}
    rows_after = totals_by_region(after, quota_type=quota_type, regions=regions)
    levels = {level: {"before": 0, "after": 0, "controlled_before": 0, "controlled_after": 0}
              for level in ("city", "district", "county")}
    pools = {"before": 0, "after": 0}
    rows = []
    for row in rows_after:
        old = rows_before[row.region_id]
        held_before, held_after = old.total - old.turnover_pool, row.total - row.turnover_pool
        level = levels[row.level]
        level["before"] += held_before
        level["after"] += held_after
        level["controlled_before"] += old.controlled
        level["controlled_after"] += row.controlled
        pools["before"] += old.turnover_pool
        pools["after"] += row.turnover_pool
        rows.append({"region": row, **_change(held_before, held_after), "controlled": row.controlled,
                     "turnover_pool": row.turnover_pool})
    level_labels = {"city": _("City level"), "district": _("Districts"), "county": _("Counties")}
    level_rows = []
    for name, figures in levels.items():
        entry = {"level": name, "label": level_labels[name], **_change(figures["before"], figures["after"])}
        if name == "county":
            reduced_or_controlled = (figures["before"] - figures["after"]) + (
                figures["controlled_after"] - figures["controlled_before"])
            entry["reduced_or_controlled"] = reduced_or_controlled
            entry["reduced_or_controlled_percent"] = None if not figures["before"] else (
                Decimal(reduced_or_controlled) * 100 / figures["before"]).quantize(Decimal("0.1"))
        level_rows.append(entry)
    total_before = sum(figures["before"] for figures in levels.values()) + pools["before"]
    total_after = sum(figures["after"] for figures in levels.values()) + pools["after"]
    context = {
        "before": before, "after": after, "errors": [e for e in (error_before, error_after) if e],
        "quota_type": quota_type, "quota_types": QuotaType.objects.all(), "rows": rows, "levels": level_rows,
        "turnover_pools": {"label": _("Turnover pools"), **_change(pools["before"], pools["after"])},
        "citywide": {"label": _("Citywide total"), **_change(total_before, total_after)},
    }
    return render(request, "quotas/reduction_report.html", context)


@login_required
def scenario_list(request):
    _require_role(request)
    scenarios = scope_queryset(AllocationScenario.objects.select_related("scope_region", "quota_type"), request.user)
    return render(request, "quotas/scenario_list.html", {"scenarios": scenarios.order_by("-pk")})


@login_required
def scenario_detail(request, pk: int):
    """Each area's figures with its explanation, and (on request) the stress test."""
    _require_role(request)
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
    return render(request, "quotas/scenario_detail.html", {
        "scenario": scenario, "results": results, "stress": stress, "stress_error": stress_error,
        "totals": {"result": sum(r.result for r in results), "current": sum(r.current for r in results),
                   "controlled": sum(r.controlled for r in results)},
    })


@login_required
def scenario_compare(request):
    _require_role(request)
    ids = [int(part) for part in request.GET.getlist("ids") if part.isdigit()]
    scenarios = list(scope_queryset(AllocationScenario.objects.filter(pk__in=ids), request.user).order_by("pk"))
    on, date_error = _date(request, "on", timezone.localdate())
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
    return render(request, "quotas/scenario_compare.html", {
        "scenarios": scenarios, "areas": areas, "on": on, "date_error": date_error, "error": error,
    })
