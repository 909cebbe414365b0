"""API routes of reform plans and operations."""
urlpatterns: list = []
