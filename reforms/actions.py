"""The one table from a reform plan's action to the service that performs it, read by the admin and the pages.

Each entry takes ``(plan, by=…, document=…, reason=…, day=…)`` like the workflow's table (``workflow.actions``), so
the workflow's request page serves plans too; a plan's actions take no date (the plan carries its effective date).
"""
from __future__ import annotations

from collections.abc import Callable

from reforms import services
from workflow import states as workflow

PLAN_ACTIONS: dict[str, Callable] = {
    workflow.SUBMIT: lambda plan, *, by, document, reason, day: services.reform_plan_submit(plan=plan, by=by),
    workflow.WITHDRAW: lambda plan, *, by, document, reason, day: services.reform_plan_withdraw(
        plan=plan, by=by, reason=reason),
    workflow.APPROVE: lambda plan, *, by, document, reason, day: services.reform_plan_approve(
        plan=plan, by=by, document=document, note=reason),
    workflow.REJECT: lambda plan, *, by, document, reason, day: services.reform_plan_reject(
        plan=plan, by=by, reason=reason, document=document),
    workflow.EXECUTE: lambda plan, *, by, document, reason, day: services.reform_plan_execute(
        plan=plan, by=by, reason=reason),
}
