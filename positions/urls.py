"""Pages of the positions app (included under /positions/)."""
from django.urls import path

from positions import inbox, views

app_name = "positions"
urlpatterns = [
    path("reconciliation/", views.reconciliation_page, name="reconciliation"),
    path("reclamation/", views.reclamation_page, name="reclamation"),
    path("notices/<int:pk>/", views.notice_page, name="notice"),
    path("notices/<int:pk>/docx/", views.notice_docx, name="notice-docx"),
    path("inbox/", inbox.inbox, name="inbox"),
]
