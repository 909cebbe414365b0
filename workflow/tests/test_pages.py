"""The workflow's pages (/positions/plans/, requests/, movements/, loans/): a district office files and submits, the
city office decides on the same pages, every refusal of a service lands on the form with nothing written, and
regions and roles are kept apart (another region's request 404, a decision by a district 403, no action offered to
a read-only role)."""
import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from quotas import services as ledger
from workflow import hiring, loans
from workflow.models import HiringPlan, LoanReturnOffer, QuotaUseNotice, StaffMovement, TurnoverLoan
from workflow.tests.helpers import balance, snapshot

pytestmark = pytest.mark.django_db

LENT_ON = datetime.date(2026, 1, 10)


@pytest.fixture
def district(client, make_user, daoli):
    """A client logged in as 道里区's district office."""
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))
    return client


@pytest.fixture
def city_client(client_factory, make_user):
    return client_factory(make_user(Role.CITY_OFFICE))


@pytest.fixture
def client_factory():
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def institutional():
    return ledger.quota_type_get()


def plan_data(unit, lines, *, year=2026, leavers=0) -> dict:
    """The plan form's POST: the plan and its lines formset."""
    data = {"institution": unit.pk, "year": year, "expected_leavers": leavers, "supervisor_opinion": "",
            "note": "", "lines-TOTAL_FORMS": len(lines), "lines-INITIAL_FORMS": 0, "lines-MIN_NUM_FORMS": 1,
            "lines-MAX_NUM_FORMS": 1000}
    for index, (category, count) in enumerate(lines):
        data |= {f"lines-{index}-quota_type": institutional().pk, f"lines-{index}-category": category,
                 f"lines-{index}-count": count}
    return data


def act(client, url, action, **values):
    return client.post(url, {"form": "action", "action": action, **values})


def submitted_plan(unit, by, count=2):
    plan = hiring.hiring_plan_create(institution=unit, year=2026, by=by, lines=[
        {"quota_type": institutional(), "category": "professional", "count": count}])
    return hiring.hiring_plan_submit(plan=plan, by=by)


