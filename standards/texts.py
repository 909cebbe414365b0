"""Translated texts of the standards: the cap's derivation, each rule's label, a finding's detail and a unit's
standing (``selectors.unit_standing``) as sentences.

``standards.rules`` and ``standards.selectors`` return codes and figures; this is where they become words, in the
active language, for the admin, the page, its workbook and the API alike.
"""
from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from institutions.choices import ReservedClass
from standards import rules, selectors
from standards.models import SECTOR_OF_CLASS, FigureKind

RULE_LABELS = {
    selectors.CAP: _("Over the institution cap"),
    selectors.DIVISION_AVERAGE: _("Too few quotas per internal division"),
    selectors.DIVISION_COUNT: _("More internal divisions than the standard allows"),
    selectors.LEADERSHIP_UNIT: _("More leadership posts in a unit than the table allows"),
    selectors.LEADERSHIP_DIVISION: _("More leadership posts in an internal division than the table allows"),
    selectors.INDUSTRY_OVER: _("More quotas than the industry standard"),
    selectors.INDUSTRY_UNDER: _("Fewer quotas than the industry standard"),
}
RULE_CHOICES = [(code, RULE_LABELS[code]) for code in selectors.RULES]


def plain(value: Decimal | int) -> str:
    """A decimal as written by hand: 1.200 → "1.2", 0.1930 → "0.193", 100 → "100" (never "1E+2")."""
    return format(Decimal(value).normalize(), "f")


def derivation_text(derivation: rules.CapDerivation) -> str:
    """The formula with the region's figures: "30 must-exist units + ⌊1.2 × 40 agencies × (1 − 0.193) × 1⌋ = …"."""
    return gettext(
        "%(must)d must-exist units + ⌊%(coefficient)s × %(agencies)d agencies × (1 − %(reduction)s) × %(factor)s⌋ "
        "= %(must)d + ⌊%(part)s⌋ = %(cap)d") % {
        "must": derivation.must_exist, "coefficient": plain(derivation.coefficient),
        "agencies": derivation.agencies, "reduction": plain(derivation.city_reduction),
        "factor": plain(derivation.factor), "part": round(derivation.derived_part, 3), "cap": derivation.cap}


def cap_text(figure: selectors.CapFigure) -> str:
    """How the region's cap comes about: its derivation, the document fixing it, or that it has none."""
    if figure.method is None:
        return gettext("No cap is set for this region.")
    if figure.derivation is not None:
        return derivation_text(figure.derivation)
    if figure.document is not None:
        return gettext("Fixed by document %(number)s: %(cap)s.") % {"number": figure.document.number,
                                                                   "cap": figure.cap}
    return gettext("Fixed by its document: %(cap)s.") % {"cap": figure.cap}


def in_rule_order(findings: list[selectors.Finding]) -> list[selectors.Finding]:
    """The findings as the page, its workbook and the API list them: by rule (in ``selectors.RULES``' order), then
    by region code, each rule's findings otherwise in the selector's order."""
    order = {code: index for index, code in enumerate(selectors.RULES)}
    return sorted(findings, key=lambda finding: (order.get(finding.rule, len(order)), finding.region.code))


def rule_label(code: str) -> str:
    return str(RULE_LABELS.get(code, code))


def finding_unit(finding: selectors.Finding) -> str:
    """What broke the rule: the internal division and its unit, the unit, or (a cap) the region."""
    if finding.division is not None:
        return f"{finding.institution.name} · {finding.division.name}"
    if finding.institution is not None:
        return finding.institution.name
    return finding.region.name


def finding_detail(finding: selectors.Finding) -> str:
    """The figures behind a finding, as a sentence."""
    detail = finding.detail
    if finding.rule == selectors.CAP:
        return gettext("%(count)s public institutions against a cap of %(cap)s: %(over)s over.") % {
            "count": finding.figure, "cap": finding.limit, "over": detail.get("over_by", "")}
    if finding.rule == selectors.DIVISION_AVERAGE:
        return gettext("%(quotas)s quotas over %(divisions)s internal divisions: %(average)s a division.") % {
            "quotas": detail.get("quotas", ""), "divisions": detail.get("divisions", ""), "average": finding.figure}
    if finding.rule == selectors.LEADERSHIP_DIVISION:
        return gettext("An internal division of %(quotas)s quotas.") % {"quotas": detail.get("quotas", "")}
    if finding.rule in (selectors.INDUSTRY_OVER, selectors.INDUSTRY_UNDER):
        return gettext("The unit holds %(quotas)s quotas; its industry standard is %(limit)s.") % {
            "quotas": finding.figure, "limit": finding.limit}
    if "quotas" in detail:
        return gettext("A unit of %(quotas)s quotas.") % {"quotas": detail["quotas"]}
    return ""


