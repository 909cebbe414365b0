"""Pages of the standards: each region's cap against its count, and every rule broken now, with its workbook; one
unit against every standard."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.scoping import scope_queryset, visible_region_ids
from institutions.models import Institution, Region
from standards import exports, selectors, texts
from standards.texts import cap_text, finding_detail, finding_unit, in_rule_order, rule_label

MAX_ID = 2**63 - 1


@dataclass
class StandardsQuery:
    """What the page was asked (``?region=``, an id or a division code, read leniently: an unknown one shows every
    region the user sees and says so) and the user's reach."""

    citywide: bool  # the user sees every region: the region filter is theirs to use
    visible: QuerySet  # the regions the user sees
    region: Region | None  # the one region asked for
    errors: list[str] = field(default_factory=list)

    @property
    def regions(self) -> QuerySet:
        return self.visible.filter(pk=self.region.pk) if self.region else self.visible


def _region(visible: QuerySet, value: str) -> Region | None:
    """A division code first, else an id, among the regions the user sees."""
    region = visible.filter(code=value).first()
    if region is None and value.isascii() and value.isdigit() and int(value) <= MAX_ID:
        region = visible.filter(pk=int(value)).first()
    return region


def standards_query(request) -> StandardsQuery:
    visible = scope_queryset(Region.objects.all(), request.user).order_by("code")
    query = StandardsQuery(citywide=visible_region_ids(request.user) is None, visible=visible, region=None)
    value = request.GET.get("region", "").strip()[:20]
    if value:
        query.region = _region(visible, value)
        if query.region is None:
            query.errors.append(_("Unknown region “%(value)s”: every region you see is shown.") % {"value": value})
    return query


def read_standards(query: StandardsQuery) -> exports.Standards:
    """The caps and findings of the query's regions today, the findings in the order of the rules."""
    day = timezone.localdate()
    regions = query.regions
    caps = list(selectors.region_caps(day, regions=regions).values())
    return exports.Standards(day=day, caps=caps, findings=in_rule_order(selectors.findings(regions=regions, on=day)))


def _context(request, query: StandardsQuery, standards: exports.Standards) -> dict:
    groups = []
    for code in selectors.RULES:
        rows = [(finding, finding_unit(finding), finding_detail(finding))
                for finding in standards.findings if finding.rule == code]
        if rows:
            groups.append((code, rule_label(code), rows))
    return {
        "query": query, "citywide": query.citywide, "errors": query.errors, "regions": query.visible,
        "day": standards.day, "caps": [(figure, cap_text(figure)) for figure in standards.caps],
        "groups": groups, "findings_count": len(standards.findings), "query_string": request.GET.urlencode(),
    }


@role_required
@require_GET
def standards_page(request):
    """Each region's institution cap against its public institutions (with the derivation of a derived cap), and
    the findings grouped per rule: the unit, its figure and the limit."""
    query = standards_query(request)
    return render(request, "standards/standards.html", _context(request, query, read_standards(query)))


@role_required
@require_GET
def standards_xlsx(request):
    """The page's figures as a workbook: a sheet of caps and a sheet of findings."""
    query = standards_query(request)
    return exports.standards_xlsx(read_standards(query))


# --- one unit -------------------------------------------------------------------------------------------------
def unit_context(standing: selectors.UnitStanding) -> dict:
    """The unit page's figures, each standard with its explanation as a sentence and what the findings say of it."""
    unit = standing.institution
    return {
        "standing": standing, "unit": unit, "day": standing.day,
        "findings": [(finding, rule_label(finding.rule), finding_unit(finding), finding_detail(finding))
                     for finding in standing.findings],
        "divisions": [
            (_("Quotas per internal division"), texts.division_average_text(standing),
             texts.verdict(standing, selectors.DIVISION_AVERAGE)),
            (_("Internal divisions for its size"), texts.division_count_text(standing),
             texts.verdict(standing, selectors.DIVISION_COUNT)),
        ],
        "ceiling_text": texts.division_ceiling_text(standing),
        "leadership_text": texts.leadership_text(standing),
        "leadership_verdict": texts.verdict(standing, selectors.LEADERSHIP_UNIT),
        "division_leadership": [(row, texts.division_leadership_text(row), texts.division_verdict(standing, row))
                                for row in standing.division_leadership],
        "industry_text": texts.industry_text(standing),
        "industry_verdict": texts.verdict(standing, selectors.INDUSTRY_OVER, selectors.INDUSTRY_UNDER),
        "parts": [(part, texts.rate_text(part.rule.as_rule()), texts.minimum_text(part.rule.as_rule()),
                   texts.standard_part_text(part)) for part in (standing.standard.parts if standing.standard else ())],
    }


@role_required
@require_GET
def unit_page(request, pk: int):
    """One unit against every standard: its quotas, internal divisions, leadership posts and industry standard,
    each explained, and the rules it breaks. Another region's unit is not found (404)."""
    if pk > MAX_ID:
        raise Http404
    unit = scope_queryset(Institution.objects.select_related("region"), request.user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return render(request, "standards/unit.html", unit_context(selectors.unit_standing(unit)))
