"""The reform plan pages (/reforms/plans/): the district office drafts the hand-worked merger of test_merge.py in
the browser's forms and submits it once its problem is solved, the city office approves and executes it on the
same page; refusals land on the form with nothing written; regions and roles are kept apart.

Worked by hand (test_merge.py): A (20 quotas, 18 staff) and B (15, 15) merged into a new C approved at 30 leave
33 staff for 30 quotas, so the plan is refused until 3 are placed; with 3 placed in D it executes, C holding 30.
"""
import pytest

from accounts.roles import Role
from institutions.choices import InstitutionStatus
from institutions.models import Institution
from institutions.tests.factories import InstitutionFactory
from reforms import services
from reforms.models import OperationKind, ReformOperation, ReformPlan, SplitPart, StaffPlacement
from reforms.tests.conftest import PLAN_DAY
from workflow.tests.helpers import snapshot

pytestmark = pytest.mark.django_db

EMPTY_OPERATION = {"kind": "", "position": "", "institution": "", "quota_type": "", "approved_total": "",
                   "surplus": "cancel", "market_path": "immediate", "new_name": "", "new_region": "",
                   "new_supervisor": "", "new_category": "", "new_funding_form": "", "must_exist_reason": "",
                   "plaque_name": "", "reason": ""}


@pytest.fixture
def district(client_for, make_user, daoli):
    return client_for(make_user(Role.DISTRICT_OFFICE, region=daoli))


@pytest.fixture
def city_office(client_for, clerk):
    return client_for(clerk)


@pytest.fixture
def client_for():
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def operation_data(*, sources=(), placements=(), parts=(), **values) -> dict:
    """The operation form's POST: the operation and its three formsets."""
    data = {**EMPTY_OPERATION, **{name: getattr(value, "pk", value) for name, value in values.items()},
            "sources-TOTAL_FORMS": len(sources), "sources-INITIAL_FORMS": 0,
            "placements-TOTAL_FORMS": len(placements), "placements-INITIAL_FORMS": 0,
            "parts-TOTAL_FORMS": len(parts), "parts-INITIAL_FORMS": 0}
    for index, unit in enumerate(sources):
        data[f"sources-{index}-unit"] = unit.pk
    for index, placement in enumerate(placements):
        data |= {f"placements-{index}-{name}": getattr(value, "pk", value) for name, value in placement.items()}
    for index, part in enumerate(parts):
        data |= {f"parts-{index}-{name}": value for name, value in part.items()}
    return data


def state() -> tuple:
    """What a refused page must leave as it was: plans, operations, their placements and parts, and the ledger."""
    return (tuple(ReformPlan.objects.order_by("pk").values_list("pk", "title", "status", "effective_date")),
            tuple(ReformOperation.objects.order_by("pk").values_list("pk", "kind", "position", "approved_total")),
            StaffPlacement.objects.count(), SplitPart.objects.count(), snapshot())


def act(client, plan, action, **values):
    return client.post(f"/reforms/plans/{plan.pk}/", {"form": "action", "action": action, **values})


def test_the_district_drafts_the_merger_and_the_city_approves_and_executes_it(district, city_office, daoli, units,
                                                                              reform_document):
    a, b, d = units
    created = district.post("/reforms/plans/new/", {"title": "道里区事业单位整合", "region": daoli.pk,
                                                    "effective_date": PLAN_DAY.isoformat(), "description": ""})
    plan = ReformPlan.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/reforms/plans/{plan.pk}/"
    added = district.post(f"/reforms/plans/{plan.pk}/operations/new/", operation_data(
        kind="merge", new_name="道里区丙中心", approved_total=30, sources=[a, b]))
    assert added.status_code == 302
    operation = plan.operations.get()
    assert (operation.kind, operation.position, set(operation.sources.all())) == ("merge", 1, {a, b})

    page = district.get(f"/reforms/plans/{plan.pk}/")
    html = page.content.decode()
    assert "请分流安置3人或核增编制" in html  # the preview's problem, before submitting
    assert 'id="action-submit"' in html and 'id="action-approve"' not in html and 'id="edit"' in html
    refused = act(district, plan, "submit")
    assert refused.status_code == 200 and "请分流安置3人" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"

    placed = district.post(f"/reforms/operations/{operation.pk}/", operation_data(
        kind="merge", new_name="道里区丙中心", approved_total=30, sources=[a, b],
        placements=[{"from_institution": "", "to_institution": d, "category": "management", "band": "",
                     "count": 3}]))
    assert placed.status_code == 302
    assert [(p.to_institution, p.count) for p in operation.placements.all()] == [(d, 3)]
    assert act(district, plan, "submit").status_code == 302
    assert act(district, plan, "approve", document=reform_document.pk).status_code == 403  # the city decides

    shown = city_office.get(f"/reforms/plans/{plan.pk}/").content.decode()
    assert 'id="action-approve"' in shown and 'id="action-reject"' in shown and 'id="edit"' not in shown
    assert act(city_office, plan, "approve", document=reform_document.pk, reason="同意").status_code == 302
    assert act(city_office, plan, "execute", reason="按方案实施").status_code == 302

    plan.refresh_from_db()
    assert plan.status == "executed" and plan.executed_at is not None and plan.document == reform_document
    c = Institution.objects.get(name="道里区丙中心")
    for source in (a, b):
        source.refresh_from_db()
        assert (source.status, source.successor) == (InstitutionStatus.MERGED, c)
    done = city_office.get(f"/reforms/plans/{plan.pk}/")
    assert done.context["preview"] is None  # executed: the registry and the ledger show what it did
    assert 'id="action-' not in done.content.decode()  # nothing left to do
    assert [event.action for event in plan.events.order_by("at", "pk")] == [
        "create", "submit", "approve", "execute"]


