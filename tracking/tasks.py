"""Periodic jobs of the follow-up (the beat schedule is in config/settings.py): the reform's checklists swept in and
the annual reports on the year just ended opened, every ten minutes, and the overdue flags set, daily. Both are
idempotent."""
from celery import shared_task

from tracking import services


@shared_task(name="tracking.sync_checklists", soft_time_limit=240, time_limit=300)
def sync_checklists() -> dict[str, int]:
    """Every executed reform plan's units get their missing checklists, and from 1 January on every registered unit
    its report on the year just ended; how many of each were made."""
    return {"checklists": services.checklists_sync(), "annual_reports": services.annual_reports_sync()}


@shared_task(name="tracking.flag_overdue", soft_time_limit=240, time_limit=300)
def flag_overdue() -> dict[str, int]:
    """Milestones, registrations and annual reports past their deadline flagged overdue today (and those done
    since, cleared)."""
    return services.flag_overdue()
