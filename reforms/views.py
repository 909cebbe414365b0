"""Pages of the reform: the effect report (改革成效) between two dates, with its workbook."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.scoping import scope_queryset, visible_region_ids
from core.dates import page_date, parse_date
from institutions.models import Region
from quotas.models import QuotaType
from reforms import exports
from reforms.models import OperationKind
from reforms.selectors import LEVEL_LABELS, ReformEffect, demo_city_loaded, reform_effect

DEFAULT_BEFORE = datetime.date(2019, 12, 31)  # the reform's baseline: the end of the year before it began


@dataclass
class EffectQuery:
    """What the page was asked (its GET parameters, read leniently: a bad date shows the default and says so)."""

    before: datetime.date
    after: datetime.date
    previous: datetime.date | None
    quota_type: QuotaType | None
    citywide: bool  # the user sees every region: the level rows and the citywide total are theirs to see
    regions: QuerySet | None
    errors: list[str] = field(default_factory=list)


def _previous(request) -> tuple[datetime.date | None, str | None]:
    """The optional start of a first round; a bad one is dropped, saying why."""
    try:
        return parse_date(request.GET.get("previous")), None
    except ValidationError as error:
        return None, _("%(reason)s The first round is not shown.") % {"reason": " ".join(error.messages)}


def effect_query(request) -> EffectQuery:
    """The dates, the quota type and the user's reach. District offices see their own region's rows only; the
    level rows are citywide figures, for citywide roles (as the ledger's totals by level in the API)."""
    before, error_before = page_date(request, "before", DEFAULT_BEFORE)
    after, error_after = page_date(request, "after", timezone.localdate())
    previous, error_previous = _previous(request)
    code = request.GET.get("quota_type", "institutional")
    quota_type = QuotaType.objects.filter(code=code).first() or QuotaType.objects.order_by("sort_order").first()
    citywide = visible_region_ids(request.user) is None
    regions = None if citywide else scope_queryset(Region.objects.all(), request.user)
    return EffectQuery(before=before, after=after, previous=previous, quota_type=quota_type, citywide=citywide,
                       regions=regions, errors=[e for e in (error_before, error_after, error_previous) if e])


def read_effect(query: EffectQuery) -> ReformEffect | None:
    """The effect the query asks for, or None with the reasons added to ``query.errors`` (dates out of order)."""
    try:
        return reform_effect(query.before, query.after, quota_type=query.quota_type, regions=query.regions,
                             previous=query.previous)
    except ValidationError as error:
        query.errors.extend(error.messages)
        return None


def _print_heading(query: EffectQuery) -> dict:
    """What the printed report says of itself: its title, quota type, the dates asked for, and its "as of"."""
    filters = [(_("Before"), query.before.isoformat()), (_("After"), query.after.isoformat())]
    if query.previous:
        filters.insert(0, (_("First round from"), query.previous.isoformat()))
    return {"print_title": _("The reform's effect"), "print_quota_type": str(query.quota_type or ""),
            "print_filters": filters, "print_as_of": query.after}


def _context(request, query: EffectQuery, effect: ReformEffect | None) -> dict:
    context = {
        "query": query, "effect": effect, "errors": query.errors, "citywide": query.citywide,
        "quota_types": QuotaType.objects.all(), "illustrative": demo_city_loaded(),
        "query_string": request.GET.urlencode(),
        **_print_heading(query),
    }
    if effect is None:
        return context
    current, first = effect.round, effect.first_round
    context.update({
        "round": current,
        "levels": [(LEVEL_LABELS[level.level], level) for level in current.levels],
        "regions": [(LEVEL_LABELS[region.level], region) for region in current.regions],
        "operations": [
            (label, first.operations[kind] if first else None, current.operations[kind])
            for kind, label in OperationKind.choices
            if current.operations[kind] or (first and first.operations[kind])],
        "consistency": exports.consistency_sentence(current.consistency),
        "first_consistency": exports.consistency_sentence(first.consistency) if first else "",
        "comparisons": [
            (exports.comparison_label(comparison), comparison, exports.comparison_sentence(comparison))
            for comparison in (*(effect.level_comparisons if query.citywide else ()), *effect.region_comparisons)],
    })
    return context


@role_required
@require_GET
def effect_page(request):
    """The reform's effect between two dates (and, with a third earlier date, its two rounds), by level and
    region, with the operations carried out and whether the levels cut their quotas by about as much."""
    query = effect_query(request)
    effect = read_effect(query)
    return render(request, "reforms/effect.html", _context(request, query, effect))


@role_required
@require_GET
def effect_xlsx(request):
    """The page's figures as a workbook; dates out of order show the page with the reason instead."""
    query = effect_query(request)
    effect = read_effect(query)
    if effect is None:
        return render(request, "reforms/effect.html", _context(request, query, effect), status=400)
    return exports.reform_effect_xlsx(effect, citywide=query.citywide)
