"""API routes of the positions app (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from positions.api.views import (
    PositionNoticeViewSet,
    PositionPlanViewSet,
    PositionRuleSetViewSet,
    ReconciliationViewSet,
    StaffCountViewSet,
)

router = SimpleRouter()
router.register("position-plans", PositionPlanViewSet, basename="position-plan")
router.register("staff-counts", StaffCountViewSet, basename="staff-count")
router.register("position-rule-sets", PositionRuleSetViewSet, basename="position-rule-set")
router.register("reconciliation", ReconciliationViewSet, basename="reconciliation")
router.register("position-notices", PositionNoticeViewSet, basename="position-notice")

urlpatterns = router.urls
