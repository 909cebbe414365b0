"""Pages of the ledger and the allocation."""
from django.urls import path

from quotas import views

app_name = "quotas"
urlpatterns = [
    path("reduction/", views.reduction_report, name="reduction"),
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/compare/", views.scenario_compare, name="scenario-compare"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
]
