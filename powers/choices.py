"""Choices of the power lists (lowercase English values, translated labels)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PowerType(models.TextChoices):
    """The ten types of power of a power list (权责清单) and of the law-enforcement list."""

    LICENSING = "licensing", _("Administrative licensing")
    PENALTY = "penalty", _("Administrative penalty")
    ENFORCEMENT_MEASURE = "enforcement_measure", _("Administrative enforcement")
    LEVY = "levy", _("Administrative levy")
    BENEFIT = "benefit", _("Administrative benefit")
    ADJUDICATION = "adjudication", _("Administrative adjudication")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    AWARD = "award", _("Administrative award")
    INSPECTION = "inspection", _("Supervision and inspection")
    OTHER = "other", _("Other administrative power")


class ResponsibilityStep(models.TextChoices):
    """The steps of a responsibility chain (责任事项), in their order."""

    FILING = "filing", _("Case filing")
    INVESTIGATION = "investigation", _("Investigation")
    REVIEW = "review", _("Review")
    NOTIFICATION = "notification", _("Notification")
    DECISION = "decision", _("Decision")
    SERVICE = "service", _("Service of the decision")
    EXECUTION = "execution", _("Execution")


STEP_ORDER = tuple(ResponsibilityStep.values)
FULL_CHAIN = list(STEP_ORDER)


class Disposition(models.TextChoices):
    """What the list's review did with an item: kept (规范), cleaned up (清理) or devolved (下放)."""

    KEPT = "kept", _("Kept")
    CLEANED_UP = "cleaned_up", _("Cleaned up")
    DEVOLVED = "devolved", _("Devolved")
