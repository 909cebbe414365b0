"""The law-enforcement list's workbooks: the import template, and the counts per district × type and per
department."""
from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import append_row, workbook_response
from powers.choices import PowerType
from powers.imports import COLUMNS, HEADINGS
from powers.selectors import EnforcementCounts

EXAMPLE = ("230102", "道里区市场监督管理局", "道里区市场监督管理局", "对未经许可从事食品生产经营活动的处罚", "处罚",
           "《中华人民共和国食品安全法》", "第一百二十二条", "DL-CF-0001")


def template_xlsx() -> HttpResponse:
    """The import template: the headings, one example row, and a sheet listing the ten types."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Law-enforcement items")
    append_row(sheet, [HEADINGS[field] for field in COLUMNS], bold=True)
    append_row(sheet, EXAMPLE)
    types = workbook.create_sheet(_("Types"))
    append_row(types, [_("Type"), _("Code")], bold=True)
    for choice in PowerType:
        append_row(types, [str(choice.label), choice.value])
    return workbook_response(workbook, "enforcement-powers-template.xlsx")


def counts_xlsx(counts: EnforcementCounts) -> HttpResponse:
    """The counts as a workbook: a sheet per district × type, a sheet per department."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("By district and type")
    append_row(sheet, [_("Division code"), _("District"), *(str(label) for _value, label in PowerType.choices),
                       _("Total")], bold=True)
    for row in counts.by_district:
        append_row(sheet, [row["district_code"], row["district_name"],
                           *(row["by_type"][value] for value in PowerType.values), row["count"]])
    append_row(sheet, [_("Total"), "", *(row["count"] for row in counts.by_type), counts.total], bold=True)
    departments = workbook.create_sheet(_("By department"))
    append_row(departments, [_("Division code"), _("Department"), _("Items")], bold=True)
    for row in counts.by_department:
        append_row(departments, [row["district_code"], row["department_name"], row["count"]])
    append_row(departments, [_("Total"), "", counts.total], bold=True)
    return workbook_response(workbook, "enforcement-powers-counts.xlsx")
