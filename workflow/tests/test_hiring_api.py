"""Hiring against a vacancy through the API: the whole life of a plan and its notice, bad input with nothing
changed, each role's permissions, the monthly change list (JSON and xlsx)."""
import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from workflow.models import HiringPlan, QuotaUseNotice, StaffMovement
from workflow.tasks import expire_quota_use_notices
from workflow.tests.helpers import EN, balance, ledger_ok, snapshot, staff_of
from workflow.vacancy import quota_position

pytestmark = pytest.mark.django_db

PLANS, NOTICES, MOVEMENTS = "/api/v1/hiring-plans/", "/api/v1/quota-use-notices/", "/api/v1/staff-movements/"


def post(client, url, body=None, **extra):
    return client.post(url, body or {}, format="json", **EN, **extra)


def vacancy_row(client, unit) -> dict:
    return client.get(f"/api/v1/reconciliation/{unit.pk}/").json()


def plan_body(unit, count=3, **change):
    return {"institution": unit.pk, "year": 2026, "expected_leavers": 0, "supervisor_opinion": "同意申报",
            "lines": [{"quota_type": "institutional", "category": "professional", "count": count}], **change}


def notice_body(unit, count=3, **change):
    return {"institution": unit.pk, "quota_type": "institutional", "category": "professional", "count": count,
            **change}


def test_plan_notice_partial_entry_and_expiry_releasing_the_rest(api_client, make_user, daoli, library, decision):
    district = make_user(Role.DISTRICT_OFFICE, region=daoli)
    city = make_user(Role.CITY_OFFICE)
    today = timezone.localdate()
    assert (balance(library), staff_of(library), vacancy_row_as(api_client, city, library)["vacant"]) == (10, 7, 3)

    # The district office files and submits the year's plan; only the city office approves it.
    api_client.force_authenticate(district)
    plan = post(api_client, PLANS, plan_body(library))
    assert plan.status_code == 201, plan.json()
    plan_id = plan.json()["id"]
    assert (plan.json()["status"], plan.json()["planned_total"], plan.json()["actions"]) == (
        "draft", 3, ["submit", "withdraw"])
    assert post(api_client, f"{PLANS}{plan_id}/submit/").json()["status"] == "submitted"
    assert post(api_client, f"{PLANS}{plan_id}/approve/", {"document": decision.pk}).status_code == 403
    api_client.force_authenticate(city)
    approved = post(api_client, f"{PLANS}{plan_id}/approve/", {"document": decision.pk, "reason": "同意"})
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["decision_note"], approved.json()["document_number"]) == (
        "approved", "同意", decision.number)
    assert [event["action"] for event in approved.json()["events"]] == ["create", "submit", "approve"]

    # A quota-use request for the hire batch; approved, it is the numbered notice reserving 3 quotas.
    api_client.force_authenticate(district)
    notice = post(api_client, NOTICES, notice_body(library, hiring_plan=plan_id))
    assert notice.status_code == 201, notice.json()
    notice_id = notice.json()["id"]
    post(api_client, f"{NOTICES}{notice_id}/submit/")
    api_client.force_authenticate(city)
    issued = post(api_client, f"{NOTICES}{notice_id}/approve/", {"document": decision.pk}).json()
    assert (issued["status"], issued["number"], issued["issued_on"]) == (
        "approved", f"哈编核〔{today.year}〕1号", today.isoformat())
    valid_until = today + datetime.timedelta(days=180)
    assert (issued["valid_until"], issued["remaining"]) == (valid_until.isoformat(), 3)
    assert (balance(library), staff_of(library), vacancy_row(api_client, library)["vacant"]) == (10, 7, 0)

    # Two of the three enter the quota: staff in quota rises, one quota stays reserved.
    api_client.force_authenticate(district)
    entry = post(api_client, MOVEMENTS, {"kind": "entry", "notice": notice_id, "reason": "recruitment",
                                         "band": "junior", "count": 2, "person_name": "张三、李四"})
    assert entry.status_code == 201, entry.json()
    assert (entry.json()["notice_number"], entry.json()["institution"], entry.json()["date"]) == (
        issued["number"], library.pk, today.isoformat())
    taken = api_client.get(f"{NOTICES}{notice_id}/").json()
    assert (taken["status"], taken["taken_up"], taken["remaining"]) == ("approved", 2, 1)
    assert (balance(library), staff_of(library), vacancy_row(api_client, library)["vacant"]) == (10, 9, 0)

    # The notice's validity ends: the daily task expires it and the last quota is free again.
    assert expire_quota_use_notices(today=valid_until.isoformat()) == 0
    assert expire_quota_use_notices(today=(valid_until + datetime.timedelta(days=1)).isoformat()) == 1
    expired = api_client.get(f"{NOTICES}{notice_id}/").json()
    assert (expired["status"], expired["remaining"], expired["actions"]) == ("expired", 0, [])
    assert (balance(library), staff_of(library), vacancy_row(api_client, library)["vacant"]) == (10, 9, 1)

    # The last one cannot enter against the expired notice: refused, nothing changed.
    before = snapshot()
    refused = post(api_client, MOVEMENTS, {"kind": "entry", "notice": notice_id, "reason": "recruitment",
                                           "band": "junior"})
    assert refused.status_code == 400
    assert refused.json()["errors"]["notice"] == [f"Notice {issued['number']} is “Expired”: no entry can be made "
                                                  "against it."]
    assert snapshot() == before
    assert StaffMovement.objects.count() == 1
    assert ledger_ok()


