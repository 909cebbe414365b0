"""The platform's roles. Each is a Django group; a user's role is the group they are in."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_OFFICE = "city_office", _("City staffing office")
    DISTRICT_OFFICE = "district_office", _("District/county staffing office")
    HR_BUREAU = "hr_bureau", _("HR bureau")
    ORGANISATION_DEPARTMENT = "organisation_department", _("Organisation department")
    AUDITOR = "auditor", _("Auditor")
    FINANCE_SYSTEM = "finance_system", _("Finance system")


# Roles that see the whole city (district offices see their own region only).
CITYWIDE_ROLES = frozenset(
    {
        Role.CITY_OFFICE,
        Role.HR_BUREAU,
        Role.ORGANISATION_DEPARTMENT,
        Role.AUDITOR,
        Role.FINANCE_SYSTEM,
    }
)
# Roles that may only read.
READ_ONLY_ROLES = frozenset({Role.ORGANISATION_DEPARTMENT, Role.AUDITOR, Role.FINANCE_SYSTEM})


def user_roles(user) -> frozenset[str]:
    """The roles of ``user`` (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_platform_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role.values if role in names)
        user._platform_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """True when ``user`` is a superuser or holds one of ``roles``."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(user_roles(user) & set(roles))
