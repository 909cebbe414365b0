"""Celery tasks of the ledger: thin and idempotent, run by beat (``CELERY_BEAT_SCHEDULE``)."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="quotas.close_ledger_periods", soft_time_limit=600, time_limit=900)
def close_ledger_periods() -> list[str]:
    """Close the ledger's months not yet closed, up to the last whole month (idempotent: a closed month is kept and
    only later ones are written). Returns the period ends closed, as ISO dates."""
    from quotas.services import ledger_periods_close

    return [period_end.isoformat() for period_end in ledger_periods_close()]
