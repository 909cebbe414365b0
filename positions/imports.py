"""Importing position plans and staff counts from an xlsx file: every row, or none and each bad row reported.

A file of at most ``settings.IMPORT_SYNC_ROWS`` rows is imported while the request waits; a larger one (up to
``settings.IMPORT_MAX_ROWS``) becomes an ``ImportJob`` that a worker runs (``positions.run_import``), so no web
worker is held for minutes. Both give the same result.
"""
from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

from core.xlsx_import import row_problems
from positions.models import ImportJob, ImportStatus
from positions.resources import PositionPlanResource, StaffCountResource

RESOURCES = {"plans": PositionPlanResource, "staff": StaffCountResource}


def import_result(kind: str, dataset, *, user, dry_run: bool) -> dict:
    """Import ``dataset``; the result as the API answers it (``code`` ``import_refused`` when rows were refused)."""
    result = RESOURCES[kind](user=user).import_data(dataset, dry_run=dry_run, user=user)
    problems = row_problems(result)
    if problems:
        def key(problem):
            return f"row {problem.row}" + (f" · {problem.column}" if problem.column else "")

        return {
            "message": _("The file has rows with errors; nothing was imported."), "code": "import_refused",
            "errors": {key(problem): [problem.message] for problem in problems},
            "codes": {key(problem): ["invalid"] for problem in problems},
            "rows": [problem.__dict__ for problem in problems],
        }
    totals = result.totals
    return {"new": totals["new"], "update": totals["update"], "skip": totals["skip"], "dry_run": dry_run}


def import_job_queue(*, kind: str, content: bytes, rows: int, user) -> ImportJob:
    """Keep the file and queue its import for a worker (after commit)."""
    from celery import current_app

    job = ImportJob(kind=kind, rows=rows, requested_by=user)
    job.file.save(f"{kind}-{timezone.now():%Y%m%d-%H%M%S}.xlsx", ContentFile(content), save=False)
    job.save()
    task = current_app.tasks["positions.run_import"]  # named: the tasks module calls this one
    transaction.on_commit(lambda: task.delay(job.pk))
    return job


def import_job_run(job_id: int) -> str:
    """Run a queued job once (a job already started or finished is left alone); returns its status."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("requested_by").get(pk=job_id)
        if job.status != ImportStatus.QUEUED:
            return job.status
        job.status = ImportStatus.RUNNING
        job.save(update_fields=["status"])
    try:
        with job.file.open("rb") as handle:
            dataset = XLSX().create_dataset(handle.read())
        result = import_result(job.kind, dataset, user=job.requested_by, dry_run=False)
        status = ImportStatus.REFUSED if result.get("code") == "import_refused" else ImportStatus.DONE
    except Exception as exc:  # the job records why; the worker goes on
        result, status = {"message": str(exc), "code": "import_failed", "errors": {}, "codes": {}}, ImportStatus.FAILED
    ImportJob.objects.filter(pk=job.pk).update(status=status, result=result, finished_at=timezone.now())
    return status
