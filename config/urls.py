"""URL map: the admin, the pages, the API under /api/v1/, the schema and its docs, /healthz."""
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from config.views import api_docs, api_redoc, healthz
from core.api.views import api_not_found

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("institutions.api.urls")),
    path("", include("quotas.api.urls")),
    path("", include("allocation.api.urls")),
    path("", include("positions.api.urls")),
    path("", include("reconciliation.api.urls")),
    path("", include("workflow.api.urls")),
    path("", include("reforms.api.urls")),
    path("", include("standards.api.urls")),
    path("", include("mandates.api.urls")),
    path("", include("powers.api.urls")),
    path("", include("tracking.api.urls")),
    path("", include("finance.api.urls")),
    path("", include("integrations.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("api/redoc/", api_redoc, name="api-redoc"),
    re_path(r"^api/", api_not_found),
    path("quotas/", include("quotas.urls")),
    path("quotas/", include("allocation.urls")),
    path("positions/imports/", include("positions.import_pages")),
    path("positions/", include("reconciliation.urls")),
    path("positions/", include("workflow.urls")),
    path("reforms/", include("reforms.urls")),
    path("standards/", include("standards.urls")),
    path("mandates/", include("mandates.urls")),
    path("powers/", include("powers.urls")),
    path("tracking/", include("tracking.urls")),
    path("finance/", include("finance.urls")),
    path("", include("portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
