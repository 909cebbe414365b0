"""API routes of the city/district workflow (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from workflow.api.views import (
    HiringPlanViewSet,
    LoanReturnOfferViewSet,
    QuotaUseNoticeViewSet,
    StaffChangeViewSet,
    StaffMovementViewSet,
    TurnoverLoanViewSet,
)

router = SimpleRouter()
router.register("hiring-plans", HiringPlanViewSet, basename="hiring-plan")
router.register("quota-use-notices", QuotaUseNoticeViewSet, basename="quota-use-notice")
router.register("turnover-loans", TurnoverLoanViewSet, basename="turnover-loan")
router.register("staff-movements", StaffMovementViewSet, basename="staff-movement")
router.register("loan-return-offers", LoanReturnOfferViewSet, basename="loan-return-offer")
router.register("staff-changes", StaffChangeViewSet, basename="staff-change")

urlpatterns = router.urls
