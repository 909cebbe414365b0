"""The home pages' figures and chart series, assembled from the selectors that compute them.

Each unit's quota figures are the reconciliation's (``reconciliation.selectors``, itself reading
``workflow.vacancy``), controlled use the ledger's (``quotas.selectors.totals_by_region``), what waits and falls due
the workflow's inbox reads (``workflow.selectors``), the broken rules the standards' (``standards.selectors
.findings``), the reform's effect ``reforms.selectors.reform_effect`` and the scenario's results and stress test the
allocation's. This module sums, counts and groups their rows, each read once, so that a home page costs a fixed
number of queries whatever the size of the city. Its own are only what no other page shows: the bands of the
vacancy chart, the age after which a staff count is due for an update, and the loans per month (the workflow's
loans grouped by the month they were lent).
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from allocation.models import AllocationScenario, ScenarioStatus
from allocation.services import scenario_stress_test
from core.dates import months_before
from quotas.models import QuotaType
from quotas.selectors import totals_by_region
from reconciliation.selectors import reconciliation, reconciliation_options, reconciliation_totals
from reforms.selectors import LEVEL_LABELS, reform_effect
from standards.selectors import RULES, findings
from standards.texts import rule_label
from workflow import states as workflow
from workflow.models import HiringPlan, QuotaUseNotice, TurnoverLoan
from workflow.selectors import loans_due_within, notices_expiring_within, overdue_loans, requests_in_state, state_counts

# Units by size of their vacancy or of their excess (inclusive bounds; None: no upper bound).
BANDS = ((1, 2), (3, 5), (6, 10), (11, 20), (21, None))
# A staff count older than this is due for an update by the HR bureau (a yearly count is the usual rhythm).
STAFF_COUNT_DUE_MONTHS = 12
# Request kinds of the workflow, as the inboxes list them.
REQUEST_MODELS = (("plans", HiringPlan), ("notices", QuotaUseNotice), ("loans", TurnoverLoan))


def band_label(low: int, high: int | None) -> str:
    return f"≥{low}" if high is None else f"{low}–{high}"


def _in_band(figure, low: int, high: int | None) -> Q:
    condition = Q(GreaterThanOrEqual(figure, low))
    return condition if high is None else condition & Q(LessThanOrEqual(figure, high))


@dataclass(frozen=True)
class QuotaFigures:
    """The reconciliation's figures summed over the units a user sees (institutional quotas of public
    institutions), with the units counted by flag and by band."""

    units: int
    approved: int
    borrowed: int
    staff: int
    vacant: int
    over_quota: int
    vacant_units: int
    over_quota_units: int
    no_plan_units: int
    stale_plan_units: int
    no_staff_count_units: int
    staff_count_due_units: int
    vacant_bands: tuple[int, ...]
    over_quota_bands: tuple[int, ...]


def quota_figures(visible: QuerySet, today: datetime.date) -> QuotaFigures:
    """The ``visible`` units' reconciliation today: its totals (``reconciliation_totals``, the reconciliation page's
    summary) and, in the same query, the units counted by band and by the age of their staff count."""
    queryset = reconciliation(institutions=visible, options=reconciliation_options())
    totals = reconciliation_totals(queryset, extra=lambda figures: {
        "no_staff_count_n": Count("pk", filter=Q(staff_count_id__isnull=True)),
        "staff_count_due_n": Count("pk", filter=Q(staff_as_of__lt=months_before(today, STAFF_COUNT_DUE_MONTHS))),
        **{f"vacant_band_{index}": Count("pk", filter=_in_band(figures["vacant"], *band))
           for index, band in enumerate(BANDS)},
        **{f"over_band_{index}": Count("pk", filter=_in_band(figures["over_quota"], *band))
           for index, band in enumerate(BANDS)},
    })
    return QuotaFigures(
        units=totals["units"], approved=totals["approved_sum"], borrowed=totals["borrowed_sum"],
        staff=totals["staff_sum"], vacant=totals["vacant_sum"], over_quota=totals["over_quota_sum"],
        vacant_units=totals["vacant_units"], over_quota_units=totals["over_quota_units"],
        no_plan_units=totals["no_plan_units"], stale_plan_units=totals["stale_units"],
        no_staff_count_units=totals["no_staff_count_n"], staff_count_due_units=totals["staff_count_due_n"],
        vacant_bands=tuple(totals[f"vacant_band_{index}"] for index in range(len(BANDS))),
        over_quota_bands=tuple(totals[f"over_band_{index}"] for index in range(len(BANDS))),
    )


def institutional_type() -> QuotaType | None:
    """The quota type the reconciliation reads, so that every figure of a home page is of the same type."""
    return QuotaType.objects.filter(code=reconciliation_options().quota_type).first()


def controlled_quotas(regions: QuerySet, today: datetime.date, quota_type: QuotaType | None) -> int:
    """Quotas held under controlled use in ``regions`` today (the ledger's hold accounts)."""
    return sum(row.controlled for row in totals_by_region(today, quota_type=quota_type, regions=regions))


def waiting_counts(visible: QuerySet, plans: QuerySet) -> dict[str, int]:
    """Requests submitted and waiting for the city office's decision, per kind (``plans``: the reform plans the
    user sees)."""
    counts = {kind: requests_in_state(model, visible, [workflow.SUBMITTED]).count() for kind, model in REQUEST_MODELS}
    counts["reforms"] = plans.filter(status=workflow.SUBMITTED).count()
    return counts


def due_counts(visible: QuerySet, today: datetime.date, due_soon_days: int, expiring_soon_days: int) -> dict:
    """Loans falling due (overdue ones included), loans flagged overdue and notices expiring, as the inbox lists."""
    return {
        "loans_due": loans_due_within(visible, today, due_soon_days).count(),
        "loans_overdue": overdue_loans(visible).count(),
        "notices_expiring": notices_expiring_within(visible, today, expiring_soon_days).count(),
    }


def own_requests_by_state(visible: QuerySet, plans: QuerySet) -> dict[str, dict[str, int]]:
    """A district office's requests per kind and state (the district inbox's counts, and its reform plans')."""
    counts = {kind: state_counts(model, visible) for kind, model in REQUEST_MODELS}
    counts["reforms"] = dict(plans.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return counts


def findings_by_rule(regions: QuerySet, today: datetime.date) -> list[tuple[str, str, int]]:
    """(rule code, its label, the number of findings) for every rule, in the standards page's order."""
    counts = Counter(finding.rule for finding in findings(regions=regions, on=today))
    return [(code, rule_label(code), counts.get(code, 0)) for code in RULES]


# --- charts: each a dict the page passes to json_script and prints as its table ----------------------------------
def reform_chart(regions: QuerySet | None, before: datetime.date, today: datetime.date,
                 quota_type: QuotaType | None) -> dict:
    """Quotas before and after the reform per region (and per level when ``regions`` is None: the whole city)."""
    effect = reform_effect(before, today, quota_type=quota_type, regions=regions)
    rows = [(region.name, region.quotas.before, region.quotas.after, region.quotas.change)
            for region in effect.round.regions]
    levels = []
    if regions is None:
        levels = [(str(LEVEL_LABELS[level.level]), level.quotas.before, level.quotas.after, level.quotas.change)
                  for level in effect.round.levels]
    return {"before": before.isoformat(), "after": today.isoformat(), "regions": rows, "levels": levels}


def latest_scenario(scenarios: QuerySet) -> AllocationScenario | None:
    """The city's latest applied, approved or computed scenario among ``scenarios`` (those the user sees)."""
    done = (ScenarioStatus.APPLIED, ScenarioStatus.APPROVED, ScenarioStatus.COMPUTED)
    return (scenarios.filter(status__in=done, scope_region__parent__isnull=True)
            .order_by("-computed_at", "-pk").first())


def scenario_chart(scenario: AllocationScenario) -> dict:
    """Each region's current holding against the scenario's result, and its stress-test range (the allocation's
    stress test with its default move of the weights)."""
    results = [(result.region.name, result.current, result.result, result.difference)
               for result in scenario.results.select_related("region").order_by("region__code")]
    stress = scenario_stress_test(scenario=scenario)
    ranges = [(area["name"], area["min"], area["base"], area["max"]) for area in stress["areas"]]
    return {"name": scenario.name, "status": scenario.get_status_display(), "results": results,
            "points": stress["points"], "ranges": ranges}


def vacancy_chart(figures: QuotaFigures) -> dict:
    """Units per band of vacancy and of excess over their quotas."""
    return {"bands": [(band_label(*band), vacant, over) for band, vacant, over
                      in zip(BANDS, figures.vacant_bands, figures.over_quota_bands, strict=True)]}


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def loans_chart(visible: QuerySet, today: datetime.date) -> dict:
    """Turnover-pool loans lent per month (by the day lent) to the ``visible`` units, and the quotas lent, from the
    first month with a loan to this one."""
    rows = (TurnoverLoan.objects.filter(institution__in=visible, start_date__isnull=False)
            .annotate(month=TruncMonth("start_date")).order_by("month").values("month")
            .annotate(loans=Count("pk"), quotas=Sum("count")))
    by_month = {row["month"]: (row["loans"], row["quotas"]) for row in rows}
    if not by_month:
        return {"months": []}
    months = _months(min(by_month), max(today, max(by_month)))
    return {"months": [(month.strftime("%Y-%m"), *by_month.get(month, (0, 0))) for month in months]}
