"""Celery tasks of the workflow: thin and idempotent; the daily ones run by beat (``CELERY_BEAT_SCHEDULE``), a
reclamation preview when its page queues it."""
from __future__ import annotations

import datetime

from celery import shared_task


def _day(today: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(today) if today else None


@shared_task(name="workflow.expire_quota_use_notices", soft_time_limit=120, time_limit=180)
def expire_quota_use_notices(today: str | None = None) -> int:
    """Expire issued quota-use notices whose validity has ended, releasing what they still reserve.

    Idempotent: a notice once expired is no longer issued, so a second run finds nothing. ``today``: an ISO date
    (default: the local date).
    """
    from workflow.hiring import quota_use_notices_expire

    return quota_use_notices_expire(today=_day(today))


@shared_task(name="workflow.flag_overdue_loans", soft_time_limit=120, time_limit=180)
def flag_overdue_loans(today: str | None = None) -> int:
    """Flag outstanding turnover-pool loans past their due date (idempotent: flagged loans are skipped)."""
    from workflow.loans import turnover_loans_flag_overdue

    return turnover_loans_flag_overdue(today=_day(today))


@shared_task(name="workflow.run_reclamation_preview", acks_late=True, soft_time_limit=1800, time_limit=1900)
def run_reclamation_preview(preview_id: int) -> str:
    """Read a queued reclamation preview (``workflow.reclamation.reclamation_preview_run``)."""
    from workflow.reclamation import reclamation_preview_run

    return reclamation_preview_run(preview_id)
