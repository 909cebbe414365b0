"""API permission: which roles may read and which may write."""
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.roles import READ_ONLY_ROLES, Role, user_roles


class RolePermission(BasePermission):
    """Any role reads; writes need one of the view's ``write_roles``.

    A view lists ``write_roles`` (default: the city and district offices). Read-only roles
    (organisation department, auditors, the finance system) never write. Which rows a user
    may touch is decided by region scoping, not here.
    """

    message = _("Your role may not do this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        roles = user_roles(user)
        if not roles:
            return False
        if request.method in SAFE_METHODS:
            return True
        write_roles = set(getattr(view, "write_roles", (Role.CITY_OFFICE, Role.DISTRICT_OFFICE)))
        return bool((roles - READ_ONLY_ROLES) & write_roles)
