"""API routes of the standards (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from standards.api.views import (
    InstitutionCapViewSet,
    InstitutionStandingViewSet,
    ServiceFigureViewSet,
    StandardFindingViewSet,
)

router = SimpleRouter()
router.register("institution-caps", InstitutionCapViewSet, basename="institution-cap")
router.register("standard-findings", StandardFindingViewSet, basename="standard-finding")
router.register("service-figures", ServiceFigureViewSet, basename="service-figure")
router.register("institution-standards", InstitutionStandingViewSet, basename="institution-standard")

urlpatterns = router.urls
