"""The one table from a request's action to the service that performs it, read by the API and the admin alike.

``request_act(request, action, by=…, document=…, reason=…, day=…)`` moves a hiring plan, a quota-use notice or a
turnover-pool loan; each service checks the role, the state and the rules, and refuses with ``ValidationError``
(or ``ConflictError`` for a move the state machine does not allow).
"""
from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from workflow import hiring, loans
from workflow import states as workflow
from workflow.models import HiringPlan, QuotaUseNotice, TurnoverLoan


def _loan_settle(loan, *, by, document, reason, day):
    if document is None:
        raise ValidationError({"document": _("Every move of quotas needs its approval document.")})
    return loans.turnover_loan_settle(loan=loan, by=by, document=document, on=day)


# model → action → service(request, by=, document=, reason=, day=)
ACTIONS: dict[type, dict[str, Callable]] = {
    HiringPlan: {
        workflow.SUBMIT: lambda plan, *, by, document, reason, day: hiring.hiring_plan_submit(plan=plan, by=by),
        workflow.WITHDRAW: lambda plan, *, by, document, reason, day: hiring.hiring_plan_withdraw(
            plan=plan, by=by, reason=reason),
        workflow.APPROVE: lambda plan, *, by, document, reason, day: hiring.hiring_plan_approve(
            plan=plan, by=by, document=document, review=reason),
        workflow.REJECT: lambda plan, *, by, document, reason, day: hiring.hiring_plan_reject(
            plan=plan, by=by, reason=reason, document=document),
        workflow.EXECUTE: lambda plan, *, by, document, reason, day: hiring.hiring_plan_execute(
            plan=plan, by=by, reason=reason),
    },
    QuotaUseNotice: {
        workflow.SUBMIT: lambda notice, *, by, document, reason, day: hiring.quota_use_notice_submit(
            notice=notice, by=by),
        workflow.WITHDRAW: lambda notice, *, by, document, reason, day: hiring.quota_use_notice_withdraw(
            notice=notice, by=by, reason=reason),
        workflow.APPROVE: lambda notice, *, by, document, reason, day: hiring.quota_use_notice_approve(
            notice=notice, by=by, document=document, on=day, note=reason),
        workflow.REJECT: lambda notice, *, by, document, reason, day: hiring.quota_use_notice_reject(
            notice=notice, by=by, reason=reason, document=document),
        workflow.EXECUTE: lambda notice, *, by, document, reason, day: hiring.quota_use_notice_execute(
            notice=notice, by=by, reason=reason),
    },
    TurnoverLoan: {
        workflow.SUBMIT: lambda loan, *, by, document, reason, day: loans.turnover_loan_submit(
            loan=loan, by=by, on=day),
        workflow.WITHDRAW: lambda loan, *, by, document, reason, day: loans.turnover_loan_withdraw(
            loan=loan, by=by, reason=reason),
        workflow.APPROVE: lambda loan, *, by, document, reason, day: loans.turnover_loan_approve(
            loan=loan, by=by, document=document, on=day, note=reason),
        workflow.REJECT: lambda loan, *, by, document, reason, day: loans.turnover_loan_reject(
            loan=loan, by=by, reason=reason, document=document),
        workflow.EXECUTE: _loan_settle,
    },
}


def request_act(request, action: str, *, by, document=None, reason: str = "", day: datetime.date | None = None):
    """Perform ``action`` on the hiring plan, notice or loan ``request`` through its service."""
    return ACTIONS[type(request)][action](request, by=by, document=document, reason=reason, day=day)
