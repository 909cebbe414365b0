"""Responses of the accounts app that are not pages of their own: the login lockout (django-axes)."""
from django.conf import settings
from django.shortcuts import render


def locked_out(request, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: too many wrong passwords for this user from this address; 429 with a page that says so.

    axes calls it as ``(request, original_response, credentials)`` or, on its older path, ``(request, credentials)``;
    neither is needed here.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)
