"""Pages of the reconciliation (included under /positions/)."""
from django.urls import path

from reconciliation import views

app_name = "reconciliation"
urlpatterns = [
    path("reconciliation/", views.reconciliation_page, name="reconciliation"),
    path("reconciliation/print/", views.reconciliation_print, name="reconciliation-print"),
    path("reconciliation/xlsx/", views.reconciliation_xlsx, name="reconciliation-xlsx"),
    path("notices/<int:pk>/", views.notice_page, name="notice"),
    path("notices/<int:pk>/docx/", views.notice_docx, name="notice-docx"),
]
