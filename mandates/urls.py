"""Pages of the mandates app (mounted under /mandates/)."""
from django.urls import path

from mandates import views

app_name = "mandates"

urlpatterns = [
    path("", views.index, name="index"),
    path("unit/<int:pk>/", views.unit_page, name="unit"),
    path("<str:kind>/<int:pk>/", views.version_page, name="version"),
    path("<str:kind>/<int:pk>/docx/", views.version_docx, name="docx"),
]
