"""Pages of the mandates app (mounted under /mandates/)."""
app_name = "mandates"

urlpatterns = []
