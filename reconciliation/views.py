"""Pages of the reconciliation (编岗人比对): the paged list, its printout and workbook (every filtered unit with
the totals), and the printable direction notices."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.roles import Role, has_role
from accounts.scoping import scope_queryset
from institutions.models import Institution
from reconciliation import exports, notices
from reconciliation.choices import ReconciliationFlag
from reconciliation.forms import ReconciliationFilterForm
from reconciliation.models import PositionDirectionNotice
from reconciliation.selectors import (
    reconciliation,
    reconciliation_options,
    reconciliation_rows,
    reconciliation_totals,
    reconciliation_values,
)

PAGE_SIZE = 50


@dataclass
class Filtered:
    """The reconciliation a request asks for: its filter form, the annotated queryset and the date of its figures."""

    form: ReconciliationFilterForm
    queryset: QuerySet
    on: datetime.date | None


def _filtered(request) -> Filtered:
    """The units the user sees, narrowed by the GET filters (invalid filters are ignored and shown on the form)."""
    form = ReconciliationFilterForm(request.GET or None, user=request.user)
    visible = scope_queryset(Institution.objects.all(), request.user)
    on = None
    if form.is_bound and form.is_valid():
        on = form.cleaned_data.get("on")
        queryset = form.apply(reconciliation(on=on, institutions=visible))
    else:
        queryset = reconciliation(on=on, institutions=visible)
    return Filtered(form=form, queryset=queryset, on=on)


def _with_flag_labels(rows: list) -> list:
    labels = dict(ReconciliationFlag.choices)
    for row in rows:
        row.flag_items = [(flag, labels[flag]) for flag in row.flags]
    return rows


def _query(request) -> str:
    """The GET filters without the page number: what the print and export links carry."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@role_required
@require_GET
def reconciliation_page(request):
    """Quotas, posts and staff of every unit the user sees, filtered by GET parameters, 50 units a page."""
    filtered = _filtered(request)
    totals = reconciliation_totals(filtered.queryset)
    paginator = Paginator(reconciliation_values(filtered.queryset), PAGE_SIZE)
    paginator.count = totals["units"]  # the same units, counted by the totals' query (a province: 65 ms saved)
    page = paginator.get_page(request.GET.get("page"))
    options = reconciliation_options()
    return render(request, "reconciliation/reconciliation.html", {
        "form": filtered.form,
        "page": page,
        "rows": _with_flag_labels(reconciliation_rows(page.object_list, options=options)),
        "totals": totals,
        "query": _query(request),
        "on": filtered.on,
        "stale_months": options.stale_after_months,
        "may_issue": has_role(request.user, Role.CITY_OFFICE),
    })


def _printout(request, filtered: Filtered, *, status: int = 200):
    """The printout of ``filtered``: every row, the totals row, and what it is (title, quota type, filters, date)."""
    options = reconciliation_options()
    return render(request, "reconciliation/reconciliation_print.html", {
        "rows": reconciliation_rows(filtered.queryset, options=options),
        "totals": reconciliation_totals(filtered.queryset),
        "query": _query(request),
        "errors": filtered.form.errors if filtered.form.is_bound else {},
        "print_title": _("Quotas, positions and staff compared"),
        "print_quota_type": exports.quota_type_name(options.quota_type),
        "print_filters": exports.filters_in_force(filtered.form),
        "print_as_of": filtered.on or timezone.localdate(),
        "print_landscape": True,
    }, status=status)


@role_required
@require_GET
def reconciliation_print(request):
    """Every unit the filters select (no pages), with the totals row: the A4 printout of the reconciliation. Filters
    that do not validate are named above it and filter nothing (as on the page)."""
    return _printout(request, _filtered(request))


@role_required
@require_GET
def reconciliation_xlsx(request):
    """Every unit the filters select, with the totals row, as a workbook (编岗人比对-<date>.xlsx); filters that do
    not validate answer the printout with the reasons (400) rather than a workbook of everything."""
    filtered = _filtered(request)
    if filtered.form.is_bound and not filtered.form.is_valid():
        return _printout(request, filtered, status=400)
    options = reconciliation_options()
    return exports.reconciliation_xlsx(
        reconciliation_rows(filtered.queryset, options=options), reconciliation_totals(filtered.queryset),
        form=filtered.form, on=filtered.on or timezone.localdate(), quota_type=options.quota_type,
    )


def _visible_notice(request, pk: int) -> PositionDirectionNotice:
    notices_seen = scope_queryset(
        PositionDirectionNotice.objects.select_related("institution", "supervisor", "document", "batch"),
        request.user,
    )
    return get_object_or_404(notices_seen, pk=pk)


@role_required
@require_GET
def notice_page(request, pk: int):
    """The printable notice."""
    return notices.html_response(request, _visible_notice(request, pk))


@role_required
@require_GET
def notice_docx(request, pk: int):
    """The notice as .docx."""
    return notices.docx_response(_visible_notice(request, pk))


