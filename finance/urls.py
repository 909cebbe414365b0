"""The finance pages (mounted under /finance/)."""
from django.urls import path

from finance import views

app_name = "finance"

urlpatterns = [
    path("payroll/", views.payroll_list, name="payroll"),
    path("payroll/<int:pk>/", views.payroll_detail, name="payroll-check"),
    path("payroll/<int:pk>/xlsx/", views.payroll_xlsx, name="payroll-xlsx"),
]
