"""The standards page as an xlsx workbook: a sheet of the regions' caps and a sheet of the findings."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import append_row, workbook_response
from standards import selectors
from standards.models import CapMethod
from standards.texts import cap_text, finding_detail, rule_label


@dataclass(frozen=True)
class Standards:
    """What the page shows: the regions' caps and the findings, on ``day``."""

    day: datetime.date
    caps: list[selectors.CapFigure]
    findings: list[selectors.Finding]


def method_label(method: str | None) -> str:
    return str(CapMethod(method).label) if method else _("No cap")


def _caps_sheet(workbook: Workbook, caps: list[selectors.CapFigure]) -> None:
    sheet = workbook.active
    sheet.title = _("Institution caps")
    append_row(sheet, [_("Division code"), _("Region"), _("How the cap is set"), _("Cap"), _("Public institutions"),
                       _("Over by"), _("Must-exist units"), _("Coefficient"), _("Administrative agencies"),
                       _("City level's reduction ratio"), _("District character factor"), _("Derived part"),
                       _("Document"), _("Derivation")], bold=True)
    for figure in caps:
        derivation = figure.derivation
        inputs = ["", "", "", "", "", ""] if derivation is None else [
            derivation.must_exist, derivation.coefficient, derivation.agencies, derivation.city_reduction,
            derivation.factor, round(derivation.derived_part, 3)]
        append_row(sheet, [figure.region.code, figure.region.name, method_label(figure.method),
                           "" if figure.cap is None else figure.cap, figure.institutions, figure.over_by, *inputs,
                           figure.document.number if figure.document else "", cap_text(figure)])


def _findings_sheet(workbook: Workbook, findings: list[selectors.Finding]) -> None:
    sheet = workbook.create_sheet(_("Findings"))
    append_row(sheet, [_("Rule"), _("Division code"), _("Region"), _("Institution"), _("Internal division"),
                       _("Figure"), _("Limit"), _("Detail")], bold=True)
    for finding in findings:
        append_row(sheet, [rule_label(finding.rule), finding.region.code, finding.region.name,
                           finding.institution.name if finding.institution else "",
                           finding.division.name if finding.division else "", finding.figure, finding.limit,
                           finding_detail(finding)])
    if not findings:
        append_row(sheet, [_("No rule is broken.")])


def standards_xlsx(standards: Standards) -> HttpResponse:
    """The workbook of the standards page: the caps, then the findings."""
    workbook = Workbook()
    _caps_sheet(workbook, standards.caps)
    _findings_sheet(workbook, standards.findings)
    return workbook_response(workbook, f"standards-{standards.day.isoformat()}.xlsx")
