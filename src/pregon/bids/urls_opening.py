"""The committee's opening pages, mounted under /<lang>/tenders/ beside the tender pages."""

from django.urls import path

from pregon.bids import views_opening

app_name = "opening"
urlpatterns = [
    path("<int:pk>/opening/", views_opening.opening_committee, name="committee"),
    path(
        "<int:pk>/opening/envelopes.json",
        views_opening.opening_envelopes_json,
        name="envelopes",
    ),
]
