"""API routes of the positions app (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from positions.api.views import ImportJobViewSet, PositionPlanViewSet, PositionRuleSetViewSet, StaffCountViewSet

router = SimpleRouter()
router.register("position-plans", PositionPlanViewSet, basename="position-plan")
router.register("staff-counts", StaffCountViewSet, basename="staff-count")
router.register("position-rule-sets", PositionRuleSetViewSet, basename="position-rule-set")
router.register("import-jobs", ImportJobViewSet, basename="import-job")

urlpatterns = router.urls
