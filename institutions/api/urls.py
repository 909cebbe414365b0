"""API routes of the institutions app (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from institutions.api.views import (
    ApprovalDocumentViewSet,
    InstitutionViewSet,
    InternalDivisionViewSet,
    PlaqueViewSet,
    RegionViewSet,
)

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("internal-divisions", InternalDivisionViewSet, basename="internal-division")
router.register("plaques", PlaqueViewSet, basename="plaque")
router.register("documents", ApprovalDocumentViewSet, basename="document")

urlpatterns = router.urls
