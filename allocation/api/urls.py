"""API routes of zero-based allocation (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from allocation.api.views import AllocationScenarioViewSet, RegionIndicatorViewSet

router = SimpleRouter()
router.register("region-indicators", RegionIndicatorViewSet, basename="region-indicator")
router.register("allocation-scenarios", AllocationScenarioViewSet, basename="allocation-scenario")

urlpatterns = router.urls
