"""API routes of the tracking app (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from tracking.api.views import (
    AnnualReportViewSet,
    MilestoneViewSet,
    ReformProgressViewSet,
    ReformTaskViewSet,
    UnitChecklistViewSet,
)

router = SimpleRouter()
router.register("reform-tasks", ReformTaskViewSet, basename="reform-task")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("unit-checklists", UnitChecklistViewSet, basename="unit-checklist")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("reform-progress", ReformProgressViewSet, basename="reform-progress")

urlpatterns = router.urls
