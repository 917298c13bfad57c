"""The tender pages under /<lang>/tenders/: the list is the portal's search (`pregon.web`,
above `pregon.search`); the tender page, its documents and questions are `pregon.tenders`'s."""

from django.urls import URLPattern, URLResolver, path

from pregon.tenders import urls as tenders_urls
from pregon.web import search_views

app_name = "tenders"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", search_views.tender_search, name="list"),
    path("feed.atom", search_views.tender_search_feed, name="feed"),
    *tenders_urls.urlpatterns,
]
