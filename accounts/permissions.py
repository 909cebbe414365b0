"""API permission: the permission table (``accounts.permission_table``) decides which roles may do what."""
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts import permission_table
from accounts.roles import user_roles
from accounts.scoping import may_write_row

# The action a request stands for when the view names none (a plain APIView, or OPTIONS on a viewset route).
METHOD_ACTIONS = {"post": "create", "put": "update", "patch": "partial_update", "delete": "destroy"}


def view_action(request, view) -> str | None:
    """``view.action`` (a viewset's), else the action the HTTP method stands for (OPTIONS: a read). ``None`` when
    the viewset route has no action for the method: the view answers 405."""
    method = request.method.lower()
    action = getattr(view, "action", None) or (getattr(view, "action_map", None) or {}).get(method)
    if action:
        return action
    if method != "options" and (getattr(view, "action_map", None) is not None or not hasattr(view, method)):
        return None
    if method in METHOD_ACTIONS:
        return METHOD_ACTIONS[method]
    return "list" if getattr(view, "detail", True) is False else "retrieve"


class TablePermission(BasePermission):
    """Allow a request when the table's cell ``view.basename`` × action lists one of the user's roles.

    An action the table does not list is refused (fail closed), a superuser included. A method the view does not
    serve passes here so that the view answers 405. Which rows a user may touch is decided by region scoping and by
    ``has_object_permission`` (a district office writes only its own region's rows).
    """

    message = _("Your role may not do this.")
    code = "permission_denied"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method.lower() not in view.http_method_names:
            return True  # the view answers 405
        resource, action = getattr(view, "basename", None), view_action(request, view)
        if action is None:
            return True  # no handler for this method on this route: the view answers 405
        if not permission_table.listed(resource, action):
            return False
        if user.is_superuser:
            return True
        return permission_table.allows(user_roles(user), resource, action)

    def has_object_permission(self, request, view, obj) -> bool:
        """A write to a row another region owns is refused (403, code ``another_region``): a district office reads
        some rows of the city (its approval documents) but writes only its own region's."""
        if request.method in SAFE_METHODS or may_write_row(request.user, obj):
            return True
        raise exceptions.PermissionDenied(_("This row belongs to another region; your office may only read it."),
                                          code="another_region")


RolePermission = TablePermission  # the name config/settings.py and older imports use
