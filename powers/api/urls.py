"""API routes of the powers app (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from powers.api.views import EnforcementPowerViewSet, PowerItemViewSet

router = SimpleRouter()
router.register("power-items", PowerItemViewSet, basename="power-item")
router.register("enforcement-powers", EnforcementPowerViewSet, basename="enforcement-power")

urlpatterns = router.urls
