"""API routes of the reconciliation (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from reconciliation.api.views import PositionNoticeViewSet, ReconciliationViewSet

router = SimpleRouter()
router.register("reconciliation", ReconciliationViewSet, basename="reconciliation")
router.register("position-notices", PositionNoticeViewSet, basename="position-notice")

urlpatterns = router.urls
