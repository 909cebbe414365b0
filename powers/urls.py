"""Pages of the powers app (mounted under /powers/)."""
app_name = "powers"

urlpatterns = []
