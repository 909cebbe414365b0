"""The city/district workflow: requests and their events, hiring plans, quota-use notices, staff movements,
turnover-pool loans, return offers, the policy."""
from workflow.models.hiring import HiringPlan, HiringPlanLine, QuotaUseNotice, StaffMovement
from workflow.models.loans import LoanCase, LoanReturn, LoanReturnOffer, TurnoverLoan
from workflow.models.requests import RequestEvent, WorkflowPolicy

__all__ = [
    "HiringPlan", "HiringPlanLine", "LoanCase", "LoanReturn", "LoanReturnOffer", "QuotaUseNotice", "RequestEvent",
    "StaffMovement", "TurnoverLoan", "WorkflowPolicy",
]
