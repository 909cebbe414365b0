"""Pages of reform plans: the list, a draft's heading and operations, a plan's page with its preview and actions."""
from django.urls import path

from reforms import pages

urlpatterns: list = [
    path("plans/", pages.plan_list, name="plan_list"),
    path("plans/new/", pages.plan_create, name="plan_create"),
    path("plans/<int:pk>/", pages.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", pages.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/to-standard/", pages.plan_to_standard, name="plan_to_standard"),
    path("plans/<int:pk>/operations/new/", pages.operation_create, name="operation_create"),
    path("operations/<int:pk>/", pages.operation_edit, name="operation_edit"),
    path("operations/<int:pk>/remove/", pages.operation_remove, name="operation_remove"),
]
