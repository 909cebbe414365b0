"""API routes of the integrations: the change feed and the webhook subscriptions (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from integrations.api.views import ChangeViewSet, WebhookSubscriptionViewSet

router = SimpleRouter()
router.register("changes", ChangeViewSet, basename="change")
router.register("webhook-subscriptions", WebhookSubscriptionViewSet, basename="webhook-subscription")

urlpatterns = router.urls
