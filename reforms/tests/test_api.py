"""Reform plans through the API: a district office drafts in its own region only, the preview of the hand-worked
merger of test_merge.py, the city office's decision and execution (once), refusals with nothing written, scoping.

The merger, worked by hand (as in test_merge.py): A (20 quotas, 18 staff) and B (15 quotas, 15 staff) of 道里区 merge
into a new C approved at 30: C would hold 35 quotas, 5 cancelled, and 33 staff for 30 quotas, one problem, until 3
are placed in D (10 quotas, 5 staff), which then holds 13 with 3 from 道里区's pool (4 unallocated). 道里区 holds
20 + 15 + 10 + 4 = 49 quotas in 3 institutions before, 49 − 5 = 44 in 2 (C and D) after.
"""
import datetime

import pytest

from accounts.roles import Role
from institutions.choices import InstitutionStatus
from institutions.models import Institution
from institutions.tests.factories import InstitutionFactory
from quotas import services as ledger
from quotas.choices import HolderKind, TransferKind
from quotas.models import QuotaAccount, QuotaTransfer
from reforms import services
from reforms.models import OperationKind, ReformOperation, ReformPlan, SurplusAction
from reforms.tests.conftest import PLAN_DAY
from workflow.models import RequestEvent
from workflow.vacancy import quota_position

pytestmark = pytest.mark.django_db

PLANS, OPERATIONS = "/api/v1/reform-plans/", "/api/v1/reform-operations/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
OVER_QUOTA = "“道里区丙中心” would have 33 staff in quota for 30 approved quotas: place 3 elsewhere or approve more."




@pytest.fixture
def district(make_user, daoli):
    return make_user(Role.DISTRICT_OFFICE, region=daoli)


def post(client, url, body=None):
    return client.post(url, body or {}, format="json", **EN)


def plan_body(region, **change) -> dict:
    return {"region": region.pk, "title": "道里区事业单位整合", "effective_date": PLAN_DAY.isoformat(),
            "description": "整合同类中心", **change}


def merger_body(plan_id, a, b, **change) -> dict:
    return {"plan": plan_id, "kind": "merge", "new_name": "道里区丙中心", "approved_total": 30, "surplus": "cancel",
            "sources": [a.pk, b.pk], **change}


def held(unit) -> int:
    return sum(QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution=unit)
               .values_list("balance", flat=True))


def written() -> tuple[int, int, int]:
    """What a refused request must leave as it was: transfers, request events, active institutions."""
    return (QuotaTransfer.objects.count(), RequestEvent.objects.count(),
            Institution.objects.filter(status=InstitutionStatus.ACTIVE).count())


@pytest.fixture
def merger(api_client, district, daoli, units):
    """The district office's draft with the merge operation, through the API: (plan id, operation id)."""
    a, b, _d = units
    api_client.force_authenticate(district)
    plan = post(api_client, PLANS, plan_body(daoli))
    assert plan.status_code == 201, plan.json()
    operation = post(api_client, OPERATIONS, merger_body(plan.json()["id"], a, b))
    assert operation.status_code == 201, operation.json()
    return plan.json()["id"], operation.json()["id"]


def test_a_district_office_drafts_a_plan_in_its_own_region_and_not_in_another(api_client, district, daoli,
                                                                               nangang):
    api_client.force_authenticate(district)

    own = post(api_client, PLANS, plan_body(daoli))
    other = post(api_client, PLANS, plan_body(nangang, title="南岗区方案"))

    assert own.status_code == 201, own.json()
    body = own.json()
    assert (body["status"], body["actions"], body["region_code"], body["created_by"], body["operations"]) == (
        "draft", ["submit", "withdraw"], "230102", district.username, [])
    assert [(event["action"], event["to_state"], event["by"]) for event in body["events"]] == [
        ("create", "draft", district.username)]
    assert other.status_code == 403
    assert other.json()["code"] == "permission_denied"
    assert list(ReformPlan.objects.values_list("title", flat=True)) == ["道里区事业单位整合"]


def test_a_draft_is_changed_but_stays_in_its_region(api_client, district, daoli, nangang, merger):
    plan_id, _operation_id = merger

    renamed = api_client.patch(f"{PLANS}{plan_id}/", {"title": "道里区中心整合方案"}, format="json", **EN)
    moved = api_client.patch(f"{PLANS}{plan_id}/", {"region": nangang.pk}, format="json", **EN)

    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["title"] == "道里区中心整合方案"
    assert [operation["kind"] for operation in renamed.json()["operations"]] == ["merge"]
    assert moved.status_code == 400
    assert moved.json()["errors"] == {"region": ["A plan stays in its region; draft a new one for the other."]}
    assert ReformPlan.objects.get(pk=plan_id).region == daoli


