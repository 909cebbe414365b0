"""API routes of the reform (mounted under /api/v1/): plans and their operations, and the reform's effect."""
from reforms.api.effect_urls import urlpatterns as effect_urls
from reforms.api.plan_urls import urlpatterns as plan_urls

urlpatterns = [*plan_urls, *effect_urls]
