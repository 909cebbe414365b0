"""A zero-based scenario may take its fixed reserves from the industry standards instead of current holdings.

Worked by hand on the allocation tests' city: 道里区's hospital holds 30 and has 30 beds; the 1978 hospital rule
(up to 300 beds, 1.3–1.4 staff a bed) gives it 39–42, so from the standards it counts for 42. 依兰县's township
institution has no industry standard and counts for what it holds, 20. Reserves 42 + 20 = 62 instead of 50.
"""
import pytest

from allocation import services as allocation
from allocation.models import ScenarioResult
from allocation.tasks import recompute_scenario
from allocation.tests.conftest import make_scenario
from standards.models import ServiceFigure

pytestmark = pytest.mark.django_db


def reserves(scenario):
    return dict(ScenarioResult.objects.filter(scenario=scenario).values_list("region__code", "fixed_reserve"))


def test_reserves_from_the_standards_count_a_unit_by_its_standard_and_the_others_by_their_holdings(setting):
    ServiceFigure.objects.create(institution=setting["hospital"], year=2025, figure="beds", value=30,
                                 source="卫健局2025年统计（示意）")
    by_holdings = make_scenario(setting)
    by_standards = make_scenario(setting, name="按标准测算", reserves_from="standards")

    recompute_scenario(by_holdings.pk)
    recompute_scenario(by_standards.pk)

    assert reserves(by_holdings) == {"230102": 30, "230103": 0, "230123": 20}
    assert reserves(by_standards) == {"230102": 42, "230103": 0, "230123": 20}
    assert sum(row.result for row in ScenarioResult.objects.filter(scenario=by_standards)) == 151
    inputs = allocation.scenario_inputs(by_standards).payload(with_current=False)
    assert inputs["reserves_from"] == "standards"
    assert "reserves_from" not in allocation.scenario_inputs(by_holdings).payload(with_current=False)
    changes = allocation.changed_inputs(allocation.scenario_inputs(by_holdings).payload(with_current=False), inputs)
    assert any("固定保障" in change or "fixed reserves" in change for change in changes), changes
