"""API routes of the ledger (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from quotas.api.views import QuotaAccountViewSet, QuotaTransferViewSet, QuotaTypeViewSet

router = SimpleRouter()
router.register("quota-types", QuotaTypeViewSet, basename="quota-type")
router.register("quota-accounts", QuotaAccountViewSet, basename="quota-account")
router.register("quota-transfers", QuotaTransferViewSet, basename="quota-transfer")

urlpatterns = router.urls
