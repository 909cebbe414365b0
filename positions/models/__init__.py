"""Positions: rule sets, position plans, staff counts and quota-use direction notices."""
from positions.models.notices import PositionDirectionNotice
from positions.models.plans import PositionPlan
from positions.models.rule_sets import PositionRule, PositionRuleSet
from positions.models.staff import StaffCount

__all__ = ["PositionDirectionNotice", "PositionPlan", "PositionRule", "PositionRuleSet", "StaffCount"]
