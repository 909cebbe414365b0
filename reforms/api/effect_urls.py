"""API route of the reform's effect report."""
urlpatterns: list = []
