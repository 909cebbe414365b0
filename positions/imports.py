"""Importing position plans and staff counts from an xlsx file: every row, or none and each bad row reported.

Every import reads and checks the whole file first, outside any transaction, and writes only the rows that change
in one short transaction (``institutions.resources.RegistryResource``); an unchanged row is reported as such, each
other row with its unit and the columns it changes.

The API imports a file of at most ``settings.IMPORT_SYNC_ROWS`` rows while the request waits; a larger one (up to
``settings.IMPORT_MAX_ROWS``), and every file sent from the import page, becomes an ``ImportJob`` that the Celery
task ``positions.run_import`` runs. The job records its progress in its result (``stage``, ``processed``,
``total``) as it goes, so the page can show it; the finished job's result has the shape of a direct import's.
Without a broker (the embedded site, tasks eager) the task runs in a thread beside the request, so the page shows
its progress instead of waiting for the end.
"""
from __future__ import annotations

import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX
from import_export.results import RowResult
from openpyxl import Workbook

from core.background import start_task
from core.xlsx import append_row, dated_filename, workbook_response
from core.xlsx_import import row_problems
from institutions.resources import ChoiceWidget
from positions.models import ImportJob, ImportStatus
from positions.resources import PositionPlanResource, StaffCountResource

RESOURCES = {"plans": PositionPlanResource, "staff": StaffCountResource}
ROWS_KEPT = 500  # changed rows a result lists (the totals count them all)
PROGRESS_EVERY = 0.5  # seconds between two progress records
# The example row of each template, by field (the other columns are left empty).
EXAMPLES = {
    "plans": {"region_code": "230102", "institution_name": "道里区图书馆", "effective_date": "2026年1月1日",
              "document": "哈人社发〔2026〕1号", "main_post_type": "professional_service", "total": 10,
              "management": 2, "management_leadership": 1, "management_8": 1, "management_9": 1, "professional": 7,
              "professional_4": 1, "professional_7": 1, "professional_10": 2, "professional_12": 3, "worker": 1,
              "worker_ordinary": 1},
    "staff": {"region_code": "230102", "institution_name": "道里区图书馆", "as_of": "2026年6月30日", "management": 2,
              "professional": 6, "senior_full": 1, "senior_deputy": 1, "intermediate": 2, "junior": 2, "worker": 1},
}


def _changed_rows(result) -> list[dict]:
    """The rows that are new or change (at most ``ROWS_KEPT``), each with its unit and changed columns."""
    changed = []
    for number, row_result in enumerate(result.rows, 2):
        if row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            changed.append({"row": number, "type": row_result.import_type, "unit": getattr(row_result, "label", ""),
                            "changes": [list(change) for change in getattr(row_result, "changes", [])]})
            if len(changed) == ROWS_KEPT:
                break
    return changed


def import_result(kind: str, dataset, *, user, dry_run: bool, progress=None) -> dict:
    """Import ``dataset``; the result as the API answers it (``code`` ``import_refused`` when rows were refused).

    A refused file's rows name their unit where the row named one; an accepted file's totals count new, changed
    and unchanged (``skip``) rows, and ``changes`` lists the new and changed rows."""
    result = RESOURCES[kind](user=user, progress=progress).import_data(dataset, dry_run=dry_run, user=user)
    problems = row_problems(result)
    if problems:
        def key(problem):
            return f"row {problem.row}" + (f" · {problem.column}" if problem.column else "")

        units = {number: getattr(row_result, "label", "") for number, row_result in enumerate(result.rows, 2)}
        return {
            "message": _("The file has rows with errors; nothing was imported."), "code": "import_refused",
            "errors": {key(problem): [problem.message] for problem in problems},
            "codes": {key(problem): ["invalid"] for problem in problems},
            "rows": [{**problem.__dict__, "unit": units.get(problem.row, "")} for problem in problems],
        }
    totals = result.totals
    return {"new": totals["new"], "update": totals["update"], "skip": totals["skip"], "dry_run": dry_run,
            "changes": _changed_rows(result)}


def import_job_queue(*, kind: str, content: bytes, rows: int, user, dry_run: bool = False) -> ImportJob:
    """Keep the file and queue its import (``dry_run``: its check only) for the task, after commit."""
    job = ImportJob(kind=kind, rows=rows, requested_by=user,
                    result={"dry_run": dry_run, "stage": "queued", "processed": 0, "total": rows})
    job.file.save(f"{kind}-{timezone.now():%Y%m%d-%H%M%S}.xlsx", ContentFile(content), save=False)
    job.save()
    transaction.on_commit(lambda: _start(job.pk))
    return job


def _start(job_id: int) -> None:
    """Send the job to a worker; without a broker, run the task in a thread of this process."""
    start_task("positions.run_import", job_id)  # named: the tasks module calls this one


class _Progress:
    """Records a running job's progress in its result, at most every ``PROGRESS_EVERY`` seconds (and at each stage's
    start and end), each in its own short write. Rows written are counted inside the write transaction, which no
    other connection sees: that stage is recorded once, as it starts (before the transaction)."""

    def __init__(self, job: ImportJob) -> None:
        self.job, self.last = job, 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == "write" and done:
            return
        if done not in (0, 1, total) and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.job.pk).update(
            result={**self.job.result, "stage": stage, "processed": done, "total": total})


def import_job_run(job_id: int) -> str:
    """Run a queued job once (a job already started or finished is left alone); returns its status."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("requested_by").get(pk=job_id)
        if job.status != ImportStatus.QUEUED:
            return job.status
        job.status = ImportStatus.RUNNING
        job.save(update_fields=["status"])
    dry_run = bool(job.result.get("dry_run"))
    try:
        with job.file.open("rb") as handle:
            dataset = XLSX().create_dataset(handle.read())
        result = import_result(job.kind, dataset, user=job.requested_by, dry_run=dry_run, progress=_Progress(job))
        status = ImportStatus.REFUSED if result.get("code") == "import_refused" else ImportStatus.DONE
    except Exception as exc:  # the job records why; the worker goes on
        result, status = {"message": str(exc), "code": "import_failed", "errors": {}, "codes": {}}, ImportStatus.FAILED
    result = {**result, "dry_run": dry_run, "stage": "finished", "processed": job.rows, "total": job.rows}
    ImportJob.objects.filter(pk=job.pk).update(status=status, result=result, finished_at=timezone.now())
    return status


def import_job_confirm(job: ImportJob, *, user) -> ImportJob:
    """Queue the import of a checked file (a dry run that found no bad row) as a new job."""
    with job.file.open("rb") as handle:
        content = handle.read()
    return import_job_queue(kind=job.kind, content=content, rows=job.rows, user=user)


def template_response(kind: str) -> HttpResponse:
    """The import template of ``kind``: a sheet named as the resource, its headers (the reader's language) and one
    example row."""
    resource = RESOURCES[kind]()
    example = EXAMPLES[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(resource._meta.name)
    names = resource.get_import_order()
    append_row(sheet, [resource.column(name) for name in names], bold=True)
    # A choice as its label in the reader's language, as the export writes it.
    append_row(sheet, [resource.fields[name].widget.render(example[name]) if name in example
                       and isinstance(resource.fields[name].widget, ChoiceWidget) else example.get(name, "")
                       for name in names])
    return workbook_response(workbook, dated_filename(_("%(name)s import template") % {"name": sheet.title}))


def read_dataset(content: bytes):
    """The file's first sheet as a dataset; a ValueError when it is not a readable .xlsx file."""
    try:
        return XLSX().create_dataset(content)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not xlsx
        raise ValueError(_("Not a readable .xlsx file.")) from exc
