"""Translated texts of the standards: the cap's derivation, each rule's label and a finding's detail as a sentence.

``standards.rules`` and ``standards.selectors`` return codes and figures; this is where they become words, in the
active language, for the admin, the page, its workbook and the API alike.
"""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from standards import rules, selectors

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