# --- one unit's standing ------------------------------------------------------------------------------------------
FIGURE_AMOUNTS = {
    FigureKind.STUDENTS_PRIMARY: _("%(value)s primary students"),
    FigureKind.STUDENTS_JUNIOR: _("%(value)s junior secondary students"),
    FigureKind.STUDENTS_SENIOR: _("%(value)s senior secondary students"),
    FigureKind.BEDS: _("%(value)s beds"),
    FigureKind.RESIDENTS: _("%(value)s residents"),
}


def grouped(value: int) -> str:
    """A count with the active language's thousands separator: "1,350" in English."""
    return number_format(value, force_grouping=True)


def figure_amount(kind: str, value: int) -> str:
    """A service figure with its unit: "1,350 junior secondary students", "420 beds"."""
    template = FIGURE_AMOUNTS.get(kind)
    if template is None:
        return f"{grouped(value)} {FigureKind(kind).label if kind in FigureKind.values else kind}"
    return str(template) % {"value": grouped(value)}


def rate_text(rule: rules.IndustryRule) -> str:
    """A rule line's rate as written: "1 : 13.5", "1.4–1.5 staff each", "1.75 staff per 10,000"."""
    rate = plain(rule.rate_low) if rule.rate_high is None else f"{plain(rule.rate_low)}–{plain(rule.rate_high)}"
    if rule.basis == rules.STUDENTS_PER_STAFF:
        return gettext("1 : %(rate)s") % {"rate": rate}
    if rule.per == 1:
        return gettext("%(rate)s staff each") % {"rate": rate}
    return gettext("%(rate)s staff per %(per)s") % {"rate": rate, "per": grouped(rule.per)}


def minimum_text(rule: rules.IndustryRule) -> str:
    """The rule line's minimum: "at least 20", "at least 20 below 150,000", or ""."""
    if rule.minimum is None:
        return ""
    if rule.minimum_below is None:
        return gettext("at least %(minimum)s") % {"minimum": grouped(rule.minimum)}
    return gettext("at least %(minimum)s below %(below)s") % {"minimum": grouped(rule.minimum),
                                                             "below": grouped(rule.minimum_below)}


def _computed(value: Decimal) -> str:
    return plain(value.quantize(Decimal("0.01")))


def standard_part_text(part: selectors.StandardPart) -> str:
    """How one figure gives its share of the standard: "1,350 junior secondary students (2025, source …) at
    1 : 13.5 under 城乡统一中小学教职工编制标准（2014） → 100", with the rounding and the minimum when they apply."""
    rule, result = part.rule.as_rule(), part.result
    text = gettext("%(figure)s (%(year)s, source %(source)s) at %(rate)s under %(rule_set)s → %(result)s") % {
        "figure": figure_amount(part.figure, part.value), "year": part.year, "source": part.source,
        "rate": rate_text(rule), "rule_set": part.rule_set,
        "result": selectors.range_text(result.low, result.high)}
    notes = []
    if any(value != value.to_integral_value() for value in (result.computed_low, result.computed_high)):
        notes.append(gettext("worked out as %(computed)s, rounded half up to whole quotas") % {
            "computed": selectors.range_text(_computed(result.computed_low), _computed(result.computed_high))})
    if result.minimum_applied:
        notes.append(gettext("the rule's minimum of %(minimum)s applies") % {"minimum": grouped(rule.minimum)})
    return gettext("%(sentence)s (%(notes)s)") % {"sentence": text, "notes": "; ".join(notes)} if notes else text


def industry_text(standing: selectors.UnitStanding) -> str:
    """The unit's quotas against its industry standard, or why it has none."""
    unit, standard = standing.institution, standing.standard
    if standard is None:
        if unit.reserved_class == ReservedClass.NONE:
            return gettext("The unit has no reserved class: no industry standard applies to it.")
        if unit.reserved_class not in SECTOR_OF_CLASS:
            return gettext("No industry standard applies to a unit of the reserved class “%(class)s”.") % {
                "class": unit.get_reserved_class_display()}
        return gettext("The unit has no service figure up to %(year)s: its industry standard cannot be worked "
                       "out.") % {"year": standing.day.year}
    sentences = []
    if standard.parts:
        values = {"quotas": grouped(standing.quotas), "standard": selectors.range_text(standard.low, standard.high)}
        if not standing.measured:
            sentences.append(gettext("The unit holds %(quotas)s quotas; its industry standard is %(standard)s.")
                             % values)
        elif standing.breaks(selectors.INDUSTRY_OVER):
            sentences.append(gettext("The unit holds %(quotas)s quotas, more than its industry standard of "
                                     "%(standard)s.") % values)
        elif standing.breaks(selectors.INDUSTRY_UNDER):
            sentences.append(gettext("The unit holds %(quotas)s quotas, fewer than its industry standard of "
                                     "%(standard)s.") % values)
        else:
            sentences.append(gettext("The unit holds %(quotas)s quotas, within its industry standard of "
                                     "%(standard)s.") % values)
        if len(standard.parts) > 1:
            sentences.append(gettext("The standard adds up the parts below."))
    if standard.missing:
        sentences.append(gettext("No rule line in force covers its %(figures)s: no share of the standard comes from "
                                 "it.")
                         % {"figures": ", ".join(str(FigureKind(kind).label) for kind in standard.missing)})
    return " ".join(sentences)