def test_the_preview_shows_the_merged_unit_over_quota(api_client, merger, units):
    a, b, d = units
    plan_id, operation_id = merger

    operation = api_client.get(f"{OPERATIONS}{operation_id}/").json()
    preview = api_client.get(f"{PLANS}{plan_id}/preview/", **EN)

    assert (operation["kind"], operation["position"], set(operation["sources"]), operation["placements"]) == (
        "merge", 1, {a.pk, b.pk}, [])
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    assert body["problems"] == [{"operation": 1, "unit": "道里区丙中心", "message": OVER_QUOTA}]
    by_name = {row["after"]["name"]: row for row in body["units"]}
    assert set(by_name) == {"道里区甲中心", "道里区乙中心", "道里区丙中心"}
    survivor = by_name["道里区丙中心"]
    assert (survivor["institution_id"], survivor["before"], survivor["after"]["staff_total"],
            survivor["after"]["quotas"]) == (None, None, 33, {"institutional": {"held": 30, "borrowed": 0}})
    for unit, quotas, staff in ((a, 20, 18), (b, 15, 15)):
        row = by_name[unit.name]
        assert row["institution_id"] == unit.pk
        assert (row["before"]["quotas"]["institutional"]["held"], row["before"]["staff_total"]) == (quotas, staff)
        assert (row["after"]["status"], row["after"]["quotas"], row["after"]["staff_total"]) == ("merged", {}, 0)
    assert [(row["code"], row["institutions_before"], row["institutions_after"], row["quotas_before"],
             row["quotas_after"]) for row in body["regions"]] == [("230102", 3, 2, 49, 44)]


def test_with_three_placed_the_city_office_submits_approves_and_executes(api_client, merger, units, clerk,
                                                                          district, reform_document, daoli):
    a, b, d = units
    plan_id, operation_id = merger
    placed = api_client.patch(f"{OPERATIONS}{operation_id}/", {
        "placements": [{"to_institution": d.pk, "category": "management", "count": 3}]}, format="json", **EN)
    assert placed.status_code == 200, placed.json()
    assert [(p["to_institution"], p["category"], p["count"]) for p in placed.json()["placements"]] == [
        (d.pk, "management", 3)]
    assert api_client.get(f"{PLANS}{plan_id}/preview/").json()["problems"] == []
    cancels_before = QuotaTransfer.objects.filter(kind=TransferKind.CANCEL).count()

    api_client.force_authenticate(clerk)
    submitted = post(api_client, f"{PLANS}{plan_id}/submit/")
    api_client.force_authenticate(district)
    refused = post(api_client, f"{PLANS}{plan_id}/approve/", {"document": reform_document.pk})
    api_client.force_authenticate(clerk)
    approved = post(api_client, f"{PLANS}{plan_id}/approve/", {"document": reform_document.pk, "note": "同意"})
    executed = post(api_client, f"{PLANS}{plan_id}/execute/")

    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted", submitted.json()
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["decision_note"], approved.json()["document_number"]) == (
        "approved", "同意", reform_document.number)
    assert executed.status_code == 200, executed.json()
    body = executed.json()
    assert (body["status"], body["actions"], body["executed_at"] is not None) == ("executed", [], True)
    assert [(event["action"], event["to_state"], event["by"]) for event in body["events"]][1:] == [
        ("submit", "submitted", clerk.username), ("approve", "approved", clerk.username),
        ("execute", "executed", clerk.username)]
    c = Institution.objects.get(name="道里区丙中心", status=InstitutionStatus.ACTIVE)
    assert (held(c), quota_position(c).staff_total) == (30, 30)
    assert (held(d), quota_position(d).staff_total) == (13, 10)
    assert list(QuotaTransfer.objects.filter(kind=TransferKind.CANCEL).order_by("pk")[cancels_before:]
                .values_list("amount", flat=True)) == [5]
    for source in (a, b):
        source.refresh_from_db()
        assert (source.status, source.successor, held(source)) == (InstitutionStatus.MERGED, c, 0)
    assert ledger.account_for_region(region=daoli, quota_type=ledger.quota_type_get()).balance == 1

    before = written()
    again = post(api_client, f"{PLANS}{plan_id}/execute/")

    assert again.status_code == 409 and again.json()["code"] == "conflict", again.json()
    assert written() == before


