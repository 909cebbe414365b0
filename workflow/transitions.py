"""The one service that moves a workflow request from state to state (``workflow.states``'s table).

It locks the request row, checks that the actor may take the action on that unit, refuses a move the table does not
allow (409: "approved twice" is a conflict with the current state), runs the service that carries the request out
inside the same transaction, and records the step as a ``RequestEvent``. A refusal changes nothing.
"""
from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import READ_ONLY_ROLES, Role, has_role, user_roles
from accounts.scoping import can_see_region
from core.errors import ConflictError
from institutions.models import ApprovalDocument, Institution
from outbox.services import Change, changes_record
from workflow import states as workflow
from workflow.models.requests import RequestAction, RequestEvent, RequestState, WorkflowRequest


def may_propose(user, institution: Institution | None = None, *, region_id: int | None = None) -> bool:
    """The city office anywhere, a district office inside its region (the unit's, or ``region_id``); nobody with a
    read-only role only."""
    if user is None:  # the system (demo loader, tasks)
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    roles = user_roles(user) - READ_ONLY_ROLES
    if Role.CITY_OFFICE in roles:
        return True
    if institution is not None:
        region_id = institution.region_id
    return Role.DISTRICT_OFFICE in roles and region_id is not None and can_see_region(user, region_id)


def may_decide(user) -> bool:
    """Only the city office decides (the system too, for the demo loader)."""
    return user is None or has_role(user, Role.CITY_OFFICE)


def require_proposer(user, institution: Institution | None = None, *, region_id: int | None = None) -> None:
    if not may_propose(user, institution, region_id=region_id):
        raise PermissionDenied(_("Only the city office, or the district office of the unit's region, may do this."))


def require_decider(user) -> None:
    if not may_decide(user):
        raise PermissionDenied(_("Only the city office decides on requests."))


def _require_actor(user, action: str, request: WorkflowRequest) -> None:
    actor = workflow.ACTION_ACTOR[action]
    if actor == workflow.PROPOSER:
        require_proposer(user, region_id=request.proposal_region_id())
    elif actor == workflow.DECIDER:
        require_decider(user)
    elif user is not None and not has_role(user, Role.CITY_OFFICE):
        raise PermissionDenied(_("Only the system or the city office may do this."))


def record_event(*, request: WorkflowRequest, action: str, from_state: str, to_state: str, by, reason: str = "",
                 document: ApprovalDocument | None = None) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, region_id=request.proposal_region_id(), action=action, from_state=from_state,
        to_state=to_state, by=by if getattr(by, "pk", None) else None, reason=reason, document=document,
    )


def refusal_of_edit(request: WorkflowRequest) -> ConflictError:
    return ConflictError(
        {"status": _("Only a draft can be changed; this request is “%(state)s”.") % {
            "state": RequestState(request.status).label}}
    )


def refusal_of_state(request: WorkflowRequest, action: str) -> ConflictError:
    return ConflictError(
        {"status": _("“%(action)s” is not possible for a request in state “%(state)s”.") % {
            "action": RequestAction(action).label, "state": RequestState(request.status).label}}
    )


@transaction.atomic
def request_transition(
    *, request: WorkflowRequest, action: str, by, reason: str = "", document: ApprovalDocument | None = None,
    carry_out: Callable[[WorkflowRequest], None] | None = None, as_system: bool = False,
) -> WorkflowRequest:
    """Move ``request`` by ``action``; ``carry_out(locked_request)`` runs first, in the same transaction.

    Approval needs its approval document, rejection its reason. ``as_system``: a step that follows from another
    (a notice taken up in full is closed by the entry that took it up), not checked against the actor's role.
    Returns the request as saved.
    """
    model = type(request)
    locked = model.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if not as_system:
        _require_actor(by, action, locked)
    to_state = workflow.next_state(locked.status, action, allowed=model.WORKFLOW_ACTIONS)
    if to_state is None:
        raise refusal_of_state(locked, action)
    reason = (reason or "").strip()
    if action in workflow.NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("A rejection must give its reason.")})
    if action == workflow.APPROVE and document is None:
        raise ValidationError({"document": _("An approval needs its approval document.")})
    if carry_out is not None:
        carry_out(locked)
    from_state = locked.status
    locked.status = to_state
    now = timezone.now()
    fields = ["status"]
    if action == workflow.SUBMIT:
        locked.submitted_at = now
        fields.append("submitted_at")
    if action in (workflow.APPROVE, workflow.REJECT):
        locked.decided_at, locked.decided_by, locked.decision_note = now, by, reason
        fields += ["decided_at", "decided_by", "decision_note"]
        if document is not None:
            locked.document = document
            fields.append("document")
    locked.save(update_fields=fields)
    record_event(request=locked, action=action, from_state=from_state, to_state=to_state, by=by, reason=reason,
                 document=document)
    decided_kind = getattr(model, "DECIDED_CHANGE", None)
    if decided_kind and action in (workflow.APPROVE, workflow.REJECT):  # the change log, for the finance system
        changes_record([Change(decided_kind, locked.institution_id, locked.proposal_region_id(), {
            "request": locked.pk, "action": action, "status": to_state,
            "document": document.number if document is not None else None, **locked.decided_figures()})])
    request.__dict__.update({name: getattr(locked, name) for name in (*fields, "pk")})
    return locked
