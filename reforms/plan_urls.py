"""Pages of reform plans."""
urlpatterns: list = []
