"""Core API: who am I."""
from django.urls import path

from accounts.api.me import MeView

urlpatterns = [path("me/", MeView.as_view(), name="me")]
