"""The frame of our pages: each role's home page (its dashboard), the search of units, a unit's page, a
document's page."""
from django.urls import path

from portal import dashboards, documents, search, units

app_name = "portal"
urlpatterns = [
    path("", dashboards.home, name="home"),
    path("home/findings/", dashboards.home_findings, name="home-findings"),
    path("search/", search.search_page, name="search"),
    path("search/units.json", search.units_json, name="units-json"),
    path("units/<int:pk>/", units.unit_page, name="unit"),
    path("documents/<int:pk>/", documents.document_page, name="document"),
    path("documents/<int:pk>/file/", documents.document_file, name="document-file"),
]