def test_approving_needs_the_document(api_client, merger, units, clerk):
    plan_id, operation_id = merger
    api_client.patch(f"{OPERATIONS}{operation_id}/", {
        "placements": [{"to_institution": units[2].pk, "category": "management", "count": 3}]}, format="json")
    api_client.force_authenticate(clerk)
    post(api_client, f"{PLANS}{plan_id}/submit/")

    response = post(api_client, f"{PLANS}{plan_id}/approve/", {"note": "同意"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"document": ["This field is required."]}
    assert ReformPlan.objects.get(pk=plan_id).status == "submitted"


def test_a_submitted_plans_operations_are_not_changed(api_client, merger, units, clerk):
    plan_id, operation_id = merger
    api_client.patch(f"{OPERATIONS}{operation_id}/", {
        "placements": [{"to_institution": units[2].pk, "category": "management", "count": 3}]}, format="json")
    post(api_client, f"{PLANS}{plan_id}/submit/")

    changed = api_client.patch(f"{OPERATIONS}{operation_id}/", {"approved_total": 35}, format="json", **EN)
    removed = api_client.delete(f"{OPERATIONS}{operation_id}/", **EN)

    assert (changed.status_code, removed.status_code) == (409, 409)
    assert changed.json()["errors"] == {"status": ["Only a draft can be changed; this request is “Submitted”."]}
    assert ReformOperation.objects.get(pk=operation_id).approved_total == 30


def test_a_drafts_operation_is_removed(api_client, merger):
    plan_id, operation_id = merger

    response = api_client.delete(f"{OPERATIONS}{operation_id}/")

    assert response.status_code == 204
    assert not ReformOperation.objects.filter(plan_id=plan_id).exists()


def _ended_unit(api_client, district, clerk, daoli, city, units):
    ended = InstitutionFactory(region=daoli, name="道里区旧中心", status=InstitutionStatus.ABOLISHED,
                               ended_on=datetime.date(2025, 6, 30))
    plan = post(api_client, PLANS, plan_body(daoli)).json()
    assert post(api_client, OPERATIONS, {"plan": plan["id"], "kind": "abolish", "institution": ended.pk,
                                         "surplus": "reclaim"}).status_code == 201
    return plan["id"], ("Operation 1 (道里区旧中心): “道里区旧中心” is no longer active (Abolished): no operation can "
                        "change it.")


def _into_itself(api_client, district, clerk, daoli, city, units):
    a, b, _d = units
    plan = post(api_client, PLANS, plan_body(daoli)).json()
    assert post(api_client, OPERATIONS, merger_body(plan["id"], a, b, institution=a.pk, new_name="")
                ).status_code == 201
    return plan["id"], "Operation 1 (道里区甲中心): A unit cannot be merged into itself."


def _devolved_to_its_own_region(api_client, district, clerk, daoli, city, units):
    unit = InstitutionFactory(region=city, name="哈尔滨市检测中心")
    api_client.force_authenticate(clerk)
    plan = post(api_client, PLANS, plan_body(city, title="市直事业单位下放")).json()
    assert post(api_client, OPERATIONS, {"plan": plan["id"], "kind": "devolve", "institution": unit.pk,
                                         "new_region": city.pk}).status_code == 201
    return plan["id"], "Operation 1 (哈尔滨市检测中心): A devolution moves the unit to another region."


def _without_operations(api_client, district, clerk, daoli, city, units):
    return post(api_client, PLANS, plan_body(daoli)).json()["id"], "The plan has no operations."


@pytest.mark.parametrize("make", [_ended_unit, _into_itself, _devolved_to_its_own_region, _without_operations],
                         ids=["ended-unit", "merge-into-itself", "devolution-to-the-same-region", "no-operations"])
def test_a_plan_with_a_problem_is_not_submitted_and_nothing_is_written(api_client, district, clerk, daoli, city,
                                                                        units, make):
    api_client.force_authenticate(district)
    plan_id, reason = make(api_client, district, clerk, daoli, city, units)
    before = written()

    response = post(api_client, f"{PLANS}{plan_id}/submit/")

    assert response.status_code == 400, response.json()
    assert response.json()["errors"] == {"operations": [reason]}
    assert response.json()["code"] == "invalid"
    assert written() == before
    assert ReformPlan.objects.get(pk=plan_id).status == "draft"
    assert api_client.get(f"{PLANS}{plan_id}/preview/", **EN).json()["problems"][0]["message"] in reason


def test_another_regions_plan_is_not_found(api_client, district, clerk, nangang):
    plan = services.reform_plan_create(by=clerk, region=nangang, title="南岗区方案", effective_date=PLAN_DAY)
    unit = InstitutionFactory(region=nangang)
    operation = services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.ABOLISH, institution=unit,
                                               surplus=SurplusAction.RECLAIM)
    api_client.force_authenticate(district)

    assert api_client.get(f"{PLANS}{plan.pk}/").status_code == 404
    assert api_client.get(f"{PLANS}{plan.pk}/preview/").status_code == 404
    assert post(api_client, f"{PLANS}{plan.pk}/submit/").status_code == 404
    assert api_client.get(f"{OPERATIONS}{operation.pk}/").status_code == 404
    assert api_client.get(PLANS).json()["count"] == 0
    assert ReformPlan.objects.get(pk=plan.pk).status == "draft"


