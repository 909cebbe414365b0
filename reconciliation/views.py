"""Pages of the positions app: the reconciliation (编岗人比对) and the printable direction notices."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.pages import role_required
from accounts.roles import Role, has_role
from accounts.scoping import scope_queryset
from institutions.models import Institution
from reconciliation import notices
from reconciliation.choices import ReconciliationFlag
from reconciliation.forms import ReconciliationFilterForm
from reconciliation.models import PositionDirectionNotice
from reconciliation.selectors import reconciliation, reconciliation_options, reconciliation_rows, reconciliation_values

PAGE_SIZE = 50


def _totals(queryset) -> dict:
    """Sums over the filtered units, in one query."""
    over_position = Q(over_position_professional__gt=0) | Q(over_position_management__gt=0) | Q(
        over_position_worker__gt=0
    )
    return queryset.aggregate(
        # Keys must differ from the annotations' names, or the filters below would read the sums.
        units=Count("pk"), approved_sum=Sum("approved"), borrowed_sum=Sum("borrowed"), reserved_sum=Sum("reserved"),
        staff_sum=Sum("staff_total"), vacant_sum=Sum("vacant"), over_quota_sum=Sum("over_quota"),
        vacant_units=Count("pk", filter=Q(vacant__gt=0)),
        over_quota_units=Count("pk", filter=Q(over_quota__gt=0)),
        over_position_units=Count("pk", filter=over_position),
        no_plan_units=Count("pk", filter=Q(plan_id__isnull=True)),
        stale_units=Count("pk", filter=Q(stale_age=True) | Q(stale_total=True)),
    )


@role_required
@require_GET
def reconciliation_page(request):
    """Quotas, posts and staff of every unit the user sees, filtered by GET parameters, 50 units a page."""
    form = ReconciliationFilterForm(request.GET or None, user=request.user)
    visible = scope_queryset(Institution.objects.all(), request.user)
    on = None
    if form.is_bound and form.is_valid():
        on = form.cleaned_data.get("on")
        queryset = form.apply(reconciliation(on=on, institutions=visible))
    else:
        queryset = reconciliation(on=on, institutions=visible)
    paginator = Paginator(reconciliation_values(queryset), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    options = reconciliation_options()
    query = request.GET.copy()
    query.pop("page", None)
    rows = reconciliation_rows(page.object_list, options=options)
    labels = dict(ReconciliationFlag.choices)
    for row in rows:
        row.flag_items = [(flag, labels[flag]) for flag in row.flags]
    return render(request, "reconciliation/reconciliation.html", {
        "form": form,
        "page": page,
        "rows": rows,
        "totals": _totals(queryset),
        "query": query.urlencode(),
        "on": on,
        "stale_months": options.stale_after_months,
        "may_issue": has_role(request.user, Role.CITY_OFFICE),
    })


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


