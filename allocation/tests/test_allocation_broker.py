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
    raise AssertionError(f"scenario {scenario_pk} stayed {scenario.status!r}, not {status!r}; "
                         "see var/test-worker-*.log")


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



@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_recomputes_after_a_ledger_move_of_a_reserved_institution(setting, celery_worker_process, settings):
    from quotas import services
    from quotas.models import QuotaAccount

    settings.LEDGER_POSTING_HOOKS = ["allocation.tasks.ledger_posted"]  # as in production
    allocation.ledger_read()  # the setting's own postings
    scenario = make_scenario(setting)
    wait_for(scenario.pk, "computed")
    before = ScenarioResult.objects.get(scenario=scenario, region=setting["a"]).fixed_reserve
    hospital = QuotaAccount.objects.get(institution=setting["hospital"])
    archive = QuotaAccount.objects.get(institution=setting["archive"])

    services.quota_transfer(source=archive, target=hospital, amount=1, document=setting["document"],
                            effective_date=setting["document"].date_effective, by=setting["clerk"])

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        scenario = AllocationScenario.objects.get(pk=scenario.pk)
        result = ScenarioResult.objects.filter(scenario=scenario, region=setting["a"]).first()
        if scenario.status == "computed" and result and result.fixed_reserve == before + 1:
            break
        time.sleep(0.2)
    assert (scenario.status, result.fixed_reserve) == ("computed", before + 1)
