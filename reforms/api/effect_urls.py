"""API route of the reform's effect report."""
from rest_framework.routers import SimpleRouter

from reforms.api.effect import ReformEffectViewSet

router = SimpleRouter()
router.register("reform-effect", ReformEffectViewSet, basename="reform-effect")

urlpatterns: list = router.urls
