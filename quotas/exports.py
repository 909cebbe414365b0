"""xlsx exports of the ledger: an account's statement and a region's ledger on a date."""
from __future__ import annotations

import datetime
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from quotas.selectors import Statement

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _header(sheet, cells: list[str]) -> None:
    sheet.append(cells)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def statement_xlsx(statement: Statement) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statement")
    sheet.append([_("Account"), str(statement.account)])
    sheet.append([_("Period"), f"{statement.start.isoformat()} – {statement.end.isoformat()}"])
    sheet.append([_("Opening balance"), statement.opening])
    _header(sheet, [_("Effective date"), _("Transfer"), _("Kind"), _("Counterparty"), _("Document number"),
                    _("Change"), _("Balance"), _("Note")])
    for line in statement.lines:
        sheet.append([line.effective_date, line.transfer_id, line.kind_display, line.counterparty,
                      line.document_number, line.change, line.balance, line.note])
    sheet.append([_("Closing balance"), statement.closing])
    return _response(workbook, f"statement-{statement.account.pk}-{statement.end.isoformat()}.xlsx")


def region_ledger_xlsx(region, on: datetime.date, accounts) -> HttpResponse:
    """One row per account of ``region`` with its balance at the end of ``on`` (``balance_on`` annotated)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ledger")
    sheet.append([_("Region"), f"{region.code} {region.name}"])
    sheet.append([_("Balance on"), on])
    _header(sheet, [_("Account"), _("Holder kind"), _("Holder"), _("Credit code"), _("Quota type"), _("Balance")])
    total = 0
    for account in accounts:
        institution = account.institution
        sheet.append([account.pk, str(account.get_holder_kind_display()), account.holder_name,
                      institution.credit_code if institution else "", str(account.quota_type), account.balance_on])
        total += account.balance_on
    sheet.append([_("Total"), "", "", "", "", total])
    return _response(workbook, f"ledger-{region.code}-{on.isoformat()}.xlsx")
