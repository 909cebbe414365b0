"""Choices of the positions app (values shared with the pure modules ``rules`` and ``direction``)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from positions import rules


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
