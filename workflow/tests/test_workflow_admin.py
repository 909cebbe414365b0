"""Workflow admin: lists and pages render, requests are moved on their decision page through the services."""
import pytest
from django.utils import timezone

from accounts.roles import Role
from quotas import services as ledger
from workflow import hiring
from workflow.models import LoanCase, QuotaUseNotice, WorkflowPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(library, clerk):
    created = hiring.quota_use_notice_create(institution=library, quota_type=ledger.quota_type_get(),
                                             category="professional", count=2, by=clerk)
    return hiring.quota_use_notice_submit(notice=created, by=clerk)


@pytest.mark.parametrize("model", ["hiringplan", "quotausenotice", "turnoverloan", "staffmovement",
                                   "loanreturnoffer", "loancase", "workflowpolicy"])
def test_the_lists_render(admin_client, notice, model):
    assert admin_client.get(f"/admin/workflow/{model}/").status_code == 200


def test_the_city_office_approves_on_the_decision_page(admin_client, notice, decision):
    page = admin_client.get(f"/admin/workflow/quotausenotice/{notice.pk}/change/")
    assert f"/admin/workflow/quotausenotice/{notice.pk}/decide/" in page.content.decode()

    missing = admin_client.post(f"/admin/workflow/quotausenotice/{notice.pk}/decide/", {"action": "approve"},
                                HTTP_ACCEPT_LANGUAGE="en")
    done = admin_client.post(f"/admin/workflow/quotausenotice/{notice.pk}/decide/",
                             {"action": "approve", "document": decision.pk, "reason": "同意"})

    assert "An approval needs its approval document." in missing.content.decode()
    assert done.status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.number) == ("approved", f"哈编核〔{timezone.localdate().year}〕1号")


def test_requests_are_not_edited_in_the_admin(admin_client, notice):
    assert admin_client.get("/admin/workflow/quotausenotice/add/").status_code == 403
    response = admin_client.post(f"/admin/workflow/quotausenotice/{notice.pk}/change/", {"count": 9})
    assert response.status_code == 403
    assert QuotaUseNotice.objects.get(pk=notice.pk).count == 2


def test_a_district_user_may_not_decide(client, make_user, notice, daoli, decision):
    user = make_user(Role.DISTRICT_OFFICE, region=daoli, is_staff=True)
    client.force_login(user)

    response = client.post(f"/admin/workflow/quotausenotice/{notice.pk}/decide/",
                           {"action": "approve", "document": decision.pk})

    assert response.status_code == 200  # the form again: approving is not among a district office's choices
    assert [value for value, _label in response.context["form"].fields["action"].choices] == ["withdraw"]
    assert QuotaUseNotice.objects.get(pk=notice.pk).status == "submitted"


def test_the_cases_and_the_policy_are_seeded_once():
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = ("positions", "0004_loan_cases_and_policy")
    apps = MigrationLoader(connection).project_state(migration).apps  # the models as that migration saw them
    seeding = import_module("positions.migrations.0004_loan_cases_and_policy")
    seeding.seed(apps, None)
    seeding.seed(apps, None)

    assert LoanCase.objects.filter(is_active=True).count() == 6
    assert WorkflowPolicy.objects.count() == 1
    policy = WorkflowPolicy.current()
    assert (policy.loan_max_term_months, policy.notice_validity_days, policy.notice_office_code) == (36, 180, "哈编核")
