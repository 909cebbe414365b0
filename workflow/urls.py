"""Pages of the workflow (included under /positions/)."""
from django.urls import path

from workflow import inbox, views

app_name = "workflow"
urlpatterns = [
    path("reclamation/", views.reclamation_page, name="reclamation"),
    path("inbox/", inbox.inbox, name="inbox"),
]
