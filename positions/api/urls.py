"""API routes of the positions app (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from positions.api.views import (
    PositionNoticeViewSet,
    PositionPlanViewSet,
    PositionRuleSetViewSet,
    ReconciliationViewSet,
    StaffCountViewSet,
)
from positions.api.workflow import (
    HiringPlanViewSet,
    LoanReturnOfferViewSet,
    QuotaUseNoticeViewSet,
    StaffChangeViewSet,
    StaffMovementViewSet,
    TurnoverLoanViewSet,
)

router = SimpleRouter()
router.register("position-plans", PositionPlanViewSet, basename="position-plan")
router.register("staff-counts", StaffCountViewSet, basename="staff-count")
router.register("position-rule-sets", PositionRuleSetViewSet, basename="position-rule-set")
router.register("reconciliation", ReconciliationViewSet, basename="reconciliation")
router.register("position-notices", PositionNoticeViewSet, basename="position-notice")
router.register("hiring-plans", HiringPlanViewSet, basename="hiring-plan")
router.register("quota-use-notices", QuotaUseNoticeViewSet, basename="quota-use-notice")
router.register("turnover-loans", TurnoverLoanViewSet, basename="turnover-loan")
router.register("staff-movements", StaffMovementViewSet, basename="staff-movement")
router.register("loan-return-offers", LoanReturnOfferViewSet, basename="loan-return-offer")
router.register("staff-changes", StaffChangeViewSet, basename="staff-change")

urlpatterns = router.urls
