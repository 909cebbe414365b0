"""Pages of the positions app: the reconciliation (编岗人比对) and the printable direction notices."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.roles import Role, has_role, user_roles
from core.scoping import scope_queryset
from institutions.models import Institution
from positions import notices, reclamation
from positions.choices import ReconciliationFlag
from positions.forms import ReclamationApplyForm, ReclamationFilterForm, ReconciliationFilterForm
from positions.models import PositionDirectionNotice
from positions.selectors import reconciliation, reconciliation_options, reconciliation_rows, reconciliation_values

PAGE_SIZE = 50


def _require_role(request) -> None:
    if not (request.user.is_superuser or user_roles(request.user)):
        raise PermissionDenied


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


@login_required
@require_GET
def reconciliation_page(request):
    """Quotas, posts and staff of every unit the user sees, filtered by GET parameters, 50 units a page."""
    _require_role(request)
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
    return render(request, "positions/reconciliation.html", {
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
    _require_role(request)
    notices_seen = scope_queryset(
        PositionDirectionNotice.objects.select_related("institution", "supervisor", "document", "batch"),
        request.user,
    )
    return get_object_or_404(notices_seen, pk=pk)


@login_required
@require_GET
def notice_page(request, pk: int):
    """The printable notice."""
    return notices.html_response(request, _visible_notice(request, pk))


@login_required
@require_GET
def notice_docx(request, pk: int):
    """The notice as .docx."""
    return notices.docx_response(_visible_notice(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def reclamation_page(request):
    """Vacant-quota reclamation: the preview of every unit the user sees, and (city office) the decision."""
    _require_role(request)
    may_apply = has_role(request.user, Role.CITY_OFFICE)
    source = request.POST if request.method == "POST" else request.GET
    filters = ReclamationFilterForm(source or None, user=request.user)
    region = quota_type = None
    if filters.is_bound and filters.is_valid():
        region, quota_type = filters.cleaned_data["region"], filters.cleaned_data["quota_type"]
    institutions = scope_queryset(reclamation.vacancy_reclaim_default_institutions(), request.user)
    if region is not None:
        institutions = institutions.filter(region=region)
    apply_form = ReclamationApplyForm(request.POST if request.method == "POST" else None,
                                      initial={"effective_date": timezone.localdate()})
    if request.method == "POST":
        if not may_apply:
            raise PermissionDenied
        if apply_form.is_valid():
            try:
                transfers = reclamation.vacancy_reclaim_apply(
                    institutions=institutions, quota_type=quota_type, by=request.user,
                    document=apply_form.cleaned_data["document"],
                    effective_date=apply_form.cleaned_data["effective_date"])
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    for text in texts:
                        apply_form.add_error(field if field in apply_form.fields else None, text)
            else:
                messages.success(request, _("%(count)d reclamations posted, %(total)d quotas back in the region "
                                            "pools.") % {"count": len(transfers),
                                                         "total": sum(t.amount for t in transfers)})
                return redirect(f"{request.path}?{filters.data.urlencode()}" if filters.is_bound else request.path)
    lines = reclamation.vacancy_reclaim_preview(institutions=institutions, quota_type=quota_type)
    shown = [line for line in lines if line.reclaimable or line.reserved or line.borrowed]
    return render(request, "positions/reclamation.html", {
        "filters": filters, "apply_form": apply_form, "lines": shown, "units": len(lines), "may_apply": may_apply,
        "totals": {name: sum(getattr(line, name) for line in lines)
                   for name in ("approved", "borrowed", "staff", "reserved", "reclaimable")},
    })
