"""Pages of the standards (mounted under /standards/)."""
from django.urls import path

from standards import views

app_name = "standards"
urlpatterns = [
    path("", views.standards_page, name="standards"),
    path("xlsx/", views.standards_xlsx, name="xlsx"),
    path("unit/<int:pk>/", views.unit_page, name="unit"),
]
