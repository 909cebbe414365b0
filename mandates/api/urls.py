"""API routes of the mandates app (mounted under /api/v1/)."""
from rest_framework.routers import SimpleRouter

from mandates.api.views import CharterViewSet, MandateViewSet, PartyOrganisationViewSet

router = SimpleRouter()
router.register("mandates", MandateViewSet, basename="mandate")
router.register("charters", CharterViewSet, basename="charter")
router.register("party-organisations", PartyOrganisationViewSet, basename="party-organisation")

urlpatterns = router.urls