def vacancy_row_as(client, user, unit) -> dict:
    client.force_authenticate(user)
    return vacancy_row(client, unit)


def test_a_request_beyond_the_usable_vacancy_is_refused_with_its_reason(api_client, as_role, library, decision):
    as_role(Role.CITY_OFFICE)
    first = post(api_client, NOTICES, notice_body(library, 2)).json()["id"]
    second = post(api_client, NOTICES, notice_body(library, 2)).json()["id"]
    post(api_client, f"{NOTICES}{first}/submit/")
    post(api_client, f"{NOTICES}{second}/submit/")
    assert post(api_client, f"{NOTICES}{first}/approve/", {"document": decision.pk}).status_code == 200
    before = snapshot()

    refused = post(api_client, f"{NOTICES}{second}/approve/", {"document": decision.pk})

    assert refused.status_code == 400
    body = refused.json()
    assert (body["message"], body["code"], body["errors"]) == ("The input is not valid.", "invalid", {"count": [
        "2 quotas requested, but the usable vacancy of Institutional quota (事业编制) is 1 (approved 10 − staff in "
        "quota 7 − reserved by open notices 2)."]})
    assert snapshot() == before
    too_many = post(api_client, NOTICES, notice_body(library, 4)).json()["id"]
    assert post(api_client, f"{NOTICES}{too_many}/submit/").status_code == 400
    assert QuotaUseNotice.objects.get(pk=too_many).status == "draft"


def test_a_second_approval_answers_409_and_changes_nothing(api_client, as_role, library, decision):
    as_role(Role.CITY_OFFICE)
    notice = post(api_client, NOTICES, notice_body(library, 1)).json()["id"]
    post(api_client, f"{NOTICES}{notice}/submit/")
    post(api_client, f"{NOTICES}{notice}/approve/", {"document": decision.pk})
    before = snapshot()

    again = post(api_client, f"{NOTICES}{notice}/approve/", {"document": decision.pk})

    assert again.status_code == 409
    assert again.json()["message"] == "“Approve” is not possible for a request in state “Approved”."
    assert snapshot() == before
    assert QuotaUseNotice.objects.get(pk=notice).number == f"哈编核〔{timezone.localdate().year}〕1号"


def test_approval_without_a_document_or_rejection_without_a_reason_is_refused(api_client, as_role, library):
    as_role(Role.CITY_OFFICE)
    plan = post(api_client, PLANS, plan_body(library, 1)).json()["id"]
    post(api_client, f"{PLANS}{plan}/submit/")

    no_document = post(api_client, f"{PLANS}{plan}/approve/")
    no_reason = post(api_client, f"{PLANS}{plan}/reject/")
    rejected = post(api_client, f"{PLANS}{plan}/reject/", {"reason": "年度计划超出控制数"})

    assert no_document.json()["errors"] == {"document": ["An approval needs its approval document."]}
    assert no_reason.json()["errors"] == {"reason": ["A rejection must give its reason."]}
    assert (rejected.json()["status"], rejected.json()["decision_note"]) == ("rejected", "年度计划超出控制数")


def test_a_district_office_acts_only_inside_its_region(api_client, make_user, daoli, nangang, library, staffed,
                                                       decision):
    city = make_user(Role.CITY_OFFICE)
    api_client.force_authenticate(city)
    notice = post(api_client, NOTICES, notice_body(library, 1)).json()["id"]
    plan = post(api_client, PLANS, plan_body(library, 1)).json()["id"]
    elsewhere = make_user(Role.DISTRICT_OFFICE, region=nangang)
    api_client.force_authenticate(elsewhere)
    before = snapshot()

    assert api_client.get(f"{NOTICES}{notice}/").status_code == 404
    assert api_client.get(NOTICES).json()["count"] == 0
    assert post(api_client, f"{NOTICES}{notice}/submit/").status_code == 404
    assert post(api_client, f"{PLANS}{plan}/withdraw/").status_code == 404
    assert api_client.patch(f"{PLANS}{plan}/", {"expected_leavers": 5}, format="json").status_code == 404
    foreign = post(api_client, NOTICES, notice_body(library, 1))
    assert foreign.status_code == 400 and "institution" in foreign.json()["errors"]
    foreign_exit = post(api_client, MOVEMENTS, {"kind": "exit", "institution": library.pk, "reason": "retirement",
                                                "category": "management"})
    assert foreign_exit.status_code == 400 and "institution" in foreign_exit.json()["errors"]
    foreign_entry = post(api_client, MOVEMENTS, {"kind": "entry", "notice": notice, "reason": "recruitment",
                                                 "band": "junior"})
    assert foreign_entry.status_code == 400 and "notice" in foreign_entry.json()["errors"]
    assert snapshot() == before
    assert HiringPlan.objects.get(pk=plan).expected_leavers == 0


