"""Turnover-pool loans through the API: loan → overdue flag → return by 人走编收, balances checked at each step;
refusals with nothing changed; each role's permissions."""
import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from workflow.models import LoanReturnOffer, TurnoverLoan
from workflow.tasks import flag_overdue_loans
from workflow.tests.helpers import EN, balance, ledger_ok, snapshot, staff_of

pytestmark = pytest.mark.django_db

LOANS, OFFERS, MOVEMENTS = "/api/v1/turnover-loans/", "/api/v1/loan-return-offers/", "/api/v1/staff-movements/"


def post(client, url, body=None):
    return client.post(url, body or {}, format="json", **EN)


@pytest.fixture
def hospital(daoli, staffed):
    """道里区人民医院: 6 approved, 6 staff in quota (at quota: it may borrow)."""
    return staffed(InstitutionFactory(region=daoli, name="道里区人民医院"), 6, management=2,
                   professional=(0, 0, 2, 2))


def loan_body(unit, pool, case, count=2, **change):
    today = timezone.localdate()
    return {"institution": unit.pk, "pool": pool.pk, "count": count, "talent_category": "scarce_professional",
            "case": case.code, "term_months": 24, "justification": "引进急需紧缺的重症医学人才",
            "return_plan": [{"date": (today + datetime.timedelta(days=200)).isoformat(), "count": 1},
                            {"date": (today + datetime.timedelta(days=400)).isoformat(), "count": 1}], **change}


def test_loan_overdue_flag_and_return_by_one_for_one(api_client, make_user, daoli, hospital, talent_pool, case,
                                                     decision):
    district = make_user(Role.DISTRICT_OFFICE, region=daoli)
    city = make_user(Role.CITY_OFFICE)
    today = timezone.localdate()
    assert (balance(talent_pool), balance(hospital), staff_of(hospital)) == (5, 6, 6)

    # The district office asks; the city office lends through the ledger.
    api_client.force_authenticate(district)
    created = post(api_client, LOANS, loan_body(hospital, talent_pool, case))
    assert created.status_code == 201, created.json()
    loan_id = created.json()["id"]
    assert post(api_client, f"{LOANS}{loan_id}/submit/").json()["status"] == "submitted"
    assert post(api_client, f"{LOANS}{loan_id}/approve/", {"document": decision.pk}).status_code == 403
    api_client.force_authenticate(city)
    lent = post(api_client, f"{LOANS}{loan_id}/approve/", {"document": decision.pk, "reason": "同意借用"}).json()
    due = datetime.date.fromisoformat(lent["due_date"])
    assert (lent["status"], lent["start_date"], lent["outstanding"], lent["return_state"]) == (
        "approved", today.isoformat(), 2, "outstanding")
    assert (balance(talent_pool), balance(hospital)) == (3, 8)
    holdings = api_client.get(f"{LOANS}holdings/").json()
    assert holdings == [{"institution_id": hospital.pk, "institution_name": "道里区人民医院", "region_code": "230102",
                         "quota_type": "institutional", "balance": 8, "borrowed": 2, "own": 6}]

    # The term runs out: the daily task flags the loan and the overdue list shows it.
    assert flag_overdue_loans(today=due.isoformat()) == 0
    assert flag_overdue_loans(today=(due + datetime.timedelta(days=1)).isoformat()) == 1
    overdue = api_client.get(f"{LOANS}?overdue=true").json()
    assert [(row["id"], row["is_overdue"]) for row in overdue["results"]] == [(loan_id, True)]

    # A doctor retires: the office is offered one pool quota back and accepts (人走编收).
    api_client.force_authenticate(district)
    left = post(api_client, MOVEMENTS, {"kind": "exit", "institution": hospital.pk, "reason": "retirement",
                                        "category": "professional", "band": "intermediate", "person_name": "赵六"})
    assert left.status_code == 201, left.json()
    assert staff_of(hospital) == 5
    [offer] = api_client.get(f"{OFFERS}?state=pending").json()["results"]
    assert (offer["loan"], offer["count"], offer["exit_reason"]) == (loan_id, 1, "retirement")
    assert post(api_client, f"{OFFERS}{offer['id']}/accept/", {"document": decision.pk}).status_code == 403
    api_client.force_authenticate(city)
    accepted = post(api_client, f"{OFFERS}{offer['id']}/accept/", {"document": decision.pk})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["state"] == "accepted"
    loan = api_client.get(f"{LOANS}{loan_id}/").json()
    assert (loan["status"], loan["returned"], loan["outstanding"], loan["return_state"]) == (
        "approved", 1, 1, "partly_returned")
    assert (balance(talent_pool), balance(hospital)) == (4, 7)
    again = post(api_client, f"{OFFERS}{offer['id']}/accept/", {"document": decision.pk})
    assert again.status_code == 409

    # A second leaver brings the last quota back: the loan is executed, the pool whole again.
    api_client.force_authenticate(district)
    post(api_client, MOVEMENTS, {"kind": "exit", "institution": hospital.pk, "reason": "transfer_out",
                                 "category": "management"})
    [second] = api_client.get(f"{OFFERS}?state=pending").json()["results"]
    api_client.force_authenticate(city)
    post(api_client, f"{OFFERS}{second['id']}/accept/", {"document": decision.pk})
    loan = api_client.get(f"{LOANS}{loan_id}/").json()
    assert (loan["status"], loan["returned"], loan["return_state"]) == ("executed", 2, "returned")
    assert [item["kind"] for item in loan["returns"]] == ["one_for_one", "one_for_one"]
    assert (balance(talent_pool), balance(hospital), staff_of(hospital)) == (5, 6, 4)
    assert api_client.get(f"{LOANS}holdings/").json() == []

    # The pool's statement shows the loan and both returns.
    statement = api_client.get(f"/api/v1/quota-accounts/{talent_pool.pk}/statement/?start={today.isoformat()}",
                               **EN).json()
    assert [(line["kind"], line["change"]) for line in statement["lines"]] == [
        ("loan", -2), ("return", 1), ("return", 1)]
    assert statement["closing"] == 5
    assert ledger_ok()


