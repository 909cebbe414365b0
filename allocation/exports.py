"""xlsx export of a scenario's results, with the explanation columns."""
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import append_row, workbook_response


def scenario_results_xlsx(scenario, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")
    append_row(sheet, [_("Scenario"), scenario.name, _("Status"), str(scenario.get_status_display())])
    append_row(sheet, [_("Province-approved total"), scenario.province_total, _("Method"),
                  str(scenario.get_method_display())])
    append_row(sheet, [_("Division code"), _("Region"), _("Fixed reserve"), _("Population share"), _("Area share"),
                        _("GDP share"), _("Fiscal revenue share"), _("Score"), _("Ideal"), _("Allocated"), _("Bound"),
                        _("Result"), _("Controlled use"), _("Usable"), _("Current holding"), _("Difference"),
                        _("Explanation")], bold=True)
    for row in rows:
        shares = row.shares
        append_row(sheet, [row.region.code, row.region.name, row.fixed_reserve, float(shares.get("population", 0)),
                      float(shares.get("area", 0)), float(shares.get("gdp", 0)),
                      float(shares.get("fiscal_revenue", 0)), float(row.score), float(row.ideal), row.allocated,
                      row.bound, row.result, row.controlled, row.usable, row.current, row.difference,
                      row.explanation])
    return workbook_response(workbook, f"scenario-{scenario.pk}.xlsx")
