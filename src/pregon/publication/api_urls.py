"""The OCDS API, mounted at /api/ocds/ (outside the language prefixes: data has no language)."""

from django.urls import URLPattern, URLResolver, path

from pregon.publication import api_views

app_name = "ocds_api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("releases", api_views.releases, name="releases"),
    path("releases/<str:release_id>", api_views.release, name="release"),
    path("records", api_views.records, name="records"),
    path("records/<str:ocid>", api_views.record, name="record"),
    path("changes", api_views.changes, name="changes"),
]
