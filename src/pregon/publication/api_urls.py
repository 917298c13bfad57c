"""The OCDS API, mounted at /api/ocds/ (outside the language prefixes: data has no language)."""

from django.urls import URLPattern, URLResolver, path, re_path

from pregon.core.problems import route_not_found
from pregon.publication import api_views

app_name = "ocds_api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("releases", api_views.releases, name="releases"),
    path("releases/<str:release_id>", api_views.release, name="release"),
    path("records", api_views.records, name="records"),
    path("records/<str:ocid>", api_views.record, name="record"),
    path("changes", api_views.changes, name="changes"),
    # Anything else under /api/ocds/ (its root, a trailing slash) is a 404 problem, not a page.
    re_path(r"^.*$", route_not_found, name="not-found"),
]
