"""Writing xlsx workbooks: every cell through ``safe_cell``, so no text from the database becomes a live formula.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and some with a tab or carriage
return) as a formula: a unit named ``=HYPERLINK(...)`` would become a link in every exported workbook. Such text is
written with a leading apostrophe, which shows it as the text it is. Control characters (which a name typed into
the API may hold, and a workbook cannot) are left out.
"""
from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a workbook may hold it: control characters a workbook cannot hold dropped (openpyxl refuses
    them), and text that a spreadsheet would run as a formula neutralised."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def append_row(sheet, cells: Iterable, *, bold: bool = False) -> None:
    """Append one row of cells (each through ``safe_cell``); ``bold`` for a header row."""
    sheet.append([safe_cell(cell) for cell in cells])
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def dated_filename(name: str, extension: str = "xlsx") -> str:
    """A download's name: ``name``, today's date and the extension (在编人数-2026-12-03.xlsx)."""
    return f"{name}-{timezone.localdate().isoformat()}.{extension}"


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """``response`` as a download named ``filename``, given as RFC 5987's ``filename*`` (UTF-8, percent-encoded),
    which every browser reads, so Chinese names survive."""
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    """The workbook as a download named ``filename``."""
    buffer = BytesIO()
    workbook.save(buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)
