"""Pages of the workflow (included under /positions/)."""
from django.urls import path

from workflow import inbox, pages, views
from workflow.print_urls import urlpatterns as print_urls

app_name = "workflow"
urlpatterns = [
    path("reclamation/", views.reclamation_page, name="reclamation"),
    path("reclamation/previews/", views.reclamation_preview_start, name="reclamation_preview_start"),
    path("reclamation/previews/<int:pk>/", views.reclamation_preview_page, name="reclamation_preview"),
    path("reclamation/previews/<int:pk>/progress/", views.reclamation_preview_progress,
         name="reclamation_preview_progress"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("plans/", pages.plan_list, name="plan_list"),
    path("plans/new/", pages.plan_create, name="plan_create"),
    path("plans/<int:pk>/", pages.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", pages.plan_edit, name="plan_edit"),
    path("requests/", pages.notice_list, name="notice_list"),
    path("requests/new/", pages.notice_create, name="notice_create"),
    path("requests/<int:pk>/", pages.notice_detail, name="notice_detail"),
    path("requests/<int:pk>/edit/", pages.notice_edit, name="notice_edit"),
    path("movements/", pages.movement_list, name="movement_list"),
    path("movements/entry/", pages.movement_entry, name="movement_entry"),
    path("movements/exit/", pages.movement_exit, name="movement_exit"),
    path("movements/<int:pk>/", pages.movement_detail, name="movement_detail"),
    path("loans/", pages.loan_list, name="loan_list"),
    path("loans/new/", pages.loan_create, name="loan_create"),
    path("loans/<int:pk>/", pages.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/edit/", pages.loan_edit, name="loan_edit"),
    *print_urls,
]
