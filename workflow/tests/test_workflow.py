"""The shared request state machine: the pure table, and the transition service (events, conflicts, roles)."""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.roles import Role
from core.errors import ConflictError
from quotas import services as ledger
from workflow import hiring
from workflow import states as workflow
from workflow.models import HiringPlan, RequestEvent


# --- the pure table ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (workflow.DRAFT, workflow.SUBMIT, workflow.SUBMITTED),
        (workflow.DRAFT, workflow.WITHDRAW, workflow.WITHDRAWN),
        (workflow.SUBMITTED, workflow.WITHDRAW, workflow.WITHDRAWN),
        (workflow.SUBMITTED, workflow.APPROVE, workflow.APPROVED),
        (workflow.SUBMITTED, workflow.REJECT, workflow.REJECTED),
        (workflow.APPROVED, workflow.EXECUTE, workflow.EXECUTED),
        (workflow.APPROVED, workflow.EXPIRE, workflow.EXPIRED),
        (workflow.DRAFT, workflow.APPROVE, None),
        (workflow.APPROVED, workflow.APPROVE, None),
        (workflow.APPROVED, workflow.WITHDRAW, None),
        (workflow.REJECTED, workflow.SUBMIT, None),
        (workflow.EXECUTED, workflow.EXECUTE, None),
        (workflow.EXPIRED, workflow.EXECUTE, None),
    ],
)
def test_the_table(state, action, expected):
    assert workflow.next_state(state, action) == expected


def test_a_kind_takes_part_only_in_its_actions():
    allowed = (workflow.SUBMIT, workflow.APPROVE)

    assert workflow.next_state(workflow.APPROVED, workflow.EXPIRE, allowed=allowed) is None
    assert workflow.available_actions(workflow.SUBMITTED, allowed=allowed) == (workflow.APPROVE,)
    assert workflow.available_actions(workflow.SUBMITTED) == (workflow.WITHDRAW, workflow.APPROVE, workflow.REJECT)
    assert workflow.available_actions(workflow.EXECUTED) == ()


def test_final_states_lead_nowhere():
    for state in workflow.FINAL_STATES:
        assert workflow.available_actions(state) == ()
    assert set(workflow.OPEN_STATES) | set(workflow.FINAL_STATES) == set(workflow.STATES)
    assert workflow.is_editable(workflow.DRAFT) and not workflow.is_editable(workflow.SUBMITTED)


# --- the transition service -------------------------------------------------------------------------------------
@pytest.fixture
def plan(library, make_user, daoli):
    district = make_user(Role.DISTRICT_OFFICE, region=daoli)
    return hiring.hiring_plan_create(
        institution=library, year=2026, expected_leavers=0, by=district,
        lines=[{"quota_type": ledger.quota_type_get(), "category": "professional", "count": 2}],
    ), district


def events_of(request) -> list[tuple]:
    return list(
        RequestEvent.objects.filter(content_type=ContentType.objects.get_for_model(request), object_id=request.pk)
        .values_list("action", "from_state", "to_state", "by__username", "reason", "document_id")
    )


def test_every_step_is_recorded_with_who_why_and_the_document(plan, clerk, decision):
    plan, district = plan

    hiring.hiring_plan_submit(plan=plan, by=district)
    approved = hiring.hiring_plan_approve(plan=plan, by=clerk, document=decision, review="同意")
    hiring.hiring_plan_execute(plan=approved, by=clerk)

    assert events_of(plan) == [
        ("create", "", "draft", district.username, "", None),
        ("submit", "draft", "submitted", district.username, "", None),
        ("approve", "submitted", "approved", clerk.username, "同意", decision.pk),
        ("execute", "approved", "executed", clerk.username, "", None),
    ]
    plan.refresh_from_db()
    assert (plan.status, plan.decided_by, plan.decision_note, plan.document) == ("executed", clerk, "同意", decision)
    assert plan.submitted_at is not None and plan.decided_at is not None
    assert RequestEvent.objects.filter(region=plan.institution.region).count() == 4


def test_a_second_approval_is_a_conflict_and_changes_nothing(plan, clerk, decision):
    plan, district = plan
    hiring.hiring_plan_submit(plan=plan, by=district)
    hiring.hiring_plan_approve(plan=plan, by=clerk, document=decision)
    before = events_of(plan)

    with translation.override("en"), pytest.raises(ConflictError) as refused:
        hiring.hiring_plan_approve(plan=plan, by=clerk, document=decision)

    assert refused.value.message_dict == {"status": ["“Approve” is not possible for a request in state “Approved”."]}
    assert events_of(plan) == before
    assert HiringPlan.objects.get(pk=plan.pk).status == "approved"


def test_approval_needs_a_document_and_rejection_a_reason(plan, clerk):
    plan, district = plan
    hiring.hiring_plan_submit(plan=plan, by=district)

    with pytest.raises(ValidationError) as no_document:
        hiring.hiring_plan_approve(plan=plan, by=clerk, document=None)
    with pytest.raises(ValidationError) as no_reason:
        hiring.hiring_plan_reject(plan=plan, by=clerk, reason="  ")

    assert "document" in no_document.value.message_dict
    assert "reason" in no_reason.value.message_dict
    assert HiringPlan.objects.get(pk=plan.pk).status == "submitted"


def test_a_district_office_proposes_but_does_not_decide(plan, decision, make_user, nangang):
    plan, district = plan
    hiring.hiring_plan_submit(plan=plan, by=district)
    other_district = make_user(Role.DISTRICT_OFFICE, region=nangang)

    with pytest.raises(PermissionDenied):
        hiring.hiring_plan_approve(plan=plan, by=district, document=decision)
    with pytest.raises(PermissionDenied):
        hiring.hiring_plan_withdraw(plan=plan, by=other_district)
    for role in (Role.HR_BUREAU, Role.AUDITOR, Role.FINANCE_SYSTEM, Role.ORGANISATION_DEPARTMENT):
        with pytest.raises(PermissionDenied):
            hiring.hiring_plan_withdraw(plan=plan, by=make_user(role))

    assert HiringPlan.objects.get(pk=plan.pk).status == "submitted"
    assert len(events_of(plan)) == 2
