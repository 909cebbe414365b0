"""Pages of the ledger."""
from django.urls import path

from quotas import views

app_name = "quotas"
urlpatterns = [path("reduction/", views.reduction_report, name="reduction")]