def test_early_return_and_settlement_through_the_api(api_client, as_role, hospital, talent_pool, case, decision):
    as_role(Role.CITY_OFFICE)
    loan = post(api_client, LOANS, loan_body(hospital, talent_pool, case)).json()["id"]
    post(api_client, f"{LOANS}{loan}/submit/")
    post(api_client, f"{LOANS}{loan}/approve/", {"document": decision.pk})

    no_document = post(api_client, f"{LOANS}{loan}/return/", {"count": 1})
    early = post(api_client, f"{LOANS}{loan}/return/", {"count": 1, "document": decision.pk})
    too_many = post(api_client, f"{LOANS}{loan}/return/", {"count": 2, "document": decision.pk})
    settled = post(api_client, f"{LOANS}{loan}/execute/", {"document": decision.pk})

    assert no_document.status_code == 400
    assert (early.json()["returned"], early.json()["return_state"]) == (1, "partly_returned")
    assert too_many.json()["errors"] == {"count": ["Between 1 and 1 quotas are still owed to the pool."]}
    assert (settled.json()["status"], settled.json()["returned"]) == ("executed", 2)
    assert (balance(talent_pool), balance(hospital)) == (5, 6)


def test_a_loan_beyond_the_pool_is_refused_with_the_ledger_s_reason(api_client, as_role, hospital, talent_pool,
                                                                     case, decision):
    as_role(Role.CITY_OFFICE)
    body = loan_body(hospital, talent_pool, case, count=6)
    body["return_plan"] = [{"date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(), "count": 6}]
    loan = post(api_client, LOANS, body).json()["id"]
    post(api_client, f"{LOANS}{loan}/submit/")
    before = snapshot()

    refused = post(api_client, f"{LOANS}{loan}/approve/", {"document": decision.pk})

    assert refused.status_code == 400
    [message] = refused.json()["errors"]["count"]
    assert message.endswith("is 5, less than 6.")
    assert snapshot() == before
    assert TurnoverLoan.objects.get(pk=loan).status == "submitted"


def test_a_unit_with_vacancies_may_not_borrow(api_client, as_role, library, talent_pool, case):
    as_role(Role.CITY_OFFICE)
    loan = post(api_client, LOANS, loan_body(library, talent_pool, case, count=1)).json()["id"]
    before = snapshot()

    refused = post(api_client, f"{LOANS}{loan}/submit/")

    assert refused.status_code == 400
    assert refused.json()["errors"] == {"institution": [
        "“道里区图书馆” has 3 usable vacant quotas of Institutional quota (事业编制): a unit with vacancies may not "
        "borrow."]}
    assert snapshot() == before


def test_a_second_approval_answers_409(api_client, as_role, hospital, talent_pool, case, decision):
    as_role(Role.CITY_OFFICE)
    loan = post(api_client, LOANS, loan_body(hospital, talent_pool, case, count=1)).json()["id"]
    post(api_client, f"{LOANS}{loan}/submit/")
    post(api_client, f"{LOANS}{loan}/approve/", {"document": decision.pk})
    before = snapshot()

    again = post(api_client, f"{LOANS}{loan}/approve/", {"document": decision.pk})

    assert again.status_code == 409
    assert snapshot() == before


def test_district_users_and_read_only_roles(api_client, make_user, daoli, nangang, hospital, talent_pool, case,
                                            decision):
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    loan = post(api_client, LOANS, loan_body(hospital, talent_pool, case, count=1)).json()["id"]
    post(api_client, f"{LOANS}{loan}/submit/")
    before = snapshot()

    api_client.force_authenticate(make_user(Role.DISTRICT_OFFICE, region=nangang))
    assert api_client.get(f"{LOANS}{loan}/").status_code == 404
    assert post(api_client, f"{LOANS}{loan}/withdraw/").status_code == 404
    foreign = post(api_client, LOANS, loan_body(hospital, talent_pool, case, count=1))
    assert foreign.status_code == 400 and "institution" in foreign.json()["errors"]
    assert api_client.get(f"{LOANS}holdings/?all=1").json() == []

    api_client.force_authenticate(make_user(Role.DISTRICT_OFFICE, region=daoli))
    assert api_client.get(f"{LOANS}{loan}/").status_code == 200
    assert post(api_client, f"{LOANS}{loan}/approve/", {"document": decision.pk}).status_code == 403
    assert post(api_client, f"{LOANS}{loan}/reject/", {"reason": "不同意"}).status_code == 403

    for role in (Role.HR_BUREAU, Role.AUDITOR, Role.ORGANISATION_DEPARTMENT, Role.FINANCE_SYSTEM):
        api_client.force_authenticate(make_user(role))
        assert api_client.get(LOANS).json()["count"] == 1
        assert post(api_client, LOANS, loan_body(hospital, talent_pool, case, count=1)).status_code == 403
        assert post(api_client, f"{LOANS}{loan}/approve/", {"document": decision.pk}).status_code == 403
    assert snapshot() == before
    assert not LoanReturnOffer.objects.exists()


@pytest.mark.parametrize("plan", [
    [{"count": 2}],  # no date
    [{"date": "2027-06-30"}],  # no count
    [{"": {"x": 1}, "count": 549401700739961}, {"count": 440}],  # the fuzzer's: keys of nothing, no dates
])
def test_a_partial_update_refuses_a_return_plan_item_without_its_fields(api_client, make_user, daoli, hospital,
                                                                        talent_pool, case, plan):
    """A PATCH leaves the loan's own fields optional, not those of each item of the plan it replaces (a 500)."""
    api_client.force_authenticate(make_user(Role.DISTRICT_OFFICE, region=daoli))
    loan_id = post(api_client, LOANS, loan_body(hospital, talent_pool, case)).json()["id"]
    before = TurnoverLoan.objects.get(pk=loan_id).return_plan

    response = api_client.patch(f"{LOANS}{loan_id}/", {"return_plan": plan}, format="json", **EN)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["errors"], body
    assert all(key.startswith("return_plan.") for key in body["codes"]), body
    assert {code for codes in body["codes"].values() for code in codes} == {"required"}, body
    assert TurnoverLoan.objects.get(pk=loan_id).return_plan == before
