"""Choices of the reconciliation: direction codes, filter flags, notice kinds."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from reconciliation import direction


class DirectionCode(models.TextChoices):
    FROZEN = direction.FROZEN, _("Frozen: leavers only (只出不进)")
    NO_QUOTA = direction.NO_QUOTA, _("No quotas")
    ONE_FOR_ONE = direction.ONE_FOR_ONE, _("One in per one out (出一进一)")
    ALLOCATE = direction.ALLOCATE, _("Vacant quotas directed to posts")
    HOLD_NO_POST = direction.HOLD_NO_POST, _("Vacant quotas held: no post lacks staff")
    HOLD_NO_PLAN = direction.HOLD_NO_PLAN, _("Vacant quotas held: no position plan")
    HOLD_NO_STAFF_COUNT = direction.HOLD_NO_STAFF_COUNT, _("Vacant quotas held: no staff count")


class ReconciliationFlag(models.TextChoices):
    """What the reconciliation page and API filter on (``?flag=``)."""

    VACANT = "vacant", _("Vacant quotas")
    AT_QUOTA = "at_quota", _("Exactly at quota")
    OVER_QUOTA = "over_quota", _("Over quota")
    OVER_POSITION = "over_position", _("Over position (any category)")
    OVER_POSITION_PROFESSIONAL = "over_position_professional", _("Over position: professional-technical")
    OVER_POSITION_MANAGEMENT = "over_position_management", _("Over position: management")
    OVER_POSITION_WORKER = "over_position_worker", _("Over position: worker-skill")
    NO_PLAN = "no_plan", _("No position plan")
    STALE_PLAN = "stale_plan", _("Stale position plan")
    NO_STAFF_COUNT = "no_staff_count", _("No staff count")


class NoticeKind(models.TextChoices):
    UNIT = "unit", _("Unit notice")
    DEPARTMENT = "department", _("Department notice (batch)")
