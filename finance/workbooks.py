"""The payroll check's workbooks: reading an uploaded payroll (one line a row) and writing a check's answer.

An upload's first row names the columns (``credit_code``, ``category``, ``paid``, or their Chinese headings
统一社会信用代码, 岗位类别, 统发人数); a category is its code or its label in either language. The rows then go through
the same service as the API's JSON (``finance.services.payroll_check_submit``): every bad row reported, nothing
written.
"""
from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from core.xlsx import append_row, workbook_response
from finance import payroll
from finance.models import PayrollCheck
from finance.selectors import PayrollAnswer
from positions.choices import PostCategory
from positions.rules import CATEGORIES

HEADINGS = {
    "credit_code": ("credit_code", "统一社会信用代码", "信用代码", "unified social credit code"),
    "category": ("category", "岗位类别", "类别", "post category"),
    "paid": ("paid", "统发人数", "人数", "paid in quota"),
}
FIRST_DATA_ROW = 2  # the header is row 1


class WorkbookProblem(Exception):
    """The file as a whole cannot be read: ``code`` is ``not_xlsx``, ``missing_columns`` or ``too_many_lines``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def row_name(index: int) -> str:
    """The spreadsheet row of the line ``index`` (counted from 0, the header being row 1), in words."""
    return _("row %(row)d") % {"row": index + FIRST_DATA_ROW}


def row_key(index: int, field: str) -> str:
    """The error key of a row's field: ``row 5 · paid`` in every language (as ``positions.imports`` keys them)."""
    return f"row {index + FIRST_DATA_ROW} · {field}"


def _category_names() -> dict[str, str]:
    """Each category's code, and its label in every language of the site (lower case) → its code."""
    names = {category: category for category in CATEGORIES}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for choice in PostCategory:
                names[str(choice.label).strip().lower()] = choice.value
    return names


def read_payroll(content: bytes) -> list[dict[str, object]]:
    """The upload's lines (``credit_code``, ``category``, ``paid`` as the cells hold them), one per row after the
    header; empty rows are kept as empty lines so that the lines' positions are the rows'."""
    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not xlsx
        raise WorkbookProblem("not_xlsx", _("Not a readable .xlsx file.")) from exc
    if not rows:
        raise WorkbookProblem("missing_columns", _("The sheet is empty: its first row names the columns."))
    columns: dict[str, int] = {}
    for position, heading in enumerate(rows[0]):
        text = str(heading or "").strip().lower()
        for name, headings in HEADINGS.items():
            if text in headings:
                columns.setdefault(name, position)
    missing = [name for name in HEADINGS if name not in columns]
    if missing:
        raise WorkbookProblem("missing_columns", _("The first row lacks the columns %(columns)s.") % {
            "columns": ", ".join(missing)})
    data = rows[1:]
    while data and all(cell in (None, "") for cell in data[-1]):
        data.pop()  # trailing empty rows are no lines
    if len(data) > payroll.MAX_LINES:
        raise WorkbookProblem("too_many_lines", _("At most %(limit)d lines at a time.") % {
            "limit": payroll.MAX_LINES})
    categories = _category_names()
    lines = []
    for row in data:
        cells = {name: row[position] if position < len(row) else None for name, position in columns.items()}
        category = payroll.code_text(cells["category"])
        if category is not None:
            cells["category"] = categories.get(category.lower(), category)
        paid = cells["paid"]
        if isinstance(paid, str) and paid.strip().isdigit():
            cells["paid"] = int(paid.strip())
        lines.append(cells)
    return lines


def _category_label(category: str) -> str:
    return str(PostCategory(category).label)


def answer_xlsx(answer: PayrollAnswer) -> HttpResponse:
    """A check's stored answer as a workbook: one row per unit (flagged first), then the totals."""
    check: PayrollCheck = answer.check
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Payroll check")
    append_row(sheet, [_("Month"), check.month.strftime("%Y-%m"), _("Version"), check.version,
                       _("Figures as of"), check.as_of.isoformat()])
    append_row(sheet, [])
    append_row(sheet, [
        _("Unified social credit code"), _("Unit"), _("Division code"), _("Region"),
        *(_("Paid: %(category)s") % {"category": _category_label(category)} for category in CATEGORIES),
        _("Paid in quota"), _("Staff in quota"), _("Staff count as of"), _("Own approved quotas"),
        _("Borrowed quotas"), _("Quotas held"), _("Paid more than its quotas"), _("Paid more than its staff"),
    ], bold=True)
    yes, no = _("yes"), _("no")
    for unit in answer.units:
        institution = unit.institution
        paid = {line.category: line.paid for line in unit.lines.all()}
        append_row(sheet, [
            institution.credit_code or "", institution.name, institution.region.code, institution.region.name,
            *(paid.get(category, 0) for category in CATEGORIES), unit.paid_total, unit.staff_total,
            unit.staff_count_as_of.isoformat() if unit.staff_count_as_of else "", unit.quotas_own,
            unit.quotas_borrowed, unit.quotas_held, yes if unit.is_over_quota else no,
            yes if unit.is_over_staff else no,
        ])
    totals = answer.totals
    append_row(sheet, [
        _("Total"), _("%(count)d units") % {"count": totals.units}, "", "",
        *(totals.paid[category] for category in CATEGORIES), totals.paid_total, totals.staff_total, "",
        totals.quotas_own, totals.quotas_borrowed, totals.quotas_held, totals.over_quota, totals.over_staff,
    ], bold=True)
    return workbook_response(workbook, f"payroll-check-{check.month:%Y-%m}-v{check.version}.xlsx")
