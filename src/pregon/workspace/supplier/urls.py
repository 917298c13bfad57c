"""The supplier workspace, mounted at /<lang>/supplier/."""

from django.urls import path

from pregon.workspace.supplier import views

app_name = "supplier"
urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch, name="switch"),
    path("profile/", views.profile, name="profile"),
    path("api-keys/", views.api_keys, name="api_keys"),
    path("api-keys/<int:key_pk>/revoke/", views.api_key_revoke, name="api_key_revoke"),
]
