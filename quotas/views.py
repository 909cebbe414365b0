"""Pages of the ledger: the reduction report between two dates."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.pages import role_required
from accounts.scoping import scope_queryset
from core.dates import page_date
from institutions.models import Region
from quotas.models import QuotaType
from quotas.selectors import totals_by_region


def _change(before: int, after: int) -> dict:
    percent = None if not before else (Decimal(after - before) * 100 / before).quantize(Decimal("0.1"))
    return {"before": before, "after": after, "change": after - before, "percent": percent}


@role_required
def reduction_report(request):
    """Quotas held by each region and level on two dates, and the change (the article's reduction ratios).

    Each level counts what its regions hold in their institutions, pools and controlled-use holds; the turnover
    pools are a row of their own (they lend to every level); the citywide total adds them all. Counties also show
    "reduced or put under controlled use": the reduction plus the growth of their controlled-use holds, the figure
    the reform reports for them.
    """
    before, error_before = page_date(request, "before", datetime.date(2019, 12, 31))
    after, error_after = page_date(request, "after", timezone.localdate())
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






