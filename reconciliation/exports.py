"""The reconciliation as a workbook, and what its printout and workbook say of themselves (quota type, filters).

The workbook holds every unit the filters select and a totals row read from ``selectors.reconciliation_totals``,
the same sums the page and the printout show.
"""
from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import append_row, workbook_response
from positions.rules import MANAGEMENT, PROFESSIONAL, WORKER
from positions.texts import category_label, join_list
from quotas.choices import QuotaTypeCode
from reconciliation.choices import ReconciliationFlag
from reconciliation.selectors import ReconciliationRow

# Categories in the order the page prints them (管理, 专技, 工勤).
CATEGORIES = (MANAGEMENT, PROFESSIONAL, WORKER)


def quota_type_name(code: str) -> str:
    """The quota type's name in the reader's language."""
    return str(QuotaTypeCode(code).label)


def filters_in_force(form) -> list[tuple[str, str]]:
    """The filter form's non-empty filters as (label, value) pairs, the date aside (printed as "as of")."""
    if not form.is_bound or not form.is_valid():
        return []
    pairs = []
    for name, value in form.cleaned_data.items():
        if name == "on" or value in (None, ""):
            continue
        field = form.fields[name]
        shown = dict(field.choices).get(value, value) if name in ("category", "flag") else value
        pairs.append((str(field.label), str(shown)))
    return pairs


def workbook_name(day: datetime.date) -> str:
    """编岗人比对-2026-12-03.xlsx: the page's title and the date of the figures."""
    return f"{_('Quotas, positions and staff compared')}-{day.isoformat()}.xlsx"


def _headers() -> list[str]:
    def by_category(what: str) -> list[str]:
        return [f"{what} {category_label(category)}" for category in CATEGORIES]

    return [
        _("Unit"), _("Credit code"), _("Region"), str(_("supervising department")), _("Approved quotas"),
        _("Borrowed"), *by_category(_("Posts (position plan)")), f"{_('Posts (position plan)')} {_('Total')}",
        *by_category(_("Staff in quota")), f"{_('Staff in quota')} {_('Total')}", _("Reserved"), _("Vacant quotas"),
        _("Over quota"), *by_category(_("Over position")), _("Flags"), _("Quota-use direction"),
    ]


def _cells(row: ReconciliationRow, flag_labels: dict) -> list:
    posts = [row.posts[category] for category in CATEGORIES] + [row.posts["total"]] if row.posts else [""] * 4
    staff = [row.staff[category] for category in CATEGORIES] if row.staff else [""] * 3
    return [
        row.name, row.credit_code, row.region_name, row.supervisor_name, row.approved, row.borrowed, *posts,
        *staff, row.staff_total, row.reserved_total, row.vacant, row.over_quota,
        *(row.over_position[category] for category in CATEGORIES),
        join_list([str(flag_labels[flag]) for flag in row.flags]), row.sentence,
    ]


def _totals_cells(totals: dict) -> list:
    return [
        _("Total (%(units)s units)") % {"units": totals["units"]}, "", "", "", totals["approved_sum"],
        totals["borrowed_sum"], *(totals[f"posts_{category}_sum"] for category in CATEGORIES), totals["posts_sum"],
        *(totals[f"staff_{category}_sum"] for category in CATEGORIES), totals["staff_sum"], totals["reserved_sum"],
        totals["vacant_sum"], totals["over_quota_sum"],
        *(totals[f"over_position_{category}_sum"] for category in CATEGORIES), "", "",
    ]


def reconciliation_xlsx(rows: list[ReconciliationRow], totals: dict, *, form, on: datetime.date,
                        quota_type: str) -> HttpResponse:
    """One sheet: what it is (title, quota type, filters, date of the figures), the header, a row per unit and the
    totals row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Quotas, positions and staff compared")
    append_row(sheet, [_("Quotas, positions and staff compared")], bold=True)
    append_row(sheet, [_("Quota type"), quota_type_name(quota_type)])
    append_row(sheet, [_("Filters"), " · ".join(f"{label} {value}" for label, value in filters_in_force(form))
                       or _("none (everything you may see)")])
    append_row(sheet, [_("Figures as of"), on.isoformat()])
    append_row(sheet, _headers(), bold=True)
    sheet.freeze_panes = f"B{sheet.max_row + 1}"
    flag_labels = dict(ReconciliationFlag.choices)
    for row in rows:
        append_row(sheet, _cells(row, flag_labels))
    append_row(sheet, _totals_cells(totals), bold=True)
    name = workbook_name(on)
    return workbook_response(workbook, name)