def test_an_operation_names_only_units_and_plans_the_user_sees(api_client, district, daoli, nangang, clerk,
                                                               merger, units):
    plan_id, _operation_id = merger
    foreign_unit = InstitutionFactory(region=nangang)
    foreign_plan = services.reform_plan_create(by=clerk, region=nangang, title="南岗区方案", effective_date=PLAN_DAY)

    unit_elsewhere = post(api_client, OPERATIONS, {"plan": plan_id, "kind": "abolish",
                                                   "institution": foreign_unit.pk})
    plan_elsewhere = post(api_client, OPERATIONS, {"plan": foreign_plan.pk, "kind": "abolish",
                                                   "institution": units[2].pk})
    placed_elsewhere = post(api_client, OPERATIONS, merger_body(plan_id, *units[:2], placements=[
        {"to_institution": foreign_unit.pk, "category": "management", "count": 1}]))

    assert unit_elsewhere.status_code == 400 and list(unit_elsewhere.json()["errors"]) == ["institution"]
    assert plan_elsewhere.status_code == 400 and list(plan_elsewhere.json()["errors"]) == ["plan"]
    assert placed_elsewhere.status_code == 400
    assert list(placed_elsewhere.json()["errors"]) == ["placements.0.to_institution"]
    assert ReformOperation.objects.count() == 1


def test_a_devolution_without_its_region_is_refused_by_the_model(api_client, clerk, city):
    api_client.force_authenticate(clerk)
    plan = post(api_client, PLANS, plan_body(city)).json()

    response = post(api_client, OPERATIONS, {"plan": plan["id"], "kind": "devolve",
                                             "institution": InstitutionFactory(region=city).pk})

    assert response.status_code == 400
    assert response.json()["errors"] == {"new_region": ["A devolution names the receiving region."]}
    assert not ReformOperation.objects.exists()


def test_plans_are_filtered_by_status_region_and_date(api_client, clerk, daoli, nangang):
    first = services.reform_plan_create(by=clerk, region=daoli, title="一", effective_date=datetime.date(2026, 1, 1))
    second = services.reform_plan_create(by=clerk, region=nangang, title="二",
                                         effective_date=datetime.date(2026, 7, 1))
    services.reform_plan_withdraw(plan=second, by=clerk)
    api_client.force_authenticate(clerk)

    def titles(query: str) -> list[str]:
        return [row["title"] for row in api_client.get(f"{PLANS}?{query}").json()["results"]]

    assert titles("") == ["二", "一"]  # the latest effective date first
    assert titles("status=draft") == ["一"]
    assert titles("region_code=230103") == ["二"]
    assert titles("effective_from=2026-02-01") == ["二"]
    assert titles("effective_to=2026-02-01") == ["一"]
    assert first.pk != second.pk


def test_the_plan_list_costs_a_fixed_number_of_queries(api_client, clerk, daoli, units,
                                                       django_assert_max_num_queries):
    a, b, d = units
    for serial in range(3):
        plan = services.reform_plan_create(by=clerk, region=daoli, title=f"方案{serial}", effective_date=PLAN_DAY)
        services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.MERGE, new_name=f"丙{serial}",
                                       approved_total=30, sources=[a, b],
                                       placements=[{"to_institution": d, "category": "management", "count": 3}])
    api_client.force_authenticate(clerk)

    with django_assert_max_num_queries(12):
        response = api_client.get(PLANS)

    assert response.json()["count"] == 3
    assert all(len(plan["operations"][0]["placements"]) == 1 for plan in response.json()["results"])
