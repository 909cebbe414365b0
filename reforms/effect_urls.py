"""The reform's effect report page."""
urlpatterns: list = []
