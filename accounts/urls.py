"""Pages of our own (besides the admin)."""
from django.urls import path

from accounts import pages

app_name = "core"
urlpatterns = [path("", pages.home, name="home")]
