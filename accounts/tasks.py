"""Periodic jobs of accounts (the beat schedule is in config/settings.py)."""
from celery import shared_task

from accounts.tokens import purge_expired


@shared_task(name="accounts.purge_expired_tokens", soft_time_limit=120, time_limit=180)
def purge_expired_tokens() -> int:
    """Expired API tokens are deleted, each logged; the number deleted."""
    return purge_expired()
