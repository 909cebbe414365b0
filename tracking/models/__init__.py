"""Models of the tracking app."""
from tracking.models.checklists import RegistrationKind, UnitChecklist
from tracking.models.reports import AnnualReport
from tracking.models.work import Milestone, ReformTask

__all__ = ["AnnualReport", "Milestone", "ReformTask", "RegistrationKind", "UnitChecklist"]
