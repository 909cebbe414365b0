"""Every admin list of the demo city costs the same number of queries whatever its page size: a list that reads a
related row or a figure per row (N+1) shows up here, where the demo has rows enough.

Run from ``test_loaded_city.py``, which holds the loaded city (see ``test_demo_standards.py`` for why).
"""
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role

__test__ = False  # collected through test_loaded_city.py
__all__ = ["test_admin_lists_of_the_demo_cost_the_same_queries_for_a_short_and_a_long_page"]

SHORT, LONG = 2, 8


def _queries(client, url: str, model_admin, per_page: int) -> int:
    model_admin.list_per_page = per_page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_admin_lists_of_the_demo_cost_the_same_queries_for_a_short_and_a_long_page(client, make_user):
    user = make_user(Role.CITY_OFFICE, is_staff=True)
    client.force_login(user)
    request = RequestFactory().get("/admin/")
    request.user = user
    growing, checked = [], 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        if model_admin.get_queryset(request)[:LONG].count() < LONG:
            continue  # too few rows in the demo to tell
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        default = model_admin.list_per_page
        try:
            client.get(url)  # the first request warms the caches (content types, permissions)
            short, long = (_queries(client, url, model_admin, size) for size in (SHORT, LONG))
        finally:
            model_admin.list_per_page = default
        checked += 1
        if long != short:
            growing.append(f"{url}: {short} queries for {SHORT} rows, {long} for {LONG}")

    assert checked >= 20, checked  # the demo fills most lists
    assert not growing, "\n".join(growing)
