"""The request state machine shared by the city/district workflows: a pure transition table, no Django.

A request moves draft → submitted → approved / rejected → executed; a proposer may withdraw it while it is a draft
or submitted, and an approved request whose validity lapses expires. District offices propose (create, submit,
withdraw) inside their region; the city office decides (approve, reject, execute); expiry is the system's.
Each workflow model names the actions it takes part in (``HiringPlan`` never expires, for example).
"""
from __future__ import annotations

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
EXECUTED = "executed"
WITHDRAWN = "withdrawn"
EXPIRED = "expired"
STATES = (DRAFT, SUBMITTED, APPROVED, REJECTED, EXECUTED, WITHDRAWN, EXPIRED)
OPEN_STATES = (DRAFT, SUBMITTED, APPROVED)  # a request still in play
FINAL_STATES = (REJECTED, EXECUTED, WITHDRAWN, EXPIRED)

SUBMIT = "submit"
WITHDRAW = "withdraw"
APPROVE = "approve"
REJECT = "reject"
EXECUTE = "execute"
EXPIRE = "expire"
HAND_OVER = "hand_over"  # not a transition: a loan moved with its unit's staff to a merger's survivor
ACTIONS = (SUBMIT, WITHDRAW, APPROVE, REJECT, EXECUTE, EXPIRE)

# (action, from state) → to state. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (SUBMIT, DRAFT): SUBMITTED,
    (WITHDRAW, DRAFT): WITHDRAWN,
    (WITHDRAW, SUBMITTED): WITHDRAWN,
    (APPROVE, SUBMITTED): APPROVED,
    (REJECT, SUBMITTED): REJECTED,
    (EXECUTE, APPROVED): EXECUTED,
    (EXPIRE, APPROVED): EXPIRED,
}

# Who may take an action: proposers (the district office of the unit's region, or the city office), deciders (the
# city office), or the system (a periodic task).
PROPOSER = "proposer"
DECIDER = "decider"
SYSTEM = "system"
ACTION_ACTOR: dict[str, str] = {
    SUBMIT: PROPOSER,
    WITHDRAW: PROPOSER,
    APPROVE: DECIDER,
    REJECT: DECIDER,
    EXECUTE: DECIDER,
    EXPIRE: SYSTEM,
}
# Actions that must say why.
NEEDS_REASON = frozenset({REJECT})


def next_state(state: str, action: str, *, allowed: tuple[str, ...] = ACTIONS) -> str | None:
    """The state ``action`` leads to from ``state``, or None when the table (or ``allowed``) refuses it."""
    if action not in allowed:
        return None
    return TRANSITIONS.get((action, state))


def available_actions(state: str, *, allowed: tuple[str, ...] = ACTIONS) -> tuple[str, ...]:
    """The actions that may be taken from ``state``, in the order of ``ACTIONS``."""
    return tuple(action for action in ACTIONS if action in allowed and (action, state) in TRANSITIONS)


def is_editable(state: str) -> bool:
    """Only a draft's content may change; once submitted, a request is changed by withdrawing it and filing anew."""
    return state == DRAFT
