"""xlsx exports of the ledger: an account's statement and a region's ledger on a date."""
from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import append_row, workbook_response
from quotas.selectors import Statement


def statement_xlsx(statement: Statement) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statement")
    append_row(sheet, [_("Account"), str(statement.account)])
    append_row(sheet, [_("Period"), f"{statement.start.isoformat()} – {statement.end.isoformat()}"])
    append_row(sheet, [_("Opening balance"), statement.opening])
    append_row(sheet, [_("Effective date"), _("Transfer"), _("Kind"), _("Counterparty"), _("Document number"),
                        _("Change"), _("Balance"), _("Note")], bold=True)
    for line in statement.lines:
        append_row(sheet, [line.effective_date, line.transfer_id, line.kind_display, line.counterparty,
                      line.document_number, line.change, line.balance, line.note])
    append_row(sheet, [_("Closing balance"), statement.closing])
    return workbook_response(workbook, f"statement-{statement.account.pk}-{statement.end.isoformat()}.xlsx")


def region_ledger_xlsx(region, on: datetime.date, accounts) -> HttpResponse:
    """One row per account of ``region`` with its balance at the end of ``on`` (``balance_on`` annotated)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ledger")
    append_row(sheet, [_("Region"), f"{region.code} {region.name}"])
    append_row(sheet, [_("Balance on"), on])
    append_row(sheet, [_("Account"), _("Holder kind"), _("Holder"), _("Credit code"), _("Quota type"), _("Balance")],
               bold=True)
    total = 0
    for account in accounts:
        institution = account.institution
        append_row(sheet, [account.pk, str(account.get_holder_kind_display()), account.holder_name,
                      institution.credit_code if institution else "", str(account.quota_type), account.balance_on])
        total += account.balance_on
    append_row(sheet, [_("Total"), "", "", "", "", total])
    return workbook_response(workbook, f"ledger-{region.code}-{on.isoformat()}.xlsx")
