"""Periodic jobs of reforms (the beat schedule is in config/settings.py)."""
from celery import shared_task

from reforms.services import market_paths_settle


@shared_task(name="reforms.settle_market_paths", soft_time_limit=240, time_limit=300)
def settle_market_paths() -> int:
    """The gradual market path carried on: quotas freed by leavers cancelled, finished units ended; how many ended."""
    return len(market_paths_settle())
