"""The standards' figures, computed here once and read by the standards page, its API and workbook, the reform
preview and the zero-based allocation: each region's cap and count, each unit's divisions, leadership posts and
industry standard, the findings (a unit or region that breaks a rule, with the figure and the limit), and one unit's
standing against them all (``unit_standing``, by the same checks as the findings)."""
from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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


def range_text(low: int, high: int) -> str:
    """A limit as shown: "100" for one figure, "588–630" for a range."""
    return str(low) if low == high else f"{low}–{high}"


# --- the checks a finding reads: one function each, for ``findings`` and ``unit_standing`` alike ---------------
# The units the findings measure: the active public institutions.
MEASURED = {"status": InstitutionStatus.ACTIVE, "kind": InstitutionKind.PUBLIC_INSTITUTION}


def is_measured(unit: Institution) -> bool:
    """Whether ``findings`` measures ``unit`` (an active public institution)."""
    return all(getattr(unit, name) == value for name, value in MEASURED.items())


def size_checks(quotas: int, divisions: int, posts: int, table: Tables,
                ceiling: int | None = None) -> tuple[rules.DivisionCheck, rules.LeadershipCheck]:
    """A unit of ``quotas`` own approved quotas with ``divisions`` internal divisions against the division table
    (and ``ceiling``, the divisions it had before its last reform) and its ``posts`` leadership posts against the
    table: what the findings check now and the reform preview checks after a plan."""
    division = rules.division_check(quotas, divisions, table.division_limit(quotas), ceiling)
    return division, rules.LeadershipCheck(quotas, posts, table.unit_posts_allowed(quotas))


def unit_checks(unit: Institution, quotas: int, divisions: int,
                table: Tables) -> tuple[rules.DivisionCheck, rules.LeadershipCheck]:
    """``size_checks`` of a registry unit as it stands."""
    return size_checks(quotas, divisions, unit.leadership_principal + unit.leadership_deputy, table,
                       unit.reform_division_ceiling)


def division_posts_check(division: InternalDivision, table: Tables) -> rules.LeadershipCheck:
    """An internal division's leadership posts against the table for its quotas."""
    return rules.LeadershipCheck(division.quota_count, division.leadership_principal + division.leadership_deputy,
                                 table.division_posts_allowed(division.quota_count))


def shown_average(check: rules.DivisionCheck) -> Decimal | None:
    """The quotas per division to one decimal, as shown (the check compares it unrounded)."""
    return None if check.average is None else check.average.quantize(Decimal("0.1"))


def _unit_findings(unit: Institution, division: rules.DivisionCheck,
                   leadership: rules.LeadershipCheck) -> list[Finding]:
    out = []
    if division.average_too_low:
        out.append(Finding(DIVISION_AVERAGE, unit.region, shown_average(division),
                           f"≥ {rules.MIN_AVERAGE_PER_DIVISION}", unit,
                           detail={"quotas": division.quotas, "divisions": division.divisions}))
    if division.too_many:
        out.append(Finding(DIVISION_COUNT, unit.region, division.divisions, f"≤ {division.limit.max_divisions}",
                           unit, detail={"quotas": division.quotas}))
    if leadership.over:
        out.append(Finding(LEADERSHIP_UNIT, unit.region, leadership.posts,
                           range_text(leadership.allowed.low, leadership.allowed.high), unit,
                           detail={"quotas": leadership.quotas}))
    return out


def _division_findings(division: InternalDivision, check: rules.LeadershipCheck) -> list[Finding]:
    if not check.over:
        return []
    return [Finding(LEADERSHIP_DIVISION, division.institution.region, check.posts,
                    range_text(check.allowed.low, check.allowed.high), division.institution, division,
                    detail={"quotas": check.quotas})]


