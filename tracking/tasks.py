"""Periodic jobs of the follow-up (the beat schedule is in config/settings.py): the reform's checklists swept in,
every ten minutes, and the overdue flags set, daily. Both are idempotent."""
from celery import shared_task

from tracking import services


@shared_task(name="tracking.sync_checklists", soft_time_limit=240, time_limit=300)
def sync_checklists() -> int:
    """Every executed reform plan's units get their missing checklists; how many were made."""
    return services.checklists_sync()


@shared_task(name="tracking.flag_overdue", soft_time_limit=240, time_limit=300)
def flag_overdue() -> dict[str, int]:
    """Milestones and registrations past their deadline flagged overdue today (and those done since, cleared)."""
    return services.flag_overdue()

