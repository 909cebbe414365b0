"""Pages of the power lists: the power-list items by holder with their counts per type and disposition, and the
law-enforcement list's counts per district × type and per department with its import (upload → each bad row, or
the items written) and workbooks. A district office sees (and imports) its own region's items."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import permission_table
from accounts.pages import role_required
from accounts.roles import user_roles
from accounts.scoping import scope_queryset, visible_region_ids
from institutions.models import Region
from powers import imports, selectors, services, workbooks
from powers.api.filters import EnforcementPowerFilterSet, PowerItemFilterSet
from powers.choices import Disposition, PowerType
from powers.models import EnforcementPower, PowerItem

ITEMS_SHOWN = 500
PROBLEMS_SHOWN = 200


def _may(request, resource: str, action: str) -> bool:
    return request.user.is_superuser or permission_table.allows(user_roles(request.user), resource, action)


def _filtered(request, filterset_class, queryset):
    """The filters' queryset, or every row the user sees and the filters' errors when a value is bad."""
    filters = filterset_class(request.GET, queryset=queryset, request=request)
    if filters.is_valid():
        return filters.qs, filters, []
    errors = [f"{name}: {' '.join(messages)}" for name, messages in filters.errors.items()]
    return queryset, filters, errors


@role_required
@require_GET
def power_list(request):
    """The power-list items the filters select, by holder, with their counts per type and disposition."""
    visible = scope_queryset(PowerItem.objects.select_related("holder", "region", "receiver"), request.user)
    items, filters, errors = _filtered(request, PowerItemFilterSet, visible)
    counts = selectors.power_item_counts(items)
    shown = list(items.order_by("region__code", "holder__name", "code", "pk")[:ITEMS_SHOWN])
    return render(request, "powers/powers.html", {
        "counts": counts, "items": shown, "more": counts.total - len(shown), "errors": errors,
        "filters": request.GET, "types": PowerType.choices, "dispositions": Disposition.choices,
        "regions": scope_queryset(Region.objects.all(), request.user).order_by("code"),
        "citywide": visible_region_ids(request.user) is None,
        "query_string": request.GET.urlencode(),
    })


def _enforcement(request):
    visible = scope_queryset(EnforcementPower.objects.all(), request.user)
    items, _filters, errors = _filtered(request, EnforcementPowerFilterSet, visible)
    return selectors.enforcement_counts(items), errors


@role_required
@require_http_methods(["GET", "POST"])
def enforcement_page(request):
    """Counts per district × type and per department; the import form for those who may import."""
    may_import = _may(request, "enforcement-power", "import_xlsx")
    result = {}
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied
        result = _import(request)
    counts, errors = _enforcement(request)
    return render(request, "powers/enforcement.html", {
        "counts": counts, "errors": errors, "types": PowerType.choices, "may_import": may_import,
        "regions": scope_queryset(Region.objects.filter(parent__isnull=False), request.user).order_by("code"),
        "citywide": visible_region_ids(request.user) is None, "filters": request.GET,
        "query_string": request.GET.urlencode(), **result,
    }, status=400 if result.get("problems") or result.get("file_error") else 200)


def _import(request) -> dict:
    upload = request.FILES.get("file")
    if upload is None:
        return {"file_error": _("Attach an .xlsx file.")}
    try:
        rows = imports.read_rows(upload.read())
    except imports.WorkbookProblem as problem:
        return {"file_error": problem.message}
    try:
        done = services.enforcement_powers_import(rows=rows, by=request.user)
    except imports.ImportRefused as refused:
        return {"problems": refused.problems[:PROBLEMS_SHOWN], "problem_count": len(refused.problems),
                "problem_rows": len({problem.row for problem in refused.problems})}
    return {"created": done.created}


@role_required
@require_GET
def enforcement_xlsx(request):
    """The counts as a workbook (the page's filters apply)."""
    counts, _errors = _enforcement(request)
    return workbooks.counts_xlsx(counts)


@role_required
@require_GET
def enforcement_template(request):
    """The import template."""
    return workbooks.template_xlsx()
