"""HR position data: rule sets, position plans, staff counts."""
from positions.models.plans import PositionPlan
from positions.models.rule_sets import PositionRule, PositionRuleSet
from positions.models.staff import StaffCount

__all__ = ["PositionPlan", "PositionRule", "PositionRuleSet", "StaffCount"]
