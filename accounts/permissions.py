"""API permission: which roles may read and which may write."""
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.roles import READ_ONLY_ROLES, Role, user_roles
from accounts.scoping import may_write_row


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

    def has_object_permission(self, request, view, obj) -> bool:
        """A write to a row another region owns is refused (403, code ``another_region``): a district office reads
        some rows of the city (its approval documents) but writes only its own region's."""
        if request.method in SAFE_METHODS or may_write_row(request.user, obj):
            return True
        raise exceptions.PermissionDenied(_("This row belongs to another region; your office may only read it."),
                                          code="another_region")
