"""Models of the powers app: power-list items (权责清单) and law-enforcement items (执法事项)."""
from powers.models.enforcement import EnforcementPower
from powers.models.items import PowerItem

__all__ = ["EnforcementPower", "PowerItem"]
