"""A split (分设): 道里区甲中心 (20 quotas; 4 management and 10 professional staff: 2 senior deputy, 4 intermediate,
4 junior) forms 道里区甲中心二部, taking 8 quotas, 1 manager and 4 professional staff (2 intermediate, 2 junior).

Worked by hand: 甲中心 keeps 20 − 8 = 12 quotas and 3 management + 6 professional (2, 2, 2) = 9 staff; 二部 holds 8
quotas and 5 staff; each names the other in its timeline."""
import pytest

from institutions.models import Institution, InstitutionEvent, LifeEventKind
from institutions.tests.factories import InstitutionFactory
from positions.models import StaffCount
from quotas.selectors import ledger_reconcile
from reforms import services
from reforms.models import OperationKind, ReformOperation
from reforms.tests.conftest import PLAN_DAY
from workflow.vacancy import quota_position

pytestmark = pytest.mark.django_db
PART = {"name": "道里区甲中心二部", "approved_total": 8, "management": 1, "professional": 4, "intermediate": 2,
        "junior": 2}


@pytest.fixture
def centre(daoli, staffed):
    return staffed(InstitutionFactory(region=daoli, name="道里区甲中心"), 20, management=4, professional=(0, 2, 4, 4))


def split(daoli, clerk, centre, reform_document, **part):
    plan = services.reform_plan_create(by=clerk, region=daoli, title="分设", effective_date=PLAN_DAY)
    services.reform_operation_save(plan=plan, by=clerk, kind=OperationKind.SPLIT, institution=centre,
                                   parts=[PART | part])
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=reform_document)
    return services.reform_plan_execute(plan=plan, by=clerk)


def test_the_split_divides_quotas_and_staff_as_worked_by_hand(daoli, clerk, centre, reform_document):
    split(daoli, clerk, centre, reform_document)

    part = Institution.objects.get(name="道里区甲中心二部")
    assert (quota_position(centre).held, quota_position(centre).staff_total) == (12, 9)
    assert (quota_position(part).held, quota_position(part).staff_total) == (8, 5)
    kept = StaffCount.objects.get(institution=centre, as_of=PLAN_DAY)
    assert (kept.management, kept.senior_deputy, kept.intermediate, kept.junior) == (3, 2, 2, 2)
    assert (part.region, part.established_on, part.category) == (daoli, PLAN_DAY, centre.category)
    assert InstitutionEvent.objects.get(institution=centre, kind=LifeEventKind.SPLIT_INTO).related == part
    assert InstitutionEvent.objects.get(institution=part, kind=LifeEventKind.SPLIT_FROM).related == centre
    assert ReformOperation.objects.get().created_unit is None  # a split forms parts, named by its parts
    assert ledger_reconcile().ok


def test_a_part_taking_more_staff_than_its_quotas_is_refused(daoli, clerk, centre, reform_document):
    with pytest.raises(Exception) as refused:
        split(daoli, clerk, centre, reform_document, approved_total=3)

    assert "“道里区甲中心二部”在编人员将为5人，核定编制3名" in str(refused.value)
    assert not Institution.objects.filter(name="道里区甲中心二部").exists()


def test_a_split_is_drafted_through_the_api_and_its_parts_checked(api_client, daoli, clerk, centre):
    api_client.force_authenticate(clerk)
    plan = api_client.post("/api/v1/reform-plans/", {"region": daoli.pk, "title": "分设",
                                                      "effective_date": PLAN_DAY.isoformat()}, format="json").json()
    bad = api_client.post("/api/v1/reform-operations/", {
        "plan": plan["id"], "kind": "split", "institution": centre.pk, "parts": [PART | {"junior": 0}]},
        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "parts.0.professional" in bad.json()["errors"], bad.json()

    made = api_client.post("/api/v1/reform-operations/", {
        "plan": plan["id"], "kind": "split", "institution": centre.pk, "parts": [PART]}, format="json")

    assert made.status_code == 201, made.json()
    assert [part["name"] for part in made.json()["parts"]] == ["道里区甲中心二部"]
    preview = api_client.get(f"/api/v1/reform-plans/{plan['id']}/preview/").json()
    assert preview["problems"] == []
    formed = next(unit for unit in preview["units"] if unit["institution_id"] is None)
    assert (formed["after"]["staff_total"], formed["after"]["quotas"]["institutional"]["held"]) == (5, 8)
