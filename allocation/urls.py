"""Pages of zero-based allocation (included under /quotas/)."""
from django.urls import path

from allocation import views

app_name = "allocation"
urlpatterns = [
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/compare/", views.scenario_compare, name="scenario-compare"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
]
