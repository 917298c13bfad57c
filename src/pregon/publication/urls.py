"""The open-data page and the bulk files, mounted at /data/."""

from django.urls import URLPattern, URLResolver, path

from pregon.publication import views

app_name = "data"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.data_page, name="index"),
    path("<str:name>", views.data_file, name="file"),
]
