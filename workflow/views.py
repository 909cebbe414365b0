"""Pages of the workflow: vacant-quota reclamation (preview and decision).

The page previews the units the user sees while it waits when they are few (``settings.RECLAMATION_SYNC_UNITS``);
more are read by a worker into a ``ReclamationPreview``, whose page shows a progress bar that htmx refreshes every
second from ``progress/`` and then the preview with the decision. A preview is seen by its requester only.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.pages import role_required
from accounts.roles import Role, has_role
from accounts.scoping import scope_queryset
from core.forms import put_errors
from workflow import reclamation
from workflow.forms import ReclamationApplyForm, ReclamationFilterForm
from workflow.models import ReclamationPreview

PREVIEWS_SHOWN = 5


def _filters(request, source) -> tuple[ReclamationFilterForm, object, object]:
    filters = ReclamationFilterForm(source or None, user=request.user)
    region = quota_type = None
    if filters.is_bound and filters.is_valid():
        region, quota_type = filters.cleaned_data["region"], filters.cleaned_data["quota_type"]
    return filters, region, quota_type


def _filter_values(region, quota_type) -> list[tuple[str, str]]:
    """The filters as the decision form posts them back."""
    return [(name, value) for name, value in (("region", region.pk if region else ""),
                                              ("quota_type", quota_type.pk if quota_type else "")) if value]


def _apply_form(data=None) -> ReclamationApplyForm:
    return ReclamationApplyForm(data, initial={"effective_date": timezone.localdate()})


@role_required
@require_http_methods(["GET", "POST"])
def reclamation_page(request):
    """Vacant-quota reclamation: the preview of every unit the user sees, and (city office) the decision."""
    may_apply = has_role(request.user, Role.CITY_OFFICE)
    filters, region, quota_type = _filters(request, request.POST if request.method == "POST" else request.GET)
    institutions = scope_queryset(reclamation.vacancy_reclaim_default_institutions(), request.user)
    if region is not None:
        institutions = institutions.filter(region=region)
    apply_form = _apply_form(request.POST if request.method == "POST" else None)
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
                put_errors(apply_form, error)
            else:
                messages.success(request, _("%(count)d reclamations posted, %(total)d quotas back in the region "
                                            "pools.") % {"count": len(transfers),
                                                         "total": sum(t.amount for t in transfers)})
                return redirect(f"{request.path}?{filters.data.urlencode()}" if filters.is_bound else request.path)
    context = {"filters": filters, "apply_form": apply_form, "may_apply": may_apply,
               "filter_values": _filter_values(region, quota_type),
               "previews": ReclamationPreview.objects.filter(requested_by=request.user).select_related(
                   "region", "quota_type")[:PREVIEWS_SHOWN]}
    count = institutions.count()
    if count > settings.RECLAMATION_SYNC_UNITS:  # too many to read while the page waits: a worker reads them
        return render(request, "workflow/reclamation.html", {**context, "background": True, "units": count})
    lines = reclamation.vacancy_reclaim_preview(institutions=institutions, quota_type=quota_type)
    return render(request, "workflow/reclamation.html", {
        **context, "lines": [line for line in lines if line.reclaimable or line.reserved or line.borrowed],
        "units": len(lines), "totals": reclamation.reclaim_totals(lines)})


@role_required
@require_POST
def reclamation_preview_start(request):
    """Queue a preview of the filtered units for a worker, then show its page."""
    filters, region, quota_type = _filters(request, request.POST)
    if filters.errors:
        messages.error(request, " ".join(text for texts in filters.errors.values() for text in texts))
        return redirect("workflow:reclamation")
    preview = reclamation.reclamation_preview_queue(user=request.user, region=region, quota_type=quota_type)
    return redirect("workflow:reclamation_preview", pk=preview.pk)


def _preview_context(request, pk: int) -> dict:
    preview = get_object_or_404(ReclamationPreview.objects.select_related("region", "quota_type"), pk=pk,
                                requested_by=request.user)
    context = {"preview": preview, "may_apply": has_role(request.user, Role.CITY_OFFICE), "apply_form": _apply_form(),
               "filter_values": _filter_values(preview.region, preview.quota_type)}
    if preview.finished:
        lines = reclamation.preview_lines(preview)
        context |= {"lines": [line for line in lines if line.reclaimable or line.reserved or line.borrowed],
                    "units": len(lines), "totals": reclamation.reclaim_totals(lines)}
    return context


@role_required
@require_GET
def reclamation_preview_page(request, pk: int):
    """A background preview: its progress while a worker reads it, then its units, totals and the decision."""
    return render(request, "workflow/reclamation_preview.html", _preview_context(request, pk))


@role_required
@require_GET
def reclamation_preview_progress(request, pk: int):
    """The preview's progress block, which its page fetches every second until the preview has finished."""
    return render(request, "workflow/reclamation_progress.html", _preview_context(request, pk))
