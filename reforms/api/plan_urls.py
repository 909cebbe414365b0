"""API routes of reform plans and operations."""
from rest_framework.routers import SimpleRouter

from reforms.api.views import ReformOperationViewSet, ReformPlanViewSet

router = SimpleRouter()
router.register("reform-plans", ReformPlanViewSet, basename="reform-plan")
router.register("reform-operations", ReformOperationViewSet, basename="reform-operation")

urlpatterns = router.urls
