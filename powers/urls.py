"""Pages of the powers app (mounted under /powers/)."""
from django.urls import path

from powers import views

app_name = "powers"

urlpatterns = [
    path("", views.power_list, name="powers"),
    path("enforcement/", views.enforcement_page, name="enforcement"),
    path("enforcement/xlsx/", views.enforcement_xlsx, name="enforcement-xlsx"),
    path("enforcement/template/", views.enforcement_template, name="enforcement-template"),
]
