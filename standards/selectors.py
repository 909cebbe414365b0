"""The standards' figures, computed here once and read by the standards page, its API and workbook, the reform
preview and the zero-based allocation: each region's cap and count, each unit's divisions, leadership posts and
industry standard, and the findings (a unit or region that breaks a rule, with the figure and the limit)."""
from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from institutions.choices import InstitutionKind, InstitutionStatus, MustExistReason
from institutions.models import Institution, InternalDivision, Region
from institutions.selectors import institution_counts_by_region, institutions_on
from quotas.selectors import own_approved_quotas_of_units
from standards import rules
from standards.models import (
    FIGURE_SECTOR,
    SECTOR_OF_CLASS,
    CapMethod,
    DivisionBand,
    IndustryRule,
    IndustryRuleSet,
    InstitutionCap,
    LeadershipBand,
    LeadershipScope,
    ServiceFigure,
)

# The rules a finding can break (``Finding.rule``).
CAP = "cap"
DIVISION_AVERAGE = "division_average"
DIVISION_COUNT = "division_count"
LEADERSHIP_UNIT = "leadership_unit"
LEADERSHIP_DIVISION = "leadership_division"
INDUSTRY_OVER = "industry_over"
INDUSTRY_UNDER = "industry_under"
RULES = (CAP, DIVISION_AVERAGE, DIVISION_COUNT, LEADERSHIP_UNIT, LEADERSHIP_DIVISION, INDUSTRY_OVER, INDUSTRY_UNDER)


# --- institution caps -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CapFigure:
    region: Region
    method: str | None  # None: the region has no cap
    cap: int | None
    derivation: rules.CapDerivation | None
    document: Any
    institutions: int  # public institutions existing on the date

    @property
    def over_by(self) -> int:
        return max(self.institutions - self.cap, 0) if self.cap is not None else 0


def region_caps(on: datetime.date | None = None, *, regions=None) -> dict[int, CapFigure]:
    """region id → its cap (fixed, or derived from the registry on ``on``: its must-exist units and agencies) and
    its count of public institutions on ``on``."""
    day = on or timezone.localdate()
    region_rows = list((Region.objects.all() if regions is None else regions).order_by("code"))
    caps = {cap.region_id: cap for cap in InstitutionCap.objects.filter(region__in=region_rows).select_related(
        "document")}
    counts = institution_counts_by_region(day)
    agencies = institution_counts_by_region(day, kind=InstitutionKind.AGENCY)
    must_exist = Counter(institutions_on(day).exclude(must_exist_reason=MustExistReason.NONE).values_list(
        "region_on", flat=True))
    out = {}
    for region in region_rows:
        rule = caps.get(region.pk)
        derivation, cap = None, None
        if rule is not None and rule.method == CapMethod.DERIVED:
            derivation = rules.CapDerivation(must_exist.get(region.pk, 0), rule.coefficient,
                                             agencies.get(region.pk, 0), rule.city_reduction, rule.factor)
            cap = derivation.cap
        elif rule is not None:
            cap = rule.cap
        out[region.pk] = CapFigure(region, rule.method if rule else None, cap, derivation,
                                   rule.document if rule else None, counts.get(region.pk, 0))
    return out


# --- tables ---------------------------------------------------------------------------------------------------
@dataclass
class Tables:
    """The division and leadership tables as (low, high, payload) rows, read once."""

    divisions: list[tuple[int, int | None, rules.DivisionLimit]] = field(default_factory=list)
    unit_posts: list[tuple[int, int | None, rules.PostRange]] = field(default_factory=list)
    division_posts: list[tuple[int, int | None, rules.PostRange]] = field(default_factory=list)

    def division_limit(self, quotas: int) -> rules.DivisionLimit | None:
        return rules.band_for(quotas, self.divisions)

    def unit_posts_allowed(self, quotas: int) -> rules.PostRange | None:
        return rules.band_for(quotas, self.unit_posts)

    def division_posts_allowed(self, quotas: int) -> rules.PostRange | None:
        return rules.band_for(quotas, self.division_posts)


def tables() -> Tables:
    out = Tables(divisions=[(band.low, band.high, band.as_limit()) for band in DivisionBand.objects.all()])
    for band in LeadershipBand.objects.all():
        rows = out.unit_posts if band.applies_to == LeadershipScope.UNIT else out.division_posts
        rows.append((band.low, band.high, band.as_range()))
    return out


# --- industry standards ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StandardPart:
    """One figure's share of a unit's standard: the figure, the rule line that read it, and the result."""

    figure: str
    year: int
    value: int
    source: str
    rule_set: str
    rule: IndustryRule
    result: rules.StandardQuota


@dataclass(frozen=True)
class UnitStandard:
    institution_id: int
    parts: tuple[StandardPart, ...]
    missing: tuple[str, ...] = ()  # figures with no rule line in force that covers them

    @property
    def low(self) -> int:
        return sum(part.result.low for part in self.parts)

    @property
    def high(self) -> int:
        return sum(part.result.high for part in self.parts)


