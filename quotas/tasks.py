"""Celery tasks of the quotas app: thin, idempotent, called with ids."""
from celery import shared_task


@shared_task(name="quotas.recompute_scenario", acks_late=True, soft_time_limit=120, time_limit=180)
def recompute_scenario(scenario_id: int) -> str:
    """Recompute a zero-based allocation scenario; idempotent by its input hash."""
    from quotas.allocation import scenario_compute

    return scenario_compute(scenario_id=scenario_id)
