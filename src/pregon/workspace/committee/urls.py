"""A committee member's pages, mounted at /<lang>/committee/."""

from django.urls import path

from pregon.workspace.committee import views

app_name = "committee"
urlpatterns = [
    path("key/", views.opening_key, name="opening_key"),
    path("key/<int:key_pk>/revoke/", views.opening_key_revoke, name="opening_key_revoke"),
]