def test_a_bad_operation_is_refused_on_its_form_and_writes_nothing(district, plan, units):
    a, b, _d = units
    before = state()
    url = f"/reforms/plans/{plan.pk}/operations/new/"

    answers = {
        "no kind": district.post(url, operation_data(institution=a)),
        "negative quotas": district.post(url, operation_data(kind="adjust_quotas", institution=a,
                                                             approved_total=-1)),
        "too many": district.post(url, operation_data(kind="adjust_quotas", institution=a, approved_total="1e400")),
        "devolve nowhere": district.post(url, operation_data(kind="devolve", institution=a)),
        "bands not adding up": district.post(url, operation_data(kind="split", institution=a, parts=[
            {"name": "新单位", "approved_total": 5, "management": 0, "professional": 3, "senior_full": 0,
             "senior_deputy": 0, "intermediate": 1, "junior": 1, "worker": 0}])),
        "a unit of another region": district.post(url, operation_data(
            kind="abolish", institution=InstitutionFactory(region=a.region.parent))),
    }

    for case, answer in answers.items():
        assert answer.status_code == 200, case
        forms = [answer.context["form"], *(formset for formset, _legend in answer.context["formsets"])]
        assert any(not form.is_valid() for form in forms), case
    assert state() == before


def test_only_a_draft_changes_and_an_operation_is_removed_from_one(district, plan, units, clerk):
    operation = plan.operations.get()
    other = services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.RENAME, institution=units[2],
                                           new_name="道里区戊中心")

    removed = district.post(f"/reforms/operations/{other.pk}/remove/")

    assert removed.status_code == 302 and list(plan.operations.all()) == [operation]
    services.reform_operation_save(plan=plan, by=clerk, operation=operation,
                                   placements=[{"to_institution": units[2], "category": "management", "count": 3}])
    services.reform_plan_submit(plan=plan, by=clerk)
    before = state()
    for url in (f"/reforms/plans/{plan.pk}/edit/", f"/reforms/plans/{plan.pk}/operations/new/",
                f"/reforms/operations/{operation.pk}/"):
        assert district.get(url)["Location"] == f"/reforms/plans/{plan.pk}/"  # back to the plan, with a message
    district.post(f"/reforms/operations/{operation.pk}/remove/")
    district.post(f"/reforms/plans/{plan.pk}/edit/", {"title": "改名", "effective_date": PLAN_DAY.isoformat()})
    assert state() == before
    assert 'id="add-operation"' not in district.get(f"/reforms/plans/{plan.pk}/").content.decode()


def test_regions_and_roles_are_kept_apart(client_for, make_user, district, plan, nangang, daoli, units):
    other_district = client_for(make_user(Role.DISTRICT_OFFICE, region=nangang))
    auditor = client_for(make_user(Role.AUDITOR))
    operation = plan.operations.get()

    assert other_district.get(f"/reforms/plans/{plan.pk}/").status_code == 404
    assert other_district.get(f"/reforms/operations/{operation.pk}/").status_code == 404
    assert other_district.post(f"/reforms/operations/{operation.pk}/remove/").status_code == 404
    assert plan.pk not in [row.pk for row in other_district.get("/reforms/plans/").context["page"]]
    foreign = other_district.post("/reforms/plans/new/", {"title": "越权", "region": daoli.pk,
                                                          "effective_date": PLAN_DAY.isoformat()})
    assert foreign.status_code == 200 and "region" in foreign.context["form"].errors

    listed = auditor.get("/reforms/plans/")
    assert listed.status_code == 200 and 'id="new"' not in listed.content.decode()
    shown = auditor.get(f"/reforms/plans/{plan.pk}/").content.decode()
    assert 'id="actions"' not in shown and 'id="add-operation"' not in shown  # read-only: nothing offered
    assert auditor.get("/reforms/plans/new/").status_code == 403
    assert auditor.post(f"/reforms/operations/{operation.pk}/remove/").status_code == 403
    assert act(auditor, plan, "submit").status_code == 403
    assert ReformPlan.objects.count() == 1 and plan.operations.count() == 1


def test_adjustments_to_the_standards_are_added_to_a_draft_only_by_its_proposer(district, client_for, make_user,
                                                                                 plan):
    auditor = client_for(make_user(Role.AUDITOR))

    assert auditor.post(f"/reforms/plans/{plan.pk}/to-standard/").status_code == 403
    added = district.post(f"/reforms/plans/{plan.pk}/to-standard/")

    assert added.status_code == 302 and added["Location"] == f"/reforms/plans/{plan.pk}/"


def test_a_button_the_service_refuses_says_why_and_changes_nothing(district, plan, monkeypatch):
    operation = plan.operations.get()
    before = state()

    def submitted_meanwhile(**kwargs):
        raise services.refusal_of_edit(plan)

    monkeypatch.setattr(services, "reform_operation_remove", submitted_meanwhile)
    monkeypatch.setattr(services, "reform_operations_to_standard", submitted_meanwhile)
    for url in (f"/reforms/operations/{operation.pk}/remove/", f"/reforms/plans/{plan.pk}/to-standard/"):
        answer = district.post(url, follow=True)
        assert answer.status_code == 200
        assert any(message.level_tag == "error" for message in answer.context["messages"]), url
    assert state() == before
