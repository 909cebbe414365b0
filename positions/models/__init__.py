"""HR position data: rule sets, position plans, staff counts."""
from positions.models.imports import ImportJob, ImportStatus
from positions.models.plans import PositionPlan
from positions.models.rule_sets import PositionRule, PositionRuleSet
from positions.models.staff import StaffCount

__all__ = ["ImportJob", "ImportStatus", "PositionPlan", "PositionRule", "PositionRuleSet", "StaffCount"]
