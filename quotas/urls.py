"""Pages of the ledger: none of its own now; the old reduction report's address leads to the reform's effect."""
from django.urls import path

from quotas import views

app_name = "quotas"
urlpatterns = [path("reduction/", views.reduction_report, name="reduction")]
