"""The home page: where a user starts (links to the work pages, the admin and the API docs)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.roles import user_roles


@login_required
def home(request):
    return render(request, "core/home.html", {"roles": sorted(user_roles(request.user))})
