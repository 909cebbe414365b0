"""Printouts and workbooks of the workflow: the issued quota-use notice as a page and as .docx, the inbox as a
workbook. Mounted under /positions/ in the workflow's namespace (``workflow/urls.py`` adds these patterns)."""
from django.urls import path

from workflow import inbox, printouts

urlpatterns = [
    path("quota-use-notices/<int:pk>/print/", printouts.notice_page, name="quota-use-notice-print"),
    path("quota-use-notices/<int:pk>/docx/", printouts.notice_docx_download, name="quota-use-notice-docx"),
    path("inbox/xlsx/", inbox.inbox_xlsx, name="inbox-xlsx"),
]
