"""The one door every work page has: a login, then a role."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.roles import user_roles


def role_required(view):
    """A work page: a login, then a role (or superuser); a user without one is refused (403)."""
    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not (request.user.is_superuser or user_roles(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded

