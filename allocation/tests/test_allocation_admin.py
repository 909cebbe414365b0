"""Allocation screens: indicator import (all or nothing, scenarios go stale), scenarios saved through the services."""
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from accounts.roles import Role
from allocation.admin import RegionIndicatorResource
from allocation.models import AllocationScenario, RegionIndicator
from allocation.tasks import recompute_scenario
from allocation.tests.conftest import make_scenario

pytestmark = pytest.mark.django_db
HEADERS = ["区划代码 region code", "年度 year", "指标 indicator", "数值 value", "来源 source"]


def dataset(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def test_indicator_import_updates_values_and_marks_scenarios_stale(setting, django_capture_on_commit_callbacks):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)

    with django_capture_on_commit_callbacks() as callbacks:
        result = RegionIndicatorResource().import_data(dataset(
            ["230102", 2019, "gdp", "77.5", "统计年鉴"],
            ["230123", 2020, "area", "810", ""],
        ), dry_run=False, use_transactions=True)

    assert not result.has_errors() and not result.has_validation_errors()
    assert RegionIndicator.objects.get(region=setting["a"], year=2019, indicator="gdp").value == Decimal("77.5")
    assert RegionIndicator.objects.filter(region=setting["c"], year=2020).count() == 1
    scenario.refresh_from_db()
    assert scenario.status == "stale"
    assert len(callbacks) == 1


def test_indicator_import_with_a_bad_row_writes_nothing(setting):
    before = list(RegionIndicator.objects.values_list("pk", "value").order_by("pk"))

    result = RegionIndicatorResource().import_data(dataset(
        ["230102", 2019, "gdp", "77.5", ""],
        ["999999", 2019, "gdp", "1", ""],
        ["230103", 2019, "gdp", "-4", ""],
        ["230103", 2019, "happiness", "4", ""],
    ), dry_run=False, use_transactions=True)

    assert result.has_errors() or result.has_validation_errors()
    bad_rows = {row.number for row in result.invalid_rows} | {number for number, _errors in result.row_errors()}
    assert bad_rows == {2, 3, 4}
    assert list(RegionIndicator.objects.values_list("pk", "value").order_by("pk")) == before


def test_scenario_admin_creates_through_the_service(client, make_user, setting, django_capture_on_commit_callbacks):
    client.force_login(make_user(Role.CITY_OFFICE, is_staff=True))
    body = {
        "name": "后台方案", "scope_region": setting["city"].pk, "quota_type": setting["quota_type"].pk,
        "province_total": "151", "indicator_year": "2019", "fiscal_years": "[2018, 2019]",
        "weight_population": "40", "weight_area": "20", "weight_gdp": "20", "weight_fiscal": "20",
        "method": "largest_remainder", "county_controlled_share": "0.1", "reserves_from": "holdings",
        "areas-TOTAL_FORMS": "0", "areas-INITIAL_FORMS": "0", "results-TOTAL_FORMS": "0",
        "results-INITIAL_FORMS": "0",
    }

    bad = client.post(reverse("admin:allocation_allocationscenario_add"), {**body, "weight_fiscal": "10"})
    assert bad.status_code == 200
    assert "weight_population" in bad.context["adminform"].form.errors
    with django_capture_on_commit_callbacks() as callbacks:
        good = client.post(reverse("admin:allocation_allocationscenario_add"), body)

    assert good.status_code == 302, good.context["adminform"].form.errors if good.context else good
    scenario = AllocationScenario.objects.get(name="后台方案")
    assert (scenario.status, scenario.created_by.username.startswith("city_office")) == ("draft", True)
    assert len(callbacks) == 1
