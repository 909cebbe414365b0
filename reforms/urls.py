"""Pages of the reform (mounted under /reforms/)."""
from reforms.effect_urls import urlpatterns as effect_urls
from reforms.plan_urls import urlpatterns as plan_urls

app_name = "reforms"
urlpatterns = [*plan_urls, *effect_urls]