def _industry_findings(unit: Institution, quotas: int, standard: UnitStandard) -> list[Finding]:
    if not standard.parts or standard.low <= quotas <= standard.high:
        return []
    return [Finding(INDUSTRY_OVER if quotas > standard.high else INDUSTRY_UNDER, unit.region, quotas,
                    range_text(standard.low, standard.high), unit,
                    detail={"standard_low": standard.low, "standard_high": standard.high})]


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
    measured = Institution.objects.filter(region__in=region_rows, **MEASURED)
    units = list(measured.prefetch_related("region"))  # a region read once and shared, not once a unit
    by_id = {unit.pk: unit for unit in units}
    # Their quotas and divisions read by a subquery (not a list of thousands of ids), the divisions joined to the
    # units already read.
    quotas = own_approved_quotas_of_units(measured.values("pk"))
    divisions = list(InternalDivision.objects.filter(institution__in=measured.values("pk")))
    division_counts = Counter(division.institution_id for division in divisions)
    table = tables()
    for unit in units:
        out += _unit_findings(unit, *unit_checks(unit, quotas.get(unit.pk, 0), division_counts.get(unit.pk, 0),
                                                 table))
    for division in divisions:
        division.institution = by_id[division.institution_id]
        out += _division_findings(division, division_posts_check(division, table))
    for unit_id, standard in unit_standards(units, on=on).items():
        out += _industry_findings(by_id[unit_id], quotas.get(unit_id, 0), standard)
    return out


# --- one unit's standing --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DivisionStanding:
    """An internal division's leadership posts against the division table."""

    division: InternalDivision
    leadership: rules.LeadershipCheck


@dataclass(frozen=True)
class UnitStanding:
    """One unit held to every standard: its own approved quotas; its internal divisions (count, average, the
    table's limit for its size, the count it had before its last reform); its leadership posts and each division's
    against the table; its industry standard; and the findings it makes (those ``findings`` lists for it, none
    when the unit is not one ``findings`` measures)."""

    institution: Institution
    day: datetime.date
    quotas: int
    measured: bool  # an active public institution: the findings measure it
    divisions: rules.DivisionCheck
    leadership: rules.LeadershipCheck
    division_leadership: tuple[DivisionStanding, ...]
    standard: UnitStandard | None  # None: not a unit of a sector, or no service figure
    findings: tuple[Finding, ...]

    @property
    def average(self) -> Decimal | None:
        return shown_average(self.divisions)

    @property
    def division_ceiling(self) -> int | None:
        return self.divisions.baseline_divisions

    @property
    def broken(self) -> tuple[str, ...]:
        """The codes of the rules it breaks, in the order of ``RULES``."""
        codes = {finding.rule for finding in self.findings}
        return tuple(code for code in RULES if code in codes)

    def breaks(self, code: str) -> bool:
        return code in self.broken

    def division_breaks(self, division: InternalDivision) -> bool:
        """Whether ``division``'s leadership posts are a finding."""
        return any(finding.rule == LEADERSHIP_DIVISION and finding.division is not None
                   and finding.division.pk == division.pk for finding in self.findings)


def unit_standing(institution: Institution, *, on: datetime.date | None = None) -> UnitStanding:
    """``institution`` against every standard, by the same checks as ``findings``."""
    day = on or timezone.localdate()
    quotas = own_approved_quotas_of_units([institution.pk]).get(institution.pk, 0)
    divisions = list(InternalDivision.objects.filter(institution=institution).select_related(
        "institution__region").order_by("name", "pk"))
    table = tables()
    division, leadership = unit_checks(institution, quotas, len(divisions), table)
    posts = tuple(DivisionStanding(row, division_posts_check(row, table)) for row in divisions)
    standard = unit_standards([institution], on=day).get(institution.pk)
    found: list[Finding] = []
    measured = is_measured(institution)
    if measured:
        found += _unit_findings(institution, division, leadership)
        for row in posts:
            found += _division_findings(row.division, row.leadership)
        if standard is not None:
            found += _industry_findings(institution, quotas, standard)
    found.sort(key=lambda finding: RULES.index(finding.rule))
    return UnitStanding(institution, day, quotas, measured, division, leadership, posts, standard, tuple(found))
