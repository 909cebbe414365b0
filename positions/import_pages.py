"""The import page of the HR bureau's files (position plans, staff counts): upload, progress, preview, import.

A file is first checked (a dry run) by the task ``positions.run_import``, whose progress the job's page shows as a
bar that htmx refreshes every second from ``progress/``; the preview lists the rows that change (new or changed,
with their unit and columns, old → new), counts the unchanged ones, or lists every bad row. Importing the checked
file queues a second job that checks it again and writes the rows that change, all or nothing. Each kind is offered
to the roles the permission table lets import it; a job is seen by its requester only (another's is a 404).
Mounted under ``/positions/imports/``.
"""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permission_table
from accounts.pages import role_required
from accounts.roles import user_roles
from positions import imports
from positions.models import ImportJob, ImportStatus

# kind → (the permission table's resource, its name on the page)
KINDS = {
    "staff": ("staff-count", gettext_lazy("Staff counts")),
    "plans": ("position-plan", gettext_lazy("Position plans")),
}
JOBS_SHOWN = 10


def kinds_for(user) -> list[str]:
    """The kinds ``user`` may import."""
    roles = user_roles(user)
    return [kind for kind, (resource, _label) in KINDS.items()
            if user.is_superuser or permission_table.allows(roles, resource, "import_xlsx")]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"))
    file = forms.FileField(label=gettext_lazy("File (.xlsx)"))

    def __init__(self, *args, kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KINDS[kind][1]) for kind in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = upload.read()
        try:
            dataset = imports.read_dataset(content)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="not_xlsx") from None
        if not len(dataset):
            raise forms.ValidationError(_("The sheet has no rows below its header."), code="no_rows")
        if len(dataset) > settings.IMPORT_MAX_ROWS:
            raise forms.ValidationError(
                _("The file has %(rows)d rows; import at most %(limit)d at a time (split the file).")
                % {"rows": len(dataset), "limit": settings.IMPORT_MAX_ROWS}, code="too_many_rows")
        self.content, self.rows = content, len(dataset)
        return upload


def _kinds_or_403(request) -> list[str]:
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    return kinds


def _own_job(request, pk: int) -> ImportJob:
    """The requester's job of a kind they may still import; any other is a 404."""
    job = get_object_or_404(ImportJob, pk=pk, requested_by=request.user)
    if job.kind not in kinds_for(request.user):
        raise Http404
    return job


@role_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """The upload form (each kind the user may import, with its template) and the user's latest jobs."""
    kinds = _kinds_or_403(request)
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        job = imports.import_job_queue(kind=form.cleaned_data["kind"], content=form.content, rows=form.rows,
                                       user=request.user, dry_run=True)
        return redirect("position_imports:job", pk=job.pk)
    jobs = ImportJob.objects.filter(requested_by=request.user, kind__in=kinds)[:JOBS_SHOWN]
    return render(request, "positions/import_page.html", {
        "form": form, "kinds": [(kind, KINDS[kind][1]) for kind in kinds], "jobs": jobs,
        "max_rows": settings.IMPORT_MAX_ROWS,
    }, status=400 if form.errors else 200)


def _progress_context(job: ImportJob) -> dict:
    result = job.result or {}
    finished = job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    return {
        "job": job, "result": result, "finished": finished, "stage": result.get("stage", "queued"),
        "processed": result.get("processed", 0), "total": result.get("total", job.rows),
        "dry_run": bool(result.get("dry_run")), "kind_label": KINDS[job.kind][1],
        "may_confirm": (finished and job.status == ImportStatus.DONE and result.get("dry_run")
                        and (result.get("new") or result.get("update"))),
    }


@role_required
@require_GET
def job_page(request, pk: int):
    """A job: its progress while it runs, then its preview or result."""
    return render(request, "positions/import_job.html", _progress_context(_own_job(request, pk)))


@role_required
@require_GET
def job_progress(request, pk: int):
    """The job's progress block, which the job page fetches every second until the job has finished."""
    return render(request, "positions/import_progress.html", _progress_context(_own_job(request, pk)))


@role_required
@require_POST
def job_confirm(request, pk: int):
    """Import a checked file: a new job checks it again and writes the rows that change."""
    job = _own_job(request, pk)
    if not _progress_context(job)["may_confirm"]:
        raise Http404
    return redirect("position_imports:job", pk=imports.import_job_confirm(job, user=request.user).pk)


@role_required
@require_GET
def template(request, kind: str):
    """The import template of a kind the user may import."""
    if kind not in kinds_for(request.user):
        raise Http404
    return imports.template_response(kind)


app_name = "position_imports"
urlpatterns = [
    path("", import_page, name="page"),
    path("template/<str:kind>/", template, name="template"),
    path("<int:pk>/", job_page, name="job"),
    path("<int:pk>/progress/", job_progress, name="progress"),
    path("<int:pk>/confirm/", job_confirm, name="confirm"),
]
