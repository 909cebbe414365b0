"""API routes of the finance integration (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from finance.api.views import FinanceUnitViewSet, PayrollCheckViewSet

router = SimpleRouter()
router.register("finance-units", FinanceUnitViewSet, basename="finance-unit")
router.register("payroll-checks", PayrollCheckViewSet, basename="payroll-check")

urlpatterns = router.urls
