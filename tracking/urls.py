"""Pages of the tracking app (mounted under /tracking/)."""
from django.urls import path

from tracking import views

app_name = "tracking"

urlpatterns = [
    path("", views.tracking_page, name="tracking"),
    path("xlsx/", views.tracking_xlsx, name="xlsx"),
]
