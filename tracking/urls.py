"""Pages of the tracking app (mounted under /tracking/)."""
app_name = "tracking"

urlpatterns = []
