"""With a real broker and worker: an indicator change is recomputed in the background by the worker."""
import time
from decimal import Decimal

import pytest

from allocation import services as allocation
from allocation.models import AllocationScenario, RegionIndicator, ScenarioResult
from allocation.tests.conftest import make_scenario


def wait_for(scenario_pk: int, status: str, seconds: float = 60) -> AllocationScenario:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        scenario = AllocationScenario.objects.get(pk=scenario_pk)
        if scenario.status == status:
            return scenario
        time.sleep(0.2)
    raise AssertionError(f"scenario {scenario_pk} stayed {scenario.status!r}, not {status!r}; see var/test-worker.log")


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_recomputes_after_an_indicator_change(setting, celery_worker_process):
    scenario = make_scenario(setting)  # committed: its first computation goes to the worker
    wait_for(scenario.pk, "computed")
    before = ScenarioResult.objects.get(scenario=scenario, region=setting["b"]).result

    gdp = RegionIndicator.objects.get(region=setting["b"], indicator="gdp")
    gdp.value = Decimal(130)
    allocation.region_indicator_save(indicator=gdp, by=setting["clerk"])

    scenario = wait_for(scenario.pk, "computed")
    assert ScenarioResult.objects.get(scenario=scenario, region=setting["b"]).result > before
