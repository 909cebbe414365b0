"""Zero-based allocation end to end: a case worked by hand, staleness, background recomputation, approval, apply."""
import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from allocation import services as allocation
from allocation.models import AllocationScenario, LedgerReading, RegionIndicator, ScenarioResult
from allocation.tasks import recompute_scenario
from allocation.tests.conftest import make_scenario
from institutions.models import Region
from institutions.tests.factories import InstitutionFactory
from quotas import services
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.tests.conftest import DAY

pytestmark = pytest.mark.django_db

def results_of(scenario):
    return {row.region.code: row for row in ScenarioResult.objects.filter(scenario=scenario).select_related("region")}


def test_hand_worked_scenario(setting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        scenario = make_scenario(setting)
    assert scenario.status == "draft"
    assert len(callbacks) == 1  # its first computation is enqueued after commit

    assert recompute_scenario(scenario.pk) == "computed"

    scenario.refresh_from_db()
    assert scenario.status == "computed"
    rows = results_of(scenario)
    a, b, c = rows["230102"], rows["230103"], rows["230123"]
    assert (a.fixed_reserve, a.allocated, a.result, a.current, a.difference) == (30, 49, 79, 40, 39)
    assert (b.fixed_reserve, b.allocated, b.result, b.current, b.difference) == (0, 26, 26, 0, 26)
    assert (c.fixed_reserve, c.allocated, c.result, c.controlled, c.usable, c.difference) == (20, 26, 46, 5, 41, 26)
    assert (a.score, a.ideal) == (Decimal("0.480000"), Decimal("48.480000"))
    assert a.shares == {"population": "0.600000", "area": "0.100000", "gdp": "0.500000",
                        "fiscal_revenue": "0.600000"}
    assert "固定保障编制 30 名" in a.explanation and "较现有 40 名增加 39 名" in a.explanation
    assert "控制使用 5 名" in c.explanation


def test_same_inputs_leave_results_as_they_are(setting):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    first = sorted(ScenarioResult.objects.filter(scenario=scenario).values_list("pk", flat=True))

    assert recompute_scenario(scenario.pk) == "unchanged"
    assert sorted(ScenarioResult.objects.filter(scenario=scenario).values_list("pk", flat=True)) == first


def test_indicator_change_through_the_api_recomputes(setting, api_client, make_user, eager_celery,
                                                     django_capture_on_commit_callbacks):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    gdp = RegionIndicator.objects.get(region=setting["b"], indicator="gdp")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_client.patch(f"/api/v1/region-indicators/{gdp.pk}/", {"value": "130"}, format="json")
        assert response.status_code == 200, response.json()
        scenario.refresh_from_db()
        assert scenario.status == "stale"
    assert len(callbacks) == 1
    callbacks[0]()  # the enqueue, run eagerly here (by a real worker in the broker run)

    scenario.refresh_from_db()
    assert scenario.status == "computed"
    # GDP shares become 50/200, 130/200, 20/200: B's score rises, so does its result.
    assert results_of(scenario)["230103"].result > 26


def test_a_burst_of_changes_enqueues_one_recompute(setting, django_capture_on_commit_callbacks):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    area = RegionIndicator.objects.get(region=setting["a"], indicator="area")

    with django_capture_on_commit_callbacks() as callbacks:
        for value in range(101, 201):
            area.value = Decimal(value)
            allocation.region_indicator_save(indicator=area, by=setting["clerk"])

    assert len(callbacks) == 1


def test_failure_keeps_previous_results_and_says_why(setting):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    before = {code: row.result for code, row in results_of(scenario).items()}
    RegionIndicator.objects.filter(region=setting["c"], indicator="gdp").delete()
    allocation.scenarios_mark_stale(AllocationScenario.objects.filter(pk=scenario.pk))

    assert recompute_scenario(scenario.pk) == "failed"

    scenario.refresh_from_db()
    assert scenario.status == "failed"
    assert "依兰县" in scenario.last_error and "2019" in scenario.last_error
    assert {code: row.result for code, row in results_of(scenario).items()} == before


def test_ledger_transfer_of_a_reserved_institution_marks_stale(setting, make_document):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    hospital = QuotaAccount.objects.get(institution=setting["hospital"])
    archive = QuotaAccount.objects.get(institution=setting["archive"])

    allocation.ledger_read()  # the setting's own postings
    recompute_scenario(scenario.pk)
    services.quota_transfer(source=archive, target=hospital, amount=1, document=make_document(),
                            effective_date=DAY, by=setting["clerk"])
    scenario.refresh_from_db()
    assert scenario.status == "computed"  # the ledger called nobody; its readers are woken after the commit

    allocation.ledger_read()  # what the posting hook does, through a task
    scenario.refresh_from_db()
    assert scenario.status == "stale"
    recompute_scenario(scenario.pk)
    assert results_of(scenario)["230102"].fixed_reserve == 31


def test_approve_apply_and_apply_again(setting, make_document):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    allocation.scenario_approve(scenario=scenario, by=setting["clerk"])
    document = make_document()

    transfers = allocation.scenario_apply(scenario=scenario, document=document,
                                          effective_date=datetime.date(2024, 6, 1), by=setting["clerk"])

    quota_type = setting["quota_type"]
    for code, row in results_of(scenario).items():
        region = Region.objects.get(code=code)
        held = dict(QuotaAccount.objects.filter(
            region=region, quota_type=quota_type).exclude(holder_kind=HolderKind.INSTITUTION)
            .values_list("holder_kind", "balance"))
        units = sum(QuotaAccount.objects.filter(region=region, holder_kind=HolderKind.INSTITUTION)
                    .values_list("balance", flat=True))
        assert units + held.get("region_pool", 0) + held.get("region_controlled", 0) == row.result
        assert held.get("region_controlled", 0) == row.controlled
    assert sorted((t.kind, t.amount) for t in transfers) == [("control", 5), ("grant", 26), ("grant", 26),
                                                            ("grant", 39)]
    count = QuotaTransfer.objects.count()
    assert allocation.scenario_apply(scenario=scenario, document=document, effective_date=DAY,
                                     by=setting["clerk"]) == []
    assert QuotaTransfer.objects.count() == count
    scenario.refresh_from_db()
    assert scenario.status == "applied"


def test_stale_scenario_cannot_be_approved_or_applied(setting, make_document):
    from django.core.exceptions import ValidationError

    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    RegionIndicator.objects.filter(region=setting["a"], indicator="gdp").update(value=Decimal(99))  # unseen change

    with pytest.raises(ValidationError):
        allocation.scenario_approve(scenario=scenario, by=setting["clerk"])
    scenario.refresh_from_db()
    assert scenario.status == "stale"
    with pytest.raises(ValidationError):
        allocation.scenario_apply(scenario=scenario, document=make_document(), effective_date=DAY, by=None)
    assert not QuotaTransfer.objects.filter(kind="grant", effective_date__gt=DAY).exists()


def test_frozen_scenarios_ignore_input_changes_until_copied(setting, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    allocation.scenario_approve(scenario=scenario, by=setting["clerk"])
    gdp = RegionIndicator.objects.get(region=setting["a"], indicator="gdp")

    with django_capture_on_commit_callbacks() as callbacks:
        gdp.value = Decimal(1)
        allocation.region_indicator_save(indicator=gdp, by=setting["clerk"])
    assert callbacks == []
    scenario.refresh_from_db()
    assert scenario.status == "approved"
    with pytest.raises(ValidationError):
        allocation.scenario_update(scenario=scenario, by=setting["clerk"], province_total=200)

    copy = allocation.scenario_copy(scenario=scenario, by=setting["clerk"])
    assert (copy.status, copy.copied_from, copy.province_total) == ("draft", scenario, 151)


def test_api_create_validate_compare_stress_and_export(setting, api_client, make_user, eager_celery,
                                                       django_capture_on_commit_callbacks):
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    body = {"name": "方案甲", "scope_region": setting["city"].pk, "quota_type": "institutional",
            "province_total": 151, "indicator_year": 2019, "fiscal_years": [2018, 2019],
            "weight_population": "40", "weight_area": "20", "weight_gdp": "20", "weight_fiscal": "30",
            "method": "largest_remainder", "county_controlled_share": "0.1"}

    bad = api_client.post("/api/v1/allocation-scenarios/", body, format="json")
    assert bad.status_code == 400
    assert "weight_population" in bad.json()["errors"]
    assert not AllocationScenario.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        first = api_client.post("/api/v1/allocation-scenarios/", {**body, "weight_fiscal": "20"}, format="json")
        second = api_client.post("/api/v1/allocation-scenarios/", {**body, "weight_fiscal": "20", "name": "方案乙",
                                                                   "method": "huntington_hill"}, format="json")
    assert first.status_code == 201, first.json()
    one, two = first.json()["id"], second.json()["id"]
    results = api_client.get(f"/api/v1/allocation-scenarios/{one}/results/").json()
    assert [row["result"] for row in results["results"]] == [79, 26, 46]

    compare = api_client.get("/api/v1/allocation-scenarios/compare/", {"ids": f"{one},{two}"}).json()
    assert [area["results"][str(one)]["result"] for area in compare["areas"]] == [79, 26, 46]
    assert set(compare["areas"][0]["results"]) == {str(one), str(two)}
    assert api_client.get("/api/v1/allocation-scenarios/compare/", {"ids": str(one)}).status_code == 400

    stress = api_client.get(f"/api/v1/allocation-scenarios/{one}/stress-test/", {"points": "10"}).json()
    daoli = next(area for area in stress["areas"] if area["code"] == "230102")
    assert daoli["min"] <= daoli["base"] == 79 <= daoli["max"]
    assert daoli["max"] > daoli["min"]
    assert "population+10" in stress["variants"] and "method=dhondt" in stress["variants"]

    xlsx = api_client.get(f"/api/v1/allocation-scenarios/{one}/results/", {"export": "xlsx"})
    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[3][0] == "230102" and rows[3][11] == 79 and "固定保障编制" in rows[3][16]


def test_api_approve_and_apply_then_again(setting, api_client, make_user, make_document):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    url = f"/api/v1/allocation-scenarios/{scenario.pk}"

    assert api_client.post(f"{url}/apply/", {"document": make_document().pk, "effective_date": "2024-06-01"},
                           format="json").status_code == 400
    assert api_client.post(f"{url}/approve/").status_code == 200
    document = make_document().pk
    applied = api_client.post(f"{url}/apply/", {"document": document, "effective_date": "2024-06-01"}, format="json")
    again = api_client.post(f"{url}/apply/", {"document": document, "effective_date": "2024-06-01"}, format="json")

    assert applied.status_code == 200 and len(applied.json()["transfers"]) == 4
    assert again.status_code == 200 and again.json()["transfers"] == []


@pytest.mark.parametrize("role", [Role.HR_BUREAU, Role.DISTRICT_OFFICE, Role.AUDITOR])
def test_only_the_city_office_runs_allocations(setting, api_client, make_user, role):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    api_client.force_authenticate(make_user(role, region=setting["a"]))

    assert api_client.post(f"/api/v1/allocation-scenarios/{scenario.pk}/approve/").status_code in (403, 404)
    scenario.refresh_from_db()
    assert scenario.status == "computed"


def test_apply_after_an_input_changed_is_a_conflict_naming_it_and_posts_nothing(setting, make_document):
    # (e) Approved with 道里区's fixed reserve at 30 (the hospital's quotas); the hospital then gives 5 to the archive.
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    allocation.scenario_approve(scenario=scenario, by=setting["clerk"])
    hospital = QuotaAccount.objects.get(institution=setting["hospital"])
    archive = QuotaAccount.objects.get(institution=setting["archive"])
    services.quota_transfer(source=hospital, target=archive, amount=5, document=make_document(), effective_date=DAY,
                            by=setting["clerk"])
    count = QuotaTransfer.objects.count()

    from django.utils import translation

    from core.errors import ConflictError

    with translation.override("en"), pytest.raises(ConflictError) as conflict:
        allocation.scenario_apply(scenario=scenario, document=make_document(), effective_date=DAY,
                                  by=setting["clerk"])

    assert conflict.value.message_dict["status"] == [
        "The inputs changed since this scenario was approved: nothing was applied, and it is being recomputed. "
        "Approve it again to apply it.",
        "道里区, fixed reserve: 30 → 25",
    ]
    assert QuotaTransfer.objects.count() == count
    scenario.refresh_from_db()
    assert (scenario.status, scenario.approved_inputs) == ("stale", None)
    assert recompute_scenario(scenario.pk) == "computed"
    allocation.scenario_approve(scenario=scenario, by=setting["clerk"])
    assert allocation.scenario_apply(scenario=scenario, document=make_document(), effective_date=DAY,
                                     by=setting["clerk"])


def test_api_apply_after_an_indicator_change_answers_409(setting, api_client, make_user, make_document):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    allocation.scenario_approve(scenario=scenario, by=setting["clerk"])
    RegionIndicator.objects.filter(region=setting["b"], indicator="gdp").update(value=Decimal(77))
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    count = QuotaTransfer.objects.count()

    response = api_client.post(f"/api/v1/allocation-scenarios/{scenario.pk}/apply/",
                               {"document": make_document().pk, "effective_date": "2024-06-01"}, format="json",
                               HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert any(text.startswith("南岗区, GDP: ") for text in response.json()["errors"]["status"])
    assert QuotaTransfer.objects.count() == count


def test_api_sets_an_area_s_floor_cap_and_controlled_number(setting, api_client, make_user):
    scenario = make_scenario(setting)
    recompute_scenario(scenario.pk)
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    url = f"/api/v1/allocation-scenarios/{scenario.pk}/areas/"

    floor = api_client.post(url, {"region": setting["b"].pk, "floor": 40}, format="json")
    cap = api_client.post(url, {"region": setting["a"].pk, "cap": 30}, format="json")
    controlled = api_client.post(url, {"region": setting["c"].pk, "controlled_count": 9}, format="json")
    again = api_client.post(url, {"region": setting["b"].pk, "floor": 41}, format="json")

    assert [r.status_code for r in (floor, cap, controlled, again)] == [200, 200, 200, 200], floor.json()
    assert again.json()["id"] == floor.json()["id"]
    scenario.refresh_from_db()
    assert scenario.status == "stale"
    recompute_scenario(scenario.pk)
    # Floors and caps bound the allocated part (151 − the fixed 30 and 20 = 101): 南岗区 at least 41, 道里区 at most
    # 30 on top of its 30 fixed, 依兰县 the remaining 30 on top of its 20, of which 9 under controlled use.
    rows = results_of(scenario)
    assert (rows["230103"].result, rows["230103"].bound) == (41, "floor")
    assert (rows["230102"].result, rows["230102"].bound) == (60, "cap")
    assert (rows["230123"].result, rows["230123"].controlled) == (50, 9)


def test_api_refuses_a_bad_area_setting_with_its_field(setting, api_client, make_user):
    scenario = make_scenario(setting)
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    url = f"/api/v1/allocation-scenarios/{scenario.pk}/areas/"

    response = api_client.post(url, {"region": setting["a"].pk, "floor": 50, "cap": 10}, format="json")
    outside = api_client.post(url, {"region": setting["city"].pk, "floor": 1}, format="json")

    assert response.status_code == 400 and response.json()["errors"]
    assert outside.status_code == 400
    assert not scenario.areas.exists()


def test_compare_shows_one_holding_from_the_ledger_for_every_scenario(setting, make_document):
    one = make_scenario(setting)
    recompute_scenario(one.pk)
    services.quota_grant(target=services.account_for_region(region=setting["b"], quota_type=setting["quota_type"]),
                         amount=7, document=make_document(), effective_date=datetime.date(2024, 3, 1),
                         by=setting["clerk"])
    two = make_scenario(setting, name="方案乙", method="dhondt")
    recompute_scenario(two.pk)

    before = {area["code"]: area for area in allocation.scenarios_compare([one, two], on=DAY)}
    now = {area["code"]: area for area in allocation.scenarios_compare([one, two])}

    assert before["230103"]["current"] == 0 and now["230103"]["current"] == 7
    cells = now["230103"]["results"]
    assert cells[str(one.pk)]["computed_against"] == 0 and cells[str(two.pk)]["computed_against"] == 7
    assert cells[str(one.pk)]["difference"] == cells[str(one.pk)]["result"] - 7


def test_a_move_of_ordinary_units_leaves_scenarios_alone_and_the_watermark_moves_on(setting, make_document):
    scenario = make_scenario(setting)
    allocation.ledger_read()
    recompute_scenario(scenario.pk)
    archive = QuotaAccount.objects.get(institution=setting["archive"])
    other = services.account_for_institution(institution=InstitutionFactory(region=setting["a"]),
                                             quota_type=setting["quota_type"])

    moved = services.quota_transfer(source=archive, target=other, amount=1, document=make_document(),
                                    effective_date=DAY, by=setting["clerk"])

    assert allocation.ledger_read() == 1
    scenario.refresh_from_db()
    assert scenario.status == "computed"
    assert LedgerReading.objects.get(reader="allocation").last_transfer_id == moved.pk
    assert allocation.ledger_read() == 0
