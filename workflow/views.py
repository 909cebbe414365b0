"""Pages of the workflow: vacant-quota reclamation (preview and decision)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.pages import role_required
from accounts.roles import Role, has_role
from accounts.scoping import scope_queryset
from workflow import reclamation
from workflow.forms import ReclamationApplyForm, ReclamationFilterForm


@role_required
@require_http_methods(["GET", "POST"])
def reclamation_page(request):
    """Vacant-quota reclamation: the preview of every unit the user sees, and (city office) the decision."""
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
    return render(request, "workflow/reclamation.html", {
        "filters": filters, "apply_form": apply_form, "lines": shown, "units": len(lines), "may_apply": may_apply,
        "totals": {name: sum(getattr(line, name) for line in lines)
                   for name in ("approved", "borrowed", "staff", "reserved", "reclaimable")},
    })