# --- hiring plans -------------------------------------------------------------------------------------------------
def test_the_district_files_and_submits_a_hiring_plan(district, library):
    response = district.post("/positions/plans/new/", plan_data(library, [("professional", 2), ("management", 1)]))

    plan = HiringPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/positions/plans/{plan.pk}/"
    assert (plan.status, plan.planned_total, plan.institution) == ("draft", 3, library)
    page = district.get(f"/positions/plans/{plan.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="action-submit"' in html and 'id="action-withdraw"' in html and 'id="edit"' in html
    assert 'id="action-approve"' not in html  # a district office proposes, the city decides

    submitted = act(district, f"/positions/plans/{plan.pk}/", "submit")

    plan.refresh_from_db()
    assert submitted.status_code == 302 and plan.status == "submitted"
    assert [event.action for event in plan.events.order_by("at", "pk")] == ["create", "submit"]
    assert 'id="edit"' not in district.get(f"/positions/plans/{plan.pk}/").content.decode()  # no longer a draft
    listed = district.get("/positions/plans/", {"status": "submitted"})
    assert [row.pk for row in listed.context["page"]] == [plan.pk]
    assert list(district.get("/positions/plans/", {"status": "draft"}).context["page"]) == []


def test_a_refused_plan_shows_the_service_s_error_and_writes_nothing(district, library, clerk):
    hiring.hiring_plan_create(institution=library, year=2026, by=clerk, lines=[
        {"quota_type": institutional(), "category": "professional", "count": 1}])
    before = HiringPlan.objects.count()

    again = district.post("/positions/plans/new/", plan_data(library, [("professional", 1)]))
    twice = district.post("/positions/plans/new/", plan_data(library, [("professional", 1), ("professional", 2)],
                                                              year=2027))

    assert again.status_code == 200 and "year" in again.context["form"].errors  # one plan per unit and year
    assert twice.status_code == 200 and twice.context["form"].non_field_errors()  # a line twice: at the top
    assert HiringPlan.objects.count() == before  # the second plan's row was rolled back with its lines


def test_submitting_too_many_entrants_is_refused_on_the_page(district, library, clerk):
    plan = hiring.hiring_plan_create(institution=library, year=2026, by=clerk, lines=[
        {"quota_type": institutional(), "category": "professional", "count": 4}])  # usable vacancy 3

    page = district.get(f"/positions/plans/{plan.pk}/")
    refused = act(district, f"/positions/plans/{plan.pk}/", "submit")

    assert page.context["problems"]["lines"]  # the problem is shown before submitting
    assert refused.status_code == 200
    [form] = [item["form"] for item in refused.context["action_forms"] if item["action"] == "submit"]
    assert form.non_field_errors()
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_the_city_approves_with_its_document_and_executes(city_client, library, clerk, decision):
    plan = submitted_plan(library, clerk)
    url = f"/positions/plans/{plan.pk}/"

    missing = act(city_client, url, "approve", reason="同意")
    plan.refresh_from_db()
    assert missing.status_code == 200 and plan.status == "submitted"
    [form] = [item["form"] for item in missing.context["action_forms"] if item["action"] == "approve"]
    assert "document" in form.errors

    approved = act(city_client, url, "approve", document=decision.pk, reason="同意")
    plan.refresh_from_db()
    assert approved.status_code == 302
    assert (plan.status, plan.document, plan.decision_note) == ("approved", decision, "同意")

    act(city_client, url, "execute", reason="年度计划执行完毕")
    plan.refresh_from_db()
    assert plan.status == "executed"
    assert [event.action for event in plan.events.order_by("at", "pk")] == ["create", "submit", "approve", "execute"]
    assert 'id="actions"' not in city_client.get(url).content.decode()  # nothing is left to do


def test_a_draft_is_changed_on_its_page_and_a_submitted_one_is_not(district, library, clerk):
    plan = hiring.hiring_plan_create(institution=library, year=2026, by=clerk, lines=[
        {"quota_type": institutional(), "category": "professional", "count": 1}])
    url = f"/positions/plans/{plan.pk}/edit/"
    form = district.get(url).context["formset"]
    assert [row.initial["count"] for row in form.forms] == [1]

    data = plan_data(library, [("professional", 2), ("management", 1)], leavers=1) | {"lines-INITIAL_FORMS": 1}
    saved = district.post(url, data)

    plan.refresh_from_db()
    assert saved.status_code == 302
    assert (plan.planned_total, plan.expected_leavers, plan.lines.count()) == (3, 1, 2)
    hiring.hiring_plan_submit(plan=plan, by=clerk)
    assert district.get(url)["Location"] == f"/positions/plans/{plan.pk}/"  # no longer a draft: back to its page


def test_a_decision_taken_twice_is_refused_on_the_form(city_client, library, clerk, decision):
    plan = submitted_plan(library, clerk)
    hiring.hiring_plan_approve(plan=plan, by=clerk, document=decision)  # meanwhile, on another screen

    again = act(city_client, f"/positions/plans/{plan.pk}/", "approve", document=decision.pk)

    assert again.status_code == 200 and again.context["refusal"]  # the conflict, said above the actions left
    assert [item["action"] for item in again.context["action_forms"]] == ["execute"]
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.events.filter(action="approve").count() == 1


def test_the_city_rejects_with_a_reason_only(city_client, library, clerk):
    plan = submitted_plan(library, clerk)
    url = f"/positions/plans/{plan.pk}/"

    silent = act(city_client, url, "reject", reason="  ")
    plan.refresh_from_db()
    assert silent.status_code == 200 and plan.status == "submitted"

    act(city_client, url, "reject", reason="超出可用空编")
    plan.refresh_from_db()
    assert (plan.status, plan.decision_note) == ("rejected", "超出可用空编")


def test_a_plan_of_another_region_is_not_found(district, nangang, staffed, clerk):
    palace = staffed(InstitutionFactory(region=nangang, name="南岗区少年宫"), 5, management=1)
    plan = submitted_plan(palace, clerk, count=1)

    assert district.get(f"/positions/plans/{plan.pk}/").status_code == 404
    assert act(district, f"/positions/plans/{plan.pk}/", "withdraw").status_code == 404
    assert district.get(f"/positions/plans/{plan.pk}/edit/").status_code == 404
    assert list(district.get("/positions/plans/").context["page"]) == []
    filed = district.post("/positions/plans/new/", plan_data(palace, [("management", 1)], year=2027))
    assert filed.status_code == 200 and "institution" in filed.context["form"].errors  # not a valid choice
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_a_district_is_offered_no_decision_and_its_post_is_refused(district, library, clerk, decision):
    plan = submitted_plan(library, clerk)
    url = f"/positions/plans/{plan.pk}/"

    html = district.get(url).content.decode()
    refused = act(district, url, "approve", document=decision.pk)

    assert 'id="action-approve"' not in html and 'id="action-reject"' not in html
    assert 'id="action-withdraw"' in html
    assert refused.status_code == 403
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_read_only_roles_see_but_are_offered_nothing(client_factory, make_user, library, clerk):
    plan = submitted_plan(library, clerk)
    auditor = client_factory(make_user(Role.AUDITOR))

    page = auditor.get(f"/positions/plans/{plan.pk}/")
    listed = auditor.get("/positions/plans/")

    assert page.status_code == 200 and 'id="actions"' not in page.content.decode()
    assert listed.status_code == 200 and 'id="new"' not in listed.content.decode()
    assert auditor.get("/positions/plans/new/").status_code == 403
    assert act(auditor, f"/positions/plans/{plan.pk}/", "withdraw").status_code == 403
    assert auditor.get("/positions/movements/exit/").status_code == 403


# --- quota-use requests, notices and entries ----------------------------------------------------------------------
def test_a_notice_is_filed_issued_and_taken_up_by_an_entry(district, city_client, library, decision):
    today = timezone.localdate()
    filed = district.post("/positions/requests/new/", {
        "institution": library.pk, "quota_type": institutional().pk, "category": "professional", "count": 1,
        "supervisor_opinion": "同意招聘", "note": ""})
    notice = QuotaUseNotice.objects.get()
    url = f"/positions/requests/{notice.pk}/"
    assert filed.status_code == 302 and filed["Location"] == url
    act(district, url, "submit")

    issued = act(city_client, url, "approve", document=decision.pk, date=today.isoformat())

    notice.refresh_from_db()
    assert issued.status_code == 302
    assert (notice.status, notice.issued_on, notice.remaining) == ("approved", today, 1)
    assert notice.number and notice.number in district.get(url).content.decode()
    assert 'id="record-entry"' in district.get(url).content.decode()
    form = district.get("/positions/movements/entry/", {"notice": notice.pk}).context["form"]
    assert form["date"].value() == today and f'value="{today.isoformat()}"' in str(form["date"])

    entered = district.post("/positions/movements/entry/", {
        "notice": notice.pk, "date": today.isoformat(), "count": 1, "reason": "recruitment", "band": "junior",
        "person_name": "张三", "note": ""})

    movement = StaffMovement.objects.get()
    assert entered.status_code == 302 and entered["Location"] == f"/positions/movements/{movement.pk}/"
    notice.refresh_from_db()
    assert (movement.kind, movement.count, movement.band) == ("entry", 1, "junior")
    assert (notice.taken_up, notice.status) == (1, "executed")  # taken up in full: closed


def test_an_entry_beyond_the_notice_is_refused_on_its_field(district, library, clerk, decision):
    today = timezone.localdate()
    notice = hiring.quota_use_notice_submit(notice=hiring.quota_use_notice_create(
        institution=library, quota_type=institutional(), category="professional", count=1, by=clerk), by=clerk)
    hiring.quota_use_notice_approve(notice=notice, by=clerk, document=decision, on=today)
    before = snapshot()

    refused = district.post("/positions/movements/entry/", {
        "notice": notice.pk, "date": today.isoformat(), "count": 2, "reason": "recruitment", "band": "junior"})
    no_band = district.post("/positions/movements/entry/", {
        "notice": notice.pk, "date": today.isoformat(), "count": 1, "reason": "recruitment", "band": ""})

    assert refused.status_code == 200 and "count" in refused.context["form"].errors
    assert no_band.status_code == 200 and "band" in no_band.context["form"].errors
    assert snapshot() == before and not StaffMovement.objects.exists()


def test_a_notice_beyond_the_vacancy_cannot_be_submitted(district, library):
    district.post("/positions/requests/new/", {
        "institution": library.pk, "quota_type": institutional().pk, "category": "professional", "count": 4})
    notice = QuotaUseNotice.objects.get()

    refused = act(district, f"/positions/requests/{notice.pk}/", "submit")

    notice.refresh_from_db()
    assert refused.status_code == 200 and notice.status == "draft"
    assert refused.context["problems"]["count"]


# --- turnover-pool loans and 人走编收 -------------------------------------------------------------------------------
@pytest.fixture
def full_unit(daoli, staffed):
    """道里区人民医院: 6 approved, 6 staff in quota (at quota, so it may borrow)."""
    return staffed(InstitutionFactory(region=daoli, name="道里区人民医院"), 6, management=2,
                   professional=(0, 0, 2, 2))


def loan_data(unit, pool, case, plan, *, count=2, term=36) -> dict:
    data = {"institution": unit.pk, "pool": pool.pk, "count": count, "talent_category": "high_level",
            "case": case.pk, "term_months": term, "justification": "引进心血管专科人才",
            "plan-TOTAL_FORMS": len(plan), "plan-INITIAL_FORMS": 0, "plan-MIN_NUM_FORMS": 0,
            "plan-MAX_NUM_FORMS": 1000}
    for index, (day, leavers) in enumerate(plan):
        data |= {f"plan-{index}-date": day, f"plan-{index}-count": leavers}
    return data


def test_a_loan_with_its_return_plan_is_lent_and_partly_returned(district, city_client, full_unit, talent_pool,
                                                                 case, decision):
    filed = district.post("/positions/loans/new/", loan_data(full_unit, talent_pool, case,
                                                             [("2028-06-30", 1), ("2027-07-31", 1)]))
    loan = TurnoverLoan.objects.get()
    url = f"/positions/loans/{loan.pk}/"
    assert filed.status_code == 302 and filed["Location"] == url
    assert loan.return_plan == [{"date": "2027-07-31", "count": 1}, {"date": "2028-06-30", "count": 1}]
    act(district, url, "submit")
    act(city_client, url, "approve", document=decision.pk, date=timezone.localdate().isoformat())
    loan.refresh_from_db()
    assert (loan.status, balance(talent_pool), balance(full_unit)) == ("approved", 3, 8)
    assert 'id="return"' not in district.get(url).content.decode()  # returns are the city office's

    returned = city_client.post(url, {"form": "return", "count": 1, "document": decision.pk,
                                      "date": timezone.localdate().isoformat()})

    loan.refresh_from_db()
    assert returned.status_code == 302
    assert (loan.returned, loan.outstanding, balance(talent_pool), balance(full_unit)) == (1, 1, 4, 7)
    too_many = city_client.post(url, {"form": "return", "count": 3, "document": decision.pk,
                                      "date": timezone.localdate().isoformat()})
    assert too_many.status_code == 200 and "count" in too_many.context["return_form"].errors
    assert district.post(url, {"form": "return", "count": 1, "document": decision.pk}).status_code == 403
    loan.refresh_from_db()
    assert loan.returned == 1


def test_a_loan_without_a_return_plan_is_refused_and_not_written(district, full_unit, talent_pool, case):
    refused = district.post("/positions/loans/new/", loan_data(full_unit, talent_pool, case, []))

    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert not TurnoverLoan.objects.exists()


def test_an_exit_offers_a_return_decided_on_its_page(district, city_client, full_unit, talent_pool, case, clerk,
                                                     decision):
    loan = loans.turnover_loan_create(institution=full_unit, pool=talent_pool, count=1, talent_category="high_level",
                                      case=case, term_months=36, by=clerk,
                                      return_plan=[{"date": "2027-01-01", "count": 1}])
    loans.turnover_loan_submit(loan=loan, by=clerk, on=LENT_ON)
    loans.turnover_loan_approve(loan=loan, by=clerk, document=decision, on=LENT_ON)
    today = timezone.localdate()

    left = district.post("/positions/movements/exit/", {
        "institution": full_unit.pk, "category": "management", "band": "", "reason": "retirement",
        "date": today.isoformat(), "count": 1})

    movement = StaffMovement.objects.get()
    offer = LoanReturnOffer.objects.get()
    url = f"/positions/movements/{movement.pk}/"
    assert left.status_code == 302 and left["Location"] == url
    assert (offer.movement, offer.count, offer.state) == (movement, 1, "pending")
    assert f'id="offer-{offer.pk}-accept"' not in district.get(url).content.decode()
    assert f'id="offer-{offer.pk}-accept"' in city_client.get(url).content.decode()
    no_document = city_client.post(url, {"offer": offer.pk, "decision": "accept", "date": today.isoformat()})
    offer.refresh_from_db()
    assert no_document.status_code == 200 and offer.state == "pending"

    city_client.post(url, {"offer": offer.pk, "decision": "accept", "document": decision.pk,
                           "date": today.isoformat()})

    offer.refresh_from_db()
    loan.refresh_from_db()
    assert (offer.state, loan.returned, loan.status) == ("accepted", 1, "executed")
    assert balance(talent_pool) == 5


def test_declining_an_offer_needs_its_reason(city_client, full_unit, talent_pool, case, clerk, decision):
    loan = loans.turnover_loan_create(institution=full_unit, pool=talent_pool, count=1, talent_category="high_level",
                                      case=case, term_months=36, by=clerk,
                                      return_plan=[{"date": "2027-01-01", "count": 1}])
    loans.turnover_loan_submit(loan=loan, by=clerk, on=LENT_ON)
    loans.turnover_loan_approve(loan=loan, by=clerk, document=decision, on=LENT_ON)
    movement = hiring.staff_exit_record(institution=full_unit, category="management", reason="transfer_out", by=clerk)
    offer = LoanReturnOffer.objects.get()
    url = f"/positions/movements/{movement.pk}/"

    silent = city_client.post(url, {"offer": offer.pk, "decision": "decline", "reason": ""})
    offer.refresh_from_db()
    assert silent.status_code == 200 and offer.state == "pending"
    city_client.post(url, {"offer": offer.pk, "decision": "decline", "reason": "岗位急需补员"})
    offer.refresh_from_db()
    assert (offer.state, offer.reason, balance(talent_pool)) == ("declined", "岗位急需补员", 4)
