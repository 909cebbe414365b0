"""The city/district workflow: requests and their events, hiring plans, quota-use notices, staff movements,
turnover-pool loans, return offers, the policy, reclamation previews."""
from workflow.models.hiring import HiringPlan, HiringPlanLine, QuotaUseNotice, StaffMovement
from workflow.models.loans import LoanCase, LoanReturn, LoanReturnOffer, TurnoverLoan
from workflow.models.reclamation import ReclamationPreview
from workflow.models.requests import RequestEvent, WorkflowPolicy

__all__ = [
    "HiringPlan", "HiringPlanLine", "LoanCase", "LoanReturn", "LoanReturnOffer", "QuotaUseNotice",
    "ReclamationPreview", "RequestEvent", "StaffMovement", "TurnoverLoan", "WorkflowPolicy",
]
