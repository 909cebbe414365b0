"""Celery tasks of zero-based allocation: thin, idempotent, called with ids."""
from celery import shared_task


@shared_task(name="allocation.recompute_scenario", acks_late=True, soft_time_limit=120, time_limit=180)
def recompute_scenario(scenario_id: int) -> str:
    """Recompute a zero-based allocation scenario; idempotent by its input hash."""
    from allocation.services import scenario_compute

    return scenario_compute(scenario_id=scenario_id)


@shared_task(name="allocation.read_ledger", soft_time_limit=120, time_limit=180)
def read_ledger() -> int:
    """Read the ledger's transfer log past the allocation's watermark (``allocation.services.ledger_read``)."""
    from allocation.services import ledger_read

    return ledger_read()


def ledger_posted() -> None:
    """The ledger's posting hook (``settings.LEDGER_POSTING_HOOKS``): read the log soon, off the posting's path."""
    read_ledger.delay()
