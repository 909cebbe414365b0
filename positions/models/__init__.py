"""Positions: rule sets, position plans, staff counts, quota-use direction notices, and the city/district workflow
(hiring plans, quota-use notices, staff movements, turnover-pool loans)."""
from positions.models.hiring import HiringPlan, HiringPlanLine, QuotaUseNotice, StaffMovement
from positions.models.loans import LoanCase, LoanReturn, LoanReturnOffer, TurnoverLoan
from positions.models.notices import PositionDirectionNotice
from positions.models.plans import PositionPlan
from positions.models.requests import RequestEvent, WorkflowPolicy
from positions.models.rule_sets import PositionRule, PositionRuleSet
from positions.models.staff import StaffCount

__all__ = [
    "HiringPlan", "HiringPlanLine", "LoanCase", "LoanReturn", "LoanReturnOffer", "PositionDirectionNotice",
    "PositionPlan", "PositionRule", "PositionRuleSet", "QuotaUseNotice", "RequestEvent", "StaffCount",
    "StaffMovement", "TurnoverLoan", "WorkflowPolicy",
]
