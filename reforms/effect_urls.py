"""The reform's effect report page and its workbook."""
from django.urls import path

from reforms import views

urlpatterns: list = [
    path("effect/", views.effect_page, name="effect"),
    path("effect/xlsx/", views.effect_xlsx, name="effect-xlsx"),
]