@pytest.mark.parametrize("role", [Role.HR_BUREAU, Role.AUDITOR, Role.ORGANISATION_DEPARTMENT, Role.FINANCE_SYSTEM])
def test_other_roles_read_but_never_write(api_client, make_user, role, library, decision):
    city = make_user(Role.CITY_OFFICE)
    api_client.force_authenticate(city)
    plan = post(api_client, PLANS, plan_body(library, 1)).json()["id"]
    post(api_client, f"{PLANS}{plan}/submit/")
    api_client.force_authenticate(make_user(role))
    before = snapshot()

    assert api_client.get(PLANS).json()["count"] == 1
    assert post(api_client, PLANS, plan_body(library, 1, year=2027)).status_code == 403
    assert post(api_client, f"{PLANS}{plan}/approve/", {"document": decision.pk}).status_code == 403
    assert post(api_client, f"{PLANS}{plan}/withdraw/").status_code == 403
    assert post(api_client, MOVEMENTS, {"kind": "exit", "institution": library.pk, "reason": "retirement",
                                        "category": "management"}).status_code == 403
    assert api_client.get(f"/api/v1/staff-changes/?month={timezone.localdate():%Y-%m}").status_code == 200
    assert snapshot() == before
    assert HiringPlan.objects.get(pk=plan).status == "submitted"


def test_only_drafts_are_edited(api_client, as_role, library):
    as_role(Role.CITY_OFFICE)
    plan = post(api_client, PLANS, plan_body(library, 1)).json()["id"]

    edited = api_client.patch(f"{PLANS}{plan}/", {"expected_leavers": 2, "lines": [
        {"quota_type": "institutional", "category": "professional", "count": 2}]}, format="json", **EN)
    post(api_client, f"{PLANS}{plan}/submit/")
    late = api_client.patch(f"{PLANS}{plan}/", {"expected_leavers": 4}, format="json", **EN)

    assert (edited.status_code, edited.json()["expected_leavers"], edited.json()["planned_total"]) == (200, 2, 2)
    assert late.status_code == 409
    assert late.json()["message"] == "Only a draft can be changed; this request is “Submitted”."


def test_lists_cost_a_fixed_number_of_queries(api_client, as_role, library, daoli, staffed):
    user = as_role(Role.CITY_OFFICE)
    from quotas import services as ledger
    from workflow import hiring

    def one_more():
        unit = staffed(InstitutionFactory(region=daoli), 5, management=1)
        hiring.quota_use_notice_create(institution=unit, quota_type=ledger.quota_type_get(), category="management",
                                       count=1, by=user)

    one_more()
    with CaptureQueriesContext(connection) as few:
        assert api_client.get(NOTICES).status_code == 200
    for _each in range(4):
        one_more()
    with CaptureQueriesContext(connection) as many:
        assert len(api_client.get(NOTICES).json()["results"]) == 5

    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_monthly_change_list_for_the_finance_bureau(api_client, make_user, library, decision, daoli, staffed):
    from workflow import hiring

    city = make_user(Role.CITY_OFFICE)
    month = datetime.date(2026, 4, 1)
    notice = hiring.quota_use_notice_submit(notice=hiring.quota_use_notice_create(
        institution=library, quota_type=_institutional(), category="professional", count=2, by=city), by=city)
    notice = hiring.quota_use_notice_approve(notice=notice, by=city, document=decision, on=datetime.date(2026, 3, 1))
    hiring.staff_entry_record(notice=notice, by=city, on=month, count=2, band="junior")
    hiring.staff_exit_record(institution=library, category="management", reason="retirement", by=city,
                             on=datetime.date(2026, 4, 30))
    hiring.staff_exit_record(institution=library, category="management", reason="resignation", by=city,
                             on=datetime.date(2026, 5, 1))
    api_client.force_authenticate(make_user(Role.FINANCE_SYSTEM))

    rows = api_client.get("/api/v1/staff-changes/?month=2026-04", **EN).json()
    workbook = api_client.get("/api/v1/staff-changes/?month=2026-04&export=xlsx", **EN)
    bad = api_client.get("/api/v1/staff-changes/?month=2026-13", **EN)

    assert rows == [{
        "institution_id": library.pk, "institution_name": "道里区图书馆", "credit_code": library.credit_code,
        "region_code": "230102", "region_name": "道里区", "funding_form": "full", "entries": 2, "exits": 1,
        "exits_by_reason": {"retirement": 1, "transfer_out": 0, "resignation": 0, "dismissal": 0, "death": 0},
        "net": 1,
    }]
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(workbook.content))
    units, movements = book.worksheets
    assert [cell.value for cell in units[3]][:7] == ["230102", "道里区", "道里区图书馆", library.credit_code,
                                                      "Full appropriation", 2, 1]
    assert movements.max_row == 3  # header, the entry and the exit of April
    assert bad.status_code == 400 and bad.json()["errors"] == {"month": ["Give the month as YYYY-MM."]}
    assert quota_position(library).staff_total == 7


def _institutional():
    from quotas import services as ledger

    return ledger.quota_type_get()
