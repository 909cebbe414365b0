"""Choices of the positions app (values shared with the pure modules ``rules`` and ``direction``)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from positions import direction, rules


class MainPostType(models.TextChoices):
    """主体岗位类型: what most of a unit's posts are; the category-share rules depend on it."""

    PROFESSIONAL_SERVICE = rules.PROFESSIONAL_SERVICE, _("Professional-service unit (mainly professional-technical)")
    ADMINISTRATIVE = rules.ADMINISTRATIVE, _("Administrative-type unit (mainly management)")
    SUPPORT = rules.SUPPORT, _("Support-type unit (mainly worker-skill)")


class RuleLevel(models.TextChoices):
    """The level of government a rule set is meant for."""

    NATIONAL = "national", _("National")
    CITY = "city", _("City")
    COUNTY = "county", _("County and district")
    TOWNSHIP = "township", _("Township")


class RuleCode(models.TextChoices):
    TOTAL_WITHIN_QUOTA = rules.TOTAL_WITHIN_QUOTA, _("Position total within approved quotas")
    PROFESSIONAL_SHARE_MIN = rules.PROFESSIONAL_SHARE_MIN, _("Minimum share of professional-technical posts")
    MANAGEMENT_SHARE_MIN = rules.MANAGEMENT_SHARE_MIN, _("Management posts above a share")
    WORKER_SHARE_MIN = rules.WORKER_SHARE_MIN, _("Worker-skill posts above a share")
    SENIOR_RATIO = rules.SENIOR_RATIO, _("Senior professional-technical posts within the grade ratio")
    INTERMEDIATE_RATIO = rules.INTERMEDIATE_RATIO, _("Intermediate professional-technical posts within the grade ratio")
    TOP_GRADE = rules.TOP_GRADE, _("Highest professional-technical level allowed")
    LEADERSHIP_WITHIN_POSTS = rules.LEADERSHIP_WITHIN_POSTS, _("Leadership posts within the unit's leadership posts")


class PostCategory(models.TextChoices):
    PROFESSIONAL = rules.PROFESSIONAL, _("professional-technical")
    MANAGEMENT = rules.MANAGEMENT, _("management")
    WORKER = rules.WORKER, _("worker-skill")


class ProfessionalBand(models.TextChoices):
    SENIOR_FULL = rules.SENIOR_FULL, _("senior (full)")
    SENIOR_DEPUTY = rules.SENIOR_DEPUTY, _("senior (deputy)")
    INTERMEDIATE = rules.INTERMEDIATE, _("intermediate")
    JUNIOR = rules.JUNIOR, _("junior")


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