def division_average_text(standing: selectors.UnitStanding) -> str:
    check = standing.divisions
    if not check.divisions:
        return gettext("The unit has no internal divisions: no average to compare.")
    return ngettext(
        "%(quotas)s quotas over %(divisions)s internal division: %(average)s a division; the standard asks at least "
        "%(least)s.",
        "%(quotas)s quotas over %(divisions)s internal divisions: %(average)s a division; the standard asks at least "
        "%(least)s.", check.divisions) % {
        "quotas": grouped(check.quotas), "divisions": check.divisions, "average": plain(standing.average),
        "least": plain(rules.MIN_AVERAGE_PER_DIVISION)}


def division_count_text(standing: selectors.UnitStanding) -> str:
    check = standing.divisions
    if check.limit is None:
        return ngettext(
            "The internal-division table has no band for a unit of %(quotas)s quotas; it has %(divisions)s internal "
            "division.",
            "The internal-division table has no band for a unit of %(quotas)s quotas; it has %(divisions)s internal "
            "divisions.", check.divisions) % {"quotas": grouped(check.quotas), "divisions": check.divisions}
    limit = check.limit
    each = (gettext("at least %(least)s") % {"least": limit.min_per_division} if limit.max_per_division is None
            else f"{limit.min_per_division}–{limit.max_per_division}")
    return ngettext(
        "A unit of %(quotas)s quotas may have at most %(most)s internal division, holding %(each)s quotas; it has "
        "%(divisions)s.",
        "A unit of %(quotas)s quotas may have at most %(most)s internal divisions, each holding %(each)s quotas; it "
        "has %(divisions)s.", limit.max_divisions) % {
        "quotas": grouped(check.quotas), "most": limit.max_divisions, "each": each, "divisions": check.divisions}


def division_ceiling_text(standing: selectors.UnitStanding) -> str:
    """The divisions the unit had before its last reform plan (大处(科)制), or "" when no plan set it."""
    if standing.division_ceiling is None:
        return ""
    return ngettext(
        "Before its last reform plan it had %(ceiling)s internal division and may not have more; it has "
        "%(divisions)s.",
        "Before its last reform plan it had %(ceiling)s internal divisions and may not have more; it has "
        "%(divisions)s.", standing.division_ceiling) % {"ceiling": standing.division_ceiling,
                                                        "divisions": standing.divisions.divisions}


def _posts(principal: int, deputy: int, check: rules.LeadershipCheck, unit: bool) -> str:
    values = {"principal": principal, "deputy": deputy, "posts": check.posts, "quotas": grouped(check.quotas)}
    if check.allowed is None:
        if unit:
            return gettext("%(principal)s principal and %(deputy)s deputy posts: %(posts)s; the leadership table has "
                           "no band for a unit of %(quotas)s quotas.") % values
        return gettext("%(principal)s principal and %(deputy)s deputy posts: %(posts)s; the leadership table has no "
                       "band for a division of %(quotas)s quotas.") % values
    values["allowed"] = selectors.range_text(check.allowed.low, check.allowed.high)
    if unit:
        return gettext("%(principal)s principal and %(deputy)s deputy posts: %(posts)s, against %(allowed)s for a "
                       "unit of %(quotas)s quotas.") % values
    return gettext("%(principal)s principal and %(deputy)s deputy posts: %(posts)s, against %(allowed)s for a "
                   "division of %(quotas)s quotas.") % values


def leadership_text(standing: selectors.UnitStanding) -> str:
    unit = standing.institution
    return _posts(unit.leadership_principal, unit.leadership_deputy, standing.leadership, unit=True)


def division_leadership_text(row: selectors.DivisionStanding) -> str:
    division = row.division
    return _posts(division.leadership_principal, division.leadership_deputy, row.leadership, unit=False)


def verdict(standing: selectors.UnitStanding, *codes: str) -> str:
    """What the findings say of one standard: the labels of the rules broken, "Within the standard", or (a unit
    the findings do not measure) "Not measured"."""
    if not standing.measured:
        return gettext("Not measured")
    broken = [rule_label(code) for code in codes if standing.breaks(code)]
    return "; ".join(broken) if broken else gettext("Within the standard")


def division_verdict(standing: selectors.UnitStanding, row: selectors.DivisionStanding) -> str:
    """What the findings say of one internal division's leadership posts."""
    if not standing.measured:
        return gettext("Not measured")
    if standing.division_breaks(row.division):
        return rule_label(selectors.LEADERSHIP_DIVISION)
    return gettext("Within the standard")
