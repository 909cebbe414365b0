"""Inbox pages (待办): the city office's (requests waiting, loans due, notices expiring, 人走编收 offers) and a
district office's (its own requests and their states); scoped, and a fixed number of queries."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from quotas import services as ledger
from workflow import hiring, loans

pytestmark = pytest.mark.django_db

URL = "/positions/inbox/"


@pytest.fixture
def work(library, staffed, daoli, nangang, talent_pool, case, clerk, decision):
    """A submitted plan (道里), an issued notice expiring soon, a loan due soon with a pending 人走编收 offer, and a
    submitted notice of 南岗."""
    today = timezone.localdate()
    plan = hiring.hiring_plan_create(institution=library, year=today.year, by=clerk, lines=[
        {"quota_type": ledger.quota_type_get(), "category": "professional", "count": 1}])
    hiring.hiring_plan_submit(plan=plan, by=clerk)
    notice = hiring.quota_use_notice_submit(notice=hiring.quota_use_notice_create(
        institution=library, quota_type=ledger.quota_type_get(), category="professional", count=1, by=clerk), by=clerk)
    notice = hiring.quota_use_notice_approve(notice=notice, by=clerk, document=decision,
                                             on=today - datetime.timedelta(days=170))
    hospital = staffed(InstitutionFactory(region=daoli, name="道里区人民医院"), 4, management=4)
    loan = loans.turnover_loan_create(
        institution=hospital, pool=talent_pool, count=1, talent_category="high_level", case=case, term_months=12,
        by=clerk, return_plan=[{"date": (today + datetime.timedelta(days=30)).isoformat(), "count": 1}])
    start = today - datetime.timedelta(days=300)
    loans.turnover_loan_submit(loan=loan, by=clerk, on=start)
    loans.turnover_loan_approve(loan=loan, by=clerk, document=decision, on=start)
    hiring.staff_exit_record(institution=hospital, category="management", reason="retirement", by=clerk)
    palace = staffed(InstitutionFactory(region=nangang, name="南岗区少年宫"), 5, management=1)
    hiring.quota_use_notice_create(institution=palace, quota_type=ledger.quota_type_get(), category="management",
                                   count=1, by=clerk)
    return {"plan": plan, "notice": notice, "loan": loan, "hospital": hospital, "palace": palace}


def test_the_city_office_sees_what_waits_and_what_is_due(client, make_user, work):
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    context = response.context
    assert [plan.pk for plan in context["waiting"]["plans"]] == [work["plan"].pk]
    assert context["waiting"]["notices"] == [] and context["waiting"]["loans"] == []
    assert [loan.pk for loan in context["loans_due"]] == [work["loan"].pk]
    assert [notice.pk for notice in context["notices_expiring"]] == [work["notice"].pk]
    assert [offer.loan_id for offer in context["offers"]] == [work["loan"].pk]
    html = response.content.decode()
    assert "Inbox of the city office" in html and work["notice"].number in html
    assert f"/admin/workflow/loanreturnoffer/{context['offers'][0].pk}/decide/" in html


def test_a_district_office_sees_its_own_requests_and_their_states(client, make_user, work, daoli):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    mine = response.context["mine"]
    assert [plan.pk for plan in mine["plans"]] == [work["plan"].pk]
    assert [notice.institution.name for notice in mine["notices"]] == ["道里区图书馆"]  # not 南岗's
    assert [loan.pk for loan in mine["loans"]] == [work["loan"].pk]
    assert response.context["counts"]["notices"] == {"Approved": 1}
    [holding] = response.context["holdings"]
    assert (holding.institution_name, holding.balance, holding.borrowed, holding.own) == ("道里区人民医院", 5, 1, 4)
    assert "南岗区少年宫" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.HR_BUREAU, Role.AUDITOR, Role.FINANCE_SYSTEM, None])
def test_other_roles_have_no_inbox(client, make_user, role):
    client.force_login(make_user(role))

    assert client.get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_the_page_costs_a_fixed_number_of_queries(client, make_user, work, daoli, staffed, clerk):
    client.force_login(make_user(Role.CITY_OFFICE))
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(3):
        unit = staffed(InstitutionFactory(region=daoli, name=f"道里区学校{number}"), 5, management=1)
        plan = hiring.hiring_plan_create(institution=unit, year=2026, by=clerk, lines=[
            {"quota_type": ledger.quota_type_get(), "category": "management", "count": 1}])
        hiring.hiring_plan_submit(plan=plan, by=clerk)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)

    assert len(response.context["waiting"]["plans"]) == 4
    assert len(many.captured_queries) == len(few.captured_queries)