def _rule_sets_by_sector() -> dict[str, list[IndustryRuleSet]]:
    out: dict[str, list[IndustryRuleSet]] = defaultdict(list)
    for rule_set in IndustryRuleSet.objects.prefetch_related("rules").order_by("-valid_from"):
        out[rule_set.sector].append(rule_set)
    return out


def unit_standards(units, *, on: datetime.date | None = None) -> dict[int, UnitStandard]:
    """institution id → its industry standard, for the units of a sector with service figures: each figure of the
    latest year it has, read by the line of the rule set in force at the end of that year that covers the figure
    and the unit's level."""
    day = on or timezone.localdate()
    units = [unit for unit in units if unit.reserved_class in SECTOR_OF_CLASS]
    latest: dict[int, dict[str, ServiceFigure]] = defaultdict(dict)
    for figure in ServiceFigure.objects.filter(institution__in=units, year__lte=day.year).order_by(
            "institution_id", "figure", "-year"):
        latest[figure.institution_id].setdefault(figure.figure, figure)
    sets = _rule_sets_by_sector()
    out = {}
    for unit in units:
        if not latest.get(unit.pk):
            continue
        parts, missing = [], []
        for kind, figure in sorted(latest[unit.pk].items()):
            year_end = datetime.date(figure.year, 12, 31)
            in_force = next((rule_set for rule_set in sets[FIGURE_SECTOR[kind]] if rule_set.valid_from <= year_end),
                            None)
            line = None
            if in_force is not None:
                line = next((rule for rule in in_force.rules.all() if rule.figure == kind
                             and rule.level in ("", unit.region.level) and figure.value >= rule.low
                             and (rule.high is None or figure.value <= rule.high)), None)
            if line is None:
                missing.append(kind)
                continue
            parts.append(StandardPart(kind, figure.year, figure.value, figure.source, in_force.name, line,
                                      rules.standard_quota(figure.value, line.as_rule())))
        out[unit.pk] = UnitStandard(unit.pk, tuple(parts), tuple(missing))
    return out


# --- findings -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    rule: str
    region: Region
    figure: Decimal | int
    limit: str  # as shown: "74", "≥ 8", "2–3", "588–630"
    institution: Institution | None = None
    division: InternalDivision | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def _range(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def findings(*, regions=None, on: datetime.date | None = None) -> list[Finding]:
    """Every rule broken now, in the given regions (all by default): regions over their caps, units under the
    division average or over the division count, leadership posts over the table, units over or under their
    industry standard."""
    region_rows = Region.objects.all() if regions is None else regions
    out: list[Finding] = []
    for figure in region_caps(on, regions=region_rows).values():
        if figure.over_by:
            out.append(Finding(CAP, figure.region, figure.institutions, str(figure.cap),
                               detail={"over_by": figure.over_by, "method": figure.method}))
    units = list(Institution.objects.filter(region__in=region_rows, status=InstitutionStatus.ACTIVE,
                                            kind=InstitutionKind.PUBLIC_INSTITUTION).select_related("region"))
    quotas = own_approved_quotas_of_units([unit.pk for unit in units])
    division_counts = dict(InternalDivision.objects.filter(institution__in=units).order_by().values(
        "institution_id").annotate(count=Count("pk")).values_list("institution_id", "count"))
    table = tables()
    for unit in units:
        size, divisions = quotas.get(unit.pk, 0), division_counts.get(unit.pk, 0)
        check = rules.division_check(size, divisions, table.division_limit(size))
        if check.average_too_low:
            out.append(Finding(DIVISION_AVERAGE, unit.region, check.average.quantize(Decimal("0.1")),
                               f"≥ {rules.MIN_AVERAGE_PER_DIVISION}", unit,
                               detail={"quotas": size, "divisions": divisions}))
        if check.too_many:
            out.append(Finding(DIVISION_COUNT, unit.region, divisions, f"≤ {check.limit.max_divisions}", unit,
                               detail={"quotas": size}))
        posts = unit.leadership_principal + unit.leadership_deputy
        allowed = table.unit_posts_allowed(size)
        if allowed is not None and posts > allowed.high:
            out.append(Finding(LEADERSHIP_UNIT, unit.region, posts, _range(allowed.low, allowed.high), unit,
                               detail={"quotas": size}))
    for division in InternalDivision.objects.filter(institution__in=units).select_related("institution__region"):
        posts = division.leadership_principal + division.leadership_deputy
        allowed = table.division_posts_allowed(division.quota_count)
        if allowed is not None and posts > allowed.high:
            out.append(Finding(LEADERSHIP_DIVISION, division.institution.region, posts,
                               _range(allowed.low, allowed.high), division.institution, division,
                               detail={"quotas": division.quota_count}))
    by_id = {unit.pk: unit for unit in units}
    for unit_id, standard in unit_standards(units, on=on).items():
        if not standard.parts:
            continue
        unit, size = by_id[unit_id], quotas.get(unit_id, 0)
        if size > standard.high or size < standard.low:
            out.append(Finding(INDUSTRY_OVER if size > standard.high else INDUSTRY_UNDER, unit.region, size,
                               _range(standard.low, standard.high), unit,
                               detail={"standard_low": standard.low, "standard_high": standard.high}))
    return out
