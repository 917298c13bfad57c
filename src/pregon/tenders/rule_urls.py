"""The public page of a country rule pack version (`/<lang>/rules/BR@2026.1/`), which every
tender published under it links to."""

from django.urls import path

from pregon.tenders import views

app_name = "rules"
urlpatterns = [
    path("<str:ref>/", views.rule_pack_page, name="pack"),
]
