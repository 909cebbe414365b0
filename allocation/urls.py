"""Pages of zero-based allocation (included under /quotas/)."""
from django.urls import path

from allocation import views

app_name = "allocation"
urlpatterns = [
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/compare/", views.scenario_compare, name="scenario-compare"),
    path("scenarios/compare/xlsx/", views.scenario_compare_xlsx, name="scenario-compare-xlsx"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/status/", views.scenario_status, name="scenario-status"),
    path("scenarios/<int:pk>/weights/", views.scenario_weights, name="scenario-weights"),
]
