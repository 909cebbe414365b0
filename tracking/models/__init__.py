"""Models of the tracking app."""
from tracking.models.checklists import RegistrationKind, UnitChecklist
from tracking.models.work import Milestone, ReformTask

__all__ = ["Milestone", "ReformTask", "RegistrationKind", "UnitChecklist"]
