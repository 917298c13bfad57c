"""The pages of msme participation figures, mounted at /<lang>/figures/."""

from django.urls import URLPattern, URLResolver, path

from pregon.figures import views

app_name = "figures"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.figures_page, name="page"),
    path("<slug:slug>.csv", views.figure_csv, name="csv"),
]
