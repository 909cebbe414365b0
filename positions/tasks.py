"""Celery tasks of the positions app: thin, called with ids."""
from celery import shared_task


@shared_task(name="positions.run_import", acks_late=True, soft_time_limit=1800, time_limit=1900)
def run_import(job_id: int) -> str:
    """Import a queued position-plan or staff-count file (``positions.imports.import_job_run``)."""
    from positions.imports import import_job_run

    return import_job_run(job_id)
